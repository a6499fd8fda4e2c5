"""TCP (4-byte length framing, asyncio.Protocol) and WebSocket (one binary message = one MSync)."""
from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import TYPE_CHECKING

from aiohttp import WSCloseCode, WSMsgType, web

from im_wire import MAX_FRAME_SIZE, ErrorCode, FrameDecoder, FrameTooLarge, Reason, encode_frame

from .context import CTX_KEY
from ..ids import now_ms
from . import replies
from .connection import Connection

if TYPE_CHECKING:
    from .context import Context

log = logging.getLogger(__name__)

# how long a server-closed TCP connection keeps draining the peer's input before closing hard
LINGER_SECONDS = 2.0


def _peer_text(peer) -> str:
    if isinstance(peer, tuple) and len(peer) >= 2:
        return f"{peer[0]}:{peer[1]}"
    return str(peer)


# -- TCP ------------------------------------------------------------------------------------------
class _TcpTransport:
    """Frames sent during one event-loop iteration leave in one write (one syscall)."""

    kind = "tcp"
    __slots__ = ("_transport", "_paused", "_linger", "_out", "_out_bytes", "_loop")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop):
        self._transport = transport
        self._loop = loop
        self._paused = False
        self._linger: asyncio.TimerHandle | None = None
        self._out: list[bytes] = []
        self._out_bytes = 0

    def send(self, frame: bytes) -> None:
        if not self._out:
            self._loop.call_soon(self.flush)
        data = encode_frame(frame)
        self._out.append(data)
        self._out_bytes += len(data)

    def buffered(self) -> int:
        """Bytes accepted for this peer and not yet handed to the kernel."""
        return self._out_bytes + self._transport.get_write_buffer_size()

    def flush(self) -> None:
        out, self._out, self._out_bytes = self._out, [], 0
        transport = self._transport
        if not out or transport.is_closing() or self._linger is not None:
            return
        transport.write(b"".join(out) if len(out) > 1 else out[0])

    def abort(self) -> None:
        """Drop the connection and whatever is still buffered for it (a peer that does not read)."""
        self._out, self._out_bytes = [], 0
        if self._linger is not None:
            self._linger.cancel()
            self._linger = None
        self._transport.abort()

    def close(self, code: int = 1000, message: str = "") -> None:
        """Lingering close: flush, send FIN, discard whatever the peer still sends, then close.

        Closing a socket with unread input makes the kernel reset the connection, which can
        destroy the last frames (a kick, an error) before the peer reads them.
        """
        self.flush()
        transport = self._transport
        if transport.is_closing() or self._linger is not None:
            return
        if code == 1001 or not transport.can_write_eof():  # shutdown: no need to be gentle
            transport.close()
            return
        try:
            transport.write_eof()
        except OSError:  # the peer is already gone
            transport.abort()
            return
        self._linger = self._loop.call_later(LINGER_SECONDS, transport.close)

    def lost(self) -> None:
        if self._linger is not None:
            self._linger.cancel()


class TcpProtocol(asyncio.Protocol):
    def __init__(self, ctx: "Context"):
        self.ctx = ctx
        self.decoder = FrameDecoder(MAX_FRAME_SIZE)
        self.tx: _TcpTransport | None = None
        self.conn: Connection | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.ctx.hub.open_transports.add(transport)
        self.tx = _TcpTransport(transport, self.ctx.loop)  # type: ignore[arg-type]
        self.conn = Connection(self.ctx, self.tx, _peer_text(transport.get_extra_info("peername")))

    def data_received(self, data: bytes) -> None:
        conn = self.conn
        if conn is None or conn.closed:
            return
        try:
            frames = self.decoder.feed(data)
        except FrameTooLarge as exc:
            conn.frame_too_large(exc.size)
            return
        try:
            for frame in frames:
                if conn.closed:
                    break
                conn.handle_frame(frame)
        except Exception:  # handle_frame already guards; this keeps the protocol alive regardless
            log.exception("unexpected error on %s", conn.describe())

    def pause_writing(self) -> None:
        if self.tx is not None:
            self.tx._paused = True

    def resume_writing(self) -> None:
        if self.tx is not None:
            self.tx._paused = False

    def eof_received(self) -> bool:
        return False  # close our side too

    def connection_lost(self, exc: Exception | None) -> None:
        if self.tx is not None:
            self.ctx.hub.open_transports.discard(self.tx._transport)
            self.tx.lost()
        if self.conn is not None:
            self.conn.transport_closed()


