"""Proof that tests changing app settings never affect each other or other tests, per backend.

Each test runs proof_cases.py in a nested pytest with two xdist workers and judges what the cases
recorded. The nested runs start sandboxes of their own.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from im_e2e.inner_env import inner_env

pytestmark = pytest.mark.selftest

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).with_name("proof_cases.py")
COMMAND = Path(__file__).with_name("admin_command.py")
NESTED_TIMEOUT = 240


def nested_pytest(tmp_path: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    proof = tmp_path / "proof"
    proof.mkdir(exist_ok=True)
    full_env = inner_env({"IM_E2E_PROOF_DIR": str(proof), **(env or {})})  # none of the caller's settings
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA", *args],
                          cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=NESTED_TIMEOUT)


def records(tmp_path: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in (tmp_path / "proof").glob("*.json")}


def command_config(tmp_path: Path, isolation: str = "exclusive") -> Path:
    python = sys.executable
    config = tmp_path / "im-e2e.toml"
    config.write_text(f"""
[app_config]
backend = "command"
isolation = "{isolation}"
get = "{python} {COMMAND} get {{setting}}"
set = "{python} {COMMAND} set {{setting}}"
lock_dir = "{tmp_path / 'locks'}"
journal_dir = "{tmp_path / 'journal'}"

[app_config.settings]
roaming_enabled = "msync.roaming_enabled"
""")
    return config


def test_sandbox_backend_runs_conflicting_settings_at_the_same_moment(tmp_path):
    """Two workers hold roaming off and on at once; each sees only its own value, on its own sandbox."""
    done = nested_pytest(tmp_path, "-n", "2", "--dist", "loadgroup", "-k", "concurrent", str(CASES))
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    off, on = records(tmp_path)["off"], records(tmp_path)["on"]
    assert (off["setting"], off["roaming"]) == (False, 400)
    assert (on["setting"], on["roaming"]) == (True, 200)
    assert off["worker"] != on["worker"], "both cases ran on one worker: nothing was proven"
    assert off["target"] != on["target"]


def test_command_backend_serialises_changes_against_every_other_test(tmp_path):
    """With the command backend all cases share one target; the lock keeps them from overlapping, and
    each case sees the value it set (or the target's own value)."""
    log = tmp_path / "commands.log"
    env = {"IM_E2E_CONFIG": str(command_config(tmp_path)), "IM_E2E_PROOF_LOG": str(log)}
    done = nested_pytest(tmp_path, "-n", "2", "-k", "serial", str(CASES), env=env)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    seen = records(tmp_path)
    assert set(seen) == {"off", "on", "plain"}
    assert {n: (r["setting"], r["roaming"]) for n, r in seen.items()} == {
        "off": (False, 400), "on": (True, 200), "plain": (True, 200)}
    assert len({r["target"] for r in seen.values()}) == 1  # one shared target
    assert not [r.get("overlapped") for r in seen.values() if r.get("overlapped")]
    spans = sorted((r["started"], r["ended"]) for r in seen.values())
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert [c["value"] for c in calls if c["action"] == "set"].count(False) == 1  # off set once …
    assert not list((tmp_path / "journal").glob("*.json"))  # … and everything restored


def test_leftover_journal_is_restored_before_the_first_test(tmp_path):
    """A journal left by a killed run is written back at the next run's start, then removed."""
    config = command_config(tmp_path)
    journal = tmp_path / "journal"
    journal.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = journal / f"sandbox-ime2e_sandbox-{dead.stdout.strip()}.json"
    import socket
    leftover.write_text(json.dumps({"pid": int(dead.stdout), "host": socket.gethostname(),
                                    "saved": {"roaming_enabled": False}}))
    log = tmp_path / "commands.log"
    env = {"IM_E2E_CONFIG": str(config), "IM_E2E_PROOF_LOG": str(log)}
    done = nested_pytest(tmp_path, "-k", "serial_plain", str(CASES), env=env)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "restored app settings an interrupted run had left changed" in done.stdout
    assert records(tmp_path)["plain"]["setting"] is False  # written back before the test ran
    assert not leftover.exists()
