"""`python -m im_e2e.load --scenario NAME [--scale F] [--out DIR]`: run the cells of a scenario
(or one cell) from scenarios.toml, then write report.html, results.json and cells.csv.

Each cell on several Locust processes: `--processes N` starts N local workers; `--master
--expect-workers N` waits for workers started on other machines with `--worker --master-host HOST`.

The target is the suite's (im_e2e.config: environment over im-e2e.toml; `--target NAME` picks
one): the sandbox by default (a sandbox of its own per cell), any `[targets.NAME]` that says
`allow_load = true`. `[load]` gives the defaults of --sandbox-host, --processes and how members get
tokens. A population made once on the target is reused with --manifest:

    python -m im_e2e.load provision --scenario seed --target staging [--manifest PATH]
    python -m im_e2e.load --scenario seed --target staging --manifest PATH
    python -m im_e2e.load teardown --manifest PATH
"""
import locust  # noqa: F401  (first: Locust monkey-patches the stdlib with gevent)

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

from im_client import Target

from .. import project
from ..config import Config, ConfigError, LoadConfig
from ..config import load as load_config
from .distributed import Workers, run_cell_distributed
from .engine import RunSetup, run_cell
from .presence import is_presence_scenario
from .presence import run_scenario as run_presence_scenario
from .provision import Manifest, admin_of, default_manifest_path, provision, teardown
from .report import write_report
from .scenarios import Cell, cells_for
from .target import LoadRefused, load_target
from .throttle import Throttle
from .users import ENGINES
from .worker import serve

LOCUST_PORT = 5557


def configuration() -> Config:
    """The suite's configuration: of the project around the cwd, else only what IM_E2E_CONFIG names."""
    try:
        root = project.find_root()
    except FileNotFoundError:
        root = None
    return load_config(root)


def parse(argv: list[str] | None, defaults: LoadConfig = LoadConfig()) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="im-e2e load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", help="scenario (seed, offline, ci) or one cell name")
    parser.add_argument("--scale", type=float, default=1.0, help="group size, deliveries/s and tickets times F")
    parser.add_argument("--out", type=Path, default=None, help="report directory (default reports/load-<time>)")
    parser.add_argument("--target", default=None, metavar="NAME",
                        help="a [targets.NAME] with allow_load = true, or sandbox (default: the configured target)")
    parser.add_argument("--manifest", type=Path, default=None, metavar="PATH",
                        help="reuse the population `provision` made on the target (instead of registering users "
                             "every cell)")
    parser.add_argument("--member-engine", choices=ENGINES, default=None,
                        help="how members run: multiplex (many connections on one event loop per process) or "
                             "gevent (one im_client session per Locust user); default: the cell's `engine`")
    parser.add_argument("--event-log", default=None, metavar="SINK",
                        help="each cell's sandbox writes its event log there (python -m im_sandbox --event-log: jsonl, "
                             "redis://HOST:PORT/DB, kafka://HOST:PORT/TOPIC); the ledger reads evictions back from it")
    several = parser.add_argument_group("one cell on several processes (this process is the Locust master)")
    several.add_argument("--processes", type=int, default=defaults.processes, metavar="N",
                         help="local worker processes per cell (1: this process; -1: one per core; "
                              "default: [load] processes, else the cell's `processes` in scenarios.toml)")
    several.add_argument("--master", action="store_true", help="also take workers from other machines")
    several.add_argument("--expect-workers", type=int, default=0, metavar="N",
                         help="with --master: workers to wait for, those of --processes included")
    several.add_argument("--master-bind-host", default=None,
                         help="where to listen for workers (default * with --master, else 127.0.0.1)")
    several.add_argument("--master-bind-port", type=int, default=None,
                         help=f"(default {LOCUST_PORT} with --master, else a free port)")
    several.add_argument("--sandbox-host", default=defaults.sandbox_host, metavar="ADDR",
                         help="address of this host the sandbox listens on and workers dial "
                              "(default: [load] sandbox_host, else loopback)")
    worker = parser.add_argument_group("a worker")
    worker.add_argument("--worker", action="store_true", help="run the users the master assigns, cell after cell")
    worker.add_argument("--master-host", default="127.0.0.1")
    worker.add_argument("--master-port", type=int, default=LOCUST_PORT)
    worker.add_argument("--once", action="store_true", help="exit after one cell")
    args = parser.parse_args(argv)
    if args.worker:
        return args
    if not args.scenario:
        parser.error("--scenario is required (or --worker)")
    if args.processes == -1:
        args.processes = max(2, os.cpu_count() or 2)
    if args.processes < -1:
        parser.error("--processes takes N >= 1 (1: this process), or -1 for one per core")
    if args.master and args.expect_workers < max(1, args.processes):
        parser.error("--master needs --expect-workers N (at least 1, and at least --processes)")
    if args.sandbox_host in ("0.0.0.0", "::", ""):
        parser.error("--sandbox-host is the address workers dial: give this host's address, not a wildcard")
    return args


