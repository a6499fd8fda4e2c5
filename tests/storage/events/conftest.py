"""Event-log tests run once per event-log backend: `[jsonl]`, `[redis]` and `[kafka]` on the sandbox
(the run's sandbox serves the backend it writes; a sandbox of this worker serves the others: Redis
and Kafka are real servers, fixtures/redis_server.py and fixtures/kafka_server.py), `[target]` on a
real cluster (its configured Kafka or Redis source)."""
from __future__ import annotations

import shutil
import tempfile

import pytest

from fixtures.app_config import uses_app_config
from im_client import Target

BACKENDS = ("jsonl", "redis", "kafka")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "event_backend" in metafunc.fixturenames:
        chosen = BACKENDS if metafunc.config.im_settings.uses_sandbox else ("target",)
        metafunc.parametrize("event_backend", chosen, indirect=True, ids=list(chosen))


@pytest.fixture
def event_backend(request: pytest.FixtureRequest) -> str:
    return request.param


def _kind(sink: str) -> str:
    if sink.startswith("kafka://"):
        return "kafka"
    return "redis" if sink.startswith(("redis://", "rediss://", "unix://")) else "jsonl"


def _sink(backend: str, server_url: str | None, name: str) -> str:
    """The sandbox's --event-log for `backend`: a stream or topic of its own on the shared server."""
    if backend == "redis":
        return f"{server_url}?stream=im-sandbox:{name}:events"
    if backend == "kafka":
        return f"{server_url}/{name}-events"
    return "jsonl"


def _backend_sandbox(config: pytest.Config, backend: str, server_url: str | None):
    """A sandbox of this worker writing `backend`; stopped before the server it writes to (each
    fixture below depends on its server's fixture, so pytest tears the sandbox down first)."""
    from im_sandbox import SandboxConfig, start_in_thread

    data_dir = tempfile.mkdtemp(prefix=f"im-sandbox-{backend}-")
    sink = _sink(backend, server_url, data_dir.rsplit("/", 1)[-1])
    handle = start_in_thread(SandboxConfig(http_port=0, tcp_port=0, data_dir=data_dir, event_log=sink))
    yield Target.from_info({**handle.info, "event_log": sink}, name=f"sandbox-{backend}")
    handle.stop()
    if not config.getoption("--keep-sandbox-data"):
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def jsonl_sandbox(pytestconfig: pytest.Config) -> Target:
    yield from _backend_sandbox(pytestconfig, "jsonl", None)


@pytest.fixture(scope="session")
def redis_sandbox(pytestconfig: pytest.Config, redis_url: str) -> Target:
    yield from _backend_sandbox(pytestconfig, "redis", redis_url)


@pytest.fixture(scope="session")
def kafka_sandbox(pytestconfig: pytest.Config, kafka_url: str) -> Target:
    yield from _backend_sandbox(pytestconfig, "kafka", kafka_url)


@pytest.fixture
def target(request: pytest.FixtureRequest, event_backend: str, shared_target: Target) -> Target:
    """The run's target when it writes this backend, else this worker's sandbox that does."""
    if event_backend == "target":
        return request.getfixturevalue("app_config_target") if uses_app_config(request) else shared_target
    shared_kind = _kind(request.config.im_target_info.get("event_log", "jsonl"))
    if event_backend == shared_kind and not uses_app_config(request):
        return shared_target
    return request.getfixturevalue(f"{event_backend}_sandbox")
