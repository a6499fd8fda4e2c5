"""One cell on several Locust processes. This process is the master: it owns the target (the
sandbox it starts, or the configured one whose address it hands the workers), the population, the offline members' pull and the result. The workers (started here, or by hand on
other machines) run the online members and the senders of their shares and send back what they
measured (the messages: exchange.py); the merged measurements are judged by outcome.py like a
cell run in one process.
"""
from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import psutil
from locust.env import Environment
from locust.rpc import Message
from locust.runners import MasterRunner

from . import exchange as kind
from .engine import (CONNECT_TIMEOUT, MEMBERS_FIGURES, START_MARGIN, RunSetup, ack_wait_s, cpu_seconds,
                     drain_figures, prepare, pull_offline, run_cell, send_wait_s, wait_until)
from .ledger import Recorder
from .outcome import Measured, accepted_ids
from .parts import merge_received, merge_sent
from .population import Population
from .scenarios import Cell
from .shares import MEMBERS, SENDERS, Share, assign, partition, transport_of
from .target import CellTarget
from .users import Plan, member_block, member_users, user_classes

REPLY_GRACE = 15.0         # s the master waits beyond a worker's own deadline
SPAWN_REPORT_TIMEOUT = 60.0
CLOCK_TOLERANCE = 1.0      # s; latency is receive time minus send time, possibly on two hosts
WORKER_EXIT_TIMEOUT = 15.0


@dataclass(frozen=True)
class Workers:
    """Where the workers of a cell come from."""
    local: int = 0                 # worker processes this host starts
    expect: int = 0                # workers to wait for, local ones included
    bind_host: str = "127.0.0.1"   # where the master listens for workers ("*": every interface)
    bind_port: int = 0             # 0: a free port (enough when every worker is local)
    last: bool = True              # no cell follows: workers started by hand may exit after this one
    join_timeout: float = 300.0    # s for the workers to connect


def run_cell_distributed(cell: Cell, out_dir: Path, workers: Workers, sandbox_args: tuple[str, ...] = (),
                         run: RunSetup | None = None) -> dict[str, Any]:
    return run_cell(cell, out_dir, partial(drive, workers=workers), sandbox_args, run)


def drive(cell: Cell, where: CellTarget, out_dir: Path, *, workers: Workers) -> dict[str, Any]:
    target, population, total = prepare(cell, where)
    block = member_block(cell.engine, len(population.online), max(1, workers.expect))
    env = Environment(user_classes=user_classes(member_users(len(population.online), block), len(population.senders)))
    runner = env.create_master_runner(workers.bind_host, workers.bind_port)
    replies = Replies(runner)
    local = start_local_workers(workers.local, runner.server.port, out_dir, cell.name)
    try:
        _join(runner, workers.expect, workers.join_timeout, local)
        shares = _spawn_and_partition(runner, population, block)
        labels = {cid: f"worker-{runner.get_worker_index(cid)}@{cid.rsplit('_', 1)[0]}" for cid in shares}
        for cid, share in shares.items():
            assignment = assign(share, worker=labels[cid], target=where.info, group_id=population.group_id,
                                senders=population.senders, tokens=population.tokens, rate=cell.messages_per_s,
                                total=total, ack_wait_s=ack_wait_s(cell), drain_wait_s=ack_wait_s(cell),
                                send_wait_s=send_wait_s(cell), last=workers.last,
                                pull_delay_s=cell.pull_delay_ms / 1000, engine=cell.engine, block=block)
            runner.send_message(kind.SHARE, assignment.to_wire(), client_id=cid)
        run = _exchange(runner, replies, cell, population, total, shares, labels)
    finally:
        _quit(runner)
        stop_local_workers(local)
    pull = Plan(target, population, Recorder(population.group_id), cell.messages_per_s, total, members=[],
                sender_slots=[], worker="master")
    pulled = pull_offline(pull, population.offline)
    measured: Measured = run.pop("measured")
    measured.receipts.update(pull.receipts)
    measured.failures += pull.failures
    return {"cell": cell.as_dict(), "login_failures": measured.failures[:20], "measured": measured,
            "pulled_receipts": pulled, **run}


