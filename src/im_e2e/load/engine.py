"""One cell: a fresh sandbox, the group, Locust users for the run, the offline members' pull, the
event log, the ledger and the validity of the run."""
from __future__ import annotations

import json
import math
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import gevent
import gevent.pool
import psutil
from locust.env import Environment

from im_client import ErrorCode, RestClient, Target

from ..sandbox_process import SandboxProcess
from .ledger import Receipts, Recorder, cell_ledger, latency_cdf, latency_summary, member_ledger
from .population import populate
from .probe import Probe
from .scenarios import Cell
from .users import Plan, user_classes

START_MARGIN = 1.0        # s between "everyone connected" and seq 0
CONNECT_TIMEOUT = 120.0   # s for every member to log in
PULL_CONCURRENCY = 50
GENERATOR_SATURATED = 0.9  # share of one core
RATE_TOLERANCE = 0.05


def wait_until(condition, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        gevent.sleep(step)
    return True


def run_cell(cell: Cell, out_dir: Path) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    with SandboxProcess() as sandbox:
        probe = Probe(sandbox.pid, out_dir / f"{cell.name}.probe.jsonl")
        try:
            result = _run(cell, sandbox, out_dir)
        finally:
            probe.stop()
        result["sandbox_samples"] = probe.samples()
        return _with_event_log(result, Path(sandbox.data_dir) / "events.jsonl")


def _run(cell: Cell, sandbox: SandboxProcess, out_dir: Path) -> dict[str, Any]:
    target = Target.from_info(sandbox.info)
    admin = RestClient(target)
    admin.token = admin.app_token().access_token
    admin.set_app_config(traffic_control_enabled=cell.traffic_control, traffic_control_ticket_max=cell.ticket_max,
                         traffic_control_timeout=cell.timeout_ms)
    population = populate(target, admin, cell, f"{cell.name}-{uuid.uuid4().hex[:6]}")
    total = max(1, math.ceil(cell.messages_per_s * cell.duration_s))
    plan = Plan(target, population, Recorder(population.group_id), cell.messages_per_s, total)
    env = Environment(user_classes=user_classes(len(population.online), len(population.senders)))
    env.load_plan = plan
    runner = env.create_local_runner()
    expected_users = len(population.online) + len(population.senders)
    runner.start(expected_users, spawn_rate=max(50, expected_users / 5))
    connected = wait_until(lambda: plan.connected >= expected_users, CONNECT_TIMEOUT)
    me = psutil.Process()
    cpu0 = sum(me.cpu_times()[:2])
    plan.t0 = time.time() + START_MARGIN
    plan.recorder.t0_ms = plan.t0 * 1000
    plan.go.set()
    wait_until(lambda: plan.senders_done >= len(population.senders), cell.duration_s * 3 + 60)
    send_end = time.time()
    generator_cpu = (sum(me.cpu_times()[:2]) - cpu0) / max(1e-6, send_end - plan.t0)
    wait_until(lambda: len(plan.acks) >= len(plan.sent), cell.timeout_ms / 1000 + 10)
    accepted = {seq: a[2] for seq, a in plan.acks.items() if a[0] == ErrorCode.OK}
    live = [plan.receipts[n] for n in population.online + population.senders if n in plan.receipts]

    def drained() -> bool:
        return all(all(s in r.seen for s in accepted if plan.sent[s][0] != r.name) for r in live)

    is_drained = wait_until(drained, cell.timeout_ms / 1000 + 10, step=0.2)
    last = max((r.last_at for r in live), default=send_end * 1000)
    drain_s = round(max(0.0, last / 1000 - send_end), 3) if is_drained else None
    generator_cpu_s = sum(me.cpu_times()[:2]) - cpu0  # sending and receiving, up to the drain
    runner.quit()
    for client in plan.clients:
        client.close()
    pulled = _pull_offline(plan, population.offline)
    return {"cell": cell.as_dict(), "connected_all": connected, "login_failures": plan.failures[:20],
            "plan": plan, "accepted": accepted, "pulled_receipts": pulled, "send_end": send_end,
            "drained": is_drained, "drain_s": drain_s, "generator_cpu": round(generator_cpu, 3),
            "generator_cpu_s": round(generator_cpu_s, 2), "delivery_window_s": round(last / 1000 - plan.t0, 2)}


def _pull_offline(plan: Plan, names: list[str]) -> list[Receipts]:
    def one(index_name: tuple[int, str]) -> None:
        index, name = index_name
        try:
            client = plan.connect(name, ("tcp", "ws")[index % 2], "pulled")
            client.wait_offline_sync(timeout=120)
            client.close()
        except Exception as exc:
            plan.failures.append(f"{name} (pull): {exc!r}")

    pool = gevent.pool.Pool(PULL_CONCURRENCY)
    pool.map(one, list(enumerate(names)))
    return [plan.receipts[n] for n in names if n in plan.receipts]


def _with_event_log(result: dict[str, Any], events_path: Path) -> dict[str, Any]:
    plan: Plan = result.pop("plan")
    accepted: dict[int, int] = result.pop("accepted")
    by_server_id = {sid: seq for seq, sid in accepted.items()}
    evicted: dict[str, set[int]] = {}
    kinds: Counter = Counter()
    if events_path.exists():
        with events_path.open(encoding="utf-8") as f:
            for line in f:
                event = json.loads(line)
                kinds[event["kind"]] += 1
                if event["kind"] == "message.evicted" and event.get("id") in by_server_id:
                    evicted.setdefault(event["owner"], set()).add(by_server_id[event["id"]])
    result.pop("pulled_receipts")
    members = []
    for name, receipts in plan.receipts.items():
        expected = {s for s in accepted if plan.sent[s][0] != name}
        members.append(member_ledger(receipts, expected, evicted.get(name, set())))
    refused = sum(1 for a in plan.acks.values() if a[0] != ErrorCode.OK)
    ledger = cell_ledger(members, len(plan.sent), len(accepted), refused, len(plan.sent) - len(plan.acks))
    result.update(ledger=ledger, members=members, events=dict(kinds), evicted_events=sum(map(len, evicted.values())),
                  latency_ms=latency_summary(plan.recorder.latency), latency_cdf=latency_cdf(plan.recorder.latency),
                  timeline=_timeline(plan))
    result.update(_validity(result, plan))
    return result


def _timeline(plan: Plan) -> dict[str, list]:
    t0 = plan.t0 * 1000
    sends = Counter(int((a - t0) // 1000) for _, _, a in plan.sent.values())
    acks = Counter(int((a[3] - t0) // 1000) for a in plan.acks.values() if a[0] == ErrorCode.OK)
    refusals = Counter(int((a[3] - t0) // 1000) for a in plan.acks.values() if a[0] != ErrorCode.OK)
    seconds = sorted(set(sends) | set(acks) | set(refusals) | set(plan.recorder.per_second))
    return {"second": seconds, "sent": [sends[s] for s in seconds], "accepted": [acks[s] for s in seconds],
            "refused": [refusals[s] for s in seconds],
            "delivered_live": [plan.recorder.per_second[s] for s in seconds]}


def _validity(result: dict[str, Any], plan: Plan) -> dict[str, Any]:
    cell = result["cell"]
    reasons = []
    if result["generator_cpu"] > GENERATOR_SATURATED:
        reasons.append(f"generator used {result['generator_cpu']:.0%} of a core")
    sent = len(plan.sent)
    last_actual = max((a for _, _, a in plan.sent.values()), default=plan.t0 * 1000) / 1000
    window = last_actual - plan.t0 + 1 / plan.rate
    achieved = sent / window if window > 0 else 0.0
    if abs(achieved - plan.rate) > RATE_TOLERANCE * plan.rate or sent < plan.total:
        reasons.append(f"achieved {achieved:.2f} msg/s for {plan.rate:.2f} planned")
    if not result["connected_all"] or plan.failures:
        reasons.append(f"{len(plan.failures)} member logins failed")
    lags = sorted(a - p for _, p, a in plan.sent.values())
    ledger = result["ledger"]
    if reasons:
        verdict = "invalid"
    elif cell["expect"] == "clean":
        clean = ledger["lost"] == 0 and ledger["unanswered"] == 0 and result["drained"] \
            and (result["drain_s"] or 0) <= cell["timeout_ms"] / 1000
        verdict = "pass" if clean else "fail"
    else:
        verdict = "characterized"
    return {"valid": not reasons, "invalid_reasons": reasons, "verdict": verdict,
            "achieved_messages_per_s": round(achieved, 3),
            "achieved_deliveries_per_s": round(achieved * (cell["group_size"] - 1), 1),
            "send_lag_ms_p99": round(lags[int(0.99 * (len(lags) - 1))], 1) if lags else None}