def workers_for(args: argparse.Namespace, cell: Cell, last: bool) -> Workers | None:
    """The cell's Locust workers: --processes, else the cell's own `processes` (not on a --master, whose
    local workers are only those asked for); None for one process."""
    local = args.processes or (1 if args.master else cell.processes)
    if local == 1 and not args.master:
        return None
    local = 0 if local == 1 else local
    bind_host = args.master_bind_host or ("*" if args.master else "127.0.0.1")
    bind_port = args.master_bind_port if args.master_bind_port is not None else (LOCUST_PORT if args.master else 0)
    return Workers(local=local, expect=args.expect_workers if args.master else local,
                   bind_host=bind_host, bind_port=bind_port, last=last)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        config = configuration()
    except ConfigError as exc:
        print(f"im-e2e load: {exc}", file=sys.stderr)
        return 4
    if argv and argv[0] in ("provision", "teardown"):
        return population_command(argv[0], argv[1:], config)
    args = parse(argv, config.load)
    if args.worker:
        return serve(args.master_host, args.master_port, once=args.once)
    try:
        target = load_target(config, args.target)
        manifest = Manifest.load(args.manifest) if args.manifest else None
    except (ConfigError, LoadRefused, OSError, ValueError) as exc:
        print(f"im-e2e load: {exc}", file=sys.stderr)
        return 4
    if manifest is not None and manifest.target != target.name:
        print(f"im-e2e load: {args.manifest} was provisioned on target {manifest.target!r}, not {target.name!r}",
              file=sys.stderr)
        return 4
    print(target.announce(), flush=True)
    if manifest is None and not target.is_own_sandbox:
        print(f"im-e2e load: without --manifest every cell registers users of its own on {target.name} and leaves "
              f"them there (im-e2e load provision / teardown make and remove a reusable population)",
              file=sys.stderr, flush=True)
    out = args.out or Path("reports") / f"load-{time.strftime('%Y%m%d-%H%M%S')}"
    if is_presence_scenario(args.scenario):  # presence.py: a cell of its own kind, no Locust users
        return run_presence_scenario(args.scenario, args.scale, out, target)
    cells = cells_for(args.scenario, args.scale)
    if args.member_engine:
        cells = [dataclasses.replace(cell, engine=args.member_engine) for cell in cells]
    sandbox_args = ("--host", args.sandbox_host) if args.sandbox_host else ()
    if args.event_log:
        sandbox_args += ("--event-log", args.event_log)
    run = RunSetup(target=target, config=config, manifest=manifest, tokens=config.load.tokens,
                   rest_retries=config.load.rest_retries, sandbox_args=sandbox_args)
    results = []
    for index, cell in enumerate(cells):
        print(f"cell {cell.name}: {cell.group_size} members, {cell.deliveries_per_s:g} deliveries/s, "
              f"{cell.duration_s:g} s, traffic control {'on' if cell.traffic_control else 'off'}, "
              f"{cell.engine} members", flush=True)
        workers = workers_for(args, cell, last=index == len(cells) - 1)
        if workers is None:
            result = run_cell(cell, out, run=run)
        else:
            result = run_cell_distributed(cell, out, workers, run=run)
            print("  " + "; ".join(f"{name}: {p['members']} members, senders {p['senders']}, CPU {p['cpu_sending']}"
                                   for name, p in result["processes"].items()), flush=True)
        results.append(result)
        led = result["ledger"]
        print(f"  settings: {result['settings_line']}; REST 429 retried: {result['rest']['rest_429']}; "
              f"server metrics: {result['server_metrics']['error'] or result['server_metrics']['from']}", flush=True)
        print(f"  {result['verdict']}: sent {led['sent']} accepted {led['accepted']} refused {led['refused']} "
              f"lost {led['lost']} p99 {result['latency_ms']['p99']} ms"
              f"{' (' + '; '.join(result['invalid_reasons']) + ')' if result['invalid_reasons'] else ''}", flush=True)
    write_report(results, out, scenario=args.scenario, scale=args.scale)
    print(f"report: {out / 'report.html'}")
    return 1 if any(r["verdict"] == "fail" for r in results) else 0


def population_command(command: str, argv: list[str], config: Config) -> int:
    """`provision --scenario S [--scale F] [--target NAME] [--manifest PATH]`, `teardown --manifest PATH`."""
    parser = argparse.ArgumentParser(prog=f"im-e2e load {command}")
    if command == "provision":
        parser.add_argument("--scenario", required=True)
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--target", default=None)
    parser.add_argument("--manifest", type=Path, required=command == "teardown")
    args = parser.parse_args(argv)
    try:
        if command == "provision":
            target = load_target(config, args.target)
            path = args.manifest or default_manifest_path(target.name, args.scenario)
            manifest = Manifest.load(path) if path.exists() else None
        else:
            path = args.manifest
            manifest = Manifest.load(path)
            target = load_target(config, manifest.target)
    except (ConfigError, LoadRefused, OSError, ValueError, KeyError) as exc:
        print(f"im-e2e load {command}: {exc}", file=sys.stderr)
        return 4
    if target.is_own_sandbox:
        print(f"im-e2e load {command}: the sandbox of a load run lives for one cell; provision a [targets.NAME] "
              f"(a sandbox started on its own counts: python -m im_sandbox)", file=sys.stderr)
        return 4
    print(target.announce(), flush=True)
    throttle = Throttle(config.load.rest_retries)
    with target.open() as where:
        admin = admin_of(Target.from_info(where.info), throttle)
        if command == "provision":
            if manifest is None:
                manifest = Manifest(target.name, target.config.rest_url, target.config.appkey, args.scenario,
                                    args.scale)
            elif manifest.target != target.name:
                print(f"im-e2e load provision: {path} belongs to target {manifest.target!r}", file=sys.stderr)
                return 4
            done = provision(admin, throttle, manifest, cells_for(args.scenario, args.scale), save=path)
        else:
            done = teardown(admin, throttle, manifest)
    print(json.dumps({"manifest": str(path), **done}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
