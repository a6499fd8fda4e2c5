"""The sandbox's event-log sinks: jsonl (default), a Redis Stream (`--event-log redis://…`), a Kafka topic
(`--event-log kafka://…`, on a real Kafka-protocol broker: fixtures/kafka_server.py), none."""
import json
import selectors
import subprocess
import sys

import uuid

import pytest
import redis

from fixtures.event_readers import KafkaSource, RedisSource
from fixtures.kafka_server import GROUP_TIMEOUTS
from im_client import RestClient, Target

pytestmark = pytest.mark.selftest


def _start_cli(tmp_path, *args) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen([sys.executable, "-m", "im_sandbox", "--http-port", "0", "--tcp-port", "0",
                             "--data-dir", str(tmp_path), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    assert sel.select(30), proc.stderr.read() if proc.poll() is not None else "the sandbox printed nothing"
    line = proc.stdout.readline()
    assert line, proc.stderr.read()
    return proc, json.loads(line)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    assert proc.wait(15) == 0


def test_cli_writes_events_to_a_redis_stream(tmp_path, redis_url):
    stream = f"selftest:{tmp_path.name}:events"
    proc, info = _start_cli(tmp_path, "--event-log", f"{redis_url}?stream={stream}")
    try:
        admin = RestClient(Target.from_info(info))
        admin.token = admin.must_app_token().access_token
        admin.must_register_user("streamed", "pw")
    finally:
        _stop(proc)  # stopping flushes the last events
    entries = redis.Redis.from_url(redis_url).xrange(stream)
    kinds = [fields[b"kind"].decode() for _, fields in entries]
    assert "user.created" in kinds
    created = json.loads(entries[kinds.index("user.created")][1][b"data"])
    assert created["user"] == "streamed" and isinstance(created["ts"], int)
    assert not (tmp_path / "events.jsonl").exists()  # one sink: the stream
    assert [e["kind"] for e in RedisSource(f"{redis_url}?stream={stream}", "").read(0)] == kinds


def test_none_writes_nothing(tmp_path):
    proc, info = _start_cli(tmp_path, "--event-log", "none")
    _stop(proc)
    assert not (tmp_path / "events.jsonl").exists()


def test_a_bad_sink_is_refused_at_the_command_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "im_sandbox", "--event-log", "mqtt://x:1883",
                           "--data-dir", str(tmp_path)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "event_log must be 'jsonl', 'none', a redis:// or a kafka:// URL" in done.stderr


def test_an_unreachable_redis_fails_the_start(tmp_path):
    from im_sandbox import SandboxConfig, start_in_thread

    with pytest.raises(redis.ConnectionError):
        start_in_thread(SandboxConfig(http_port=0, tcp_port=0, data_dir=tmp_path, event_log="redis://127.0.0.1:1/0"))


def _registered_through_cli(tmp_path, event_log: str, user: str) -> None:
    proc, info = _start_cli(tmp_path, "--event-log", event_log)
    try:
        admin = RestClient(Target.from_info(info))
        admin.token = admin.must_app_token().access_token
        admin.must_register_user(user, "pw")
    finally:
        _stop(proc)  # stopping flushes the last events


def test_cli_writes_events_to_a_kafka_topic(tmp_path, kafka_url):
    """One record per event on one partition (the order of the log), key = kind, value = the jsonl line."""
    topic = f"selftest-{tmp_path.name}-events"
    _registered_through_cli(tmp_path, f"{kafka_url}/{topic}", "produced")
    source = KafkaSource([kafka_url[len("kafka://"):]], [topic])
    try:
        events = source.read(0)
    finally:
        source.close()
    kinds = [e["kind"] for e in events]
    assert "user.created" in kinds and {e["topic"] for e in events} == {topic}
    created = events[kinds.index("user.created")]
    assert created["user"] == "produced" and isinstance(created["ts"], int)
    assert not (tmp_path / "events.jsonl").exists()  # one sink: the topic


def test_a_consumer_group_receives_the_sandbox_topic(tmp_path, kafka_url):
    """What the cluster's pipeline does (consumer groups such as msync-channel-outgoing): a group
    subscribed to the sandbox's topic gets every event, keyed by its kind."""
    from kafka import KafkaConsumer

    topic = f"selftest-{tmp_path.name}-events"
    _registered_through_cli(tmp_path, f"{kafka_url}/{topic}", "grouped")
    consumer = KafkaConsumer(topic, bootstrap_servers=[kafka_url[len("kafka://"):]],
                             group_id=f"msync-channel-outgoing-{uuid.uuid4().hex[:8]}",  # fresh: memory broker
                             auto_offset_reset="earliest", consumer_timeout_ms=15000, **GROUP_TIMEOUTS)
    try:
        records = []
        for record in consumer:
            records.append(record)
            if record.key == b"user.created":
                break
    finally:
        consumer.close()
    created = json.loads(records[-1].value)
    assert (records[-1].key, created["kind"], created["user"]) == (b"user.created", "user.created", "grouped")


def test_an_unreachable_kafka_fails_the_start(tmp_path):
    from im_sandbox import SandboxConfig, start_in_thread

    with pytest.raises(ConnectionError, match="no Kafka broker answers at 127.0.0.1:1"):
        start_in_thread(SandboxConfig(http_port=0, tcp_port=0, data_dir=tmp_path, event_log="kafka://127.0.0.1:1/t"))
