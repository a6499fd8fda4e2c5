"""A bounded record of the frames and REST calls a client exchanged, for failure reports.

Frames are kept as they were and turned into text only when the log is read: a test reads it only
when it failed, and text_format costs about 30 µs a frame."""
from __future__ import annotations

import collections
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from google.protobuf import text_format


@dataclass
class WireEntry:
    ts: float
    channel: str      # e.g. "alice/tcp" or "rest"
    direction: str    # ">" sent, "<" received
    _text: str | Callable[[], str] = field(repr=False)

    @property
    def text(self) -> str:
        if callable(self._text):
            self._text = self._text()
        return self._text

    def format(self) -> str:
        stamp = time.strftime("%H:%M:%S", time.localtime(self.ts)) + f".{int(self.ts * 1000) % 1000:03d}"
        return f"{stamp} {self.channel} {self.direction} {self.text}"


class WireLog:
    def __init__(self, limit: int = 2000):
        self._entries: collections.deque[WireEntry] = collections.deque(maxlen=limit)
        self._lock = threading.Lock()

    def record(self, channel: str, direction: str, text: str | Callable[[], str]) -> None:
        """`text`, or a function that makes it when the log is read."""
        with self._lock:
            self._entries.append(WireEntry(time.time(), channel, direction, text))

    def record_frame(self, channel: str, direction: str, frame: Any, decode: Callable[[], Any]) -> None:
        """An MSync frame, described (describe_frame with the payload `decode` gives) when read."""
        self.record(channel, direction, lambda: describe_frame(frame, decode()))

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
