"""The bytes of the multiplex member engine: both transports as incremental codecs over whatever a
non-blocking socket returned, and the few client frames a receiving member sends, serialized once
and spliced where only a number changes.

- TCP: a 4-byte big-endian length + one MSync (im_wire.framing).
- WebSocket (RFC 6455, client side): the upgrade request and its 101 answer, masked binary frames
  up, unmasked frames down (binary = one MSync; ping answered with pong; close ends the stream;
  fragments joined). No extensions are asked for, so none are used.

Everything here is pure: bytes in, bytes out, no sockets, so it is tested frame by frame.
"""
from __future__ import annotations

import base64
import hashlib
import os
import random
import struct
from urllib.parse import urlsplit

from im_wire import USER_DOMAIN, pb
from im_wire.framing import MAX_FRAME_SIZE, FrameDecoder, FrameTooLarge, encode_frame
from im_wire.varint import varint

Command = pb.MSync.Command
WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
MAX_HANDSHAKE = 16384


class StreamClosed(Exception):
    """The peer ended the stream (WebSocket close, or bytes that break the framing)."""


# -- client frames --------------------------------------------------------------------------------
_SYNC_HEAD = pb.MSync(command=Command.SYNC).SerializeToString()               # field 8
_SYNC_TAIL = pb.MSync(encryptType=[pb.ENCRYPT_NONE]).SerializeToString()      # field 11
UNREAD = pb.MSync(command=Command.UNREAD, encryptType=[pb.ENCRYPT_NONE]).SerializeToString()


def sync_frame(ul: bytes) -> bytes:
    """MSync{command: SYNC, payload: ul, encryptType: [NONE]}, fields in number order as protobuf writes them."""
    return _SYNC_HEAD + b"\x4a" + varint(len(ul)) + ul + _SYNC_TAIL


class Pulls:
    """The pull frames of one queue: without a key (start the loop) and with one (acknowledge every
    message up to it and ask for the next page), CommSyncUL{queue[, key]} inside a SYNC MSync."""

    __slots__ = ("queue", "start", "_queue_field")

    def __init__(self, queue_jid: bytes):
        self.queue = queue_jid
        self._queue_field = b"\x1a" + varint(len(queue_jid)) + queue_jid  # CommSyncUL.queue = 3
        self.start = sync_frame(self._queue_field)

    def ack(self, key: int) -> bytes:
        return sync_frame(b"\x10" + varint(key) + self._queue_field)  # CommSyncUL.key = 2


def provision_frame(appkey: str, name: str, token: str, resource: str, session_id: str) -> bytes:
    """The login frame im_client sends (docs/protocol/msync.md §3.2), token auth."""
    jid = pb.JID(appKey=appkey, name=name, domain=USER_DOMAIN, clientResource=resource)
    prov = pb.Provision(osType=pb.Provision.OS_LINUX, version="im_e2e.load", compressType=[pb.Provision.COMPRESS_NONE],
                        encryptType=[pb.ENCRYPT_NONE], deviceUuid=resource, deviceName="im_e2e.load",
                        resource=resource, actionVersion="v5.2", sessionId=session_id,
                        authToken='{"token":"$t$%s"}' % token)
    return pb.MSync(version=pb.MSync.MSYNC_V1, command=Command.PROVISION, guid=jid, auth=f"$t${token}", deviceId=0,
                    encryptType=[pb.ENCRYPT_NONE], payload=prov.SerializeToString()).SerializeToString()


def logout_frame(session_id: str, token: str, reason: str = "inner:logout") -> bytes:
    return pb.MSync(command=Command.LOGOUT, auth=f"$t${token}", encryptType=[pb.ENCRYPT_NONE],
                    payload=pb.Logout(sessionId=session_id, reason=reason).SerializeToString()).SerializeToString()


# -- transports -----------------------------------------------------------------------------------
class TcpCodec:
    """Length-prefixed MSync bodies both ways."""

    __slots__ = ("_decoder",)
    handshake = b""
    open = True
    replies: tuple = ()  # TCP has no control frames to answer

    def __init__(self, limit: int = MAX_FRAME_SIZE):
        self._decoder = FrameDecoder(limit)

    def feed(self, data: bytes) -> list[bytes]:
        try:
            return self._decoder.feed(data)
        except FrameTooLarge as exc:
            raise StreamClosed(str(exc)) from exc

    @staticmethod
    def encode(body: bytes) -> bytes:
        return encode_frame(body)


