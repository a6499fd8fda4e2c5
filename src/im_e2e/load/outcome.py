"""What a finished cell measured, turned into its result: the event log's evictions (from whatever
source the cell's sandbox writes: jsonl, a Redis stream, a Kafka topic), the ledger,
the timelines and the validity and verdict of the run. The same for a cell run in one process and
for one whose measurements were merged from several worker processes."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from hdrh.histogram import HdrHistogram

from im_client import ErrorCode

from ..event_sources import source_from_spec
from .ledger import Receipts, cell_ledger, latency_cdf, latency_summary, member_ledger

GENERATOR_SATURATED = 0.9  # share of one core
RATE_TOLERANCE = 0.05


@dataclass
class Measured:
    """What the generator of a cell saw (all its processes together)."""
    t0: float             # epoch s of seq 0
    rate: float           # planned messages/s
    total: int            # planned messages
    sent: dict[int, tuple[str, float, float]]                    # seq → (sender, planned ms, actual ms)
    acks: dict[int, tuple[int, str | None, int | None, float]]   # seq → (code, reason, server id, at ms)
    receipts: dict[str, Receipts]
    latency: HdrHistogram
    per_second: Counter   # live deliveries per second after t0
    failures: list[str]


def accepted_ids(acks: dict[int, tuple]) -> dict[int, int]:
    """seq → server message id of every message acknowledged OK."""
    return {seq: a[2] for seq, a in acks.items() if a[0] == ErrorCode.OK}


def event_log(spec: str, appkey: str) -> Iterator[dict[str, Any]]:
    """Every event of a cell's sandbox, from the source it writes (its info's `event_source`:
    `jsonl:PATH`, `redis://…?stream=KEY` or `kafka://…/TOPIC`); a jsonl file is streamed line by line."""
    if spec in ("", "none"):
        return
    if spec.startswith("jsonl:"):
        path = Path(spec[len("jsonl:"):])
        if path.exists():
            with path.open(encoding="utf-8") as f:
                yield from map(json.loads, f)
        return
    source = source_from_spec(spec, appkey)
    try:
        yield from source.read(0)
    finally:
        source.close()


def with_event_log(result: dict[str, Any], events: Iterable[dict[str, Any]]) -> dict[str, Any]:
    measured: Measured = result.pop("measured")
    accepted: dict[int, int] = result.pop("accepted")
    by_server_id = {sid: seq for seq, sid in accepted.items()}
    evicted: dict[str, set[int]] = {}
    kinds: Counter = Counter()
    for event in events:
        kinds[event["kind"]] += 1
        if event["kind"] == "message.evicted" and event.get("id") in by_server_id:
            evicted.setdefault(event["owner"], set()).add(by_server_id[event["id"]])
    result.pop("pulled_receipts")
    members = []
    for name, receipts in measured.receipts.items():
        expected = {s for s in accepted if measured.sent[s][0] != name}
        members.append(member_ledger(receipts, expected, evicted.get(name, set())))
    refused = sum(1 for a in measured.acks.values() if a[0] != ErrorCode.OK)
    ledger = cell_ledger(members, len(measured.sent), len(accepted), refused, len(measured.sent) - len(measured.acks))
    result.update(ledger=ledger, members=members, events=dict(kinds), evicted_events=sum(map(len, evicted.values())),
                  latency_ms=latency_summary(measured.latency), latency_cdf=latency_cdf(measured.latency),
                  timeline=_timeline(measured))
    result.update(_validity(result, measured))
    return result


def _timeline(measured: Measured) -> dict[str, list]:
    t0 = measured.t0 * 1000
    sends = Counter(int((a - t0) // 1000) for _, _, a in measured.sent.values())
    acks = Counter(int((a[3] - t0) // 1000) for a in measured.acks.values() if a[0] == ErrorCode.OK)
    refusals = Counter(int((a[3] - t0) // 1000) for a in measured.acks.values() if a[0] != ErrorCode.OK)
    seconds = sorted(set(sends) | set(acks) | set(refusals) | set(measured.per_second))
    return {"second": seconds, "sent": [sends[s] for s in seconds], "accepted": [acks[s] for s in seconds],
            "refused": [refusals[s] for s in seconds],
            "delivered_live": [measured.per_second[s] for s in seconds]}


def _validity(result: dict[str, Any], measured: Measured) -> dict[str, Any]:
    cell = result["cell"]
    reasons = []
    by_process = result.get("generator_cpu_by_process") or {"": result["generator_cpu"]}
    for process, cpu in by_process.items():
        if cpu is not None and cpu > GENERATOR_SATURATED:
            reasons.append(f"generator {process + ' ' if process else ''}used {cpu:.0%} of a core")
    sent = len(measured.sent)
    last_actual = max((a for _, _, a in measured.sent.values()), default=measured.t0 * 1000) / 1000
    window = last_actual - measured.t0 + (1 / measured.rate if measured.rate > 0 else 0.0)
    achieved = sent / window if window > 0 and sent else 0.0
    if abs(achieved - measured.rate) > RATE_TOLERANCE * measured.rate or sent < measured.total:
        reasons.append(f"achieved {achieved:.2f} msg/s for {measured.rate:.2f} planned")
    if not result["connected_all"] or measured.failures:
        reasons.append(f"{len(measured.failures)} member logins failed")
    reasons += result.get("distribution_problems", [])
    marker = result.get("event_log_marker")
    if marker is not None and marker["carried"] and marker["seen_after_s"] is None:
        reasons.append(f"the event log never showed the end-of-cell marker {marker['id']}: evictions may be missing")
    lags = sorted(a - p for _, p, a in measured.sent.values())
    ledger = result["ledger"]
    if reasons:
        verdict = "invalid"
    elif cell["expect"] == "clean":
        clean = ledger["lost"] == 0 and ledger["unanswered"] == 0 and ledger["duplicates"] == 0 and result["drained"] \
            and (result["drain_s"] or 0) <= cell["timeout_ms"] / 1000
        verdict = "pass" if clean else "fail"
    else:
        verdict = "characterized"
    return {"valid": not reasons, "invalid_reasons": reasons, "verdict": verdict,
            "achieved_messages_per_s": round(achieved, 3),
            "achieved_deliveries_per_s": round(achieved * (cell["group_size"] - 1), 1),
            "send_lag_ms_p99": round(lags[int(0.99 * (len(lags) - 1))], 1) if lags else None}
