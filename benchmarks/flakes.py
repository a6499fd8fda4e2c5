"""Which tests fail now and then: the suite N times, a table of failures per test across the runs.

    python benchmarks/flakes.py --runs 10                      # pytest -n auto (the default testpaths), 10 times
    python benchmarks/flakes.py --runs 3 -- tests/chat -k recall

A test that failed in some runs and passed in others is flaky; one that failed in every run is
broken. Exit status: 0 when nothing failed, 1 otherwise. Runs in this shell's environment.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from im_e2e.suite_runs import failure_table, run_suite

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="how many times to run the suite (default 5)")
    parser.add_argument("-n", "--workers", default="auto", help="xdist workers (default auto; 0 = no xdist)")
    parser.add_argument("pytest_args", nargs="*", help="after --: pytest arguments (default: the testpaths)")
    args = parser.parse_args(argv)

    runs = []
    for n in range(1, args.runs + 1):
        run = run_suite(args.pytest_args, args.workers, cwd=ROOT)
        print(f"run {n}/{args.runs}: {run.summary()}", flush=True)
        if not run.tests:
            print(run.output_tail, file=sys.stderr)
        runs.append(run)
    rows = failure_table(runs)
    if not rows:
        print(f"no test failed in {args.runs} runs ({max(len(r.tests) for r in runs)} tests)")
        return 0
    print(f"\n{len(rows)} tests failed at least once (runs: '.' passed, 'F' failed, 's' skipped, "
          f"'p' not possible, '-' not run):")
    print("\n".join(rows))
    return 1


if __name__ == "__main__":
    sys.exit(main())