class WsCodec:
    """Client side of RFC 6455 over one connection: `handshake` is the upgrade request to send first;
    `feed` returns the MSync bodies of the binary messages once the 101 answer has been read;
    `replies` holds the pongs owed to the server's pings (the caller sends and clears them)."""

    __slots__ = ("handshake", "open", "limit", "replies", "_accept", "_buf", "_parts", "_rand")

    def __init__(self, url: str, limit: int = MAX_FRAME_SIZE):
        parts = urlsplit(url)
        if parts.scheme != "ws":
            raise ValueError(f"the multiplex engine speaks ws:// only (no TLS); got {url!r}: "
                             "use --member-engine gevent")
        key = base64.b64encode(os.urandom(16))
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        self.handshake = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          f"Sec-WebSocket-Key: {key.decode()}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()
        self._accept = base64.b64encode(hashlib.sha1(key + WS_GUID).digest())
        self.open = False  # the 101 answer has not been read yet
        self.limit = limit
        self._buf = b""
        self._parts: list[bytes] = []
        self.replies: list[bytes] = []
        self._rand = random.Random(os.urandom(8)).getrandbits

    def _upgrade(self) -> None:
        end = self._buf.find(b"\r\n\r\n")
        if end < 0:
            if len(self._buf) > MAX_HANDSHAKE:
                raise StreamClosed("websocket handshake answer too long")
            return
        head, self._buf = self._buf[:end].decode("latin-1"), self._buf[end + 4:]
        status, *lines = head.split("\r\n")
        if status.split(" ", 2)[1:2] != ["101"]:
            raise StreamClosed(f"websocket upgrade refused: {status}")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
        if headers.get("sec-websocket-accept", "").encode() != self._accept:
            raise StreamClosed("websocket upgrade: wrong Sec-WebSocket-Accept")
        if headers.get("sec-websocket-extensions"):
            raise StreamClosed(f"websocket upgrade: unasked extensions {headers['sec-websocket-extensions']}")
        self.open = True

    def feed(self, data: bytes) -> list[bytes]:
        buf = self._buf + data if self._buf else data
        self._buf = buf
        if not self.open:
            self._upgrade()
            if not self.open:
                return []
            buf = self._buf
        out: list[bytes] = []
        pos, size = 0, len(buf)
        while size - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            n, head = b1 & 0x7F, 2
            if n == 126:
                if size - pos < 4:
                    break
                n, head = (buf[pos + 2] << 8) | buf[pos + 3], 4
            elif n == 127:
                if size - pos < 10:
                    break
                n, head = struct.unpack_from(">Q", buf, pos + 2)[0], 10
            if n > self.limit:
                raise StreamClosed(f"websocket frame of {n} bytes exceeds the {self.limit}-byte limit")
            masked = b1 & 0x80
            if masked:
                head += 4
            end = pos + head + n
            if end > size:
                break
            payload = buf[pos + head:end]
            if masked:
                payload = _xor(payload, buf[pos + head - 4:pos + head])
            pos = end
            opcode = b0 & 0x0F
            if opcode == OP_BINARY or opcode == OP_TEXT or opcode == OP_CONT:
                if b0 & 0x80:
                    if self._parts:
                        self._parts.append(payload)
                        payload, self._parts = b"".join(self._parts), []
                    out.append(payload)
                else:
                    self._parts.append(payload)
            elif opcode == OP_PING:
                self.replies.append(self._frame(OP_PONG, payload))
            elif opcode == OP_CLOSE:
                self._buf = b""
                code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None
                raise StreamClosed(f"websocket closed by peer: {code} {payload[2:].decode(errors='replace')}".strip())
        self._buf = buf[pos:] if pos < size else b""
        return out

    def encode(self, body: bytes) -> bytes:
        return self._frame(OP_BINARY, body)

    def _frame(self, opcode: int, payload: bytes) -> bytes:
        n = len(payload)
        if n < 126:
            head = bytes((0x80 | opcode, 0x80 | n))
        elif n < 65536:
            head = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
        else:
            head = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
        mask = self._rand(32).to_bytes(4, "big")
        return head + mask + _xor(payload, mask)

    def close_frame(self) -> bytes:
        return self._frame(OP_CLOSE, (1000).to_bytes(2, "big"))


def _xor(data: bytes, mask: bytes) -> bytes:
    n = len(data)
    if not n:
        return b""
    keys = (mask * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "little") ^ int.from_bytes(keys, "little")).to_bytes(n, "little")
