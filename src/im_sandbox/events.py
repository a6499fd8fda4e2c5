"""The event log `events.jsonl`: one JSON object per line, `{"ts": ms, "kind": ..., <ids>}`.

Writes are buffered and flushed by a timer (at most `flush_interval` seconds late) and on close,
so emitting stays cheap on the hot path.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path

log = logging.getLogger(__name__)

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode


class EventLog:
    def __init__(self, path: Path, flush_interval: float = 0.2, enabled: bool = True):
        self.path = path
        self.flush_interval = flush_interval
        self.enabled = enabled
        self._buf: list[str] = []
        self._file = open(path, "a", encoding="utf-8") if enabled else None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timer: asyncio.TimerHandle | None = None

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def emit(self, kind: str, **fields) -> None:
        if self._file is None:
            return
        self._buf.append(_dumps({"ts": time.time_ns() // 1_000_000, "kind": kind, **fields}))
        if self._timer is None:
            if self._loop is None:
                self.flush()
            else:
                self._timer = self._loop.call_later(self.flush_interval, self.flush)

    def flush(self) -> None:
        self._timer = None
        if not self._buf or self._file is None:
            return
        lines, self._buf = self._buf, []
        try:
            self._file.write("\n".join(lines) + "\n")
            self._file.flush()
        except OSError:
            log.exception("cannot write the event log %s", self.path)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self.flush()
        if self._file is not None:
            self._file.close()
            self._file = None
