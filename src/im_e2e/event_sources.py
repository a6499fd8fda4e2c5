"""Reading a target's event log: the sandbox's jsonl file, a Redis Stream, or a cluster's Kafka topics.

Every source returns plain dicts `{"ts": ms, "kind": "message.upstream", ...}` with `ts >= since`, in
the order they were written. Sources are chosen by `source_from_spec()`:

    jsonl:/path/to/events.jsonl
    redis://host:port/db?stream=KEY          (default KEY: im-sandbox:<appkey>:events)
    kafka://broker1:9092,broker2:9092/topic1,topic2
    kafka://host:port                        (the sandbox's default topic: im-sandbox-<org>-<app>-events)
"""
from __future__ import annotations

import bisect
import json
import re
import threading
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

Event = dict[str, Any]
KEEP_MS = 15 * 60 * 1000  # a jsonl tail keeps the last quarter hour of events in memory


class EventSource(Protocol):
    description: str

    def read(self, since: int) -> list[Event]: ...

    def close(self) -> None: ...


class JsonlSource:
    """Tails one events.jsonl (shared by every Storage of this process that reads the same file)."""

    _tails: dict[Path, "JsonlSource"] = {}
    _tails_lock = threading.Lock()

    def __init__(self, path: Path):
        self.path = path
        self.description = f"jsonl:{path}"
        self._offset = 0
        self._partial = b""
        self._events: list[Event] = []
        self._ts: list[int] = []          # the events' ts, for bisecting while they never go back
        self._in_order = True
        self._lock = threading.Lock()

    @classmethod
    def of(cls, path: Path) -> "JsonlSource":
        path = Path(path).resolve()
        with cls._tails_lock:
            if path not in cls._tails:
                cls._tails[path] = cls(path)
            return cls._tails[path]

    def read(self, since: int) -> list[Event]:
        with self._lock:
            self._refresh()
            if self._in_order:  # storage checks read often; a scan of every event each time added up
                return self._events[bisect.bisect_left(self._ts, since):]
            return [e for e in self._events if e.get("ts", 0) >= since]

    def _refresh(self) -> None:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self._offset)
                chunk = fh.read()
        except FileNotFoundError:
            return
        if not chunk:
            return
        self._offset += len(chunk)
        data = self._partial + chunk
        lines = data.split(b"\n")
        self._partial = lines.pop()  # an incomplete last line waits for the next read
        for line in lines:
            if line.strip():
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                ts = event.get("ts", 0)
                if self._ts and ts < self._ts[-1]:
                    self._in_order = False
                self._events.append(event)
                self._ts.append(ts)
        if self._events:
            horizon = self._ts[-1] - KEEP_MS
            if self._ts[0] < horizon:
                keep = [i for i, ts in enumerate(self._ts) if ts >= horizon]
                self._events = [self._events[i] for i in keep]
                self._ts = [self._ts[i] for i in keep]

    def close(self) -> None:
        pass


class RedisSource:
    """XRANGE over the sandbox's stream (entries: `kind`, `data` = the event's JSON)."""

    def __init__(self, url: str, default_stream: str):
        import redis

        parts = urlsplit(url)
        self.stream = parse_qs(parts.query).get("stream", [default_stream])[0]
        self.url = parts._replace(query="").geturl()
        self.description = f"{self.url}?stream={self.stream}"
        self._redis = redis.Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=5)

    def read(self, since: int) -> list[Event]:
        found: list[Event] = []
        start = f"{max(since - 5000, 0)}-0"  # stream ids are Redis's clock: allow a little skew
        while True:
            entries = self._redis.xrange(self.stream, min=start, max="+", count=2000)
            for entry_id, fields in entries:
                event = json.loads(fields[b"data"])
                if event.get("ts", 0) >= since:
                    found.append(event)
            if len(entries) < 2000:
                return found
            ms, seq = entries[-1][0].decode().split("-")
            start = f"{ms}-{int(seq) + 1}"

    def close(self) -> None:
        self._redis.close()


class KafkaSource:
    """A real cluster's event topics (kafka-python). Each record's value is a JSON object; its kind is
    the `kind_field` of the record, else the kind configured for its topic; its time the `ts_field`,
    else the record's timestamp."""

    def __init__(self, bootstrap: list[str], topics: list[str], kind_field: str = "kind", ts_field: str = "ts",
                 topic_kinds: dict[str, str] | None = None, poll_ms: int = 2000):
        from kafka import KafkaConsumer

        self.topics = topics
        self.kind_field = kind_field
        self.ts_field = ts_field
        self.topic_kinds = topic_kinds or {}
        self.poll_ms = poll_ms
        self.description = f"kafka://{','.join(bootstrap)}/{','.join(topics)}"
        self._consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                       consumer_timeout_ms=poll_ms)

    def read(self, since: int) -> list[Event]:
        from kafka import TopicPartition

        consumer = self._consumer
        parts = [TopicPartition(t, p) for t in self.topics for p in sorted(consumer.partitions_for_topic(t) or ())]
        if not parts:
            return []
        consumer.assign(parts)
        starts = consumer.offsets_for_times({tp: since for tp in parts})
        ends = consumer.end_offsets(parts)
        for tp in parts:
            found = starts.get(tp)
            # no record at or after `since`: None, or (some brokers, e.g. Tansu) timestamp -1
            consumer.seek(tp, found.offset if found is not None and found.timestamp >= 0 else ends[tp])
        events: list[Event] = []
        while any(consumer.position(tp) < ends[tp] for tp in parts):
            batch = consumer.poll(timeout_ms=self.poll_ms)
            if not batch:
                break
            for tp, records in batch.items():
                for record in records:  # records past the end offsets were written meanwhile: kept
                    event = self._event(tp.topic, record)
                    if event is not None and event["ts"] >= since:
                        events.append(event)
        return sorted(events, key=lambda e: e["ts"])

    def _event(self, topic: str, record: Any) -> Event | None:
        try:
            value = json.loads(record.value)
        except (TypeError, ValueError):
            return None
        if not isinstance(value, dict):
            return None
        kind = value.get(self.kind_field) or self.topic_kinds.get(topic) or topic
        ts = value.get(self.ts_field) or record.timestamp
        return {**value, "kind": kind, "ts": int(ts), "topic": topic}

    def close(self) -> None:
        self._consumer.close()


def source_from_spec(spec: str, appkey: str, kafka: dict[str, Any] | None = None) -> EventSource:
    if spec.startswith("jsonl:"):
        return JsonlSource.of(Path(spec[len("jsonl:"):]))
    if spec.startswith(("redis://", "rediss://", "unix://")):
        return RedisSource(spec, f"im-sandbox:{appkey}:events")
    if spec.startswith("kafka://"):
        rest = spec[len("kafka://"):]
        brokers, _, topics = rest.partition("/")
        kafka = kafka or {}
        topics = topics or "im-sandbox-" + re.sub(r"[^A-Za-z0-9._-]", "-", appkey) + "-events"
        return KafkaSource([b for b in brokers.split(",") if b], [t for t in topics.split(",") if t],
                           kind_field=kafka.get("kind_field", "kind"), ts_field=kafka.get("ts_field", "ts"),
                           topic_kinds=kafka.get("kinds", {}))
    raise ValueError(f"event source {spec!r}: use jsonl:PATH, redis://HOST:PORT/DB?stream=KEY or "
                     f"kafka://BROKERS/TOPICS")
