"""The fuzz tests drive a sandbox of their own with the raw clients of tests/selftest/sandbox."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sandbox"))

from sandbox_wire import start_sandbox  # noqa: E402


@pytest.fixture(scope="session")
def fuzz_sandbox(tmp_path_factory):
    handle = start_sandbox(tmp_path_factory.mktemp("fuzz"), log_level="INFO")
    yield handle.info
    handle.stop()