# -- WebSocket ------------------------------------------------------------------------------------
class _SandboxWebSocket(web.WebSocketResponse):
    """Sends the FRAME_TOO_LARGE error before aiohttp closes an oversized message with 1009."""

    conn: Connection | None = None

    async def close(self, *, code: int = WSCloseCode.OK, message: bytes = b"", drain: bool = True) -> bool:
        conn, self.conn = self.conn, None
        if code == WSCloseCode.MESSAGE_TOO_BIG and conn is not None and not conn.closed and not self.closed:
            conn.count_error(ErrorCode.PB_PARSER_ERROR, Reason.FRAME_TOO_LARGE, "WebSocket message")
            try:
                await self.send_bytes(replies.sync_error(ErrorCode.PB_PARSER_ERROR, Reason.FRAME_TOO_LARGE,
                                                         timestamp=now_ms()))
            except Exception:  # the peer may already be gone
                pass
        return await super().close(code=code, message=message, drain=drain)


class _WsTransport:
    """Frames are queued and written by one task, so `send` stays synchronous and ordered."""

    kind = "ws"
    __slots__ = ("_ws", "_queue", "_queued_bytes", "_task", "_closing", "_loop", "_close_code", "_close_message",
                 "_raw")

    def __init__(self, ws: web.WebSocketResponse, loop: asyncio.AbstractEventLoop,
                 raw: asyncio.BaseTransport | None = None):
        self._ws = ws
        self._loop = loop
        self._raw = raw  # the TCP transport under the WebSocket (write buffer size, abort)
        self._queue: deque[bytes] = deque()
        self._queued_bytes = 0
        self._task: asyncio.Task | None = None
        self._closing = False
        self._close_code = WSCloseCode.OK
        self._close_message = b""

    def send(self, frame: bytes) -> None:
        if self._closing:
            return
        self._queue.append(frame)
        self._queued_bytes += len(frame)
        if self._task is None:
            self._task = self._loop.create_task(self._drain())

    def buffered(self) -> int:
        """Bytes accepted for this peer and not yet handed to the kernel."""
        raw = self._raw
        in_transport = raw.get_write_buffer_size() if raw is not None and not raw.is_closing() else 0
        return self._queued_bytes + in_transport

    def abort(self) -> None:
        """Drop the connection and whatever is still queued for it (a peer that does not read)."""
        self._closing = True
        self._queue.clear()
        self._queued_bytes = 0
        if self._raw is not None:
            self._raw.abort()

    def close(self, code: int = 1000, message: str = "") -> None:
        if self._closing:
            return
        self._closing = True
        self._close_code = code
        self._close_message = message.encode()[:123]  # a close frame's text is at most 123 bytes
        if self._task is None:
            self._task = self._loop.create_task(self._drain())

    async def _drain(self) -> None:
        ws = self._ws
        try:
            while self._queue:
                frame = self._queue.popleft()
                self._queued_bytes -= len(frame)
                await ws.send_bytes(frame)
            if self._closing and not ws.closed:
                await ws.close(code=self._close_code, message=self._close_message)
        except Exception:  # connection reset / already closed: nothing left to deliver to
            self._queue.clear()
            self._queued_bytes = 0
        finally:
            self._task = None

    async def finished(self) -> None:
        task = self._task
        if task is not None:
            try:
                await task
            except BaseException:
                pass


async def websocket_handler(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CTX_KEY]
    # aiohttp refuses messages >= max_msg_size; the limit itself is a legal size (as on TCP)
    ws = _SandboxWebSocket(max_msg_size=MAX_FRAME_SIZE + 1, autoping=True, timeout=2.0)
    await ws.prepare(request)
    tx = _WsTransport(ws, ctx.loop, request.transport)
    peer = request.transport.get_extra_info("peername") if request.transport else request.remote
    conn = Connection(ctx, tx, _peer_text(peer))
    ws.conn = conn
    try:
        async for msg in ws:
            if conn.closed:
                break
            if msg.type == WSMsgType.BINARY:
                if len(msg.data) > MAX_FRAME_SIZE:  # possible after permessage-deflate
                    conn.frame_too_large(len(msg.data))
                    break
                conn.handle_frame(msg.data)
            elif msg.type == WSMsgType.TEXT:
                conn.text_message()
            elif msg.type == WSMsgType.ERROR:
                break
    finally:
        conn.transport_closed()
        await tx.finished()
    return ws
