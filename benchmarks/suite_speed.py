"""How fast the feature suite runs: wall time, tests, tests/s and the slowest tests.

    python benchmarks/suite_speed.py                    # pytest -n auto tests
    python benchmarks/suite_speed.py -n 4 -- -m chat    # other workers, other pytest arguments
    python benchmarks/suite_speed.py --json

One run, in this shell's environment (target, transports …). The figure depends on the machine and
on what else it runs; say so when you quote it. Per-test seconds are setup + call + teardown as
pytest measured them (under xdist, on the worker that ran the test).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from im_e2e.suite_runs import run_suite

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--workers", default="auto", help="xdist workers (default auto; 0 = no xdist)")
    parser.add_argument("--slowest", type=int, default=10, help="how many of the slowest tests to list")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("pytest_args", nargs="*", default=["tests"], help="after --: pytest arguments (default: tests)")
    args = parser.parse_args(argv)

    run = run_suite(args.pytest_args or ["tests"], args.workers, cwd=ROOT)
    if not run.tests:
        print(f"no test ran (pytest exit {run.returncode}):\n{run.output_tail}", file=sys.stderr)
        return 2
    figures = {
        "command": f"pytest -n {args.workers} {' '.join(args.pytest_args)}", "cpus": os.cpu_count(),
        "wall_seconds": round(run.seconds, 1), "tests": len(run.tests),
        "tests_per_second": round(len(run.tests) / run.seconds, 2), "outcomes": dict(run.counts()),
        "slowest": [{"test": test, "seconds": round(s, 2)} for test, s in run.slowest(args.slowest)],
        "pytest_exit": run.returncode, "pytest_summary": run.pytest_summary, "failed": run.failed(),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{figures['command']} on {figures['cpus']} CPUs: {run.summary()}")
    print(f"pytest says: {run.pytest_summary}")
    print(f"{len(run.tests)} tests in {run.seconds:.1f} s wall = {figures['tests_per_second']} tests/s")
    print(f"slowest {args.slowest} (setup + call + teardown):")
    for test, seconds in run.slowest(args.slowest):
        print(f"  {seconds:7.2f} s  {test}")
    if run.failed():
        print(f"failed ({len(run.failed())}):")
        print("\n".join(f"  {test}" for test in run.failed()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
