"""One cell: its target (a fresh sandbox by default, else a configured one: target.py), the group,
Locust users for the run, the offline members' pull; the ledger and the validity of the run come
from outcome.py. The users run in this process
(`run_local`) or on several worker processes (distributed.py)."""
from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import gevent
import gevent.pool
import psutil
from locust.env import Environment

from im_client import RestClient, Target

from ..config import Config, TargetConfig
from . import settings
from .ledger import Receipts, Recorder, drained
from .metrics import MetricsError, by_node
from .event_marker import wait_for_marker, write_marker
from .outcome import accepted_ids, event_log, with_event_log
from .population import Population, populate, population_of
from .provision import Manifest, admin_of
from .scenarios import Cell
from .target import CellTarget, LoadTarget
from .throttle import Throttle
from .shares import transport_of
from .users import Plan, member_block, member_users, user_classes

START_MARGIN = 1.0        # s between "everyone connected" and seq 0
CONNECT_TIMEOUT = 120.0   # s for every member to log in
PULL_CONCURRENCY = 50
EVENT_LOG_TIMEOUT = 30.0  # s for the end-of-cell marker to reach the event log

Drive = Callable[[Cell, CellTarget, Path], dict[str, Any]]


@dataclass
class RunSetup:
    """How the cells of one run reach their target (the same for every cell)."""
    target: LoadTarget = field(default_factory=lambda: LoadTarget(TargetConfig()))
    config: Config = field(default_factory=Config)
    manifest: Manifest | None = None          # a provisioned population to reuse (provision.py)
    tokens: str = "password"                  # [load] tokens
    rest_retries: int = 8                     # [load] rest_retries
    sandbox_args: tuple[str, ...] = ()        # to `python -m im_sandbox` (the own sandbox only)
    cwd: Path = field(default_factory=Path.cwd)


@dataclass
class Prepared:
    """What prepare() found out besides the population: for the result."""
    settings: dict[str, Any]
    throttle: Throttle
    admin: RestClient
    marker_sender: str        # sends the event log's end-of-cell marker (event_marker.py)


