"""The Locust users of a cell: members that stay connected (TCP and WS alternately) and senders
on an absolute clock. Senders are built on im_client (its reader threads, sockets and futures run
as greenlets under Locust's gevent monkey-patching). Members run on one of two engines (the cell's
`engine`): `gevent`, one im_client session per Locust user, or `multiplex`, where a Locust user
drives a block of members whose connections all share the process's one event loop
(multiplex.py).

A sender sends message `seq` at `t0 + seq / rate` whatever happened to earlier ones (it never waits
for an ack before the next send: no coordinated omission); each message carries `seq` and its send
time `sent_at` (epoch ms) in ext.

In one process the plan holds every online member and sender slot; on a worker of a distributed
cell it holds the worker's share and arrives from the master after Locust spawned the users, so a
user waits for it (`Environment.load_plan_ready`).
"""
from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field
from typing import Any

import gevent
from gevent.event import Event
from locust import User, constant, task

from im_client import Client, Target
from im_client import messages as m
from im_client.groupchat import group_meta
from im_wire import pb

from .ledger import LedgerInbox, LoadClient, Receipts, Recorder, now_ms
from .multiplex import MemberSpec, Multiplexer
from .outcome import Measured
from .population import Population
from .shares import MEMBERS, SENDERS, transport_of, with_transports

ENGINES = ("multiplex", "gevent")
BLOCK_LOGIN_TIMEOUT = 110.0  # s for a block of members to log in (the engine waits 120 s for all)
BLOCKS_PER_PROCESS = 4  # multiplex: Locust users per process (Locust's dispatcher spreads 4 per worker evenly)


def member_block(engine: str, members: int, processes: int = 1) -> int:
    """Members one Locust user drives: 1 on the gevent engine, a share of the process's on multiplex."""
    if engine == "gevent":
        return 1
    if engine != "multiplex":
        raise ValueError(f"unknown member engine {engine!r}; expected one of {ENGINES}")
    return max(1, math.ceil(members / (BLOCKS_PER_PROCESS * max(1, processes))))


def member_users(members: int, block: int) -> int:
    return math.ceil(members / block) if members else 0


@dataclass
class Plan:
    """What the users of one cell share (attached to the Locust Environment as `load_plan`)."""
    target: Target
    population: Population
    recorder: Recorder
    rate: float           # messages/s, all senders together
    total: int            # messages to send
    go: Event = field(default_factory=Event)
    t0: float = 0.0       # epoch s of seq 0
    connected: int = 0
    failures: list[str] = field(default_factory=list)
    clients: list[Client | Multiplexer] = field(default_factory=list)  # what to close after the run
    receipts: dict[str, Receipts] = field(default_factory=dict)
    sent: dict[int, tuple[str, float, float]] = field(default_factory=dict)  # seq → (sender, planned, actual)
    acks: dict[int, tuple[int, str | None, int | None, float]] = field(default_factory=dict)  # code, reason, id, at
    senders_done: int = 0
    members: list[tuple[str, str]] | None = None  # (name, transport) connected here; default all online
    sender_slots: list[int] | None = None         # indexes into population.senders sent from here; default all
    worker: str | None = None                     # this process in a distributed cell
    pull_delay_s: float = 0.0                     # live members send each queue pull this much later
    engine: str = "gevent"                        # of the members (senders always run on im_client)
    block: int = 1                                # members per Locust user
    multiplexer: Multiplexer | None = None        # multiplex: this process's one event loop
    added: int = 0                                # multiplex: members handed to it so far

    def __post_init__(self) -> None:
        if self.members is None:
            self.members = with_transports(self.population.online)
        if self.sender_slots is None:
            self.sender_slots = list(range(len(self.population.senders)))
        self._members = iter(self.members)
        self._senders = iter(self.sender_slots)

    def connect(self, name: str, transport: str, phase: str) -> Client:
        client = LoadClient(self.target, name, token=self.population.tokens[name], transport=transport,
                            resource=f"load_{phase}_{transport}", heartbeat_interval=15.0,
                            pull_delay=self.pull_delay_s if phase == "live" else 0.0)
        receipts = Receipts(name, transport, phase, worker=self.worker)
        client.inbox = LedgerInbox(self.recorder, receipts)
        client.open()
        self.receipts[name] = receipts
        self.clients.append(client)
        return client

    def connect_block(self, picked: list[tuple[str, str]], timeout: float) -> None:
        """Multiplex: log `picked` in on this process's event loop; back when each logged in or failed."""
        if self.multiplexer is None:
            self.multiplexer = Multiplexer(self.target, self.recorder).start()
            self.clients.append(self.multiplexer)
        mux = self.multiplexer
        specs = []
        for name, transport in picked:
            receipts = self.receipts[name] = Receipts(name, transport, "live", worker=self.worker)
            specs.append(MemberSpec(name, transport, self.population.tokens[name], receipts, self.pull_delay_s))
        self.added += len(specs)
        mux.add(specs)
        deadline = time.monotonic() + timeout
        while mux.settled < self.added and time.monotonic() < deadline and not mux.done:
            gevent.sleep(0.05)
        for name, _ in picked:
            member = mux.members.get(name)
            if member is None or member.state != "online":
                reason = member.close_reason if member is not None else "not connected in time"
                self.failures.append(f"{name}: {reason}")

    def frames_in(self) -> int:
        """MSync frames received so far by this process's members and senders."""
        return sum(client.stats.frames_in if isinstance(client, Multiplexer) else getattr(client, "frames_in", 0)
                   for client in self.clients)

    def next_member(self) -> tuple[str, str] | None:
        """The next online member and its transport (TCP and WS alternately)."""
        return next(self._members, None)

    def next_members(self, count: int) -> list[tuple[str, str]]:
        return list(itertools.islice(self._members, count))

    def next_sender(self) -> int | None:
        return next(self._senders, None)

    def measured(self) -> Measured:
        return Measured(self.t0, self.rate, self.total, self.sent, self.acks, self.receipts, self.recorder.latency,
                        self.recorder.per_second, self.failures)


