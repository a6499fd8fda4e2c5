"""The ledger reads a target's event log only once a marker it wrote itself is there.

An event log is written behind the service: the sandbox hands its events to the sink every 0.2 s, a
cluster's Kafka pipeline lags by more. Read straight after the pull, the log misses the last
message's events (every offline member's last eviction among them). So after the pull the cell's
first sender sends one REST message to itself, and the log is read again until that message's
`message.upstream` event shows up: everything the cell caused was logged before it. (A sink that
keeps the order the events happened in is assumed, as the sandbox's jsonl, Redis and one-partition
Kafka sinks do; on a cluster with several partitions, a late partition can still trail the marker.)
"""
from __future__ import annotations

import json
import time
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


def _is_marker(event: dict[str, Any], marker_id: str) -> bool:
    return event.get("kind") == "message.upstream" and str(event.get("id")) == marker_id


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


def wait_for_marker(spec: str, appkey: str, marker: tuple[str, int], timeout: float) -> float | None:
    """Seconds until the marker's event was readable from the event log `spec`; None after `timeout`."""
    marker_id, sent_ms = marker
    start = time.monotonic()
    if spec.startswith("jsonl:"):
        tail = _JsonlTail(Path(spec[len("jsonl:"):]))
        def seen() -> bool:
            return any(_is_marker(e, marker_id) for e in tail.new_events())
        close = None
    else:
        source = source_from_spec(spec, appkey)
        def seen() -> bool:
            return any(_is_marker(e, marker_id) for e in source.read(sent_ms - 5000))
        close = source.close
    try:
        while not seen():
            if time.monotonic() - start > timeout:
                return None
            time.sleep(POLL_S)  # window: polling a log another process writes
        return round(time.monotonic() - start, 3)
    finally:
        if close is not None:
            close()
