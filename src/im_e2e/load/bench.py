"""Fan-out benchmark: a 2000-member group with 1000 members online (half TCP, half WS), traffic
control on, messages at an absolute rate; prints the sandbox's fan-out deliveries/s (live
deliveries received / time from the first send to the last delivery), lost, p99, and the
client's receive capacity per core (deliveries received / CPU seconds of the generator process,
which also sends).

    python -m im_e2e.load.bench [--deliveries-per-s 10000] [--duration 20] [--scale 1.0]
"""
import locust  # noqa: F401  (first: Locust monkey-patches the standard library with gevent)

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

from .engine import run_cell
from .scenarios import cells_for


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deliveries-per-s", type=float, default=10000)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--traffic-control", choices=["on", "off"], default="on")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    base = cells_for("g2000-10000ps-on", args.scale)[0]
    cell = dataclasses.replace(base, name="bench-fanout", deliveries_per_s=args.deliveries_per_s * args.scale,
                               duration_s=args.duration, traffic_control=args.traffic_control == "on")
    result = run_cell(cell, Path(tempfile.mkdtemp(prefix="im-load-bench-")))
    ledger = result["ledger"]
    window = max(1e-6, result["delivery_window_s"])
    summary = {
        "group_size": cell.group_size, "online": cell.online_members, "traffic_control": cell.traffic_control,
        "planned_deliveries_per_s": cell.deliveries_per_s, "achieved_send_deliveries_per_s":
            result["achieved_deliveries_per_s"],
        "fanout_deliveries_per_s": round(ledger["delivered_live"] / window),
        "lost": ledger["lost"], "refused": ledger["refused"], "latency_ms": result["latency_ms"],
        "drain_s": result["drain_s"], "generator_cpu_cores_while_sending": result["generator_cpu"],
        "client_receive_per_core": round(ledger["delivered_live"] / max(1e-6, result["generator_cpu_s"])),
        "sandbox_cpu_max": max((s["cpu"] for s in result["sandbox_samples"]), default=None),
        "valid": result["valid"], "invalid_reasons": result["invalid_reasons"],
    }
    print(json.dumps(summary, indent=1) if args.json else "\n".join(f"{k}: {v}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
