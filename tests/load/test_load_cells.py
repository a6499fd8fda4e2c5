"""The group pressure cells of scenarios.toml, run by the Locust engine in a process of its own
(Locust monkey-patches the standard library): a small cell with traffic control on must lose
nothing and drain within the timeout, on both member engines (multiplex: many connections on one
event loop per process; gevent: one im_client session per Locust user), in one process and on a
master with two local workers (`--processes 2`) whose ledgers are merged."""
import json
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.load, pytest.mark.group, pytest.mark.owner("jiahao")]

RUN_TIMEOUT = 180


def run_load(tmp_path, *args: str) -> dict:
    """The one cell of a run, after checking it was valid, lost nothing and passed."""
    out = tmp_path / "load"
    # --target sandbox: these cells test the engine on a sandbox of its own, whatever the suite's target
    done = subprocess.run([sys.executable, "-m", "im_e2e.load", "--target", "sandbox", *args, "--out", str(out)],
                          capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert (out / "report.html").exists(), done.stdout + done.stderr
    [cell] = json.loads((out / "results.json").read_text())["cells"]
    assert cell["valid"], cell["invalid_reasons"]
    ledger = cell["ledger"]
    assert ledger["accepted"] == ledger["sent"] > 0
    assert (ledger["lost"], ledger["duplicates"], ledger["unanswered"]) == (0, 0, 0)
    assert ledger["delivered_live"] > 0 and ledger["pulled"] > 0
    assert ledger["delivered_live"] + ledger["pulled"] + ledger["evicted"] == ledger["expected"]
    assert cell["verdict"] == "pass"
    return cell


ENGINES = ["multiplex", "gevent"]


@pytest.mark.parametrize("engine", ENGINES)
def test_small_cell_with_traffic_control_loses_nothing(tmp_path, engine):
    """At scale 0.1 (200 members, 100 online on TCP and WS, 200 deliveries/s), every accepted
    message reaches every member, live or by pull after the run, within the timeout."""
    cell = run_load(tmp_path, "--scenario", "ci-on", "--scale", "0.1", "--member-engine", engine)
    assert {m["phase"] for m in cell["members"]} == {"live", "pulled"}
    assert {m["transport"] for m in cell["members"] if m["phase"] == "live"} == {"tcp", "ws"}
    [process] = cell["members_by_process"].values()
    assert process["engine"] == cell["cell"]["engine"] == engine
    assert process["connections"] == cell["cell"]["online_members"] + cell["cell"]["senders"]


@pytest.mark.parametrize("engine", ENGINES)
def test_small_cell_on_two_worker_processes_loses_nothing(tmp_path, engine):
    """At scale 0.05 (100 members, 50 online on TCP and WS, 2 senders), every online member is held
    by one of the two workers and receives every accepted message; the offline ones pull."""
    cell = run_load(tmp_path, "--scenario", "ci-on", "--scale", "0.05", "--processes", "2", "--member-engine", engine)
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
    assert {p["engine"] for p in cell["members_by_process"].values()} == {engine}
