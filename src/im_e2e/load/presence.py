"""The presence cell (scenarios.toml `[[presence_cell]]`): one user with N subscribers online changes its
status C times; a ledger says, per subscriber and in all, which presence notices arrived, which were
lost, duplicated or late.

    publisher  --REST publish (ext "seq:sent_ms") x C-->  sandbox  --NOTIFY presence x N per change-->  subscribers

Subscribers are im_client sessions (half TCP, half WS) whose inbox keeps only (seq, latency) of the
publisher's presence notices; the publisher publishes through REST every `interval_ms`. After the last
change the cell waits up to `drain_s` for every subscriber to have every change. A notice counts as
late when it arrives more than `late_ms` after its publish was sent.

    python -m im_e2e.load.presence --cell presence-1000 --out reports/presence
    im-e2e load --scenario presence            # the same through the load command (its --target, --out, --scale)
"""
from __future__ import annotations

import argparse
import json
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hdrh.histogram import HdrHistogram

from im_client import Client, RestClient, Target
from im_client.inbox import Inbox
from im_wire import pb

from ..config import TargetConfig
from .ledger import latency_summary
from .provision import PASSWORD, Roster, ensure_users
from .scenarios import MATRIX, presence_rows
from .shares import transport_of
from .target import LoadTarget
from .throttle import Throttle

CONCURRENCY = 32
PUBLISHER_RESOURCE = "load_presence"


@dataclass(frozen=True)
class PresenceCell:
    name: str
    subscribers: int
    changes: int
    interval_ms: int = 200
    late_ms: int = 1000
    drain_s: float = 10.0
    expect: str = "clean"  # clean: lost = 0, duplicates = 0 and late = 0 is a pass


def presence_cells(name: str, scale: float = 1.0, path: Path = MATRIX) -> list[PresenceCell]:
    """The presence cells of scenario `name`, or the one called `name`; `scale` multiplies subscribers."""
    rows = presence_rows(path)
    chosen = [r for r in rows if r["name"] == name or name in r.get("scenarios", ())]
    if not chosen:
        raise KeyError(f"no presence cell or scenario {name!r}; known: {', '.join(r['name'] for r in rows)}")
    fields = set(PresenceCell.__dataclass_fields__)
    cells = [PresenceCell(**{k: v for k, v in row.items() if k in fields}) for row in chosen]
    return [PresenceCell(**{**asdict(c), "subscribers": max(1, round(c.subscribers * scale))}) for c in cells]


@dataclass
class Heard:
    """One subscriber's view: seq -> copies received."""
    name: str
    transport: str
    seen: Counter = field(default_factory=Counter)


class PresenceRecorder:
    def __init__(self, publisher: str, late_ms: int):
        self.publisher, self.late_ms = publisher, late_ms
        self.latency = HdrHistogram(1, 3_600_000_000, 3)
        self.late = 0

    def record(self, heard: Heard, payload: dict) -> None:
        for value in (payload.get("data") or {}).get("values") or []:
            seq, _, sent_ms = str(value.get("ext", "")).partition(":")
            if value.get("uid") != self.publisher or not seq.isdigit() or not sent_ms.isdigit():
                continue
            heard.seen[int(seq)] += 1
            if heard.seen[int(seq)] == 1:
                latency_ms = time.time() * 1000 - int(sent_ms)
                self.latency.record_value(max(1, int(latency_ms * 1000)))
                self.late += latency_ms > self.late_ms


class SubscriberClient(Client):
    """A Client that hands presence notices to the recorder and keeps nothing else (memory stays flat)."""

    recorder: PresenceRecorder
    heard: Heard

    def _decode_metas(self, metas: Any, queue_text: str) -> list[Any]:
        for meta in metas:
            if meta.ns != pb.Meta.NOTIFY:
                continue
            try:
                payload = json.loads(meta.payload)
            except ValueError:
                continue
            if isinstance(payload, dict) and payload.get("type") == "presence":
                self.recorder.record(self.heard, payload)
        return []


def _subscriber(target: Target, name: str, token: str, index: int, recorder: PresenceRecorder) -> SubscriberClient:
    transport = transport_of(index)
    client = SubscriberClient(target, name, token=token, transport=transport, resource=f"load_sub_{transport}",
                              heartbeat_interval=15.0)
    client.recorder, client.heard = recorder, Heard(name, transport)
    client.inbox = Inbox(owner=name)
    client.open()
    return client


