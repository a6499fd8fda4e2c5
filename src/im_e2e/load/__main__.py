"""`python -m im_e2e.load --scenario NAME [--scale F] [--out DIR]`: run the cells of a scenario
(or one cell) from scenarios.toml, then write report.html, results.json and cells.csv."""
import locust  # noqa: F401  (first: Locust monkey-patches the stdlib with gevent)

import argparse
import sys
import time
from pathlib import Path

from .engine import run_cell
from .report import write_report
from .scenarios import cells_for


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="im-e2e load", description=__doc__)
    parser.add_argument("--scenario", required=True, help="scenario (seed, offline, ci) or one cell name")
    parser.add_argument("--scale", type=float, default=1.0, help="group size, deliveries/s and tickets times F")
    parser.add_argument("--out", type=Path, default=None, help="report directory (default reports/load-<time>)")
    args = parser.parse_args(argv)
    cells = cells_for(args.scenario, args.scale)
    out = args.out or Path("reports") / f"load-{time.strftime('%Y%m%d-%H%M%S')}"
    results = []
    for cell in cells:
        print(f"cell {cell.name}: {cell.group_size} members, {cell.deliveries_per_s:g} deliveries/s, "
              f"{cell.duration_s:g} s, traffic control {'on' if cell.traffic_control else 'off'}", flush=True)
        result = run_cell(cell, out)
        results.append(result)
        led = result["ledger"]
        print(f"  {result['verdict']}: sent {led['sent']} accepted {led['accepted']} refused {led['refused']} "
              f"lost {led['lost']} p99 {result['latency_ms']['p99']} ms"
              f"{' (' + '; '.join(result['invalid_reasons']) + ')' if result['invalid_reasons'] else ''}", flush=True)
    write_report(results, out, scenario=args.scenario, scale=args.scale)
    print(f"report: {out / 'report.html'}")
    return 1 if any(r["verdict"] == "fail" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
