"""The event log: what happened in the sandbox, one JSON object per event `{"ts": ms, "kind": ..., <ids>}`.

It plays the part of a real cluster's Kafka topics (the seed's `msync_log`: upstream, downstream,
offline and ack messages, user status, mute operations, sensitive words, group and room
operations). Like the cluster's `queue_log_module kafka | redis` switch, the sink is chosen by
configuration (`SandboxConfig.event_log`, CLI `--event-log`):

* `jsonl` (default): `<data_dir>/events.jsonl`, one line per event;
* `redis://host:port/db[?stream=KEY&maxlen=N]`: one Redis Stream (default key
  `im-sandbox:<appkey>:events`), one entry per event with the fields `kind` and `data` (the same
  JSON text as a jsonl line); entries are trimmed to about `maxlen` (default 1,000,000);
* `kafka://host:port[,host:port]/TOPIC`: one Kafka topic (default `im-sandbox-<org>-<app>-events`),
  created with one partition when the broker does not have it; every event a record of that
  partition (so readers see the order it happened in), key = the kind, value = the jsonl line;
* `none`: nothing is written.

Emitting is cheap on the hot path: events are buffered and flushed by a timer (at most
`flush_interval` seconds late), on `flush()` and on close. Redis writes happen on a thread of their
own, and so do Kafka sends (kafka-python's producer, flushed once per batch), so a slow or absent
Redis or broker never stalls the event loop (failed batches are logged and dropped).
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import re
import socket
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


def kafka_default_topic(appkey: str) -> str:
    return "im-sandbox-" + re.sub(r"[^A-Za-z0-9._-]", "-", appkey) + "-events"


def split_kafka_url(url: str, default_topic: str) -> tuple[list[str], str]:
    """`kafka://b1:9092,b2:9092/topic` → (["b1:9092", "b2:9092"], "topic")."""
    brokers, _, topic = url[len("kafka://"):].partition("/")
    return [b for b in brokers.split(",") if b], topic.split("?", 1)[0] or default_topic


def _answers(broker: str, timeout: float = 5.0) -> bool:
    host, _, port = broker.rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            return True
    except (OSError, ValueError):
        return False


class KafkaSink:
    """Produce every event to one partition of one topic, from a single writer thread (keeps the
    order; the producer's own I/O thread does the network, `flush()` once per batch)."""

    PARTITION = 0

    def __init__(self, url: str, appkey: str):
        from kafka import KafkaProducer  # only needed for this sink

        self.brokers, self.topic = split_kafka_url(url, kafka_default_topic(appkey))
        if not self.brokers:
            raise ValueError(f"event log {url!r}: no broker (kafka://HOST:PORT/TOPIC)")
        self._ensure_topic()
        self._producer = KafkaProducer(bootstrap_servers=self.brokers, linger_ms=5, acks=1,
                                       max_block_ms=10_000, request_timeout_ms=10_000)
        self._writer = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="event-log-kafka")

    def _ensure_topic(self) -> None:
        """Fail at start when the broker cannot be reached; create the topic when it is missing."""
        from kafka.admin import KafkaAdminClient, NewTopic
        from kafka.errors import TopicAlreadyExistsError

        if not any(_answers(broker) for broker in self.brokers):  # kafka-python would retry for minutes
            raise ConnectionError(f"no Kafka broker answers at {','.join(self.brokers)}")
        admin = KafkaAdminClient(bootstrap_servers=self.brokers, request_timeout_ms=10_000)
        try:
            if self.topic not in admin.list_topics():
                try:
                    admin.create_topics([NewTopic(self.topic, num_partitions=1, replication_factor=1)])
                except TopicAlreadyExistsError:
                    pass
        finally:
            admin.close()

    def write(self, batch: list[tuple[str, str]]) -> concurrent.futures.Future:
        return self._writer.submit(self._send, batch)

    def _send(self, batch: list[tuple[str, str]]) -> None:
        try:
            send = self._producer.send
            for kind, line in batch:
                send(self.topic, value=line.encode(), key=kind.encode(), partition=self.PARTITION)
            self._producer.flush(timeout=10)
        except Exception:
            log.exception("cannot write %d event(s) to the Kafka topic %s at %s", len(batch), self.topic,
                          ",".join(self.brokers))

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self._producer.close(timeout=5)

    def describe(self) -> str:
        return f"kafka://{','.join(self.brokers)}/{self.topic}"


def open_sink(spec: str, data_dir: Path, appkey: str) -> Sink | None:
    """The sink named by `spec` (see the module doc); None for `none`."""
    if spec in ("", "jsonl"):
        return JsonlSink(data_dir / EVENTS_FILE)
    if spec == "none":
        return None
    if spec.startswith(("redis://", "rediss://", "unix://")):
        return RedisStreamSink(spec, appkey)
    if spec.startswith("kafka://"):
        return KafkaSink(spec, appkey)
    raise ValueError(f"event log {spec!r}: use 'jsonl', 'none', a redis:// or a kafka:// URL")


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
