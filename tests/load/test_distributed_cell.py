"""One group pressure cell on several Locust processes (`--processes 2`): a master that owns the
sandbox and the result, two local workers that connect the online members and the senders of
their shares; the ledger merged from the workers is as complete as a one-process run."""
import json
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.load, pytest.mark.group, pytest.mark.owner("jiahao")]

RUN_TIMEOUT = 180


def test_small_cell_on_two_worker_processes_loses_nothing(tmp_path):
    """At scale 0.05 (100 members, 50 online on TCP and WS, 2 senders), every online member is held
    by one of the two workers and receives every accepted message; the offline ones pull."""
    out = tmp_path / "load"
    done = subprocess.run([sys.executable, "-m", "im_e2e.load", "--scenario", "ci-on", "--scale", "0.05",
                           "--processes", "2", "--out", str(out)], capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert (out / "results.json").exists(), done.stdout + done.stderr
    [cell] = json.loads((out / "results.json").read_text())["cells"]
    assert cell["valid"], cell["invalid_reasons"]
    ledger = cell["ledger"]
    assert ledger["accepted"] == ledger["sent"] > 0
    assert (ledger["lost"], ledger["duplicates"], ledger["unanswered"]) == (0, 0, 0)
    assert ledger["delivered_live"] > 0 and ledger["pulled"] > 0
    assert ledger["delivered_live"] + ledger["pulled"] + ledger["evicted"] == ledger["expected"]

    live = [m for m in cell["members"] if m["phase"] == "live"]
    assert len(live) == cell["cell"]["online_members"] + cell["cell"]["senders"]
    assert all(m["delivered_live"] == m["expected"] > 0 for m in live)
    assert {m["transport"] for m in live} == {"tcp", "ws"}

    processes = cell["processes"]
    assert len(processes) == 2
    assert {m["worker"] for m in live} == set(processes)
    for name, process in processes.items():
        held = [m for m in live if m["worker"] == name]
        assert len(held) == process["members"] + len(process["senders"]) == process["connected"]
        assert process["drained"] and process["cpu_sending"] is not None
    assert sum(len(p["senders"]) for p in processes.values()) == cell["cell"]["senders"]
    assert {m["worker"] for m in cell["members"] if m["phase"] == "pulled"} == {"master"}
    assert set(cell["generator_cpu_by_process"]) == set(processes)
    assert cell["verdict"] == "pass"
