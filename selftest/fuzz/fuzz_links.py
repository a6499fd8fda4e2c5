"""Connections for fuzzing a running sandbox: hostile-frame links that reconnect when dropped, a
healthy pair that must keep chatting, and messages stored for an offline user before the run."""
from __future__ import annotations

import collections

from im_wire import ErrorCode
from selftest.sandbox.sandbox_rest import Rest
from selftest.sandbox.sandbox_wire import LOGOUT, NOTICE, PROVISION, SYNC, UNREAD, Closed, TcpClient, WsClient, decode_payload, msync, user_jid

PW = "pw-123"
INTERNAL_ERROR = "internal server error"
CLIENTS = {"tcp": TcpClient, "ws": WsClient}
DL_TYPES = {SYNC, UNREAD, PROVISION, NOTICE, LOGOUT}


class FuzzLink:
    """One connection for hostile frames: reopened (and re-provisioned) whenever the server drops it."""

    def __init__(self, kind: str, info: dict, user: str | None):
        self.kind, self.info, self.user = kind, info, user
        self.client = None
        self.reconnects = -1
        self.statuses: collections.Counter = collections.Counter()

    def _ensure(self):
        if self.client is None:
            self.client = CLIENTS[self.kind](self.info)
            self.reconnects += 1
            if self.user is not None:
                self.client.provision(self.user, password=PW, resource=f"fuzz-{self.kind}")
        return self.client

    def _drop(self):
        if self.client is not None:
            self.client.close()
        self.client = None

    def send_and_probe(self, frame: bytes) -> None:
        """Send `frame`, then UNREAD; every frame up to the UNREAD reply must be well-formed."""
        client = self._ensure()
        try:
            client.send_raw(frame)
            client.send_raw(msync(UNREAD))
            while True:
                raw = client.recv(timeout=10)
                assert raw.command in DL_TYPES, raw
                payload = decode_payload(raw)
                status = getattr(payload, "status", None)
                if status is not None and raw.command != NOTICE:
                    code, reason = status.errorCode, status.reason
                    assert reason != INTERNAL_ERROR, f"handler crashed on {frame[:200]!r}"
                    assert code in ErrorCode._value2member_map_, (code, reason)
                    self.statuses[(ErrorCode(code).name, reason)] += 1
                if raw.command == UNREAD:
                    return
        except TimeoutError:
            raise
        except (Closed, OSError):
            self._drop()  # error budget spent, LOGOUT, oversized …: documented ways to close

    def close(self):
        self._drop()


class Healthy:
    """A sender and a receiver on the other transport, who must keep chatting."""

    def __init__(self, api: Rest, info: dict, kind: str):
        other = "ws" if kind == "tcp" else "tcp"
        self.sender, self.receiver = CLIENTS[kind](info), CLIENTS[other](info)
        self.sender.provision(api.create_user(), password=PW)
        self.receiver.provision(api.create_user(), password=PW)
        self.queue = user_jid(info["appkey"], self.sender.user)
        self.rounds = 0

    def round_trip(self) -> None:
        sent = self.sender.send_text(self.receiver.user, f"healthy {self.rounds}").serverId
        self.receiver.notice(timeout=5)
        assert [m.id for m in self.receiver.drain(self.queue)] == [sent]
        self.rounds += 1

    def close(self):
        self.sender.close()
        self.receiver.close()


def store_for_offline(info: dict, api: Rest, count: int) -> tuple[str, str, list[int]]:
    """(keeper, sender, ids): `count` messages from sender wait for keeper, who has never logged in."""
    keeper, sender_name = api.create_user(), api.create_user()
    sender = TcpClient(info)
    try:
        sender.provision(sender_name, password=PW)
        return keeper, sender_name, [sender.send_text(keeper, f"keep {i}").serverId for i in range(count)]
    finally:
        sender.close()


def delivered_to(info: dict, keeper: str, sender: str) -> list[int]:
    """What keeper's first login pulls from sender's queue."""
    device = TcpClient(info)
    try:
        device.provision(keeper, password=PW)
        return [m.id for m in device.drain(user_jid(info["appkey"], sender))]
    finally:
        device.close()
