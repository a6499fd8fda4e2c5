"""The transport-independent msync connection state machine.

A transport (TCP or WebSocket, see transports.py) hands over one MSync frame at a time through
`handle_frame`, and gets frames back through its `send`. Everything runs synchronously on the
event loop thread: no handler awaits, so frames are answered in order.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from google.protobuf.message import DecodeError
from google.protobuf.unknown_fields import UnknownFieldSet

from im_wire import ErrorCode, Reason, pb

from .. import reasons
from ..domain.delivery import user_jid
from ..ids import now_ms
from . import replies, wire_text
from .replies import PROVISION, SYNC

SERVER_SENDER = "admin"  # Meta.from of what the server itself sends (kicks), like MUC notices

if TYPE_CHECKING:
    from .context import Context
    from ..domain.results import MetaResult

log = logging.getLogger(__name__)

_COMMAND_FIELD = pb.MSync.DESCRIPTOR.fields_by_name["command"].number


def meta_id_of(payload: bytes) -> int | None:
    """Best-effort Meta.id of a SYNC payload, to echo in an error reply."""
    try:
        ul = pb.CommSyncUL.FromString(payload)
    except DecodeError:
        return None
    return ul.meta.id if ul.HasField("meta") and ul.meta.HasField("id") else None


class Transport(Protocol):
    kind: str

    def send(self, frame: bytes) -> None: ...

    def close(self, code: int = 1000, message: str = "") -> None: ...

    def buffered(self) -> int: ...

    def abort(self) -> None: ...


class Connection:
    __slots__ = (
        "ctx", "transport", "peer", "user", "resource", "errors", "closed", "last_active",
        "notified", "token_expires", "_command", "_provision_timer", "__weakref__",
    )

    def __init__(self, ctx: "Context", transport: Transport, peer: str):
        self.ctx = ctx
        self.transport = transport
        self.peer = peer
        self.user: str | None = None
        self.resource: str | None = None
        self.errors = 0
        self.closed = False
        self.last_active = ctx.loop.time()
        self.notified: set[str] = set()  # queues with an outstanding NOTICE
        self.token_expires: int | None = None
        self._command: int | None = None
        timeout = ctx.config.provision_timeout
        self._provision_timer = ctx.loop.call_later(timeout, self._provision_overdue) if timeout > 0 else None
        ctx.hub.add(self)

    @property
    def provisioned(self) -> bool:
        return self.user is not None

    def describe(self) -> str:
        who = f" {self.user}/{self.resource}" if self.user else ""
        return f"{self.transport.kind} {self.peer}{who}"

    def _provision_overdue(self) -> None:
        """The handshake timeout: no successful PROVISION since the connection opened (activity
        without one does not extend it). TCP has no close frame, so the reason goes as a last
        UNAUTHORIZED status (CommSyncDL); WebSocket closes with 1008 and the reason as its text."""
        self._provision_timer = None
        if self.closed or self.provisioned:
            return
        reason = reasons.PROVISION_TIMEOUT.format(self.ctx.config.provision_timeout)
        if self.transport.kind == "tcp":
            self.send(replies.sync_error(ErrorCode.UNAUTHORIZED, reason, timestamp=now_ms()))
        self.close(reason, code=1008, message=reason)

    # -- inbound -------------------------------------------------------------------------
    def handle_frame(self, data: bytes) -> None:
        if self.closed:
            return
        self.last_active = self.ctx.loop.time()
        errors_before = self.errors
        self._command = None
        try:
            self._dispatch(data)
        except Exception:
            log.exception("unexpected error handling a frame from %s", self.describe())
            self.protocol_error(self._command, ErrorCode.FAIL, reasons.INTERNAL_ERROR)
        if self.errors == errors_before:
            self.errors = 0

    def _dispatch(self, data: bytes) -> None:
        try:
            msg = pb.MSync.FromString(data)
        except DecodeError as exc:
            self.protocol_error(None, ErrorCode.PB_PARSER_ERROR, Reason.BAD_FRAME, f"{len(data)} bytes: {exc}")
            return
        if wire_text.has_bad_text(msg):
            self.protocol_error(None, ErrorCode.PB_PARSER_ERROR, Reason.BAD_FRAME, "invalid UTF-8 in a string field")
            return
        if msg.HasField("command"):
            command = msg.command
        else:
            unknown = [f.data for f in UnknownFieldSet(msg) if f.field_number == _COMMAND_FIELD]
            if unknown:
                self.protocol_error(None, ErrorCode.UNKNOWN_COMMAND, Reason.UNKNOWN_COMMAND, f"command {unknown[0]}")
                return
            command = SYNC  # proto2 default
        self._command = command
        registered = self.ctx.dispatcher.commands.get(command)
        if registered is None:  # NOTICE is server→client only
            self.protocol_error(None, ErrorCode.UNKNOWN_COMMAND, Reason.UNKNOWN_COMMAND,
                                f"client sent {pb.MSync.Command.Name(command)}")
            return
        if self.user is None and command != PROVISION:
            meta_id = meta_id_of(msg.payload) if command == SYNC else None
            self.protocol_error(command, ErrorCode.UNAUTHORIZED, Reason.NOT_PROVISIONED,
                                f"{pb.MSync.Command.Name(command)} before PROVISION", meta_id=meta_id)
            return
        payload_type, handler = registered
        try:
            payload = payload_type.FromString(msg.payload)
        except DecodeError as exc:
            self.protocol_error(command, ErrorCode.PB_PARSER_ERROR, Reason.BAD_PAYLOAD, str(exc))
            return
        if wire_text.payload_has_bad_text(command, payload):
            meta_id = payload.meta.id if command == SYNC and payload.meta.HasField("id") else None
            self.protocol_error(command, ErrorCode.PB_PARSER_ERROR, Reason.BAD_PAYLOAD,
                                "invalid UTF-8 in a string field", meta_id=meta_id)
            return
        handler(self, msg, payload)

    def protocol_error(self, command: int | None, code: int, reason: str, detail: str | None = None,
                       meta_id: int | None = None) -> None:
        """Reply with an error status; after too many in a row, give up on the peer."""
        self.count_error(code, reason, detail)
        self.send(replies.error_for(command, code, reason, meta_id, now_ms()))
        self.check_error_budget()

    def count_error(self, code: int, reason: str, detail: str | None = None) -> None:
        self.errors += 1
        log.warning("%s: %s %s%s", self.describe(), ErrorCode(code).name, reason,
                    f" ({detail})" if detail else "")

    def check_error_budget(self) -> None:
        limit = self.ctx.config.max_consecutive_errors
        if limit and self.errors >= limit and not self.closed:
            log.warning("closing %s after %d consecutive errors", self.describe(), self.errors)
            self.close("too many consecutive errors", code=1008)

    def frame_too_large(self, size: int) -> None:
        """The stream cannot be resynchronised after an oversized frame: report, then close."""
        if self.closed:
            return
        self.count_error(ErrorCode.PB_PARSER_ERROR, Reason.FRAME_TOO_LARGE, f"{size} bytes")
        self.send(replies.sync_error(ErrorCode.PB_PARSER_ERROR, Reason.FRAME_TOO_LARGE, timestamp=now_ms()))
        self.close("frame too large", code=1009)

    def text_message(self) -> None:
        if not self.closed:
            self.last_active = self.ctx.loop.time()
            self.protocol_error(None, ErrorCode.PB_PARSER_ERROR, Reason.BAD_FRAME, "text WebSocket message")

    # -- outbound ------------------------------------------------------------------------
    def send(self, frame: bytes) -> None:
        if not self.closed:
            self.transport.send(frame)
            self._check_outbound()

    def ack(self, meta_id: int | None, result: "MetaResult") -> None:
        """The ack of an upstream meta (CommSyncDL with metaId, serverId, status)."""
        self.send(replies.ack(meta_id, result.code, result.reason, result.server_id,
                              result.timestamp or now_ms(), result.metas))

    def notify(self, qkey: str) -> None:
        """NOTICE a queue, at most once until this device pulls it."""
        if qkey in self.notified or self.closed:
            return
        self.notified.add(qkey)
        self.transport.send(self.ctx.hub.notice_frame(qkey))
        self._check_outbound()

    def _check_outbound(self) -> None:
        """Bounded output: a peer that does not read is dropped, never waited for.

        Over `max_outbound_bytes` of unsent output the connection is aborted (no lingering close:
        the peer would not read that either). Nothing stored is lost: queue items are deleted
        only by the device's own pull with a key, so its next login pulls them again.
        """
        limit = self.ctx.config.max_outbound_bytes
        buffered = self.transport.buffered()
        if not limit or buffered <= limit or self.closed:
            return
        log.warning("dropping %s: %d bytes of output queued, over the limit of %d (the peer does not read)",
                    self.describe(), buffered, limit)
        self.ctx.events.emit("connection.overflow", user=self.user, resource=self.resource,
                             transport=self.transport.kind, buffered=buffered, limit=limit)
        self.close("outbound buffer over its limit", abort=True)

    def kick(self, operation: int, reason: str | None = None) -> None:
        if self.closed:
            return
        name = pb.StatisticsBody.Operation.Name(operation)
        appkey = self.ctx.appkey
        self.send(replies.kick(self.ctx.ids.next(), operation, reason, sender=user_jid(appkey, SERVER_SENDER),
                               to=user_jid(appkey, self.user, self.resource), timestamp=now_ms()))
        self.ctx.events.emit("user.kicked", user=self.user, resource=self.resource, operation=name)
        self.close(f"kicked: {name}")

    # -- teardown ------------------------------------------------------------------------
    def close(self, reason: str, code: int = 1000, abort: bool = False, message: str = "") -> None:
        """Close; `message` is the WebSocket close frame's text (empty unless the peer should read why)."""
        if self.closed:
            return
        self.closed = True
        if self._provision_timer is not None:
            self._provision_timer.cancel()
            self._provision_timer = None
        self.ctx.hub.remove(self)
        if self.user is not None:
            self.ctx.store.devices.touch(self.user, self.resource)
            self.ctx.events.emit("user.disconnected", user=self.user, resource=self.resource, reason=reason)
        log.info("closed %s: %s", self.describe(), reason)
        try:
            if abort:
                self.transport.abort()
            else:
                self.transport.close(code, message)
        except Exception:  # closing must never fail the caller (a kick, a REST request …)
            log.exception("closing the transport of %s failed", self.describe())

    def transport_closed(self) -> None:
        """The peer went away (or the transport closed after our own close)."""
        self.close("connection closed by peer")
