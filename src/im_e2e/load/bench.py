"""Fan-out benchmark: a 2000-member group with 1000 members online (half TCP, half WS), traffic
control on, messages at an absolute rate; then the client's receive capacity.

Fan-out: deliveries per second over the delivery window (first send to last live delivery), all of
them (live to the online members, plus those queued for the offline members and pulled after the
run) and live only; lost, latency percentiles (live deliveries), drain, generator CPU (per
process with --processes) and sandbox CPU.

Client receive capacity per core: deliveries per CPU-second of the generator, twice: live in the
cell above (one message per pull exchange: five frames per delivery, and the process also sends),
and catching up on a backlog (receive.py: pages of up to 50 messages).

    python -m im_e2e.load.bench [--deliveries-per-s 10000] [--duration 20] [--scale 1.0] [--processes 2]
"""
import locust  # noqa: F401  (first: Locust monkey-patches the standard library with gevent)

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

from .distributed import Workers, run_cell_distributed
from .engine import run_cell
from .probe import sending_figures
from .receive import receive_capacity
from .scenarios import cells_for


def fanout(args: argparse.Namespace) -> dict:
    base = cells_for("g2000-10000ps-on", args.scale)[0]
    cell = dataclasses.replace(base, name="bench-fanout", deliveries_per_s=args.deliveries_per_s * args.scale,
                               duration_s=args.duration, traffic_control=args.traffic_control == "on")
    out = Path(tempfile.mkdtemp(prefix="im-load-bench-"))
    if args.processes:
        result = run_cell_distributed(cell, out, Workers(local=args.processes, expect=args.processes))
    else:
        result = run_cell(cell, out)
    ledger = result["ledger"]
    window = max(1e-6, result["delivery_window_s"])
    every = ledger["delivered_live"] + ledger["pulled"] + ledger["evicted"]
    return {
        "group_size": cell.group_size, "online": cell.online_members, "traffic_control": cell.traffic_control,
        "generator_processes": args.processes or 1,
        "planned_deliveries_per_s": cell.deliveries_per_s,
        "achieved_send_deliveries_per_s": result["achieved_deliveries_per_s"],
        "fanout_deliveries_per_s": round(every / window),
        "fanout_live_deliveries_per_s": round(ledger["delivered_live"] / window),
        "lost": ledger["lost"], "refused": ledger["refused"], "duplicates": ledger["duplicates"],
        "latency_ms": result["latency_ms"], "drain_s": result["drain_s"],
        "generator_cpu_cores_while_sending": result.get("generator_cpu_by_process") or result["generator_cpu"],
        "client_live_receive_per_core": round(ledger["delivered_live"] / max(1e-6, result["generator_cpu_s"])),
        **sending_figures(result),
        "valid": result["valid"], "invalid_reasons": result["invalid_reasons"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deliveries-per-s", type=float, default=10000)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--traffic-control", choices=["on", "off"], default="on")
    parser.add_argument("--processes", type=int, default=2, metavar="N",
                        help="run the members on N local Locust worker processes (default 2: one generator "
                             "process would saturate its core at 10,000 deliveries/s; 0: this process)")
    parser.add_argument("--receive-members", type=int, default=250)
    parser.add_argument("--receive-messages", type=int, default=200, help="at most the group offline limit (200)")
    parser.add_argument("--skip-fanout", action="store_true")
    parser.add_argument("--skip-receive", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    summary: dict = {}
    if not args.skip_fanout:
        summary.update(fanout(args))
    if not args.skip_receive:
        capacity = receive_capacity(args.receive_members, args.receive_messages)
        summary["client_backlog_receive"] = capacity.as_dict()
        summary["client_backlog_receive_per_core"] = round(capacity.per_core)
    print(json.dumps(summary, indent=1) if args.json else "\n".join(f"{k}: {v}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