class Replies:
    """The workers' messages to the master, by message type and worker (client id)."""

    def __init__(self, runner: MasterRunner):
        self.got: dict[str, dict[str, dict]] = {msg_type: {} for msg_type in kind.TO_MASTER}
        for msg_type in kind.TO_MASTER:
            runner.register_message(msg_type, partial(self._store, msg_type))

    def _store(self, msg_type: str, environment: Environment, msg: Any, **_: Any) -> None:
        self.got[msg_type][msg.node_id] = {**msg.data, "received_at": time.time()}

    def wait(self, msg_type: str, workers: list[str], timeout: float) -> dict[str, dict]:
        got = self.got[msg_type]
        wait_until(lambda: all(w in got for w in workers), timeout)
        return {w: got[w] for w in workers if w in got}


def _quit(runner: MasterRunner) -> None:
    """MasterRunner.quit(), except that the master stops listening before it tells the workers to quit:
    a worker serving cell after cell connects again at once, and must be taken by the next cell's master
    (otherwise this one acknowledges it, and the worker waits for heartbeats that never come)."""
    runner.stop(send_stop_to_client=False)
    runner.greenlet.kill(block=True)
    for cid in list(runner.clients):
        runner.server.send_to_client(Message("quit", None, cid))
    runner.server.close(linger=1000)


def _join(runner: MasterRunner, expect: int, timeout: float, local: list[subprocess.Popen]) -> None:
    wait_until(lambda: len(runner.clients.ready) >= expect or any(p.poll() is not None for p in local), timeout)
    if len(runner.clients.ready) < expect:
        raise RuntimeError(f"{len(runner.clients.ready)} of {expect} workers connected to the master on port "
                           f"{runner.server.port}" + (" (a local worker exited: see its log)" if local else ""))


def _spawn_and_partition(runner: MasterRunner, population: Population, block: int) -> dict[str, Share]:
    want = {MEMBERS: member_users(len(population.online), block), SENDERS: len(population.senders)}
    users = sum(want.values())
    runner.start(users, spawn_rate=max(50, users / 5))

    def running() -> dict[str, dict[str, int]]:
        return {cid: dict(runner.clients[cid].user_classes_count) for cid in runner.clients}

    wait_until(lambda: {k: sum(c.get(k, 0) for c in running().values()) for k in want} == want, SPAWN_REPORT_TIMEOUT)
    # The shares are cut from here on. Without a dispatcher, Locust does not move users between workers
    # when one misses heartbeats and comes back (a moved user would have no member of its own).
    runner._users_dispatcher = None
    return partition(population.online, population.senders, running(), block)


