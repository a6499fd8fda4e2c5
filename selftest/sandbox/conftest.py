"""Fixtures: an in-process sandbox on free ports with a temporary data dir, REST and msync clients."""
from __future__ import annotations

import pytest

from selftest.sandbox.sandbox_rest import Rest
from selftest.sandbox.sandbox_wire import CLIENTS, start_sandbox


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    handle = start_sandbox(tmp_path_factory.mktemp("sandbox"))
    yield handle
    handle.stop()


@pytest.fixture(scope="session")
def info(sandbox):
    return sandbox.info


@pytest.fixture(scope="session")
def api(info):
    return Rest(info)


@pytest.fixture
def connect(info):
    """connect(kind="tcp"|"ws") -> a client that is closed after the test."""
    opened = []

    def factory(kind: str = "tcp", target: dict | None = None, **kw):
        client = CLIENTS[kind](target or info, **kw)
        opened.append(client)
        return client

    yield factory
    for client in opened:
        client.close()


@pytest.fixture(params=["tcp", "ws"])
def wire(request):
    return request.param
