"""A worker process of a distributed cell (`python -m im_e2e.load --worker --master-host HOST`):
a Locust WorkerRunner whose users connect the members and senders of the share the master
assigns it, and that sends back what they measured (the exchange: exchange.py).

A worker serves cell after cell (a new runner each time) until the master marks a cell as the
last one, or after one cell with `once`.
"""
from __future__ import annotations

import sys
import time
from typing import Any

import gevent
import psutil
from gevent.event import Event
from locust.env import Environment

from im_client import Target

from . import exchange as kind
from .engine import CONNECT_TIMEOUT, cpu_seconds, members_figures, wait_until
from .ledger import Recorder, drained
from .parts import received_part, sent_part
from .population import Population
from .shares import MEMBERS, SENDERS, Assignment
from .users import Plan, user_classes


class CellWorker:
    def __init__(self, master_host: str, master_port: int):
        # only the class names matter here: the master decides how many users of each run on this worker
        self.env = Environment(user_classes=user_classes(members=1, senders=1))
        self.env.load_plan_ready = Event()
        self.assignment: Assignment | None = None
        self.me = psutil.Process()
        self.cpu0 = 0.0
        self.runner = self.env.create_worker_runner(master_host, master_port)
        for msg_type, handler in {kind.SHARE: self._on_share, kind.GO: self._on_go,
                                  kind.SENDING_OVER: self._on_sending_over, kind.ACCEPTED: self._on_accepted}.items():
            self.runner.register_message(msg_type, handler)

    @property
    def plan(self) -> Plan:
        return self.env.load_plan

    def run(self) -> bool:
        """Until the master quits this runner; whether that was the last cell."""
        self.runner.greenlet.join()
        if self.assignment is not None:
            for client in self.plan.clients:
                client.close()
        self.runner.client.close(linger=0)
        return self.assignment is not None and self.assignment.last

    def _send(self, msg_type: str, data: dict[str, Any]) -> None:
        self.runner.send_message(msg_type, data)

    def _on_share(self, environment: Environment, msg: Any, **_: Any) -> None:
        a = self.assignment = Assignment.from_wire(msg.data)
        population = Population(a.group_id, a.senders, [name for name, _ in a.members], [], a.tokens)
        self.env.load_plan = Plan(Target.from_info(a.target), population, Recorder(a.group_id), a.rate, a.total,
                                  members=a.members, sender_slots=a.sender_slots, worker=a.worker,
                                  pull_delay_s=a.pull_delay_s, engine=a.engine, block=a.block)
        self.rss0 = self.me.memory_info().rss
        self.share_at = time.monotonic()
        running = self.runner.user_classes_count
        mismatch = (running.get(MEMBERS, 0), running.get(SENDERS, 0)) != (a.member_users, len(a.sender_slots))
        self.env.load_plan_ready.set()
        gevent.spawn(self._report_connected, f"{a.worker} runs {dict(running)} users for {len(a.members)} members "
                                             f"and {len(a.sender_slots)} sender slots" if mismatch else None)

    def _report_connected(self, mismatch: str | None) -> None:
        wait_until(lambda: self.plan.connected >= self.assignment.users, CONNECT_TIMEOUT)
        self._send(kind.CONNECTED, {"connected": self.plan.connected, "clock": time.time(), "mismatch": mismatch,
                                    **members_figures(self.me, self.rss0, self.share_at, self.plan)})

    def _on_go(self, environment: Environment, msg: Any, **_: Any) -> None:
        plan = self.plan
        plan.t0 = msg.data["t0"]
        plan.recorder.t0_ms = plan.t0 * 1000
        self.cpu0, self.frames0 = cpu_seconds(self.me), plan.frames_in()
        plan.go.set()
        gevent.spawn(self._report_senders_done)

    def _report_senders_done(self) -> None:
        wait_until(lambda: self.plan.senders_done >= len(self.assignment.sender_slots), self.assignment.send_wait_s)
        self._send(kind.SENDERS_DONE, {"at": time.time(), "done": self.plan.senders_done})

    def _on_sending_over(self, environment: Environment, msg: Any, **_: Any) -> None:
        cpu_sending = (cpu_seconds(self.me) - self.cpu0) / max(1e-6, time.time() - self.plan.t0)
        gevent.spawn(self._report_sent, cpu_sending)

    def _report_sent(self, cpu_sending: float) -> None:
        plan = self.plan
        wait_until(lambda: len(plan.acks) >= len(plan.sent), self.assignment.ack_wait_s)
        self._send(kind.SENT, sent_part(plan.sent, plan.acks, cpu_sending=round(cpu_sending, 3)))

    def _on_accepted(self, environment: Environment, msg: Any, **_: Any) -> None:
        gevent.spawn(self._report_received, {int(seq): sender for seq, sender in msg.data["accepted"]})

    def _report_received(self, accepted_from: dict[int, str]) -> None:
        plan = self.plan
        live = list(plan.receipts.values())
        is_drained = wait_until(lambda: drained(live, accepted_from), self.assignment.drain_wait_s, step=0.2)
        cpu_s, frames_in = round(cpu_seconds(self.me) - self.cpu0, 2), plan.frames_in() - self.frames0
        if plan.multiplexer is not None:  # its loop thread records: stop it before the receipts are read
            plan.multiplexer.close()
        self._send(kind.RECEIVED, received_part(live, plan.recorder, drained=is_drained, failures=plan.failures,
                                                cpu_s=cpu_s, frames_in=frames_in))


def serve(master_host: str, master_port: int, once: bool = False) -> int:
    while True:
        try:
            worker = CellWorker(master_host, master_port)
        except ConnectionError:
            print(f"no master at {master_host}:{master_port}", file=sys.stderr)
            return 1
        if worker.run() or once:
            return 0