def _exchange(runner: MasterRunner, replies: Replies, cell: Cell, population: Population, total: int,
              shares: dict[str, Share], labels: dict[str, str]) -> dict[str, Any]:
    workers = list(shares)
    expected_users = len(population.online) + len(population.senders)
    connected = replies.wait(kind.CONNECTED, workers, CONNECT_TIMEOUT + REPLY_GRACE)
    workers = list(connected)
    me = psutil.Process()
    cpu0 = cpu_seconds(me)
    t0 = time.time() + START_MARGIN
    runner.send_message(kind.GO, {"t0": t0})
    done = replies.wait(kind.SENDERS_DONE, workers, send_wait_s(cell) + REPLY_GRACE)
    send_end = max(d["at"] for d in done.values()) if done and len(done) == len(workers) else time.time()
    master_cpu = (cpu_seconds(me) - cpu0) / max(1e-6, time.time() - t0)
    runner.send_message(kind.SENDING_OVER, {})
    sent_parts = replies.wait(kind.SENT, workers, ack_wait_s(cell) + REPLY_GRACE)
    sent, acks = merge_sent(sent_parts.values())
    accepted = accepted_ids(acks)
    runner.send_message(kind.ACCEPTED, {"accepted": [[seq, sent[seq][0]] for seq in accepted]})
    received = replies.wait(kind.RECEIVED, list(sent_parts), ack_wait_s(cell) + REPLY_GRACE)
    unreported = {name: (labels[cid], transport) for cid, share in shares.items() if cid not in received
                  for name, transport in [*share.members, *((population.senders[s], transport_of(s))
                                                            for s in share.sender_slots)]}
    receipts, latency, per_second = merge_received(received.values(), unreported)
    failures = [failure for part in received.values() for failure in part["failures"]]
    live = [receipts[n] for n in population.online + population.senders if n in receipts]
    is_drained = len(received) == len(shares) and all(part["drained"] for part in received.values())
    cpu_by_worker = {labels[cid]: sent_parts.get(cid, {}).get("cpu_sending") for cid in shares}
    return {"connected_all": len(connected) == len(shares)
            and sum(c["connected"] for c in connected.values()) >= expected_users,
            "measured": Measured(t0, cell.messages_per_s, total, sent, acks, receipts, latency, per_second, failures),
            "accepted": accepted, **drain_figures(live, t0, send_end, is_drained),
            "generator_cpu": max((c for c in cpu_by_worker.values() if c is not None), default=0.0),
            "generator_cpu_by_process": cpu_by_worker,
            "generator_cpu_s": round(sum(part["cpu_s"] for part in received.values()), 2),
            "generator_frames_in": sum(part.get("frames_in", 0) for part in received.values()),
            "master_cpu": round(master_cpu, 3),
            "processes": _processes(shares, labels, population, replies),
            "members_by_process": {labels[cid]: {k: replies.got[kind.CONNECTED].get(cid, {}).get(k)
                                                 for k in MEMBERS_FIGURES} for cid in shares},
            "distribution_problems": _problems(shares, labels, replies)}


def _processes(shares: dict[str, Share], labels: dict[str, str], population: Population,
               replies: Replies) -> dict[str, dict[str, Any]]:
    got = replies.got
    return {labels[cid]: {"client_id": cid, "members": len(share.members),
                          "senders": [population.senders[s] for s in share.sender_slots],
                          "connected": got[kind.CONNECTED].get(cid, {}).get("connected"),
                          "clock_offset_s": _clock_offset(got[kind.CONNECTED].get(cid)),
                          "cpu_sending": got[kind.SENT].get(cid, {}).get("cpu_sending"),
                          "cpu_s": got[kind.RECEIVED].get(cid, {}).get("cpu_s"),
                          "drained": got[kind.RECEIVED].get(cid, {}).get("drained")}
            for cid, share in shares.items()}


def _clock_offset(connected: dict | None) -> float | None:
    """The worker's clock minus the master's (less the one-way message delay)."""
    return round(connected["clock"] - connected["received_at"], 3) if connected else None


def _problems(shares: dict[str, Share], labels: dict[str, str], replies: Replies) -> list[str]:
    problems = []
    for cid in shares:
        missing = [msg_type for msg_type in kind.TO_MASTER if cid not in replies.got[msg_type]]
        if missing:
            problems.append(f"{labels[cid]} did not report {', '.join(kind.REPORTED[m] for m in missing)}")
        connected = replies.got[kind.CONNECTED].get(cid)
        if connected and connected.get("mismatch"):
            problems.append(connected["mismatch"])
        offset = _clock_offset(connected)
        if offset is not None and abs(offset) > CLOCK_TOLERANCE:
            problems.append(f"{labels[cid]}'s clock is {offset:+.1f} s off the master's")
    return problems


def start_local_workers(count: int, port: int, log_dir: Path, cell_name: str) -> list[subprocess.Popen]:
    procs = []
    for index in range(count):
        with (log_dir / f"{cell_name}.worker{index}.log").open("w", encoding="utf-8") as log:
            procs.append(subprocess.Popen([sys.executable, "-m", "im_e2e.load", "--worker", "--once",
                                           "--master-host", "127.0.0.1", "--master-port", str(port)],
                                          stdout=log, stderr=subprocess.STDOUT))
    return procs


def stop_local_workers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        try:
            proc.wait(WORKER_EXIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
