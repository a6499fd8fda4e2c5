"""Idle members: how many connected members one generator process holds, and what each costs.

N users registered through REST, their tokens fetched, then all of them logged in from this process
(half TCP, half WS) on one member engine; they stay connected for `hold` seconds (heartbeats
included), then every one of them must answer an UNREAD round trip. Reported: logins/s, RSS per
member over the process's RSS before the first login, members still connected.

Each engine is measured in a fresh process of its own (`python -m im_e2e.load.idle N ENGINE HOLD`
prints the figures as JSON), so one engine's memory never counts for the other.
"""
from __future__ import annotations

import locust  # noqa: F401,I001  (first: Locust monkey-patches the standard library with gevent)

import json
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass

import gevent
import gevent.pool
import psutil

from im_client import RestClient, Target

from ..sandbox_process import SandboxProcess
from .ledger import LedgerInbox, LoadClient, Receipts, Recorder
from .multiplex import MemberSpec, Multiplexer
from .population import BATCH, PASSWORD
from .shares import transport_of
from .wire import UNREAD

LOGIN_CONCURRENCY = 50  # gevent: sessions opening at once
TOKEN_CONCURRENCY = 16


@dataclass
class Idle:
    engine: str
    members: int
    connected: int
    failures: int
    login_s: float
    rss_before_mb: float
    rss_mb: float
    alive_after_hold: int
    hold_s: float
    first_failure: str | None = None

    @property
    def rss_per_member_kb(self) -> float:
        return (self.rss_mb - self.rss_before_mb) * 1024 / self.connected if self.connected else 0.0

    @property
    def logins_per_s(self) -> float:
        return self.connected / self.login_s if self.login_s else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "rss_per_member_kb": round(self.rss_per_member_kb, 1),
                "logins_per_s": round(self.logins_per_s)}


def tokens_for(target: Target, count: int, prefix: str) -> dict[str, str]:
    admin = RestClient(target)
    admin.token = admin.must_app_token().access_token
    names = [f"{prefix}-{n}" for n in range(count)]
    for start in range(0, len(names), BATCH):
        admin.must_register_users([{"username": n, "password": PASSWORD} for n in names[start:start + BATCH]])
    users = RestClient(target)
    pool = gevent.pool.Pool(TOKEN_CONCURRENCY)
    return dict(zip(names, pool.imap(lambda n: users.must_user_token(n, PASSWORD).access_token, names)))


def hold_idle(target: Target, tokens: dict[str, str], engine: str, hold: float = 20.0) -> Idle:
    me = psutil.Process()
    rss0 = me.memory_info().rss
    names = list(tokens)
    start = time.monotonic()
    if engine == "multiplex":
        mux = Multiplexer(target, Recorder("")).start()
        mux.add(MemberSpec(n, transport_of(i), tokens[n], Receipts(n, transport_of(i), "live"))
                for i, n in enumerate(names))
        while mux.settled < len(names) and not mux.done:
            gevent.sleep(0.05)
        login_s, rss = time.monotonic() - start, me.memory_info().rss
        connected, failures = mux.stats.logged_in, mux.stats.failures
        gevent.sleep(hold)  # the members sit idle: that is what is measured
        alive = _answering_multiplex(mux)
        mux.close(timeout=60)
    else:
        clients, failures = [], []

        def one(i_name: tuple[int, str]) -> None:
            i, name = i_name
            client = LoadClient(target, name, token=tokens[name], transport=transport_of(i), resource=f"idle_{i}",
                                heartbeat_interval=15.0)
            client.inbox = LedgerInbox(Recorder(""), Receipts(name, client.transport_name, "live"))
            try:
                client.open()
                clients.append(client)
            except Exception as exc:  # counted: a member that cannot log in is part of the result
                failures.append(f"{name}: {exc!r}")

        gevent.pool.Pool(LOGIN_CONCURRENCY).map(one, list(enumerate(names)))
        login_s, rss = time.monotonic() - start, me.memory_info().rss
        connected = len(clients)
        gevent.sleep(hold)  # the members sit idle: that is what is measured
        alive = sum(gevent.pool.Pool(LOGIN_CONCURRENCY).imap_unordered(_answers, clients))
        for client in clients:
            client.close()
    return Idle(engine, len(names), connected, len(failures), round(login_s, 2), round(rss0 / 2**20, 1),
                round(rss / 2**20, 1), alive, hold, failures[0] if failures else None)


def _answers(client: LoadClient) -> bool:
    try:
        client.ping(timeout=30)
        return True
    except Exception:
        return False


def _answering_multiplex(mux: Multiplexer, timeout: float = 60.0) -> int:
    """Members that answer an UNREAD sent to each of them now (any inbound frame after it counts)."""
    sent_at = time.monotonic()
    online = [m for m in mux.members.values() if m.state == "online"]
    mux.call(lambda: [m.send(UNREAD) for m in online])
    deadline = sent_at + timeout
    while time.monotonic() < deadline and any(m.last_inbound < sent_at for m in online if m.state == "online"):
        gevent.sleep(0.1)
    return sum(1 for m in online if m.state == "online" and m.last_inbound >= sent_at)


def idle_figures(members: int, engine: str, hold: float = 20.0) -> dict:
    """The figures of `members` idle members on `engine`, measured in a child process."""
    done = subprocess.run([sys.executable, "-m", "im_e2e.load.idle", str(members), engine, str(hold)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"idle members ({engine}) failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    members, engine, hold = int(argv[0]), argv[1], float(argv[2])
    with SandboxProcess() as sandbox:
        target = Target.from_info(sandbox.info)
        tokens = tokens_for(target, members, f"idle-{uuid.uuid4().hex[:6]}")
        print(json.dumps(hold_idle(target, tokens, engine, hold).as_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
