"""Session: one logged-in msync connection (docs/protocol/msync.md §3–§4).

PROVISION with a token (`$t$…`), then UNREAD, the pull loop with acknowledgement by key, NOTICE
handling, a heartbeat (UNREAD after 30 s of inbound silence), sends whose acks are matched by
Meta.id, and LOGOUT. One reader thread per connection; everything delivered lands in an Inbox.
"""
from __future__ import annotations

import logging
import threading
import time
import uuid
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Protocol

from . import messages
from .errors import ConnectionClosed, LoginError, SendError, Timeout
from .inbox import DEFAULT_TIMEOUT, Inbox, Predicate
from im_wire import pb
from im_wire.codes import ErrorCode
from im_wire.jid import USER_DOMAIN, jid_text, make_jid
from .replies import Ack, QueueNotice, ServerError, next_meta_id
from .target import Target
from .transport import Transport, connect
from .wirelog import WireLog

log = logging.getLogger("im_client.session")
Command = pb.MSync.Command
SEND_TIMEOUT = 15.0
PROVISION_TIMEOUT = 10.0

def _queue_key(jid: pb.JID) -> tuple[str, str, str]:
    return (jid.name, jid.domain, jid.clientResource)


class _QueueState:
    __slots__ = ("jid", "pulling", "repull", "held_key")

    def __init__(self, jid: pb.JID):
        self.jid = jid
        self.pulling = False
        self.repull = False
        self.held_key: int | None = None


class Account(Protocol):
    """Whoever a session logs in as, seen from the client: a registered user with a name."""

    name: str


