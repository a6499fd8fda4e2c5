"""A bounded record of the frames and REST calls a client exchanged, for failure reports."""
from __future__ import annotations

import collections
import threading
import time
from dataclasses import dataclass

from google.protobuf import text_format


@dataclass(frozen=True)
class WireEntry:
    ts: float
    channel: str      # e.g. "alice/tcp" or "rest"
    direction: str    # ">" sent, "<" received
    text: str

    def format(self) -> str:
        stamp = time.strftime("%H:%M:%S", time.localtime(self.ts)) + f".{int(self.ts * 1000) % 1000:03d}"
        return f"{stamp} {self.channel} {self.direction} {self.text}"


class WireLog:
    def __init__(self, limit: int = 2000):
        self._entries: collections.deque[WireEntry] = collections.deque(maxlen=limit)
        self._lock = threading.Lock()

    def record(self, channel: str, direction: str, text: str) -> None:
        with self._lock:
            self._entries.append(WireEntry(time.time(), channel, direction, text))

    def entries(self) -> list[WireEntry]:
        with self._lock:
            return list(self._entries)

    def format(self) -> str:
        return "\n".join(e.format() for e in self.entries())


def describe_frame(frame, payload) -> str:
    """One-line text of an MSync and its decoded payload."""
    head = frame.__class__.Command.Name(frame.command) if frame.HasField("command") else "SYNC?"
    body = text_format.MessageToString(payload, as_one_line=True) if payload is not None else ""
    return f"{head} {body}"[:2000]