def wait_until(condition, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        gevent.sleep(step)
    return True


def send_wait_s(cell: Cell) -> float:
    return cell.duration_s * 3 + 60


def ack_wait_s(cell: Cell) -> float:
    """For the acks after sending, and again for the members to drain."""
    return cell.timeout_ms / 1000 + 10


def run_cell(cell: Cell, out_dir: Path, drive: Drive | None = None, sandbox_args: tuple[str, ...] = (),
             run: RunSetup | None = None) -> dict[str, Any]:
    """`drive` runs the users against the target (default: in this process); `run` says which target
    (default: a sandbox of the cell's own, `sandbox_args` going to `python -m im_sandbox`, e.g.
    `--host ADDR` for workers on other machines)."""
    run = run or RunSetup(sandbox_args=sandbox_args)
    out_dir.mkdir(parents=True, exist_ok=True)
    with run.target.open(run.sandbox_args) as where:
        where.run = run
        where.metrics.start(out_dir, cell.name)
        try:
            result = (drive or run_local)(cell, where, out_dir)
        finally:
            where.metrics.stop()
        try:
            samples, metrics_error = where.metrics.samples(), None
        except MetricsError as exc:
            samples, metrics_error = [], str(exc)
        prepared: Prepared = where.prepared
        window = (result["send_end"] - cell.duration_s, result["send_end"] + (result.get("drain_s") or 0))
        result.update(sandbox_samples=samples, target={"name": where.name, "rest_url": where.info.get("rest_url")},
                      server_metrics={"source": where.metrics.kind, "from": where.metrics.describe(),
                                      "error": metrics_error, "by_node": by_node(samples, *window)},
                      app_settings=prepared.settings, settings_line=settings.describe(prepared.settings),
                      rest=prepared.throttle.figures(),
                      evictions_from=where.event_source, event_source=where.event_source)
        if where.event_source:
            marker = write_marker(prepared.admin, prepared.throttle, prepared.marker_sender)
            cell_start_ms = int((result["send_end"] - cell.duration_s) * 1000)
            wait = wait_for_marker(where.event_source, where.info["appkey"], marker, EVENT_LOG_TIMEOUT, cell_start_ms)
            result["event_log_marker"] = {"id": marker[0], **wait.as_dict()}
        return with_event_log(result, event_log(where.event_source or "", where.info["appkey"]))


def prepare(cell: Cell, where: CellTarget) -> tuple[Target, Population, int]:
    """App settings, users and the group of the cell (or the manifest's); the number of messages to send."""
    run: RunSetup = getattr(where, "run", None) or RunSetup()
    target = Target.from_info(where.info)
    throttle = Throttle(run.rest_retries)
    admin = admin_of(target, throttle)
    backend = settings.backend_for(run.config, where.name, target, admin, run.cwd)
    applied = settings.apply(backend, cell)
    if run.manifest is not None:
        population = population_of(target, admin, throttle, cell, run.manifest.roster_for(cell), run.tokens)
    else:
        population = populate(target, admin, cell, f"{cell.name}-{uuid.uuid4().hex[:6]}", throttle, run.tokens)
    where.prepared = Prepared(applied, throttle, admin, population.senders[0])
    total = max(1, math.ceil(cell.messages_per_s * cell.duration_s)) if cell.messages_per_s > 0 else 0
    return target, population, total  # 0: an idle cell (the notes' "0 下行" row)


def cpu_seconds(process: psutil.Process) -> float:
    return sum(process.cpu_times()[:2])


def run_local(cell: Cell, where: CellTarget, out_dir: Path) -> dict[str, Any]:
    target, population, total = prepare(cell, where)
    block = member_block(cell.engine, len(population.online))
    plan = Plan(target, population, Recorder(population.group_id), cell.messages_per_s, total,
                pull_delay_s=cell.pull_delay_ms / 1000, engine=cell.engine, block=block)
    users = member_users(len(population.online), block) + len(population.senders)
    env = Environment(user_classes=user_classes(users - len(population.senders), len(population.senders)))
    env.load_plan = plan
    runner = env.create_local_runner()
    me = psutil.Process()
    rss0, connect_start = me.memory_info().rss, time.monotonic()
    runner.start(users, spawn_rate=max(50, users / 5))
    expected_connections = len(population.online) + len(population.senders)
    connected = wait_until(lambda: plan.connected >= expected_connections, CONNECT_TIMEOUT)
    members = members_figures(me, rss0, connect_start, plan)
    cpu0, frames0 = cpu_seconds(me), plan.frames_in()
    plan.t0 = time.time() + START_MARGIN
    plan.recorder.t0_ms = plan.t0 * 1000
    plan.go.set()
    wait_until(lambda: plan.senders_done >= len(population.senders), send_wait_s(cell))
    send_end = time.time()
    generator_cpu = (cpu_seconds(me) - cpu0) / max(1e-6, send_end - plan.t0)
    wait_until(lambda: len(plan.acks) >= len(plan.sent), ack_wait_s(cell))
    accepted = accepted_ids(plan.acks)
    accepted_from = {seq: plan.sent[seq][0] for seq in accepted}
    live = [plan.receipts[n] for n in population.online + population.senders if n in plan.receipts]
    is_drained = wait_until(lambda: drained(live, accepted_from), ack_wait_s(cell), step=0.2)
    generator_cpu_s = cpu_seconds(me) - cpu0  # sending and receiving, up to the drain
    frames = plan.frames_in() - frames0
    runner.quit()
    for client in plan.clients:
        client.close()
    pulled = pull_offline(plan, population.offline)
    return {"cell": cell.as_dict(), "connected_all": connected, "login_failures": plan.failures[:20],
            "measured": plan.measured(), "accepted": accepted, "pulled_receipts": pulled,
            **drain_figures(live, plan.t0, send_end, is_drained), "generator_cpu": round(generator_cpu, 3),
            "generator_cpu_s": round(generator_cpu_s, 2), "generator_frames_in": frames,
            "members_by_process": {"local": members}}


MEMBERS_FIGURES = ("engine", "connections", "rss_mb", "rss_per_member_kb", "logins_per_s")


def members_figures(me: psutil.Process, rss0: int, start: float, plan: Plan) -> dict[str, Any]:
    """Connections a generator process holds once logged in, its RSS then and per connection (over its
    RSS before the first login), and logins per second (spawning the users included)."""
    connections = plan.connected
    elapsed = time.monotonic() - start
    mux = plan.multiplexer
    if mux is not None and mux.stats.last_login is not None and mux.stats.first_connect is not None:
        elapsed = max(1e-6, mux.stats.last_login - min(start, mux.stats.first_connect))
    rss = me.memory_info().rss
    return {"engine": plan.engine, "connections": connections, "rss_mb": round(rss / 2**20, 1),
            "rss_per_member_kb": round((rss - rss0) / 1024 / connections, 1) if connections else None,
            "logins_per_s": round(connections / elapsed) if elapsed > 0 else None}


def drain_figures(live: list[Receipts], t0: float, send_end: float, is_drained: bool) -> dict[str, Any]:
    last = max((r.last_at for r in live), default=send_end * 1000)
    return {"send_end": send_end, "drained": is_drained,
            "drain_s": round(max(0.0, last / 1000 - send_end), 3) if is_drained else None,
            "delivery_window_s": round(last / 1000 - t0, 2)}


def pull_offline(plan: Plan, names: list[str]) -> list[Receipts]:
    def one(index_name: tuple[int, str]) -> None:
        index, name = index_name
        try:
            client = plan.connect(name, transport_of(index), "pulled")
            client.wait_offline_sync(timeout=120)
            client.close()
        except Exception as exc:
            plan.failures.append(f"{name} (pull): {exc!r}")

    pool = gevent.pool.Pool(PULL_CONCURRENCY)
    pool.map(one, list(enumerate(names)))
    return [plan.receipts[n] for n in names if n in plan.receipts]
