"""The load ledger catches what goes wrong: with a load-mode fault on in the cell's sandbox
(src/im_sandbox/load_fault_behaviours.py: exact, deterministic amounts) a small cell's ledger reports exactly
the deliveries dropped, the copies delivered twice, the sends left unanswered, or the stall, and the
clean verdict fails; without one, "lost = 0" would prove nothing. Evictions (group_offline_limit)
are read back from whatever event log the sandbox writes: a jsonl file, a Redis stream, a Kafka topic."""
import json
import os
import subprocess
import sys
import uuid

import pytest

pytestmark = [pytest.mark.load, pytest.mark.group, pytest.mark.owner("jiahao")]

RUN_TIMEOUT = 180
MESSAGES, RECEIVERS = 30, 39  # the ledger cells: 10 messages/s for 3 s to a 40-member group, one sender


def run_cell(tmp_path, cell: str, *args: str, **env: str) -> dict:
    out = tmp_path / "load"
    done = subprocess.run([sys.executable, "-m", "im_e2e.load", "--scenario", cell, "--out", str(out), *args],
                          capture_output=True, text=True, timeout=RUN_TIMEOUT, env={**os.environ, **env})
    assert (out / "results.json").exists(), done.stdout + done.stderr
    [result] = json.loads((out / "results.json").read_text())["cells"]
    assert result["valid"], result["invalid_reasons"]
    assert result["ledger"]["sent"] == MESSAGES
    return result


def with_fault(name: str, **params: str) -> dict[str, str]:
    return {"IM_SANDBOX_FAULTS": name, **{f"IM_SANDBOX_LOAD_FAULT_{k.upper()}": v for k, v in params.items()}}


def test_dropped_deliveries_are_counted_as_lost_exactly(tmp_path):
    """Every 25th delivery after the first 100 dropped: lost = (1170 - 100) // 25 = 42, nothing else."""
    result = run_cell(tmp_path, "ledger-small", **with_fault("load_drop_one_in_n", n="25", after="100"))
    ledger = result["ledger"]
    assert ledger["accepted"] == MESSAGES and ledger["expected"] == MESSAGES * RECEIVERS
    assert (ledger["lost"], ledger["duplicates"], ledger["unanswered"]) == ((MESSAGES * RECEIVERS - 100) // 25, 0, 0)
    assert ledger["delivered_live"] + ledger["pulled"] + ledger["lost"] == ledger["expected"]
    assert result["verdict"] == "fail"


def test_deliveries_made_twice_are_counted_as_duplicates_exactly(tmp_path):
    """Every 25th delivery queued twice: duplicates = 1170 // 25 = 46, nothing lost, verdict fail."""
    result = run_cell(tmp_path, "ledger-small", **with_fault("load_deliver_twice", n="25"))
    ledger = result["ledger"]
    assert (ledger["duplicates"], ledger["lost"], ledger["unanswered"]) == (MESSAGES * RECEIVERS // 25, 0, 0)
    assert result["verdict"] == "fail"


def test_sends_the_server_stops_acking_are_counted_as_unanswered_exactly(tmp_path):
    """After 12 acked sends the server answers none: 18 unanswered, 12 accepted and all delivered."""
    result = run_cell(tmp_path, "ledger-small", **with_fault("load_stop_acking", acks="12"))
    ledger = result["ledger"]
    assert (ledger["accepted"], ledger["unanswered"], ledger["refused"]) == (12, MESSAGES - 12, 0)
    assert (ledger["lost"], ledger["expected"]) == (0, 12 * RECEIVERS)
    assert result["verdict"] == "fail"


def test_a_stalled_fanout_shows_in_latency_and_drain_time(tmp_path):
    """Fan-out held 6 s from the first message: nothing lost, but the first deliveries are ~6 s late
    and the drain overruns the cell's 2 s timeout."""
    result = run_cell(tmp_path, "ledger-small", **with_fault("load_stall_fanout", stall_s="6"))
    ledger = result["ledger"]
    assert (ledger["lost"], ledger["duplicates"], ledger["unanswered"]) == (0, 0, 0)
    assert result["latency_ms"]["max"] >= 5500 and result["drain_s"] > result["cell"]["timeout_ms"] / 1000
    assert result["verdict"] == "fail"


def test_the_same_cell_without_faults_is_clean(tmp_path):
    result = run_cell(tmp_path, "ledger-small")
    ledger = result["ledger"]
    assert (ledger["lost"], ledger["duplicates"], ledger["unanswered"], ledger["evicted"]) == (0, 0, 0, 0)
    assert result["verdict"] == "pass"


@pytest.mark.parametrize("backend", ["jsonl", "redis", "kafka"])
def test_evictions_are_read_from_the_sandbox_event_log(tmp_path, request, backend):
    """Offline queues keep the newest 10 group messages: each offline member's other 20 are evicted,
    and the ledger finds every eviction in the event log the sandbox writes, whichever it is."""
    name = f"ledger-{uuid.uuid4().hex[:8]}"
    args = {"jsonl": (),
            "redis": lambda: ("--event-log", f"{request.getfixturevalue('redis_url')}?stream={name}"),
            "kafka": lambda: ("--event-log", f"{request.getfixturevalue('kafka_url')}/{name}")}[backend]
    result = run_cell(tmp_path, "ledger-evict", *(args() if callable(args) else args))
    assert result["event_source"].startswith({"jsonl": "jsonl:", "redis": "redis://", "kafka": "kafka://"}[backend])
    ledger = result["ledger"]
    pulled = [m for m in result["members"] if m["phase"] == "pulled"]
    assert pulled and all(m["evicted"] == m["expected"] - 10 for m in pulled)
    assert ledger["evicted"] == result["evicted_events"] == sum(m["expected"] - 10 for m in pulled)
    assert (ledger["lost"], ledger["duplicates"]) == (0, 0)
    assert result["event_log_marker"]["seen_after_s"] is not None
    assert result["verdict"] == "pass"
