"""One member connection of the multiplex engine as a state machine: bytes from the socket in,
bytes for the socket out, no I/O of its own (the loop in multiplex.py owns the sockets).

The flow is the one of im_client's Session (docs/protocol/msync.md §3): [WebSocket upgrade →] PROVISION with the
user token → UNREAD → for every queue listed, and on every NOTICE, the pull loop: pull → page →
pull with the page's last key (the acknowledgement, and the request for the next page) → … →
empty page (isLast). A NOTICE for a queue being pulled makes the loop pull once more when it
rests. Every frame is parsed once (the MSync, then its payload); group messages go to the ledger
as `Delivery` records (seq and sent_at from ext), nothing else of them is kept.
"""
from __future__ import annotations

import time
from typing import Any, Protocol

from im_wire import ErrorCode, pb

from .ledger import Receipts, Recorder, lean_delivery
from .wire import UNREAD, Pulls, StreamClosed, TcpCodec, WsCodec, logout_frame, provision_frame

SYNC, UNREAD_CMD, NOTICE, PROVISION, LOGOUT = (pb.MSync.SYNC, pb.MSync.UNREAD, pb.MSync.NOTICE, pb.MSync.PROVISION,
                                             pb.MSync.LOGOUT)
CHAT = pb.Meta.CHAT
CONNECTING, UPGRADING, PROVISIONING, ONLINE, CLOSED = "connecting", "upgrading", "provisioning", "online", "closed"
_MSync, _SyncDL, _Notice, _UnreadDL, _Provision, _Logout = (pb.MSync.FromString, pb.CommSyncDL.FromString,
                                                            pb.CommNotice.FromString, pb.CommUnreadDL.FromString,
                                                            pb.Provision.FromString, pb.Logout.FromString)


class Loop(Protocol):
    """What a member asks of the loop that drives it."""

    def logged_in(self, member: "Member") -> None: ...
    def failed(self, member: "Member", reason: str) -> None: ...
    def later(self, delay: float, member: "Member", body: bytes) -> None: ...


class Queue:
    __slots__ = ("pulls", "pulling", "repull")

    def __init__(self, jid: pb.JID):
        self.pulls = Pulls(jid.SerializeToString())
        self.pulling = False
        self.repull = False


