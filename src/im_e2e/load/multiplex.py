"""The multiplex member engine: every member connection of a process on one event loop (epoll in a
plain OS thread), instead of a session with a reader greenlet per connection.

Per loop turn: one `epoll.poll`, one `recv` per readable socket (all the frames it holds are
handled at once), the members' state machines (member.py), then one `send` per connection that
has something to say (its pulls and acks of that turn joined). No greenlet switch per frame, no
future, no lock: the loop thread is the only one touching a member; other threads hand it work
through a queue and a wake-up pipe, and read only counters and the ledger.

It needs nothing but a Target (REST is done by the caller, which hands over the user tokens):
`tcp_host`/`tcp_port` for TCP members, `ws_url` (ws://) for WebSocket members.

Under Locust the standard library is patched by gevent; the loop uses the unpatched socket, epoll
and thread primitives, so it runs beside the gevent hub on a thread of its own (it takes the GIL
only while it has frames to handle).
"""
from __future__ import annotations

import _socket
import collections
import errno
import heapq
import itertools
import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from .ledger import Receipts, Recorder
from .member import CLOSED, ONLINE, Member
from .wire import StreamClosed

HEARTBEAT_INTERVAL = 15.0   # s of inbound silence before an UNREAD (the engine's sessions use the same)
LOGIN_TIMEOUT = 30.0        # s from connect to the PROVISION answer
MAX_LOGINS_IN_FLIGHT = 64   # connections between connect and login at once (the server's accept backlog)
RECV_SIZE = 65536
TICK = 1.0                  # s between heartbeat / login-timeout sweeps


def _original(module: str, name: str) -> Any:
    """The standard library's own object, also when gevent has patched the module."""
    try:
        from gevent import monkey
    except ImportError:  # pragma: no cover - gevent comes with locust
        monkey = None
    if monkey is not None and monkey.is_module_patched(module):
        return monkey.get_original(module, name)
    return getattr(__import__(module), name)


_epoll = _original("select", "epoll")
_start_thread = _original("_thread", "start_new_thread")
EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP = 0x001, 0x004, 0x008, 0x010


@dataclass
class MemberSpec:
    name: str
    transport: str
    token: str
    receipts: Receipts
    pull_delay: float = 0.0


@dataclass
class Stats:
    logged_in: int = 0
    frames_in: int = 0                                  # MSync frames received by every member together
    failures: list[str] = field(default_factory=list)   # "name: reason" of logins that failed
    dropped: list[str] = field(default_factory=list)    # "name: reason" of logged-in members the server dropped
    first_connect: float | None = None                  # monotonic s
    last_login: float | None = None


