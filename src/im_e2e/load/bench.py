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
                                [--member-engine multiplex|gevent]

Both member engines side by side on the same cell in one run, as ratios new (multiplex) / old
(gevent): live deliveries per generator CPU-second, members per process and RSS per member,
logins/s, fan-out; `--ceiling-rates` adds multiplex runs at higher rates, where the sandbox, not the
generator, bounds the fan-out:

    python -m im_e2e.load.bench --compare [--ceiling-rates 15000,20000] [--skip-receive]

The sandbox's headroom: the same cell (multiplex members) at each rate, and the highest clean one
(valid, lost 0, nothing refused, p99 ≤ 1 s):

    python -m im_e2e.load.bench --headroom 10000,20000,30000,40000 [--processes 1]

Idle members held by one process (RSS per member, logins/s; the target is 10,000 and more):

    python -m im_e2e.load.bench --idle 10000 [--member-engine multiplex|gevent] [--compare]
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
from .headroom import headroom_summary
from .idle import idle_figures
from .receive import receive_capacity
from .scenarios import cells_for
from .users import ENGINES


def fanout(args: argparse.Namespace, engine: str | None = None, deliveries_per_s: float | None = None) -> dict:
    base = cells_for("g2000-10000ps-on", args.scale)[0]
    cell = dataclasses.replace(base, name="bench-fanout",
                               deliveries_per_s=(deliveries_per_s or args.deliveries_per_s) * args.scale,
                               duration_s=args.duration, traffic_control=args.traffic_control == "on",
                               engine=engine or args.member_engine)
    out = Path(tempfile.mkdtemp(prefix="im-load-bench-"))
    if args.processes:
        result = run_cell_distributed(cell, out, Workers(local=args.processes, expect=args.processes))
    else:
        result = run_cell(cell, out)
    ledger = result["ledger"]
    window = max(1e-6, result["delivery_window_s"])
    every = ledger["delivered_live"] + ledger["pulled"] + ledger["evicted"]
    members = [p for p in result.get("members_by_process", {}).values() if p.get("connections")]
    return {
        "member_engine": cell.engine,
        "group_size": cell.group_size, "online": cell.online_members, "traffic_control": cell.traffic_control,
        "generator_processes": args.processes or 1,
        "members_per_process": max((p["connections"] for p in members), default=0),
        "rss_per_member_kb": _mean(p["rss_per_member_kb"] for p in members),
        "logins_per_s_per_process": _mean(p["logins_per_s"] for p in members),
        "planned_deliveries_per_s": cell.deliveries_per_s,
        "achieved_send_deliveries_per_s": result["achieved_deliveries_per_s"],
        "fanout_deliveries_per_s": round(every / window),
        "fanout_live_deliveries_per_s": round(ledger["delivered_live"] / window),
        "lost": ledger["lost"], "refused": ledger["refused"], "duplicates": ledger["duplicates"],
        "latency_ms": result["latency_ms"], "drain_s": result["drain_s"],
        "generator_cpu_cores_while_sending": result.get("generator_cpu_by_process") or result["generator_cpu"],
        "client_live_receive_per_core": round(ledger["delivered_live"] / max(1e-6, result["generator_cpu_s"])),
        # what the engine costs, whatever the pace of the sandbox: a slower sandbox puts more messages
        # in one pull exchange (fewer frames per delivery), a faster one fewer
        "frames_in_per_live_delivery": round(result["generator_frames_in"] / max(1, ledger["delivered_live"]), 2),
        "generator_cpu_us_per_frame_in": round(result["generator_cpu_s"] * 1e6 / max(1, result["generator_frames_in"]),
                                               1),
        **sending_figures(result),
        "valid": result["valid"], "invalid_reasons": result["invalid_reasons"],
    }


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 1) if values else None


COMPARED = [  # (figure, key)
    ("live deliveries per generator CPU-second", "client_live_receive_per_core"),
    ("inbound frames per live delivery", "frames_in_per_live_delivery"),
    ("generator CPU per inbound frame (µs, sends included)", "generator_cpu_us_per_frame_in"),
    ("generator CPU while sending (highest process, cores)", "generator_cpu_max"),
    ("members per generator process", "members_per_process"),
    ("RSS per member (KB)", "rss_per_member_kb"),
    ("logins/s per process", "logins_per_s_per_process"),
    ("fan-out deliveries/s (live + pulled)", "fanout_deliveries_per_s"),
    ("fan-out live deliveries/s", "fanout_live_deliveries_per_s"),
    ("latency p99 (ms)", "p99_ms"),
    ("sandbox CPU while sending, mean (% of a core)", "sandbox_cpu_sending_mean"),
    ("lost", "lost"),
    ("valid", "valid"),
]
IDLE_COMPARED = [("idle members held in one process", "connected"),
                 ("still answering after the hold", "alive_after_hold"),
                 ("RSS per idle member (KB)", "rss_per_member_kb"), ("logins/s", "logins_per_s")]


def _flat(figures: dict) -> dict:
    cpu = figures.get("generator_cpu_cores_while_sending")
    cpu = max((c for c in cpu.values() if c is not None), default=None) if isinstance(cpu, dict) else cpu
    return {**figures, "generator_cpu_max": cpu, "p99_ms": (figures.get("latency_ms") or {}).get("p99")}


