"""Raw msync clients for the sandbox self-tests: generated protobuf only, independent of im_client's client."""
from __future__ import annotations

import abc
import itertools
import secrets
import socket
import struct
import time

import websocket

from im_wire import USER_DOMAIN, FrameDecoder, encode_frame, pb
from im_sandbox import SandboxConfig, SandboxHandle, start_in_thread

SYNC, UNREAD, NOTICE, PROVISION, LOGOUT = range(5)
_ids = itertools.count(500_000_000_001)


def local_id() -> int:
    return next(_ids)


def unique_name(prefix: str = "u") -> str:
    return f"{prefix}{secrets.token_hex(5)}"


def start_sandbox(data_dir, **overrides) -> SandboxHandle:
    """An in-process sandbox on free loopback ports."""
    settings = {"http_port": 0, "tcp_port": 0, "log_level": "DEBUG", **overrides}
    return start_in_thread(SandboxConfig(data_dir=data_dir, **settings))


class Closed(Exception):
    """The server closed the connection."""


# -- msync ----------------------------------------------------------------------------------------
def msync(command: int, payload=None, **fields) -> bytes:
    m = pb.MSync(version=pb.MSync.MSYNC_V1, command=command, **fields)
    if payload is not None:
        m.payload = payload if isinstance(payload, bytes) else payload.SerializeToString()
    return m.SerializeToString()


def user_jid(appkey: str, name: str, resource: str | None = None) -> pb.JID:
    jid = pb.JID(appKey=appkey, name=name, domain=USER_DOMAIN)
    if resource:
        jid.clientResource = resource
    return jid


def decode_payload(msg: pb.MSync):
    cls = {SYNC: pb.CommSyncDL, UNREAD: pb.CommUnreadDL, NOTICE: pb.CommNotice,
           PROVISION: pb.Provision, LOGOUT: pb.Logout}[msg.command]
    return cls.FromString(msg.payload)


