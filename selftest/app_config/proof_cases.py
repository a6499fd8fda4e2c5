"""Run by test_isolation_proof.py in a nested pytest (two xdist workers); never collected directly.

Every case records when it ran (with changed settings in place), on which worker and target, and
what it observed, into $IM_E2E_PROOF_DIR; the outer test judges the records.
"""
import json
import os
import time
from pathlib import Path

import pytest

from im_client.rest_storage import conversation_queue
from im_client.waiting import wait_until

pytestmark = pytest.mark.selftest

PROOF = Path(os.environ.get("IM_E2E_PROOF_DIR", "."))
MEET_TIMEOUT = 60.0
HOLD = 1.0  # window: long enough for a wrongly concurrent case to start and be caught


def _write(name: str, **record) -> None:
    (PROOF / f"{name}.json").write_text(json.dumps(record))


def _roaming_answers(admin, make_user) -> int:
    """200 when the roaming service is on, 400 when it is off."""
    user = make_user("proof")
    return admin.message_roaming(user.name, conversation_queue("nobody")).status_code


def _observe(name: str, admin, make_user, target) -> dict:
    return {"case": name, "worker": os.environ.get("PYTEST_XDIST_WORKER", "main"), "target": target.rest_url,
            "setting": admin.must_app_config()["roaming_enabled"], "roaming": _roaming_answers(admin, make_user)}


# -- sandbox backend: both cases hold conflicting settings at the same moment -------------------------
def _meet(me: str, other: str, step: str) -> None:
    (PROOF / f"{me}.{step}").touch()
    wait_until(lambda: (PROOF / f"{other}.{step}").exists(), f"{other} to reach {step}", timeout=MEET_TIMEOUT)


@pytest.mark.xdist_group("off")
@pytest.mark.app_config(roaming_enabled=False)
def test_concurrent_off(admin, make_user, target):
    _meet("off", "on", "ready")
    seen = _observe("off", admin, make_user, target)
    _meet("off", "on", "checked")  # the other case checked while this one still held its settings
    _write("off", **seen)


@pytest.mark.xdist_group("on")
@pytest.mark.app_config(roaming_enabled=True)
def test_concurrent_on(admin, make_user, target):
    _meet("on", "off", "ready")
    seen = _observe("on", admin, make_user, target)
    _meet("on", "off", "checked")
    _write("on", **seen)


# -- command backend: cases that change settings never overlap anything -------------------------------
def _serial(name: str, admin, make_user, target) -> None:
    started = time.time()
    seen = _observe(name, admin, make_user, target)
    deadline = time.monotonic() + HOLD
    while time.monotonic() < deadline:  # window: see whether another case is running meanwhile
        others = [p.stem for p in PROOF.glob("*.running") if p.stem != name]
        if others:
            seen["overlapped"] = others
        (PROOF / f"{name}.running").touch()
        time.sleep(0.05)  # window: sample the overlap markers while this case holds its settings
    (PROOF / f"{name}.running").unlink()
    _write(name, started=started, ended=time.time(), **seen)


@pytest.mark.app_config(roaming_enabled=False)
def test_serial_off(admin, make_user, target):
    _serial("off", admin, make_user, target)


@pytest.mark.app_config(roaming_enabled=True)
def test_serial_on(admin, make_user, target):
    _serial("on", admin, make_user, target)


def test_serial_plain(admin, make_user, target):
    _serial("plain", admin, make_user, target)
