"""Fixtures of the runner's tests: a throwaway pytest project, a local webhook receiver, a forge."""
from __future__ import annotations

from pathlib import Path

import pytest

from selftest.runner.runner_support import Forge, MiniProject, Receiver


@pytest.fixture
def mini(tmp_path: Path) -> MiniProject:
    return MiniProject(tmp_path / "project")


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def forge():
    """A local stand-in of the GitHub and GitLab issue APIs."""
    server = Forge()
    yield server
    server.server.shutdown()
    server.server.server_close()
