"""The group benchmark (`python -m im_e2e.load.bench`) at a tiny size: it runs end to end and its
figures add up (what it prints is what the README and the load README quote)."""
import json
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.load, pytest.mark.group, pytest.mark.owner("jiahao")]

RUN_TIMEOUT = 180


def bench(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "im_e2e.load.bench", "--json", *args],
                          capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout[done.stdout.index("{"):])


def test_backlog_receive_capacity_counts_every_queued_delivery():
    """20 offline members catch up on 30 group messages each: 600 deliveries, all received."""
    figures = bench("--skip-fanout", "--receive-members", "20", "--receive-messages", "30")
    backlog = figures["client_backlog_receive"]
    assert (backlog["members"], backlog["messages"], backlog["deliveries"]) == (20, 30, 600)
    # process CPU time ticks in 10 ms steps, and 600 deliveries may take less on the multiplex engine
    assert backlog["wall_s"] > 0 and figures["client_backlog_receive_per_core"] == backlog["deliveries_per_cpu_s"]


def test_idle_members_of_both_engines_side_by_side():
    """60 idle members held by one fresh process per engine: all logged in and still answering."""
    figures = bench("--idle", "60", "--idle-hold", "1", "--compare")
    for engine in ("gevent", "multiplex"):
        idle = figures["idle"][engine]
        assert idle["connected"] == idle["alive_after_hold"] == 60 and idle["failures"] == 0, idle
        assert idle["logins_per_s"] > 0 and idle["rss_mb"] > 0
    assert "| idle members held in one process | 60 | 60 | 1.00 |" in figures["idle_table"]


def test_fanout_figures_of_a_small_group():
    """100 members, 50 online, 100 deliveries/s for 3 s in this process: nothing lost, and the
    fan-out figure counts live and pulled deliveries."""
    figures = bench("--skip-receive", "--scale", "0.05", "--deliveries-per-s", "2000", "--duration", "3",
                    "--processes", "0")
    assert (figures["group_size"], figures["online"], figures["generator_processes"]) == (100, 50, 1)
    assert (figures["lost"], figures["refused"], figures["duplicates"]) == (0, 0, 0)
    assert figures["fanout_deliveries_per_s"] > figures["fanout_live_deliveries_per_s"] > 0
    assert figures["latency_ms"]["count"] > 0 and figures["valid"], figures["invalid_reasons"]
    assert figures["member_engine"] == "multiplex" and figures["members_per_process"] == 50 + 2


def test_both_engines_on_one_small_cell_side_by_side():
    """--compare runs the cell on gevent, then on multiplex, and tables the figures as new/old."""
    figures = bench("--skip-receive", "--compare", "--scale", "0.05", "--deliveries-per-s", "2000", "--duration", "3",
                    "--processes", "0")
    runs = figures["compare"]
    assert [runs[e]["member_engine"] for e in ("gevent", "multiplex")] == ["gevent", "multiplex"]
    for run in runs.values():
        assert (run["lost"], run["duplicates"]) == (0, 0) and run["valid"], run["invalid_reasons"]
        assert run["client_live_receive_per_core"] > 0
    assert "| live deliveries per generator CPU-second |" in figures["compare_table"]
