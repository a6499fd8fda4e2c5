"""What each member received, and the ledger of a cell: sent, accepted, refused, delivered live,
pulled after the run, evicted, duplicates, lost = the rest.

Latency is recorded in an HDR histogram (the `hdrhistogram` package), in microseconds.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import gevent
from hdrh.histogram import HdrHistogram

from im_client import Client, ConnectionClosed
from im_client.inbox import Inbox
from im_wire import pb

PERCENTILES = (50, 95, 99, 99.9)
GROUPCHAT = pb.MessageBody.GROUPCHAT
DOUBLE = pb.KeyValue.DOUBLE
FLOAT = pb.KeyValue.FLOAT


class Delivery(NamedTuple):
    """A received group message, as much as the ledger needs of it."""
    to: str
    seq: int | None
    sent_at: float | None


def lean_delivery(meta: pb.Meta) -> Delivery | None:
    """Only MessageBody.to and the ext keys `seq`, `sent_at` (a full decode costs ~3x more)."""
    body = pb.MessageBody.FromString(meta.payload)
    if body.type != GROUPCHAT:
        return None
    seq = sent_at = None
    for kv in body.ext:
        if kv.key == "seq":
            seq = kv.varintValue
        elif kv.key == "sent_at":
            t = kv.type
            sent_at = kv.doubleValue if t == DOUBLE else kv.floatValue if t == FLOAT else float(kv.varintValue)
    return Delivery(body.to.name, seq, sent_at)


class LoadClient(Client):
    """A Client whose inbox gets Delivery records instead of fully decoded messages; with
    `pull_delay` (s) every queue pull (the first after a NOTICE and each acknowledging one) leaves
    that much later, as on a slow uplink: deliveries stay in flight longer, holding their
    traffic-control tickets."""

    def __init__(self, *args: Any, pull_delay: float = 0.0, **kw: Any):
        super().__init__(*args, **kw)
        self.pull_delay = pull_delay
        self.frames_in = 0

    def _handle(self, raw: bytes) -> None:
        self.frames_in += 1
        super()._handle(raw)

    def send_sync(self, ul: pb.CommSyncUL) -> None:
        if self.pull_delay > 0 and not ul.HasField("meta"):
            gevent.spawn_later(self.pull_delay, self._send_late, ul)
        else:
            super().send_sync(ul)

    def _send_late(self, ul: pb.CommSyncUL) -> None:
        try:
            super().send_sync(ul)
        except ConnectionClosed:  # closed at the end of the run meanwhile
            pass

    def _decode_metas(self, metas: Any, queue_text: str) -> list[Any]:
        return [d for d in map(lean_delivery, metas) if d is not None]


def now_ms() -> float:
    return time.time() * 1000


@dataclass
class Receipts:
    """One member device's view of the group: seq → count, and whether it was live or pulled."""
    name: str
    transport: str
    phase: str  # "live" (online during the run) or "pulled" (logged in after it)
    seen: Counter = field(default_factory=Counter)
    last_at: float = 0.0
    worker: str | None = None  # the generator process that held the connection (distributed cells)


class Recorder:
    """Shared by every member of a cell (gevent: one thread, no locks needed)."""

    def __init__(self, group_id: str, t0_ms: float = 0.0):
        self.group_id = group_id
        self.t0_ms = t0_ms
        self.latency = HdrHistogram(1, 3_600_000_000, 3)
        self.per_second: Counter = Counter()
        self.members: dict[str, Receipts] = {}

    def record(self, receipts: Receipts, item: Any) -> None:
        if not isinstance(item, Delivery) or item.to != self.group_id or item.seq is None:
            return
        seq = item.seq
        at = now_ms()
        receipts.seen[seq] += 1
        receipts.last_at = at
        if receipts.phase == "live" and receipts.seen[seq] == 1:
            sent_at = item.sent_at if item.sent_at is not None else at
            self.latency.record_value(max(1, int((at - sent_at) * 1000)))
            self.per_second[int((at - self.t0_ms) // 1000)] += 1


class LedgerInbox(Inbox):
    """An Inbox that records group messages instead of keeping every item (memory stays flat)."""

    def __init__(self, recorder: Recorder, receipts: Receipts):
        super().__init__(owner=receipts.name)
        self.recorder, self.receipts = recorder, receipts

    def put(self, item: Any) -> None:
        self.recorder.record(self.receipts, item)

    def put_many(self, items: list[Any]) -> None:
        for item in items:
            self.recorder.record(self.receipts, item)


def latency_summary(hist: HdrHistogram) -> dict[str, float | None]:
    if hist.get_total_count() == 0:
        return {f"p{p}": None for p in PERCENTILES} | {"max": None, "count": 0}
    out: dict[str, Any] = {f"p{p}": hist.get_value_at_percentile(p) / 1000 for p in PERCENTILES}
    return out | {"max": hist.get_max_value() / 1000, "count": hist.get_total_count()}


def latency_cdf(hist: HdrHistogram) -> list[tuple[float, float]]:
    """(latency ms, cumulative share) points for a CDF plot."""
    total = hist.get_total_count()
    if not total:
        return []
    return [(item.value_iterated_to / 1000, item.total_count_to_this_value / total)
            for item in hist.get_recorded_iterator()]


def member_ledger(receipts: Receipts, expected: set[int], evicted: set[int]) -> dict[str, Any]:
    got = {s for s in receipts.seen if s in expected}
    duplicates = sum(c - 1 for c in receipts.seen.values() if c > 1)
    delivered = len(got)
    evicted_here = len((expected - got) & evicted)
    return {"member": receipts.name, "transport": receipts.transport, "phase": receipts.phase,
            "expected": len(expected), "delivered_live": delivered if receipts.phase == "live" else 0,
            "pulled": delivered if receipts.phase == "pulled" else 0, "evicted": evicted_here,
            "duplicates": duplicates, "lost": len(expected) - delivered - evicted_here,
            "completeness": round(delivered / len(expected), 4) if expected else 1.0, "worker": receipts.worker}


def drained(live: list[Receipts], accepted_from: dict[int, str]) -> bool:
    """Every live member has every accepted message it did not send itself (accepted_from: seq → sender)."""
    return all(all(seq in r.seen for seq, sender in accepted_from.items() if sender != r.name) for r in live)


def cell_ledger(members: list[dict[str, Any]], sent: int, accepted: int, refused: int, unanswered: int) -> dict:
    total = {k: sum(m[k] for m in members) for k in ("expected", "delivered_live", "pulled", "evicted",
                                                    "duplicates", "lost")}
    return {"sent": sent, "accepted": accepted, "refused": refused, "unanswered": unanswered, **total}
