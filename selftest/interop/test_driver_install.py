"""The Web SDK driver's npm packages install on first use: once per run, also with parallel workers.

A stand-in `npm` on PATH records each call and writes the pinned packages the way npm would; the
driver directory is a temporary copy, so the real one is never touched.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fixtures.outcomes import not_possible
from im_e2e.interop import sdk_process

pytestmark = [pytest.mark.selftest]

FAKE_NPM = """#!/bin/sh
# stand-in npm: `npm install --prefix DIR ...` records the call and writes DIR/node_modules/<pkg>/package.json
echo "$*" >> "{calls}"
[ "{fail}" = "1" ] && {{ echo "npm ERR! network unreachable" >&2; exit 1; }}
dir="$3"
{writes}
"""

ENSURE = """
import sys
from pathlib import Path
from im_e2e.interop import install, sdk_process
sdk_process.DRIVER_DIR = install.DRIVER_DIR = Path(sys.argv[1])
print(install.ensure_driver(run_id=sys.argv[2]) or "ready")
"""


@pytest.fixture
def driver_copy(tmp_path: Path) -> Path:
    if sdk_process.node_problem():
        not_possible(sdk_process.node_problem())
    copy = tmp_path / "driver"
    copy.mkdir()
    shutil.copy(sdk_process.DRIVER_DIR / "package.json", copy / "package.json")
    return copy


def fake_npm(bin_dir: Path, calls: Path, *, fail: bool = False) -> None:
    pins = json.loads((sdk_process.DRIVER_DIR / "package.json").read_text())["dependencies"]
    writes = "\n".join(
        f'mkdir -p "$dir/node_modules/{name}" && '
        f'echo \'{{"version": "{version}"}}\' > "$dir/node_modules/{name}/package.json"'
        for name, version in pins.items())
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "npm"
    script.write_text(FAKE_NPM.format(calls=calls, fail=int(fail), writes=writes))
    script.chmod(0o755)


def ensure_in_processes(driver: Path, bin_dir: Path, run_id: str, count: int) -> list[str]:
    """`ensure_driver` in `count` processes started together (like xdist workers); what each answered."""
    node_dir = str(Path(shutil.which("node")).parent)
    env = {"PATH": f"{bin_dir}:{node_dir}", "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(ENSURE), str(driver), run_id],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(count)]
    answers = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        answers.append(out.strip())
    return answers


def test_parallel_workers_install_the_packages_once(driver_copy, tmp_path):
    """Three workers of one run need the driver: npm install runs once, all three can use it."""
    calls = tmp_path / "calls"
    fake_npm(tmp_path / "bin", calls)
    answers = ensure_in_processes(driver_copy, tmp_path / "bin", "run-1", 3)
    assert answers == ["ready"] * 3
    assert len(calls.read_text().splitlines()) == 1
    assert "--no-package-lock" in calls.read_text()
    # the next run finds node_modules in place and installs nothing
    assert ensure_in_processes(driver_copy, tmp_path / "bin", "run-2", 1) == ["ready"]
    assert len(calls.read_text().splitlines()) == 1


def test_a_failed_install_is_tried_once_per_run_and_names_the_command(driver_copy, tmp_path):
    """npm fails: every worker reports why, with the command that fixes it, and npm ran once."""
    calls = tmp_path / "calls"
    fake_npm(tmp_path / "bin", calls, fail=True)
    answers = ensure_in_processes(driver_copy, tmp_path / "bin", "run-f", 2)
    assert len(calls.read_text().splitlines()) == 1
    for answer in answers:
        assert f"npm install --prefix {driver_copy} --no-package-lock" in answer
        assert "network unreachable" in answer
