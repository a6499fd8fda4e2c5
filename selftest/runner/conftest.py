"""Fixtures of the runner's tests: a throwaway pytest project and a local webhook receiver."""
from __future__ import annotations

from pathlib import Path

import pytest
from selftest.runner.runner_support import MiniProject, Receiver


@pytest.fixture
def mini(tmp_path: Path) -> MiniProject:
    return MiniProject(tmp_path / "project")


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()
