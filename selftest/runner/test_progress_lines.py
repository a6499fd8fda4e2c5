"""Progress lines of long runs: counts, failures as they happen, plain lines for CI logs."""
from __future__ import annotations

import re

import pytest
from selftest.runner.runner_support import explain

from im_e2e.progress import Progress

pytestmark = pytest.mark.selftest


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_progress_writes_at_most_one_line_per_interval_and_one_at_the_end():
    clock, lines = FakeClock(), []
    progress = Progress(lines.append, interval=30, clock=clock)
    progress.set_total(4)
    progress.finished("t::a", "passed")
    clock.now += 10
    progress.finished("t::b", "not_possible")
    assert lines == []                      # neither the interval nor the end reached yet
    clock.now += 25
    progress.finished("t::c", "failed", owner="yifan", duration=1.25)
    assert lines == ["[im-e2e] FAILED t::c (yifan, 1.2s)",
                     "[im-e2e] 3/4 (75%): 1 passed, 1 failed, 1 not possible, 0 skipped; 35s elapsed, ~11s left"]
    clock.now += 1
    progress.finished("t::d", "skipped")
    assert lines[-1] == "[im-e2e] 4/4 (100%): 1 passed, 1 failed, 1 not possible, 1 skipped; 36s elapsed"


def test_a_run_prints_progress_lines(mini):
    mini.write("tests/test_many.py", '''
        import pytest

        @pytest.mark.parametrize("n", range(5))
        def test_ok(n):
            pass

        def test_broken():
            assert False
    ''')
    proc = mini.pytest("--im-progress", "0")  # under xdist: see test_results_json.py
    assert proc.returncode == 1, explain(proc)
    lines = re.findall(r"^\[im-e2e\] .*$", proc.stdout, re.M)
    assert any(line.startswith("[im-e2e] FAILED tests/test_many.py::test_broken (0.") for line in lines), lines
    counts = [line for line in lines if re.match(r"\[im-e2e\] \d+/6 ", line)]
    assert len(counts) == 6, explain(proc)
    assert counts[-1].startswith("[im-e2e] 6/6 (100%): 5 passed, 1 failed, 0 not possible, 0 skipped;")
