"""The coverage-guided msync fuzzer (atheris_msync.py), a short run per transport."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from selftest.fuzz.fuzz_settings import FUZZ_EXAMPLES

pytestmark = pytest.mark.selftest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("kind", ["tcp", "ws"])
def test_atheris_run_ends_clean(kind):
    """A coverage-guided run ends with no crash, no lost message and the healthy pair still chatting."""
    pytest.importorskip("atheris", reason="atheris is not installed (pip install atheris)")
    env = {**os.environ, "IM_E2E_FUZZ_TRANSPORT": kind}
    done = subprocess.run([sys.executable, "-m", "selftest.fuzz.atheris_msync", f"-atheris_runs={FUZZ_EXAMPLES + 1}", "-seed=1"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0, f"{last}\n{done.stderr[-3000:]}"
    assert last.startswith(f"atheris-msync OK {kind}: {FUZZ_EXAMPLES} frames"), last
