"""The ledger reads a target's event log only once a marker it wrote itself is there.

An event log is written behind the service: the sandbox hands its events to the sink every 0.2 s, a
cluster's Kafka pipeline lags by more. Read straight after the pull, the log misses the last
message's events (every offline member's last eviction among them). So after the pull the cell's
first sender sends one REST message to itself, and the log is read again until that message's
`message.upstream` event shows up: everything the cell caused was logged before it. A log without
any `message.upstream` (a cluster's event mapping may leave that kind out) is read as it is. (A sink that
keeps the order the events happened in is assumed, as the sandbox's jsonl, Redis and one-partition
Kafka sinks do; on a cluster with several partitions, a late partition can still trail the marker.)
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from im_client import RestClient

from ..event_sources import source_from_spec
from .throttle import Throttle

MARKER_TEXT = "im-e2e load: end of cell"
POLL_S = 0.1


def write_marker(admin: RestClient, throttle: Throttle, sender: str) -> tuple[str, int]:
    """A one-to-one message from `sender` to itself; its server id and the time it was sent (ms)."""
    sent_ms = int(time.time() * 1000)
    ids = throttle.must(admin.send_text_to_users, sender, MARKER_TEXT, sender=sender)
    return str(ids[sender]), sent_ms


class _JsonlTail:
    """New complete lines of a jsonl file since the last look (the file can be large: not kept)."""

    def __init__(self, path: Path):
        self.path, self.offset, self.partial = path, 0, b""

    def new_events(self) -> list[dict[str, Any]]:
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                chunk = f.read()
        except FileNotFoundError:
            return []
        self.offset += len(chunk)
        lines = (self.partial + chunk).split(b"\n")
        self.partial = lines.pop()
        return [json.loads(line) for line in lines if line.strip()]


@dataclass(frozen=True)
class MarkerWait:
    seen_after_s: float | None   # None: not seen
    carried: bool                # the log holds message.upstream events at all

    def as_dict(self) -> dict[str, Any]:
        return {"seen_after_s": self.seen_after_s, "carried": self.carried}


def wait_for_marker(spec: str, appkey: str, marker: tuple[str, int], timeout: float,
                    since_ms: int | None = None) -> MarkerWait:
    """Wait until the marker's event can be read from the event log `spec` (at most `timeout`).
    A log that holds no `message.upstream` at all since `since_ms` (the cell's own messages are
    older than the marker) does not log that kind, as a cluster's mapping may not: then there is
    nothing to wait for, and the answer says so."""
    marker_id, sent_ms = marker
    since = (sent_ms if since_ms is None else since_ms) - 5000
    start = time.monotonic()
    if spec.startswith("jsonl:"):
        tail = _JsonlTail(Path(spec[len("jsonl:"):]))
        read, close = tail.new_events, None
    else:
        source = source_from_spec(spec, appkey)
        read, close = (lambda: source.read(since)), source.close
    carried = False
    try:
        while True:
            for event in read():
                if event.get("kind") == "message.upstream":
                    carried = True
                    if str(event.get("id")) == marker_id:
                        return MarkerWait(round(time.monotonic() - start, 3), True)
            if not carried or time.monotonic() - start > timeout:
                return MarkerWait(None, carried)
            time.sleep(POLL_S)  # window: polling a log another process writes
    finally:
        if close is not None:
            close()