def plan_of(user: User) -> Plan:
    ready = getattr(user.environment, "load_plan_ready", None)
    if ready is not None:
        ready.wait()
    return user.environment.load_plan


class MemberUser(User):
    abstract = True
    wait_time = constant(1)

    def on_start(self) -> None:
        plan = plan_of(self)
        if plan.engine == "multiplex":
            block = plan.next_members(plan.block)
            if block:
                plan.connect_block(block, BLOCK_LOGIN_TIMEOUT)
                plan.connected += len(block)
            return
        picked = plan.next_member()
        if picked is None:
            return
        try:
            plan.connect(*picked, "live")
        except Exception as exc:  # counted: a member that cannot log in is part of the result
            plan.failures.append(f"{picked[0]}: {exc!r}")
        plan.connected += 1

    @task
    def stay(self) -> None:
        """Members only receive (the reader greenlet of their Client, or the process's event loop)."""


class SenderUser(User):
    abstract = True
    wait_time = constant(1)

    def on_start(self) -> None:
        plan = plan_of(self)
        self.index = plan.next_sender()
        self.finished = self.index is None
        if self.finished:
            return
        self.name = plan.population.senders[self.index]
        self.client = plan.connect(self.name, transport_of(self.index), "live")
        plan.connected += 1

    @task
    def send_all(self) -> None:
        if self.finished:
            return
        plan: Plan = self.environment.load_plan
        plan.go.wait()
        step = len(plan.population.senders)
        for seq in range(self.index, plan.total, step):
            planned = plan.t0 + seq / plan.rate
            delay = planned - time.time()
            if delay > 0:
                gevent.sleep(delay)
            self._send(plan, seq, planned)
        self.finished = True
        plan.senders_done += 1

    def _send(self, plan: Plan, seq: int, planned: float) -> None:
        actual = now_ms()
        meta = group_meta(self.client, plan.population.group_id, pb.MessageBody.GROUPCHAT, m.text_content("load"),
                          ext={"seq": seq, "sent_at": actual})
        plan.sent[seq] = (self.name, planned * 1000, actual)
        try:
            future = self.client.send_meta_async(meta)
        except Exception as exc:
            plan.acks[seq] = (-1, f"send failed: {exc!r}", None, now_ms())
            return

        def acked(fut: Any) -> None:
            ack = fut.result()
            plan.acks[seq] = (ack.code, ack.reason, ack.server_id, now_ms())

        future.add_done_callback(acked)


def user_classes(members: int, senders: int) -> list[type[User]]:
    classes: list[type[User]] = [type(SENDERS, (SenderUser,), {"fixed_count": senders, "abstract": False})]
    if members:
        classes.append(type(MEMBERS, (MemberUser,), {"fixed_count": members, "abstract": False}))
    return classes
