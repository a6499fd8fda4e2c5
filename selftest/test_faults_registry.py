"""The sandbox's named faults: every registered fault is wired into the code, every owner's area
has faults, and the admin endpoint switches them (docs/faults.md)."""
import re
from pathlib import Path

import pytest
import requests

import im_sandbox
import im_sandbox.app  # imports every sandbox module, so every seam is registered
from im_e2e.owners import owner_areas
from im_sandbox import SandboxConfig, start_in_thread
from im_sandbox.faults import ENV, FAULTS, Faults, UnknownFault, from_env, seam
from im_sandbox.fault_behaviours import BEHAVIOURS
from im_sandbox.faults.seam import SEAMS

pytestmark = pytest.mark.selftest

SANDBOX_SRC = Path(im_sandbox.__file__).parent
ASKED_INLINE = re.compile(r"""faults\.on\(""")


def test_every_registered_fault_is_wired_and_every_wired_fault_registered():
    """Each fault has its behaviour at a seam of the sandbox code, by its exact name, and no behaviour
    is for an unregistered fault or for a seam the code does not have."""
    used = set(BEHAVIOURS)
    assert used == set(FAULTS)
    assert all(BEHAVIOURS[name] for name in used)
    assert {name for seams in BEHAVIOURS.values() for name in seams} <= set(SEAMS)


def test_feature_code_never_asks_for_a_fault():
    """Faults act only through the seams: outside faults/ no code asks `faults.on(...)`."""
    asking = [str(path.relative_to(SANDBOX_SRC)) for path in SANDBOX_SRC.rglob("*.py")
              if "faults" not in path.relative_to(SANDBOX_SRC).parts and ASKED_INLINE.search(path.read_text())]
    assert not asking, asking


@seam("selftest.example")
def _example(owner, value: int) -> int:
    return value


def test_a_seam_runs_the_real_code_unless_an_active_fault_alters_it():
    """Off: the real function. On: the fault's behaviour, given the real function. Two faults at
    one seam both apply. Switching the set at run time takes effect at the next call."""
    behaviours = {"recall_ignored": {"selftest.example": lambda real, owner, value: real(owner, value) + 1},
                  "mute_ignored": {"selftest.example": lambda real, owner, value: real(owner, value) * 10}}

    class Owner:
        faults = Faults((), behaviours)

    owner = Owner()
    assert _example(owner, 1) == 1
    owner.faults.set(["recall_ignored"])
    assert _example(owner, 1) == 2
    owner.faults.set(["recall_ignored", "mute_ignored"])
    assert _example(owner, 1) == 11  # faults apply in name order: (1 * 10) + 1
    owner.faults.set([])
    assert _example(owner, 1) == 1 and not owner.faults.overrides


def test_faults_cover_every_owner_area():
    """At least 25 faults, each in a known area, and every owner has faults to catch."""
    areas = {area: owner for owner, owned in owner_areas().items() for area in owned}
    assert len(FAULTS) >= 25
    assert {f.area for f in FAULTS.values()} <= set(areas)
    assert {areas[f.area] for f in FAULTS.values()} == set(owner_areas())


def test_faults_are_off_by_default_and_names_are_checked(monkeypatch):
    """No fault is on unless named; unknown names are refused, not ignored."""
    monkeypatch.delenv(ENV, raising=False)
    assert not Faults().active and from_env() == frozenset()
    monkeypatch.setenv(ENV, "recall_ignored, mute_ignored")
    assert from_env() == {"recall_ignored", "mute_ignored"}
    with pytest.raises(UnknownFault):
        Faults(["no_such_fault"])


def test_admin_endpoint_switches_faults(tmp_path, monkeypatch):
    """GET/PUT /_sandbox/faults with an app token reads and replaces the active faults; a user token is refused."""
    monkeypatch.setenv(ENV, "mute_ignored")
    handle = start_in_thread(SandboxConfig(http_port=0, tcp_port=0, data_dir=tmp_path, faults=("recall_ignored",)))
    try:
        info = handle.info
        base = f"{info['rest_url']}/{info['org']}/{info['app']}"
        token = requests.post(f"{base}/token", json={"grant_type": "client_credentials", "client_id": info["client_id"],
                                                     "client_secret": info["client_secret"]}, timeout=10).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        got = requests.get(f"{base}/_sandbox/faults", headers=auth, timeout=10)
        assert got.status_code == 200 and got.json()["data"] == ["mute_ignored", "recall_ignored"]
        assert set(got.json()["properties"]) == set(FAULTS)
        put = requests.put(f"{base}/_sandbox/faults", json={"faults": ["thread_meta_missing"]}, headers=auth,
                           timeout=10)
        assert put.status_code == 200 and put.json()["data"] == ["thread_meta_missing"]
        bad = requests.put(f"{base}/_sandbox/faults", json={"faults": ["nope"]}, headers=auth, timeout=10)
        assert bad.status_code == 400 and bad.json()["error"] == "illegal_argument"
        anonymous = requests.get(f"{base}/_sandbox/faults", timeout=10)
        assert anonymous.status_code == 401
        requests.post(f"{base}/users", json={"username": "faultuser", "password": "pw"}, headers=auth, timeout=10)
        user = requests.post(f"{base}/token", json={"grant_type": "password", "username": "faultuser",
                                                    "password": "pw"}, timeout=10).json()
        as_user = requests.put(f"{base}/_sandbox/faults", json={"faults": []}, timeout=10,
                               headers={"Authorization": f"Bearer {user['access_token']}"})
        assert as_user.status_code == 401 and as_user.json()["error"] == "auth_bad_access_token"
    finally:
        handle.stop()