class Member:
    __slots__ = ("name", "transport", "token", "appkey", "resource", "session_id", "codec", "state", "out",
                 "receipts", "recorder", "loop", "pull_delay", "queues", "initial", "synced", "last_inbound",
                 "last_heartbeat", "started_at", "close_reason", "fd", "sock", "heartbeats", "pending_out")

    def __init__(self, name: str, transport: str, token: str, target: Any, receipts: Receipts, recorder: Recorder,
                 loop: Loop, *, resource: str | None = None, pull_delay: float = 0.0):
        self.name, self.transport, self.token, self.appkey = name, transport, token, target.appkey
        self.resource = resource or f"load_mux_{transport}_{name}"
        self.session_id = f"{int(time.time() * 1000)}:"
        self.codec = WsCodec(target.ws_url) if transport == "ws" else TcpCodec()
        self.state = CONNECTING
        self.out: list[bytes] = []
        self.pending_out = b""          # what the socket did not take yet
        self.receipts, self.recorder, self.loop = receipts, recorder, loop
        self.pull_delay = pull_delay
        self.queues: dict[tuple[str, str, str], Queue] = {}
        self.initial: set[tuple[str, str, str]] | None = None  # queues listed by the first UNREAD reply
        self.synced = False             # every queue of `initial` pulled to its end
        self.last_inbound = self.last_heartbeat = self.started_at = time.monotonic()
        self.close_reason: str | None = None
        self.fd = -1
        self.sock: Any = None
        self.heartbeats = 0

    # -- the loop calls these ---------------------------------------------------------------------
    def connected(self) -> None:
        """The socket is connected: the WebSocket upgrade, or the PROVISION at once over TCP."""
        if self.codec.open:
            self._provision()
        else:
            self.state = UPGRADING
            self.out.append(self.codec.handshake)

    def feed(self, data: bytes, now: float) -> int:
        """Bytes from the socket; the number of MSync frames they completed. Raises StreamClosed when
        the stream cannot go on."""
        self.last_inbound = now
        was_open = self.codec.open
        frames = self.codec.feed(data)
        if not was_open and self.codec.open:
            self._provision()
        replies = self.codec.replies
        if replies:
            self.out.extend(replies)
            replies.clear()
        for raw in frames:
            self._frame(raw)
        return len(frames)

    def heartbeat(self, now: float, interval: float) -> None:
        """UNREAD after `interval` s of inbound silence (what the SDK's heartbeat sends)."""
        if self.state == ONLINE and now - self.last_inbound >= interval and now - self.last_heartbeat >= interval:
            self.last_heartbeat = now
            self.heartbeats += 1
            self.send(UNREAD)

    def logout(self) -> None:
        if self.state in (ONLINE, PROVISIONING):
            self.send(logout_frame(self.session_id, self.token))
        self.state = CLOSED

    def send(self, body: bytes) -> None:
        self.out.append(self.codec.encode(body))

    # -- frames -----------------------------------------------------------------------------------
    def _provision(self) -> None:
        self.state = PROVISIONING
        self.send(provision_frame(self.appkey, self.name, self.token, self.resource, self.session_id))

    def _frame(self, raw: bytes) -> None:
        frame = _MSync(raw)
        command = frame.command
        if command == SYNC:
            self._on_sync(_SyncDL(frame.payload))
        elif command == NOTICE:
            self._pull(_Notice(frame.payload).queue)
        elif command == UNREAD_CMD:
            self._on_unread(_UnreadDL(frame.payload))
        elif command == PROVISION:
            self._on_provision(_Provision(frame.payload))
        elif command == LOGOUT:
            reason = _Logout(frame.payload).status.reason if frame.payload else ""
            raise StreamClosed(f"server logout: {reason}")

    def _on_provision(self, reply: pb.Provision) -> None:
        if self.state != PROVISIONING:
            return
        if reply.status.errorCode != ErrorCode.OK:
            self.state = CLOSED
            self.loop.failed(self, f"login refused: {reply.status.errorCode} {reply.status.reason}")
            return
        if reply.resource:
            self.resource = reply.resource
        self.state = ONLINE
        self.send(UNREAD)
        self.loop.logged_in(self)

    def _on_unread(self, dl: pb.CommUnreadDL) -> None:
        if self.initial is None:
            self.initial = {(mq.queue.name, mq.queue.domain, mq.queue.clientResource) for mq in dl.unread}
            self.synced = not self.initial
        for mq in dl.unread:
            self._pull(mq.queue)

    def _pull(self, jid: pb.JID) -> None:
        key = (jid.name, jid.domain, jid.clientResource)
        queue = self.queues.get(key)
        if queue is None:
            queue = self.queues[key] = Queue(jid)
        if queue.pulling:
            queue.repull = True
            return
        queue.pulling = True
        self._send_pull(queue.pulls.start)

    def _send_pull(self, body: bytes) -> None:
        if self.pull_delay > 0:
            self.loop.later(self.pull_delay, self, body)
        else:
            self.send(body)

    def _on_sync(self, dl: pb.CommSyncDL) -> None:
        if dl.metaId:  # the ack of an upstream meta: a member sends none
            return
        metas = dl.metas
        queue_jid = dl.queue
        key = (queue_jid.name, queue_jid.domain, queue_jid.clientResource)
        queue = self.queues.get(key)
        # the acknowledging pull goes out before the page is recorded (as im_client does)
        if queue is not None and queue.pulling:
            if metas and dl.HasField("nextKey") and not dl.isLast:
                self._send_pull(queue.pulls.ack(dl.nextKey))
            else:  # drained: the loop rests, or pulls again for a NOTICE that came meanwhile
                queue.pulling = False
                if queue.repull:
                    queue.repull, queue.pulling = False, True
                    self._send_pull(queue.pulls.start)
                elif self.initial and key in self.initial:
                    self.initial.discard(key)
                    if not self.initial:
                        self.synced = True
        if metas:
            record, receipts = self.recorder.record, self.receipts
            for meta in metas:
                if meta.ns != CHAT:
                    continue
                delivery = lean_delivery(meta)
                if delivery is not None:
                    record(receipts, delivery)