class Session:
    """One device of one user: `name` is the user's name (the JID's name), `user` the account it
    logged in as when the caller has one (e.g. the suite's User; None otherwise)."""

    def __init__(self, target: Target, name: str, *, token: str | None = None,
                 password: str | None = None, transport: str = "tcp", resource: str | None = None,
                 auto_ack: bool = True, auto_pull: bool = True, heartbeat_interval: float = 30.0, device_name: str = "im_client",
                 wire_log: WireLog | None = None, connect_timeout: float = 10.0, user: Account | None = None):
        if token is None and password is None:
            raise ValueError("a session needs a token or a password")
        if user is not None and user.name != name:
            raise ValueError(f"a session of {name!r} cannot belong to the user {user.name!r}")
        self.target = target
        self.name = name
        self.user: Account | None = user
        self.token = token
        self.password = password
        self.transport_name = transport
        self.resource = resource or f"py_{transport}_{uuid.uuid4().hex[:12]}"
        self.auto_ack = auto_ack
        self.auto_pull = auto_pull
        self.heartbeat_interval = heartbeat_interval
        self.device_name = device_name
        self.connect_timeout = connect_timeout
        self.wire_log = wire_log
        self.session_id = f"{int(time.time() * 1000)}:"
        self.inbox = Inbox(owner=f"{name}/{transport}")
        self.transport: Transport | None = None
        self.provision_reply: pb.Provision | None = None
        self.closed = True
        self.close_reason: str | None = None
        self.heartbeats_sent = 0
        self.offline_synced = threading.Event()
        self._closed_event = threading.Event()
        self._pending: dict[int, Future] = {}
        self._pending_lock = threading.Lock()
        self._queues: dict[tuple[str, str, str], _QueueState] = {}
        self._queues_lock = threading.Lock()
        self._initial_queues: set[tuple[str, str, str]] | None = None
        self._unread_waiters: list[Future] = []
        self._reader: threading.Thread | None = None
        self._last_inbound = time.monotonic()
        self._last_heartbeat = 0.0
        self._channel = f"{name}/{transport}"

    # ------------------------------------------------------------------ connection lifecycle
    @property
    def appkey(self) -> str:
        return self.target.appkey

    @property
    def jid(self) -> pb.JID:
        return make_jid(self.appkey, self.name, USER_DOMAIN, self.resource)

    def open(self, timeout: float = PROVISION_TIMEOUT, frame: pb.MSync | None = None) -> pb.Provision:
        """Connect and PROVISION. Raises LoginError with the exact status on refusal."""
        reply = self.try_open(timeout, frame)
        if reply.status.errorCode != ErrorCode.OK:
            self._shutdown(f"login refused: {reply.status.reason}")
            raise LoginError(reply.status.errorCode, reply.status.reason)
        return reply

    def try_open(self, timeout: float = PROVISION_TIMEOUT, frame: pb.MSync | None = None) -> pb.Provision:
        """The bare form of open(): connect, PROVISION, and return the reply whatever its status.
        After a refusal the connection is left as the server left it (see `wait_server_close`).
        `frame` replaces the PROVISION frame this session would send (`provision_frame()`, edited)."""
        self.transport = connect(self.transport_name, self.target, timeout=self.connect_timeout)
        self.closed = False
        self.close_reason = None
        self.offline_synced.clear()
        self._closed_event.clear()
        self._send(frame if frame is not None else self.provision_frame())
        reply = self._await_provision(timeout)
        if reply.status.errorCode != ErrorCode.OK:
            return reply
        if reply.resource:
            self.resource = reply.resource
        self.provision_reply = reply
        self._last_inbound = time.monotonic()
        self._reader = threading.Thread(target=self._read_loop, name=f"msync-{self._channel}", daemon=True)
        self._reader.start()
        self._initial_queues = None
        self._send(pb.MSync(command=Command.UNREAD, encryptType=[pb.ENCRYPT_NONE]))
        return reply

    def provision_frame(self) -> pb.MSync:
        """The PROVISION frame open() sends: the token in MSync.auth and in Provision.authToken, or the password."""
        auth = f"$t${self.token}" if self.token is not None else self.password
        prov = pb.Provision(osType=pb.Provision.OS_LINUX, version="im_client", compressType=[pb.Provision.COMPRESS_NONE],
                            encryptType=[pb.ENCRYPT_NONE], deviceUuid=self.resource, deviceName=self.device_name,
                            resource=self.resource, actionVersion="v5.2", sessionId=self.session_id)
        if self.token is not None:
            prov.authToken = '{"token":"$t$%s"}' % self.token
        return pb.MSync(version=pb.MSync.MSYNC_V1, command=Command.PROVISION, guid=self.jid, auth=auth,
                        deviceId=0, encryptType=[pb.ENCRYPT_NONE], payload=prov.SerializeToString())

    def _await_provision(self, timeout: float) -> pb.Provision:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._shutdown("provision timeout")
                raise Timeout(f"{self._channel}: no PROVISION reply within {timeout:g}s")
            try:
                raw = self.transport.recv(remaining)
            except ConnectionClosed as exc:
                self._shutdown(str(exc))
                raise
            if raw is None:
                continue
            frame = pb.MSync.FromString(raw)
            if frame.command == Command.PROVISION:
                reply = pb.Provision.FromString(frame.payload)
                self._log("<", frame, reply)
                return reply
            self._log("<", frame, None)

    def wait_server_close(self, timeout: float = DEFAULT_TIMEOUT) -> str:
        """After a refused `try_open()`: read until the server closes the connection; returns how it
        closed. Raises Timeout if it is still open after `timeout` (frames read meanwhile are logged)."""
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                raw = self.transport.recv(remaining)
            except ConnectionClosed as exc:
                self._shutdown(f"closed by server: {exc}")
                return str(exc)
            if raw is not None:
                self._log("<", pb.MSync.FromString(raw), None)
        raise Timeout(f"{self._channel}: the server left the connection open for {timeout:g}s")

    def close(self, reason: str = "inner:logout") -> None:
        """LOGOUT and close (docs/protocol/msync.md §3.9)."""
        if self.closed:
            return
        try:
            logout = pb.Logout(sessionId=self.session_id, reason=reason)
            self._send(pb.MSync(command=Command.LOGOUT, guid=self.jid, auth=f"$t${self.token}" if self.token else "",
                                encryptType=[pb.ENCRYPT_NONE], payload=logout.SerializeToString()))
        except ConnectionClosed:
            pass
        self._shutdown("logout")

    def disconnect(self) -> None:
        """Drop the connection without LOGOUT, like a lost network."""
        self._shutdown("disconnected by client")

    def _shutdown(self, reason: str) -> None:
        if not self.closed:
            self.closed = True
            self.close_reason = reason
        self._closed_event.set()
        if self.transport is not None:
            self.transport.close()
        self.inbox.mark_closed(self.close_reason or reason)
        with self._pending_lock:
            pending, self._pending = self._pending, {}
            waiters, self._unread_waiters = self._unread_waiters, []
        for fut in list(pending.values()) + waiters:
            if not fut.done():
                fut.set_exception(ConnectionClosed(f"{self._channel}: {self.close_reason}"))
        # the reader thread notices the closed transport and ends by itself; joining it here would
        # cost a GIL hand-over per close, which dominates when many sessions close at once

    def wait_closed(self, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Wait until the connection is gone (kicked, closed by the server); return why."""
        if not self._closed_event.wait(timeout):
            raise Timeout(f"{self._channel}: still connected after {timeout:g}s")
        return self.close_reason or ""

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------------ sending
    def _send(self, frame: pb.MSync) -> None:
        if self.transport is None or self.closed:
            raise ConnectionClosed(f"{self._channel}: not connected ({self.close_reason})")
        if self.wire_log is not None:
            self.wire_log.record_frame(self._channel, ">", frame, lambda: _decode_payload(frame, upstream=True))
        self.transport.send(frame.SerializeToString())

    def send_sync(self, ul: pb.CommSyncUL) -> None:
        self._send(pb.MSync(command=Command.SYNC, encryptType=[pb.ENCRYPT_NONE], payload=ul.SerializeToString()))

    def send_meta_async(self, meta: pb.Meta) -> Future:
        if not meta.HasField("id"):
            meta.id = next_meta_id()
        fut: Future = Future()
        with self._pending_lock:
            self._pending[meta.id] = fut
        try:
            self.send_sync(pb.CommSyncUL(meta=meta))
        except ConnectionClosed:
            with self._pending_lock:
                self._pending.pop(meta.id, None)
            raise
        return fut

    def send_meta(self, meta: pb.Meta, timeout: float = SEND_TIMEOUT) -> Ack:
        """Send one upstream meta and wait for its ack. Returns the Ack whatever its status."""
        fut = self.send_meta_async(meta)
        try:
            return fut.result(timeout)
        except FutureTimeout:
            with self._pending_lock:
                self._pending.pop(meta.id, None)
            raise Timeout(f"{self._channel}: no ack for meta {meta.id} within {timeout:g}s") from None

    def must_send_meta(self, meta: pb.Meta, timeout: float = SEND_TIMEOUT) -> Ack:
        ack = self.send_meta(meta, timeout)
        if not ack.ok:
            raise SendError(ack)
        return ack

    def ping(self, timeout: float = DEFAULT_TIMEOUT) -> pb.CommUnreadDL:
        """Send UNREAD (what the heartbeat sends) and return the server's answer."""
        fut: Future = Future()
        with self._pending_lock:
            self._unread_waiters.append(fut)
        self._send(pb.MSync(command=Command.UNREAD, encryptType=[pb.ENCRYPT_NONE]))
        try:
            return fut.result(timeout)
        except FutureTimeout:
            raise Timeout(f"{self._channel}: no UNREAD reply within {timeout:g}s") from None

    def pull(self, queue: pb.JID) -> None:
        """Start the pull loop of one queue (what a NOTICE does)."""
        self._start_pull(queue)

    def ack_held(self) -> int:
        """With auto_ack=False: acknowledge what was pulled so far. Returns the number of queues acked."""
        with self._queues_lock:
            held = [(q.jid, q.held_key) for q in self._queues.values() if q.held_key is not None]
            for q in self._queues.values():
                if q.held_key is not None:
                    q.pulling, q.held_key = True, None
        for jid, key in held:
            self.send_sync(pb.CommSyncUL(queue=jid, key=key))
        return len(held)

    # ------------------------------------------------------------------ receiving
    def wait_for(self, pred: Predicate, timeout: float = DEFAULT_TIMEOUT) -> Any:
        return self.inbox.wait_for(pred, timeout)

    def wait_for_all(self, pred: Predicate, count: int, timeout: float = DEFAULT_TIMEOUT) -> list[Any]:
        return self.inbox.wait_for_all(pred, count, timeout)

    def received(self, pred: Predicate | None = None) -> list[Any]:
        return self.inbox.items(pred)

    def wait_offline_sync(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until every queue listed at login has been pulled to its end."""
        if not self.offline_synced.wait(timeout):
            raise Timeout(f"{self._channel}: offline sync not finished within {timeout:g}s")

    def _read_loop(self) -> None:
        transport = self.transport
        # A reader belongs to one connection: after close() + open() an old reader may still be
        # waking up, and it must not touch the new connection.
        def current() -> bool:
            return self.transport is transport and not self.closed

        try:
            while current():
                raw = transport.recv(1.0)
                now = time.monotonic()
                if raw is None:
                    self._maybe_heartbeat(now)
                    continue
                self._last_inbound = now
                self._handle(raw)
        except ConnectionClosed as exc:
            if current():
                log.debug("%s: %s", self._channel, exc)
                self._shutdown(str(exc))
        except Exception as exc:  # a decoding bug must not leave waiters hanging forever
            if current():
                log.exception("%s: reader failed", self._channel)
                self._shutdown(f"reader failed: {exc!r}")

    def _maybe_heartbeat(self, now: float) -> None:
        if now - self._last_inbound >= self.heartbeat_interval and now - self._last_heartbeat >= self.heartbeat_interval:
            self._last_heartbeat = now
            self.heartbeats_sent += 1
            self._send(pb.MSync(command=Command.UNREAD, encryptType=[pb.ENCRYPT_NONE]))

    def _handle(self, raw: bytes) -> None:
        frame = pb.MSync.FromString(raw)
        payload = _decode_payload(frame, upstream=False)
        if self.wire_log is not None:
            self._log("<", frame, payload)
        if frame.command == Command.SYNC:
            self._on_sync(payload)
        elif frame.command == Command.NOTICE:
            if self.auto_pull:
                self._start_pull(payload.queue)
            else:  # the test pulls when it chooses (`pull`); it can wait for the Notice
                self.inbox.put(QueueNotice(payload.queue.name, payload.queue))
        elif frame.command == Command.UNREAD:
            self._on_unread(payload)
        elif frame.command == Command.LOGOUT:
            self.close_reason = f"server logout: {payload.status.reason if payload else ''}"

    def _on_unread(self, dl: pb.CommUnreadDL) -> None:
        with self._pending_lock:
            waiters, self._unread_waiters = self._unread_waiters, []
        for fut in waiters:
            fut.set_result(dl)
        keys = [_queue_key(mq.queue) for mq in dl.unread]
        if self._initial_queues is None:
            self._initial_queues = set(keys)
            if not keys:
                self.offline_synced.set()
        for mq in dl.unread:
            self._start_pull(mq.queue)

    def _start_pull(self, queue: pb.JID) -> None:
        key = _queue_key(queue)
        with self._queues_lock:
            state = self._queues.get(key)
            if state is None:
                jid = pb.JID()
                jid.CopyFrom(queue)
                state = self._queues[key] = _QueueState(jid)
            if state.pulling or state.held_key is not None:
                state.repull = state.pulling
                return
            state.pulling = True
        self.send_sync(pb.CommSyncUL(queue=queue))

    def _on_sync(self, dl: pb.CommSyncDL) -> None:
        if dl.metaId:
            self._resolve_ack(dl)
            return
        # The ack (pull with key) goes out before the metas become visible in the inbox, so a test
        # that saw a message and then makes any round trip knows the server has the ack.
        next_ul = self._advance_pull(dl) if dl.HasField("queue") else None
        if next_ul is not None:
            self.send_sync(next_ul)
        queue_text = jid_text(dl.queue) if dl.HasField("queue") else "?"
        if dl.metas:
            self.inbox.put_many(self._decode_metas(dl.metas, queue_text))
        if dl.status.errorCode != ErrorCode.OK:
            self.inbox.put(ServerError(dl.status.errorCode, dl.status.reason))

    def _decode_metas(self, metas: Any, queue_text: str) -> list[Any]:
        """Downstream metas → inbox items (a load generator overrides it with a leaner record)."""
        return [messages.decode_meta(m, queue_text) for m in metas]

    def _advance_pull(self, dl: pb.CommSyncDL) -> pb.CommSyncUL | None:
        """The next step of a queue's pull loop after `dl`, or None when the loop rests."""
        key = _queue_key(dl.queue)
        with self._queues_lock:
            state = self._queues.get(key)
            if state is None or not state.pulling:
                return None  # unsolicited direct push (metas + isLast): nothing to acknowledge
            if dl.metas and dl.HasField("nextKey") and not dl.isLast:
                if not self.auto_ack:
                    state.pulling, state.held_key = False, dl.nextKey
                    return None
                return pb.CommSyncUL(queue=state.jid, key=dl.nextKey)
            # drained (or a reply we cannot continue from): the loop ends here
            state.pulling = False
            if state.repull:
                state.repull, state.pulling = False, True
                return pb.CommSyncUL(queue=state.jid)
            if self._initial_queues is not None and key in self._initial_queues:
                self._initial_queues.discard(key)
                if not self._initial_queues:
                    self.offline_synced.set()
            return None

    def _resolve_ack(self, dl: pb.CommSyncDL) -> None:
        with self._pending_lock:
            fut = self._pending.pop(dl.metaId, None)
        ack = Ack(dl.metaId, dl.status.errorCode, dl.status.reason, dl.serverId, dl.timestamp, list(dl.metas))
        if fut is None:
            self.inbox.put(ServerError(dl.status.errorCode, dl.status.reason, meta_id=dl.metaId))
        elif not fut.done():
            fut.set_result(ack)

    def _log(self, direction: str, frame: pb.MSync, payload: Any) -> None:
        if self.wire_log is not None:
            self.wire_log.record_frame(self._channel, direction, frame, lambda: payload)


_DOWN = {Command.SYNC: pb.CommSyncDL, Command.UNREAD: pb.CommUnreadDL, Command.NOTICE: pb.CommNotice,
         Command.PROVISION: pb.Provision, Command.LOGOUT: pb.Logout}
_UP = {Command.SYNC: pb.CommSyncUL, Command.UNREAD: pb.CommUnreadUL, Command.PROVISION: pb.Provision,
       Command.LOGOUT: pb.Logout}


def _decode_payload(frame: pb.MSync, upstream: bool) -> Any:
    cls = (_UP if upstream else _DOWN).get(frame.command)
    return cls.FromString(frame.payload) if cls is not None else None
