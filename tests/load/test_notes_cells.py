"""A notes row run end to end (the idle big group, scaled): the cell runs, and report.html and
cells.csv show the notes' own server CPU before → after beside the CPU measured on the sandbox."""
import csv
import json
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.load, pytest.mark.group, pytest.mark.owner("jiahao")]

RUN_TIMEOUT = 180


def test_the_idle_big_group_row_reports_the_notes_cpu_beside_the_measured(tmp_path):
    """1000 members (x0.05: 50), nothing sent, nobody online: nothing to deliver, and the notes'
    15% -> 15.6% is in both reports."""
    out = tmp_path / "load"
    done = subprocess.run([sys.executable, "-m", "im_e2e.load", "--scenario", "g1000-0ps-offline", "--scale", "0.05",
                           "--out", str(out)], capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert (out / "cells.csv").exists(), done.stdout + done.stderr
    [cell] = json.loads((out / "results.json").read_text())["cells"]
    assert cell["valid"], cell["invalid_reasons"]
    assert (cell["ledger"]["sent"], cell["ledger"]["expected"], cell["ledger"]["lost"]) == (0, 0, 0)
    [row] = list(csv.DictReader((out / "cells.csv").open(encoding="utf-8")))
    assert (row["notes: server CPU before %"], row["notes: server CPU after %"]) == ("15.0", "15.6")
    assert "server CPU while sending, mean % (all nodes)" in row
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "notes: server CPU before %" in page and "<td>15.6</td>" in page
