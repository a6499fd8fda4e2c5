"""Transports behind one interface: TCP (length-prefixed MSync) and WebSocket (one binary message
per MSync). A transport moves whole MSync byte strings; it knows nothing of their content."""
from __future__ import annotations

import abc
import socket
import threading
from urllib.parse import urlsplit

import websocket

from .errors import ConnectionClosed
from im_wire.framing import MAX_FRAME_SIZE, FrameDecoder, encode_frame
from .target import Target

TRANSPORTS = ("tcp", "ws")


class Transport(abc.ABC):
    name: str

    def __init__(self, max_frame_size: int = MAX_FRAME_SIZE):
        self.max_frame_size = max_frame_size
        self._send_lock = threading.Lock()
        self.closed = False

    @abc.abstractmethod
    def send(self, body: bytes) -> None:
        """Send one MSync. Safe to call from several threads."""

    @abc.abstractmethod
    def recv(self, timeout: float | None) -> bytes | None:
        """Next MSync, or None when `timeout` passed first. Raises ConnectionClosed at end of stream."""

    @abc.abstractmethod
    def close(self) -> None:
        """Close; further recv() raises ConnectionClosed."""

    @abc.abstractmethod
    def send_raw(self, data: bytes) -> None:
        """Write bytes exactly as given (TCP: no length prefix added): for bad-input tests."""


class TcpTransport(Transport):
    name = "tcp"

    def __init__(self, host: str, port: int, timeout: float = 10.0, **kw):
        super().__init__(**kw)
        self._sock = socket.create_connection((host, port), timeout=timeout)
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._decoder = FrameDecoder(self.max_frame_size)
        self._ready: list[bytes] = []

    def send(self, body: bytes) -> None:
        self.send_raw(encode_frame(body, self.max_frame_size))

    def send_raw(self, data: bytes) -> None:
        if self.closed:
            raise ConnectionClosed("tcp transport is closed")
        try:
            with self._send_lock:
                self._sock.sendall(data)
        except OSError as exc:
            raise ConnectionClosed(f"tcp send failed: {exc}") from exc

    def recv(self, timeout: float | None) -> bytes | None:
        while not self._ready:
            if self.closed:
                raise ConnectionClosed("tcp transport is closed")
            try:
                self._sock.settimeout(timeout)
                chunk = self._sock.recv(262144)
            except socket.timeout:
                return None
            except OSError as exc:
                raise ConnectionClosed(f"tcp recv failed: {exc}") from exc
            if not chunk:
                raise ConnectionClosed("tcp connection closed by peer")
            self._ready.extend(self._decoder.feed(chunk))
        return self._ready.pop(0)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()


class BufferedSocket:
    """A connected socket whose recv() reads up to 64 KiB at once and serves the following calls
    from what is left over. websocket-client asks the socket for each frame's header, length and
    payload separately (and for the handshake one byte at a time): a system call each, which made
    receiving the biggest cost of a client under load."""

    CHUNK = 65536

    def __init__(self, sock: socket.socket):
        self._sock = sock
        self._buf = b""
        self._pos = 0

    def recv(self, size: int) -> bytes:
        if self._pos < len(self._buf):
            end = self._pos + size
            data = self._buf[self._pos:end]
            self._pos = min(end, len(self._buf))
            return data
        chunk = self._sock.recv(max(size, self.CHUNK))
        if len(chunk) <= size:
            return chunk
        self._buf, self._pos = chunk, size
        return chunk[:size]

    def __getattr__(self, name: str):  # send, settimeout, fileno, close, shutdown …
        return getattr(self._sock, name)


class WsTransport(Transport):
    name = "ws"

    def __init__(self, url: str, timeout: float = 10.0, **kw):
        super().__init__(**kw)
        try:
            self._ws = websocket.create_connection(url, timeout=timeout, enable_multithread=False,
                                                   socket=_plain_socket(url, timeout),
                                                   sockopt=((socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),))
        except (OSError, websocket.WebSocketException) as exc:
            raise ConnectionClosed(f"websocket connect to {url} failed: {exc}") from exc

    def send(self, body: bytes) -> None:
        if len(body) > self.max_frame_size:
            from im_wire.framing import FrameTooLarge
            raise FrameTooLarge(len(body), self.max_frame_size)
        self._send(body, websocket.ABNF.OPCODE_BINARY)

    def send_text(self, text: str) -> None:
        """A text message, which the protocol never uses: for bad-input tests."""
        self._send(text, websocket.ABNF.OPCODE_TEXT)

    def send_raw(self, data: bytes) -> None:
        self._send(data, websocket.ABNF.OPCODE_BINARY)

    def _send(self, payload, opcode) -> None:
        if self.closed:
            raise ConnectionClosed("websocket transport is closed")
        try:
            with self._send_lock:
                self._ws.send(payload, opcode)
        except (OSError, websocket.WebSocketException) as exc:
            raise ConnectionClosed(f"websocket send failed: {exc}") from exc

    def recv(self, timeout: float | None) -> bytes | None:
        while True:
            if self.closed:
                raise ConnectionClosed("websocket transport is closed")
            try:
                self._ws.settimeout(timeout)
                opcode, data = self._ws.recv_data(control_frame=False)
            except websocket.WebSocketTimeoutException:
                return None
            except socket.timeout:
                return None
            except (OSError, websocket.WebSocketException) as exc:
                raise ConnectionClosed(f"websocket closed: {exc}") from exc
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                raise ConnectionClosed(f"websocket closed by peer: {close_reason(data)}")
            if opcode == websocket.ABNF.OPCODE_BINARY:
                return data
            if opcode == websocket.ABNF.OPCODE_TEXT:
                # the protocol never sends text; surface it instead of dropping it silently
                return data.encode() if isinstance(data, str) else data

    @property
    def close_status(self) -> int | None:
        return getattr(self._ws, "close_status", None)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self._ws.close(timeout=1)
        except (OSError, websocket.WebSocketException):
            pass


def _plain_socket(url: str, timeout: float) -> BufferedSocket | None:
    """For ws:// URLs our own buffered socket; None for wss:// (websocket-client does TLS)."""
    parts = urlsplit(url)
    if parts.scheme != "ws":
        return None
    sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return BufferedSocket(sock)


def close_reason(data: bytes) -> str:
    if len(data) >= 2:
        code = int.from_bytes(data[:2], "big")
        return f"{code} {data[2:].decode(errors='replace')}".strip()
    return "no status"


def connect(kind: str, target: Target, timeout: float = 10.0, **kw) -> Transport:
    if kind == "tcp":
        try:
            return TcpTransport(target.tcp_host, target.tcp_port, timeout=timeout, **kw)
        except OSError as exc:
            raise ConnectionClosed(f"tcp connect to {target.tcp_host}:{target.tcp_port} failed: {exc}") from exc
    if kind == "ws":
        return WsTransport(target.ws_url, timeout=timeout, **kw)
    raise ValueError(f"unknown transport {kind!r}; expected one of {TRANSPORTS}")