class MsyncClient(abc.ABC):
    """Blocking client: send raw bytes or protocol frames; read frames with timeouts (never sleeps)."""

    kind = "?"

    def __init__(self, info: dict):
        self.info = info
        self.appkey = info["appkey"]
        self.user: str | None = None
        self.resource: str | None = None
        self.backlog: list[pb.MSync] = []

    # transport primitives
    @abc.abstractmethod
    def send_raw(self, data: bytes) -> None:
        """Write bytes as they are."""

    @abc.abstractmethod
    def _recv_raw(self, timeout: float) -> bytes | None:
        """One MSync body, or None on timeout."""

    @abc.abstractmethod
    def close(self) -> None:
        """Close the connection."""

    def recv(self, timeout: float = 5.0) -> pb.MSync:
        if self.backlog:
            return self.backlog.pop(0)
        data = self._recv_raw(timeout)
        if data is None:
            raise TimeoutError(f"no frame within {timeout}s")
        return pb.MSync.FromString(data)

    def expect(self, command: int, timeout: float = 5.0, skip=(NOTICE,)):
        """Next frame of `command` (decoded payload); frames of `skip` commands are kept for later."""
        deadline = time.monotonic() + timeout
        kept = []
        try:
            while True:
                for i, m in enumerate(self.backlog):
                    if m.command == command:
                        del self.backlog[i]
                        return decode_payload(m)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no command {command} within {timeout}s")
                data = self._recv_raw(left)
                if data is None:
                    raise TimeoutError(f"no command {command} within {timeout}s (kept {kept})")
                m = pb.MSync.FromString(data)
                if m.command == command:
                    return decode_payload(m)
                if m.command in skip:
                    kept.append(m)
                else:
                    raise AssertionError(f"expected command {command}, got {m}")
        finally:
            self.backlog.extend(kept)

    def assert_silent(self, timeout: float = 0.3) -> None:
        assert not self.backlog, self.backlog
        data = self._recv_raw(timeout)
        assert data is None, pb.MSync.FromString(data)

    def wait_closed(self, timeout: float = 5.0) -> list[pb.MSync]:
        """Read until the server closes; returns the frames received before."""
        frames = list(self.backlog)
        self.backlog.clear()
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("connection still open")
            try:
                data = self._recv_raw(left)
            except Closed:
                return frames
            if data is None:
                raise TimeoutError("connection still open")
            frames.append(pb.MSync.FromString(data))

    # protocol steps
    def provision(self, user: str, token: str | None = None, password: str | None = None,
                  resource: str | None = None, expect_ok: bool = True, **prov_fields) -> pb.Provision:
        resource = resource if resource is not None else "py_" + secrets.token_hex(4)
        guid = user_jid(self.appkey, user, resource)
        prov = pb.Provision(osType=pb.Provision.OS_OTHER, version="4.21.1", deviceName="webim",
                            resource=resource, **prov_fields)
        prov.compressType.append(pb.Provision.COMPRESS_NONE)
        kw = {}
        if token is not None:
            kw["auth"] = "$t$" + token
        elif password is not None:
            kw["auth"] = password
        self.send_raw(msync(PROVISION, prov, guid=guid, **kw))
        reply = self.expect(PROVISION)
        if expect_ok:
            assert reply.status.errorCode == 0, reply
            self.user, self.resource = user, reply.resource
        return reply

    def unread(self) -> pb.CommUnreadDL:
        self.send_raw(msync(UNREAD))
        return self.expect(UNREAD)

    def send_meta(self, meta: pb.Meta) -> pb.CommSyncDL:
        self.send_raw(msync(SYNC, pb.CommSyncUL(meta=meta)))
        return self.expect(SYNC)

    def chat_meta(self, to: str, text: str = "hello", msg_type=pb.MessageBody.CHAT, meta_id: int | None = None,
                  **meta_fields) -> pb.Meta:
        body = pb.MessageBody(type=msg_type)
        getattr(body, "from").name = self.user or ""
        body.to.name = to
        content = body.contents.add()
        if msg_type == pb.MessageBody.CHAT:
            content.type = pb.MessageBody.Content.TEXT
            content.text = text
        return pb.Meta(id=meta_id if meta_id is not None else local_id(), to=user_jid(self.appkey, to),
                       ns=pb.Meta.CHAT, payload=body.SerializeToString(), **meta_fields)

    def send_text(self, to: str, text: str = "hello", **kw) -> pb.CommSyncDL:
        meta = self.chat_meta(to, text, **kw)
        ack = self.send_meta(meta)
        assert ack.metaId == meta.id, ack
        return ack

    def pull(self, queue: pb.JID, key: int | None = None) -> pb.CommSyncDL:
        ul = pb.CommSyncUL(queue=queue)
        if key is not None:
            ul.key = key
        self.send_raw(msync(SYNC, ul))
        return self.expect(SYNC)

    def drain(self, queue: pb.JID) -> list[pb.Meta]:
        """Full pull loop: pages with nextKey until isLast (acknowledging everything)."""
        metas: list[pb.Meta] = []
        key = None
        for _ in range(1000):
            dl = self.pull(queue, key)
            assert dl.status.errorCode == 0, dl
            if dl.isLast:
                assert not dl.metas
                return metas
            assert dl.metas and dl.nextKey == dl.metas[-1].id
            metas.extend(dl.metas)
            key = dl.nextKey
        raise AssertionError("queue never drained")

    def logout(self) -> None:
        """LOGOUT and wait for the close: the server has forgotten the device once this returns."""
        self.send_raw(msync(LOGOUT, pb.Logout(reason="inner:logout")))
        assert self.expect(LOGOUT).status.errorCode == 0
        self.wait_closed()

    def notice(self, timeout: float = 5.0) -> pb.CommNotice:
        return self.expect(NOTICE, timeout, skip=())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class TcpClient(MsyncClient):
    kind = "tcp"

    def __init__(self, info: dict):
        super().__init__(info)
        self.sock = socket.create_connection((info["tcp_host"], info["tcp_port"]), timeout=5)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.decoder = FrameDecoder()
        self.frames: list[bytes] = []
        self.eof = False

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(encode_frame(data))

    def send_bytes(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _recv_raw(self, timeout: float) -> bytes | None:
        deadline = time.monotonic() + timeout
        while not self.frames:
            if self.eof:
                raise Closed()
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(1 << 16)
            except socket.timeout:
                return None
            except (ConnectionResetError, BrokenPipeError):
                self.eof = True
                continue
            if not chunk:
                self.eof = True
                continue
            self.frames.extend(self.decoder.feed(chunk))
        return self.frames.pop(0)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


class WsClient(MsyncClient):
    kind = "ws"

    def __init__(self, info: dict, path: str = "/websocket"):
        super().__init__(info)
        url = info["ws_url"].rsplit("/", 1)[0] + path
        self.ws = websocket.create_connection(url, timeout=5)
        self.close_status: int | None = None
        self.close_reason = ""  # the close frame's text

    def send_raw(self, data: bytes) -> None:
        self.ws.send_binary(data)

    def send_text_frame(self, text: str) -> None:
        self.ws.send(text)

    def _recv_raw(self, timeout: float) -> bytes | None:
        if self.close_status is not None:
            raise Closed()
        self.ws.settimeout(timeout)
        try:
            opcode, data = self.ws.recv_data(control_frame=True)
        except websocket.WebSocketTimeoutException:
            return None
        except (websocket.WebSocketConnectionClosedException, ConnectionResetError, BrokenPipeError):
            self.close_status = -1
            raise Closed()
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            self.close_status = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 1005
            self.close_reason = data[2:].decode("utf-8", "replace")
            raise Closed()
        if opcode in (websocket.ABNF.OPCODE_PING, websocket.ABNF.OPCODE_PONG):
            return self._recv_raw(timeout)
        return data

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:
            pass


CLIENTS = {"tcp": TcpClient, "ws": WsClient}
