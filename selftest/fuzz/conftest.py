"""The fuzz tests drive a sandbox of their own with the raw clients of selftest/sandbox."""
from __future__ import annotations

import pytest

from selftest.sandbox.sandbox_wire import start_sandbox


@pytest.fixture(scope="session")
def fuzz_sandbox(tmp_path_factory):
    handle = start_sandbox(tmp_path_factory.mktemp("fuzz"), log_level="INFO")
    yield handle.info
    handle.stop()
