"""The client's receive capacity: group deliveries per CPU-second of the process running the load
members (on either member engine, as in a cell), when members catch up on a backlog.

Members that were offline log in to full queues and pull them in pages of up to the server's page
size (50): one NOTICE-free pull per page, many deliveries per frame. This is the capacity of the
client itself. Live fan-out (bench.py) costs more per delivery: a message that arrives alone is a
NOTICE, a pull, a page, the acknowledging pull and the final empty page, five frames for one
delivery, whatever the client does.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import gevent.pool
import psutil

from im_client import RestClient, Target
from im_client import messages as m
from im_client.groupchat import group_meta
from im_wire import ErrorCode, pb

from ..sandbox_process import SandboxProcess
from .ledger import LedgerInbox, LoadClient, Receipts, Recorder
from .multiplex import MemberSpec, Multiplexer
from .population import BATCH, PASSWORD

LOGIN_CONCURRENCY = 50
SEND_WINDOW = 200  # messages in flight while filling the queues


@dataclass
class Capacity:
    members: int
    messages: int
    deliveries: int
    cpu_s: float
    wall_s: float

    @property
    def per_core(self) -> float:
        return self.deliveries / self.cpu_s if self.cpu_s else 0.0

    def as_dict(self) -> dict:
        return {"members": self.members, "messages": self.messages, "deliveries": self.deliveries,
                "cpu_s": round(self.cpu_s, 4), "wall_s": round(self.wall_s, 2),
                "deliveries_per_cpu_s": round(self.per_core)}


def receive_capacity(members: int = 250, messages: int = 200, engine: str = "multiplex") -> Capacity:
    """`messages` group texts queued for `members` offline members (half TCP, half WS), then all
    of them log in and pull, on the member engine `engine`; the CPU time of this process from the
    first login to the last page. `messages` must stay within the group offline limit (200) so
    nothing is evicted."""
    with SandboxProcess() as sandbox:
        target = Target.from_info(sandbox.info)
        admin = RestClient(target)
        admin.token = admin.must_app_token().access_token
        prefix = f"recv-{uuid.uuid4().hex[:6]}"
        names = [f"{prefix}-{n}" for n in range(members + 1)]
        for start in range(0, len(names), BATCH):
            admin.must_register_users([{"username": n, "password": PASSWORD} for n in names[start:start + BATCH]])
        sender, receivers = names[0], names[1:]
        group_id = admin.must_create_group(sender, public=True, maxusers=len(names))["groupid"]
        for start in range(0, len(receivers), BATCH):
            admin.must_add_group_members(group_id, receivers[start:start + BATCH])
        users = RestClient(target)
        tokens = {n: users.must_user_token(n, PASSWORD).access_token for n in names}
        _fill(target, tokens[sender], sender, group_id, messages)

        recorder = Recorder(group_id)
        me = psutil.Process()
        cpu0, t0 = sum(me.cpu_times()[:2]), time.monotonic()
        if engine == "multiplex":
            got = _catch_up_multiplexed(target, receivers, tokens, recorder)
        else:
            got = gevent.pool.Pool(LOGIN_CONCURRENCY).map(
                lambda i_name: _catch_up(target, i_name[1], tokens[i_name[1]], ("tcp", "ws")[i_name[0] % 2],
                                         recorder), list(enumerate(receivers)))
        cpu_s, wall_s = sum(me.cpu_times()[:2]) - cpu0, time.monotonic() - t0
    deliveries = sum(got)
    if deliveries != members * messages:
        raise RuntimeError(f"members received {deliveries} deliveries, {members * messages} were queued")
    return Capacity(members, messages, deliveries, cpu_s, wall_s)


def _fill(target: Target, token: str, sender: str, group_id: str, messages: int) -> None:
    client = LoadClient(target, sender, token=token, transport="tcp", resource="recv_sender")
    client.open()
    try:
        for start in range(0, messages, SEND_WINDOW):
            futures = [client.send_meta_async(group_meta(client, group_id, pb.MessageBody.GROUPCHAT,
                                                         m.text_content("backlog"), ext={"seq": seq}))
                       for seq in range(start, min(messages, start + SEND_WINDOW))]
            refused = [ack for ack in (f.result(30) for f in futures) if ack.code != ErrorCode.OK]
            if refused:
                raise RuntimeError(f"filling the queues: {refused[0]}")
    finally:
        client.close()


def _catch_up_multiplexed(target: Target, names: list[str], tokens: dict[str, str], recorder: Recorder,
                          timeout: float = 120.0) -> list[int]:
    mux = Multiplexer(target, recorder).start()
    receipts = [Receipts(name, ("tcp", "ws")[i % 2], "pulled") for i, name in enumerate(names)]
    try:
        mux.add(MemberSpec(r.name, r.transport, tokens[r.name], r) for r in receipts)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not mux.done and not (
                mux.settled == len(names) and all(m.synced or m.state != "online" for m in mux.members.values())):
            gevent.sleep(0.02)
        if mux.stats.failures:
            raise RuntimeError(f"{len(mux.stats.failures)} members did not log in: {mux.stats.failures[0]}")
    finally:
        mux.close()
    return [sum(r.seen.values()) for r in receipts]


def _catch_up(target: Target, name: str, token: str, transport: str, recorder: Recorder) -> int:
    client = LoadClient(target, name, token=token, transport=transport, resource=f"recv_{transport}")
    receipts = Receipts(name, transport, "pulled")
    client.inbox = LedgerInbox(recorder, receipts)
    client.open()
    try:
        client.wait_offline_sync(timeout=120)
    finally:
        client.close()
    return sum(receipts.seen.values())
