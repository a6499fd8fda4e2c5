"""The event log: what happened in the sandbox, one JSON object per event `{"ts": ms, "kind": ..., <ids>}`.

It plays the part of a real cluster's Kafka topics (the seed's `msync_log`: upstream, downstream,
offline and ack messages, user status, mute operations, sensitive words, group and room
operations). Like the cluster's `queue_log_module kafka | redis` switch, the sink is chosen by
configuration (`SandboxConfig.event_log`, CLI `--event-log`):

* `jsonl` (default): `<data_dir>/events.jsonl`, one line per event;
* `redis://host:port/db[?stream=KEY&maxlen=N]`: one Redis Stream (default key
  `im-sandbox:<appkey>:events`), one entry per event with the fields `kind` and `data` (the same
  JSON text as a jsonl line); entries are trimmed to about `maxlen` (default 1,000,000);
* `none`: nothing is written.

Emitting is cheap on the hot path: events are buffered and flushed by a timer (at most
`flush_interval` seconds late), on `flush()` and on close. Redis writes happen on a thread of their
own, so a slow or absent Redis never stalls the event loop (failed batches are logged and dropped).
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import time
from collections import Counter
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

import orjson

log = logging.getLogger(__name__)

_json_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode


def _dumps(event: dict) -> str:
    # orjson: several times faster, and a busy fan-out logs thousands of events a second
    try:
        return orjson.dumps(event, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
    except (orjson.JSONEncodeError, TypeError):  # e.g. an integer wider than 64 bits
        return _json_dumps(event)

EVENTS_FILE = "events.jsonl"
DEFAULT_MAXLEN = 1_000_000


class Sink(Protocol):
    def write(self, batch: list[tuple[str, str]]) -> concurrent.futures.Future | None: ...

    def close(self) -> None: ...


class JsonlSink:
    def __init__(self, path: Path):
        self.path = path
        self._file = open(path, "a", encoding="utf-8")

    def write(self, batch: list[tuple[str, str]]) -> None:
        try:
            self._file.write("".join(line + "\n" for _, line in batch))
            self._file.flush()
        except OSError:
            log.exception("cannot write the event log %s", self.path)

    def close(self) -> None:
        self._file.close()

    def describe(self) -> str:
        return f"jsonl:{self.path}"


class RedisStreamSink:
    """XADD every event to one stream, from a single writer thread (keeps the order)."""

    def __init__(self, url: str, appkey: str):
        import redis  # only needed for this sink

        parts = urlsplit(url)
        query = parse_qs(parts.query)
        self.stream = query.get("stream", [f"im-sandbox:{appkey}:events"])[0]
        self.maxlen = int(query.get("maxlen", [DEFAULT_MAXLEN])[0])
        self.url = parts._replace(query="").geturl()
        self._redis = redis.Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=5)
        self._redis.ping()  # fail at start, not at the first event
        self._writer = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="event-log-redis")

    def write(self, batch: list[tuple[str, str]]) -> concurrent.futures.Future:
        return self._writer.submit(self._xadd, batch)

    def _xadd(self, batch: list[tuple[str, str]]) -> None:
        try:
            pipe = self._redis.pipeline(transaction=False)
            for kind, line in batch:
                pipe.xadd(self.stream, {"kind": kind, "data": line}, maxlen=self.maxlen, approximate=True)
            pipe.execute()
        except Exception:
            log.exception("cannot write %d event(s) to the Redis stream %s at %s", len(batch), self.stream, self.url)

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self._redis.close()

    def describe(self) -> str:
        return f"{self.url}?stream={self.stream}"


def open_sink(spec: str, data_dir: Path, appkey: str) -> Sink | None:
    """The sink named by `spec` (see the module doc); None for `none`."""
    if spec in ("", "jsonl"):
        return JsonlSink(data_dir / EVENTS_FILE)
    if spec == "none":
        return None
    if spec.startswith(("redis://", "rediss://", "unix://")):
        return RedisStreamSink(spec, appkey)
    raise ValueError(f"event log {spec!r}: use 'jsonl', 'none' or a redis:// URL")


class EventLog:
    def __init__(self, sink: Sink | None, flush_interval: float = 0.2):
        self.sink = sink
        self.flush_interval = flush_interval
        self._buf: list[tuple[str, str]] = []
        self.counts: Counter[str] = Counter()   # events emitted, by kind (for GET /metrics)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timer: asyncio.TimerHandle | None = None

    @property
    def enabled(self) -> bool:
        return self.sink is not None

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def emit(self, kind: str, **fields) -> None:
        self.counts[kind] += 1
        if self.sink is None:
            return
        self._buf.append((kind, _dumps({"ts": time.time_ns() // 1_000_000, "kind": kind, **fields})))
        if self._timer is None:
            if self._loop is None:
                self.flush()
            else:
                self._timer = self._loop.call_later(self.flush_interval, self.flush)

    def flush(self) -> concurrent.futures.Future | None:
        """Hand the buffered events to the sink; returns a future when the sink writes later."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = None
        if not self._buf or self.sink is None:
            return None
        batch, self._buf = self._buf, []
        return self.sink.write(batch)

    def close(self) -> None:
        self.flush()
        if self.sink is not None:
            self.sink.close()
            self.sink = None
