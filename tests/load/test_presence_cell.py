"""The presence cell (src/im_e2e/load/presence.py) at small scale: 20 subscribers online, 5 status
changes. Clean, its ledger holds every notice once and nothing late; with a load-mode fault dropping
every 7th presence notice it reports exactly those as lost, and the verdict fails."""
import dataclasses

import pytest

from im_e2e.load.presence import presence_cells, run_presence_cell

pytestmark = [pytest.mark.load, pytest.mark.presence, pytest.mark.owner("xinbo")]

SUBSCRIBERS, CHANGES = 20, 5


@pytest.fixture
def cell():
    (small,) = presence_cells("presence-small")
    assert (small.subscribers, small.changes) == (SUBSCRIBERS, CHANGES)
    return small


def test_every_subscriber_hears_every_change_once(cell, monkeypatch):
    monkeypatch.delenv("IM_SANDBOX_FAULTS", raising=False)
    result = run_presence_cell(cell)
    ledger = result["ledger"]
    assert (ledger["expected"], ledger["received"], ledger["lost"], ledger["duplicates"], ledger["late"]) == (
        SUBSCRIBERS * CHANGES, SUBSCRIBERS * CHANGES, 0, 0, 0)
    assert result["drained"] and result["verdict"] == "pass"
    assert {m["transport"] for m in result["members"]} == {"tcp", "ws"}
    assert result["latency_ms"]["count"] == SUBSCRIBERS * CHANGES


def test_dropped_presence_notices_are_counted_as_lost_exactly(cell, monkeypatch):
    """Every 7th of the 100 notices dropped: lost = 14, the rest received once."""
    monkeypatch.setenv("IM_SANDBOX_FAULTS", "load_presence_drop_one_in_n")
    monkeypatch.setenv("IM_SANDBOX_LOAD_FAULT_N", "7")
    result = run_presence_cell(dataclasses.replace(cell, drain_s=2.0))
    ledger = result["ledger"]
    assert (ledger["lost"], ledger["received"], ledger["duplicates"]) == (14, SUBSCRIBERS * CHANGES - 14, 0)
    assert sum(m["lost"] for m in result["members"]) == 14
    assert not result["drained"] and result["verdict"] == "fail"
