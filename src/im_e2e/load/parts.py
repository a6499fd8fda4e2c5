"""What each worker of a distributed cell measured, as Locust messages (msgpack: plain lists,
strings and numbers), and the merge of the workers' parts into one view of the cell.

A worker sends two parts: after sending, its senders' `sent` and `acks`; after the drain, its
members' receipts, its HDR latency histogram and its live deliveries per second.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from hdrh.histogram import HdrHistogram

from .ledger import Receipts, Recorder


def sent_part(sent: dict[int, tuple], acks: dict[int, tuple], **extra: Any) -> dict[str, Any]:
    return {"sent": [[seq, *row] for seq, row in sent.items()],
            "acks": [[seq, *row] for seq, row in acks.items()], **extra}


def merge_sent(parts: Iterable[dict[str, Any]]) -> tuple[dict[int, tuple], dict[int, tuple]]:
    """All workers' sent and acks maps; a seq sent by two workers is a partition error."""
    sent: dict[int, tuple] = {}
    acks: dict[int, tuple] = {}
    for part in parts:
        for seq, *row in part["sent"]:
            if seq in sent:
                raise ValueError(f"message seq {seq} sent by two workers")
            sent[seq] = tuple(row)
        for seq, *row in part["acks"]:
            acks[seq] = tuple(row)
    return sent, acks


def receipts_to_wire(r: Receipts) -> dict[str, Any]:
    return {"name": r.name, "transport": r.transport, "phase": r.phase, "worker": r.worker,
            "last_at": r.last_at, "seen": [[seq, count] for seq, count in r.seen.items()]}


def receipts_from_wire(data: dict[str, Any]) -> Receipts:
    return Receipts(data["name"], data["transport"], data["phase"], Counter(dict(map(tuple, data["seen"]))),
                    data["last_at"], data["worker"])


def received_part(receipts: Iterable[Receipts], recorder: Recorder, **extra: Any) -> dict[str, Any]:
    return {"receipts": [receipts_to_wire(r) for r in receipts],
            "latency": recorder.latency.encode().decode("ascii"),
            "per_second": [[second, n] for second, n in recorder.per_second.items()], **extra}


def merge_received(parts: Iterable[dict[str, Any]], unreported: dict[str, tuple[str, str]]
                   ) -> tuple[dict[str, Receipts], HdrHistogram, Counter]:
    """Receipts by member, one latency histogram, deliveries per second. `unreported` is name →
    (worker, transport) of the members and senders of workers that sent no part: they get empty
    receipts, so what they should have received counts as lost."""
    receipts: dict[str, Receipts] = {}
    latency = Recorder("").latency
    per_second: Counter = Counter()
    for part in parts:
        for data in part["receipts"]:
            if data["name"] in receipts:
                raise ValueError(f"member {data['name']} reported by two workers")
            receipts[data["name"]] = receipts_from_wire(data)
        latency.add(HdrHistogram.decode(part["latency"]))
        per_second.update({int(second): n for second, n in part["per_second"]})
    for name, (worker, transport) in unreported.items():
        receipts.setdefault(name, Receipts(name, transport, "live", worker=worker))
    return receipts, latency, per_second
