"""The group pressure cells of scenarios.toml, run by the Locust engine in a process of its own
(Locust monkey-patches the standard library): one small cell with traffic control on must lose
nothing and drain within the timeout."""
import json
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.load, pytest.mark.group, pytest.mark.owner("jiahao")]

RUN_TIMEOUT = 120


def run_load(tmp_path, *args: str) -> dict:
    out = tmp_path / "load"
    done = subprocess.run([sys.executable, "-m", "im_e2e.load", *args, "--out", str(out)],
                          capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert (out / "report.html").exists(), done.stdout + done.stderr
    return json.loads((out / "results.json").read_text())


def test_small_cell_with_traffic_control_loses_nothing(tmp_path):
    """At scale 0.1 (200 members, 100 online on TCP and WS, 200 deliveries/s), every accepted
    message reaches every member, live or by pull after the run, within the timeout."""
    results = run_load(tmp_path, "--scenario", "ci-on", "--scale", "0.1")
    [cell] = results["cells"]
    assert cell["valid"], cell["invalid_reasons"]
    ledger = cell["ledger"]
    assert ledger["accepted"] == ledger["sent"] > 0
    assert (ledger["lost"], ledger["duplicates"], ledger["unanswered"]) == (0, 0, 0)
    assert ledger["delivered_live"] > 0 and ledger["pulled"] > 0
    assert ledger["delivered_live"] + ledger["pulled"] + ledger["evicted"] == ledger["expected"]
    assert cell["verdict"] == "pass"