class Multiplexer:
    def __init__(self, target: Any, recorder: Recorder, *, heartbeat_interval: float = HEARTBEAT_INTERVAL,
                 max_logins: int = MAX_LOGINS_IN_FLIGHT, login_timeout: float = LOGIN_TIMEOUT):
        self.target, self.recorder = target, recorder
        self.heartbeat_interval, self.max_logins, self.login_timeout = heartbeat_interval, max_logins, login_timeout
        self.stats = Stats()
        self.members: dict[str, Member] = {}
        self._addr = {"tcp": _resolve(target.tcp_host, target.tcp_port)}
        ws = urlsplit(target.ws_url)
        if ws.scheme == "ws":
            self._addr["ws"] = _resolve(ws.hostname, ws.port or 80)
        self._incoming: collections.deque[MemberSpec] = collections.deque()
        self._calls: collections.deque[Callable[[], Any]] = collections.deque()
        self._waiting: collections.deque[MemberSpec] = collections.deque()
        self._by_fd: dict[int, Member] = {}
        self._logging_in: set[Member] = set()
        self._timers: list[tuple[float, int, Member, bytes]] = []
        self._timer_ids = itertools.count()
        self._dirty: list[Member] = []
        self._ep = _epoll()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self._ep.register(self._wake_r, EPOLLIN)
        self._stopping = False
        self.running = False
        self.done = False
        self.error: str | None = None

    # -- from other threads -----------------------------------------------------------------------
    def start(self) -> "Multiplexer":
        self.running = True
        _start_thread(self._run, ())
        return self

    def call(self, fn: Callable[[], Any]) -> None:
        """Run `fn` on the loop thread at its next turn (e.g. to make members send); what the members
        queued is sent in that turn."""
        self._calls.append(fn)
        self._wake()

    def add(self, specs: Iterable[MemberSpec]) -> None:
        """Members to connect and log in (at most `max_logins` at once); returns at once."""
        self._incoming.extend(specs)
        self._wake()

    @property
    def settled(self) -> int:
        """Members that logged in or failed to."""
        return self.stats.logged_in + len(self.stats.failures)

    def close(self, timeout: float = 10.0) -> None:
        """LOGOUT every member, close every socket, end the loop thread."""
        if not self.running or self.done:
            return
        self._stopping = True
        self._wake()
        deadline = time.monotonic() + timeout
        while not self.done and time.monotonic() < deadline:
            time.sleep(0.01)  # the loop thread ends by itself; under gevent this yields to the hub

    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"x")
        except BlockingIOError:  # already full of wake-ups
            pass

    # -- the loop thread --------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._loop()
        except BaseException as exc:  # noqa: BLE001 - reported, never swallowed
            self.error = f"member loop failed: {exc!r}"
            self.stats.failures.append(f"(loop): {exc!r}")
        finally:
            self._shutdown()
            self.done = True

    def _loop(self) -> None:
        poll, by_fd, dirty = self._ep.poll, self._by_fd, self._dirty
        monotonic = time.monotonic
        next_tick = monotonic() + TICK
        while not self._stopping:
            timeout = next_tick - monotonic()
            if self._timers:
                timeout = min(timeout, self._timers[0][0] - monotonic())
            events = poll(max(0.0, timeout))
            now = monotonic()
            for fd, ev in events:
                member = by_fd.get(fd)
                if member is None:
                    if fd == self._wake_r:
                        self._drain_wake()
                    continue
                if member.state == "connecting":
                    self._on_connect(member, now)
                    continue
                if ev & (EPOLLIN | EPOLLERR | EPOLLHUP):
                    self._on_readable(member, now)
                if ev & EPOLLOUT and member.state != CLOSED:
                    self._flush(member)
            timers = self._timers
            while timers and timers[0][0] <= now:
                _, _, member, body = heapq.heappop(timers)
                if member.state == ONLINE:
                    member.send(body)
                    dirty.append(member)
            if now >= next_tick:
                next_tick = now + TICK
                self._sweep(now)
            self._admit(now)
            if dirty:
                for member in dirty:
                    if member.out:
                        self._flush(member)
                dirty.clear()

    def _drain_wake(self) -> None:
        try:
            while os.read(self._wake_r, 4096):
                pass
        except BlockingIOError:
            pass
        while self._incoming:
            self._waiting.append(self._incoming.popleft())
        while self._calls:
            self._calls.popleft()()
            self._dirty.extend(m for m in self._by_fd.values() if m.out)

    def _admit(self, now: float) -> None:
        while self._waiting and len(self._logging_in) < self.max_logins:
            self._connect(self._waiting.popleft(), now)

    def _connect(self, spec: MemberSpec, now: float) -> None:
        member = Member(spec.name, spec.transport, spec.token, self.target, spec.receipts, self.recorder, self,
                        pull_delay=spec.pull_delay)
        self.members[spec.name] = member
        if self.stats.first_connect is None:
            self.stats.first_connect = now
        addr = self._addr.get(spec.transport)
        if addr is None:
            self.failed(member, f"no address for transport {spec.transport!r} (ws_url {self.target.ws_url!r})")
            return
        family, sockaddr = addr
        sock = _socket.socket(family, _socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
        member.sock, member.fd = sock, sock.fileno()
        self._by_fd[member.fd] = member
        self._logging_in.add(member)
        code = sock.connect_ex(sockaddr)
        if code not in (0, errno.EINPROGRESS):
            self.failed(member, f"connect to {sockaddr}: {os.strerror(code)}")
            return
        self._ep.register(member.fd, EPOLLOUT)

    def _on_connect(self, member: Member, now: float) -> None:
        code = member.sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_ERROR)
        if code:
            self.failed(member, f"connect ({member.transport}): {os.strerror(code)}")
            return
        self._ep.modify(member.fd, EPOLLIN)
        member.connected()
        self._flush(member)

    def _on_readable(self, member: Member, now: float) -> None:
        try:
            data = member.sock.recv(RECV_SIZE)
        except BlockingIOError:
            return
        except OSError as exc:
            self._drop(member, f"recv failed: {exc}")
            return
        if not data:
            self._drop(member, "connection closed by peer")
            return
        try:
            self.stats.frames_in += member.feed(data, now)
        except StreamClosed as exc:
            self._drop(member, str(exc))
            return
        except Exception as exc:  # a decoding bug ends this member, visibly, not the loop
            self._drop(member, f"member failed: {exc!r}")
            return
        if member.out:
            self._dirty.append(member)

    def _flush(self, member: Member) -> None:
        data = member.pending_out + b"".join(member.out) if member.out else member.pending_out
        member.out.clear()
        if not data:
            return
        try:
            sent = member.sock.send(data)
        except BlockingIOError:
            sent = 0
        except OSError as exc:
            self._drop(member, f"send failed: {exc}")
            return
        was_blocked = bool(member.pending_out)
        member.pending_out = data[sent:]
        if member.pending_out and not was_blocked:
            self._ep.modify(member.fd, EPOLLIN | EPOLLOUT)
        elif was_blocked and not member.pending_out:
            self._ep.modify(member.fd, EPOLLIN)

    def _sweep(self, now: float) -> None:
        for member in [m for m in self._logging_in if now - m.started_at > self.login_timeout]:
            self.failed(member, f"no login within {self.login_timeout:g} s (state {member.state})")
        interval = self.heartbeat_interval
        for member in self._by_fd.values():
            if member.state == ONLINE and now - member.last_inbound >= interval:
                member.heartbeat(now, interval)
                if member.out:
                    self._dirty.append(member)

    def _close_socket(self, member: Member) -> None:
        if member.fd >= 0:
            self._by_fd.pop(member.fd, None)
            try:
                self._ep.unregister(member.fd)
            except (OSError, ValueError):
                pass
            member.sock.close()
            member.fd = -1
        member.state = CLOSED

    def _drop(self, member: Member, reason: str) -> None:
        if member in self._logging_in:
            self.failed(member, reason)
            return
        member.close_reason = reason
        self.stats.dropped.append(f"{member.name}: {reason}")
        self._close_socket(member)

    def _shutdown(self) -> None:
        for member in list(self._by_fd.values()):
            if member.state == ONLINE:
                member.logout()
                if member.transport == "ws":
                    member.out.append(member.codec.close_frame())
                try:
                    member.sock.send(member.pending_out + b"".join(member.out))
                except OSError:
                    pass
            self._close_socket(member)
        self._ep.close()
        os.close(self._wake_r)
        os.close(self._wake_w)

    # -- what members ask of the loop ---------------------------------------------------------
    def logged_in(self, member: Member) -> None:
        self._logging_in.discard(member)
        self.stats.logged_in += 1
        self.stats.last_login = time.monotonic()

    def failed(self, member: Member, reason: str) -> None:
        self._logging_in.discard(member)
        member.close_reason = reason
        self.stats.failures.append(f"{member.name}: {reason}")
        self._close_socket(member)

    def later(self, delay: float, member: Member, body: bytes) -> None:
        heapq.heappush(self._timers, (time.monotonic() + delay, next(self._timer_ids), member, body))


def _resolve(host: str, port: int) -> tuple[int, Any]:
    family, _, _, _, sockaddr = _socket.getaddrinfo(host, port, 0, _socket.SOCK_STREAM)[0]
    return family, sockaddr