def is_presence_scenario(name: str, path: Path = MATRIX) -> bool:
    return any(r["name"] == name or name in r.get("scenarios", ()) for r in presence_rows(path))


def run_presence_cell(cell: PresenceCell, target: LoadTarget | None = None) -> dict[str, Any]:
    """Run one cell on a sandbox of its own (or on `target`, a load target of im-e2e load); returns the
    result with its ledger."""
    with (target or LoadTarget(TargetConfig())).open() as where:
        target = Target.from_info(where.info)
        throttle = Throttle()
        admin = RestClient(target)
        admin.token = admin.must_app_token().access_token
        roster = Roster.new(cell.subscribers + 1, f"{cell.name}-{uuid.uuid4().hex[:6]}")
        ensure_users(admin, throttle, roster.names)
        publisher, names = roster.names[0], roster.names[1:]
        recorder = PresenceRecorder(publisher, cell.late_ms)
        users = RestClient(target)
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            tokens = list(pool.map(lambda n: throttle.must(users.user_token, n, PASSWORD,
                                                           unwrap=lambda b: b["access_token"]), names))
            list(pool.map(lambda n: throttle.must(admin.subscribe_presence, n, [publisher], 3600), names))
            started = time.monotonic()
            clients = list(pool.map(lambda a: _subscriber(target, a[1], a[2], a[0], recorder),
                                    [(i, n, t) for i, (n, t) in enumerate(zip(names, tokens))]))
        login_s = time.monotonic() - started
        try:
            publish_start = time.time()
            for seq in range(cell.changes):
                due = publish_start + seq * cell.interval_ms / 1000
                time.sleep(max(0.0, due - time.time()))  # the cell's own pacing, not a wait for an event
                throttle.must(admin.publish_presence, publisher, PUBLISHER_RESOURCE, 1 + seq % 3,
                              f"{seq}:{int(time.time() * 1000)}")
            publish_end = time.time()
            deadline = time.monotonic() + cell.drain_s
            while time.monotonic() < deadline and not all(len(c.heard.seen) == cell.changes for c in clients):
                time.sleep(0.05)  # polling the recorders; bounded by drain_s
            drained = all(len(c.heard.seen) == cell.changes for c in clients)
        finally:
            for client in clients:
                client.close()
    members = [subscriber_ledger(c.heard, cell.changes) for c in clients]
    ledger = {"subscribers": cell.subscribers, "changes": cell.changes,
              **{k: sum(m[k] for m in members) for k in ("expected", "received", "duplicates", "lost")},
              "late": recorder.late}
    clean = ledger["lost"] == 0 and ledger["duplicates"] == 0 and ledger["late"] == 0
    return {"cell": asdict(cell), "ledger": ledger, "members": members, "drained": drained,
            "latency_ms": latency_summary(recorder.latency), "login_s": round(login_s, 2),
            "publish_s": round(publish_end - publish_start, 2),
            "verdict": ("pass" if clean else "fail") if cell.expect == "clean" else "characterized"}


def subscriber_ledger(heard: Heard, changes: int) -> dict[str, Any]:
    got = {s for s in heard.seen if 0 <= s < changes}
    return {"member": heard.name, "transport": heard.transport, "expected": changes, "received": len(got),
            "duplicates": sum(c - 1 for c in heard.seen.values() if c > 1), "lost": changes - len(got)}


def run_scenario(name: str, scale: float = 1.0, out: Path | None = None, target: LoadTarget | None = None) -> int:
    """Every presence cell of `name`, a line each; presence-results.json in `out`; 1 if one failed."""
    results = []
    for cell in presence_cells(name, scale):
        result = run_presence_cell(cell, target)
        results.append({k: v for k, v in result.items() if k != "members"})
        print(f"{cell.name}: {json.dumps(result['ledger'])} latency {json.dumps(result['latency_ms'])} "
              f"-> {result['verdict']}")
    if out:
        out.mkdir(parents=True, exist_ok=True)
        (out / "presence-results.json").write_text(json.dumps(results, indent=2))
        print(f"results: {out / 'presence-results.json'}")
    return 0 if all(r["verdict"] != "fail" for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m im_e2e.load.presence", description=__doc__.split("\n")[0])
    parser.add_argument("--cell", default="presence", help="a presence cell or scenario (default: presence)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the subscribers")
    parser.add_argument("--out", type=Path, help="write presence-results.json here")
    args = parser.parse_args(argv)
    return run_scenario(args.cell, args.scale, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