def table(rows: list[tuple[str, object, object]], old: str = "gevent (old)", new: str = "multiplex (new)") -> str:
    def cell(v: object) -> str:
        return f"{v:,.1f}".rstrip("0").rstrip(".") if isinstance(v, float) else f"{v:,}" if isinstance(v, int) \
            and not isinstance(v, bool) else str(v)

    lines = [f"| figure | {old} | {new} | new/old |", "|---|---|---|---|"]
    for name, a, b in rows:
        ratio = f"{b / a:.2f}" if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a and \
            not isinstance(a, bool) else "–"
        lines.append(f"| {name} | {cell(a)} | {cell(b)} | {ratio} |")
    return "\n".join(lines)


def compare(args: argparse.Namespace) -> dict:
    """The same fan-out cell on both engines, one after the other, in this run."""
    runs = {engine: _flat(fanout(args, engine)) for engine in ("gevent", "multiplex")}
    rows = [(name, runs["gevent"].get(key), runs["multiplex"].get(key)) for name, key in COMPARED]
    out = {"compare": runs, "compare_table": table(rows)}
    ceiling = []
    for rate in args.ceiling_rates:
        run = _flat(fanout(args, "multiplex", rate))
        ceiling.append({k: run.get(k) for k in ("planned_deliveries_per_s", "fanout_deliveries_per_s",
                                                 "fanout_live_deliveries_per_s", "lost", "refused", "p99_ms",
                                                 "generator_cpu_max", "sandbox_cpu_sending_mean",
                                                 "sandbox_cpu_sending_max", "client_live_receive_per_core", "valid",
                                                 "invalid_reasons")})
    if ceiling:
        out["ceiling"] = ceiling
    return out


def headroom(args: argparse.Namespace) -> dict:
    """The fan-out cell at each of `args.headroom` (deliveries/s), one after the other in this run."""
    return headroom_summary([_flat(fanout(args, "multiplex", rate)) for rate in args.headroom])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deliveries-per-s", type=float, default=10000)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--traffic-control", choices=["on", "off"], default="on")
    parser.add_argument("--processes", type=int, default=2, metavar="N",
                        help="run the members on N local Locust worker processes (default 2, as the seed cells; "
                             "0: this process)")
    parser.add_argument("--member-engine", choices=ENGINES, default="multiplex",
                        help="how the members run (default multiplex; gevent: one im_client session per user)")
    parser.add_argument("--compare", action="store_true",
                        help="run the fan-out cell (or --idle) on both engines and print them side by side")
    parser.add_argument("--ceiling-rates", type=lambda v: [float(x) for x in v.split(",") if x], default=[],
                        metavar="R,R", help="with --compare: also multiplex runs at these deliveries/s")
    parser.add_argument("--headroom", type=lambda v: [float(x) for x in v.split(",") if x], default=[],
                        metavar="R,R", help="only: the fan-out cell at each rate, and the highest clean one")
    parser.add_argument("--idle", type=int, default=0, metavar="N",
                        help="only: hold N idle members in one process and report RSS per member and logins/s")
    parser.add_argument("--idle-hold", type=float, default=20.0, metavar="S")
    parser.add_argument("--receive-members", type=int, default=250)
    parser.add_argument("--receive-messages", type=int, default=200, help="at most the group offline limit (200)")
    parser.add_argument("--skip-fanout", action="store_true")
    parser.add_argument("--skip-receive", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    summary: dict = {}
    if args.idle:
        engines = ("gevent", "multiplex") if args.compare else (args.member_engine,)
        runs = {engine: idle_figures(args.idle, engine, args.idle_hold) for engine in engines}
        summary["idle"] = runs
        if args.compare:
            summary["idle_table"] = table([(name, runs["gevent"][key], runs["multiplex"][key])
                                           for name, key in IDLE_COMPARED])
        _print(summary, args.json)
        return 0
    if args.headroom:
        summary.update(headroom(args))
        _print(summary, args.json)
        return 0
    if args.compare and not args.skip_fanout:
        summary.update(compare(args))
    elif not args.skip_fanout:
        summary.update(fanout(args))
    if not args.skip_receive and args.compare:
        backlog = {e: receive_capacity(args.receive_members, args.receive_messages, e) for e in ("gevent", "multiplex")}
        summary["client_backlog_receive"] = {e: c.as_dict() for e, c in backlog.items()}
        summary["backlog_table"] = table([("backlog deliveries per generator CPU-second",
                                           round(backlog["gevent"].per_core), round(backlog["multiplex"].per_core))])
    elif not args.skip_receive:
        capacity = receive_capacity(args.receive_members, args.receive_messages, args.member_engine)
        summary["client_backlog_receive"] = capacity.as_dict()
        summary["client_backlog_receive_per_core"] = round(capacity.per_core)
    _print(summary, args.json)
    return 0


def _print(summary: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(summary, indent=1))
        return
    for key, value in summary.items():
        print(value if key.endswith("_table") else f"{key}: {value}")


if __name__ == "__main__":
    sys.exit(main())
