"""A population that lives on the target: the users and groups of a scenario, made once and reused
by every run through a manifest (JSON), removed by teardown.

    im-e2e load provision --scenario seed --target staging [--manifest reports/staging.manifest.json]
    im-e2e load --scenario seed --target staging --manifest reports/staging.manifest.json
    im-e2e load teardown --manifest reports/staging.manifest.json

One group per group size of the scenario's cells (the cells of the seed table all use 2000
members, so they share one group: run them one after another, not at once). Both directions are
idempotent: provision checks what the manifest names and fills in what is missing (users that do
not exist, a group that is gone, members not in the group); teardown deletes what is still there.
Registration goes in batches of 60 (docs/protocol/rest.md §2.1), every call through the Throttle (429 retried
with backoff and counted).
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from im_client import RestClient, Target
from im_client.errors import checked_body

from .scenarios import Cell
from .throttle import Throttle

PASSWORD = "load-pw"
BATCH = 60           # ids per batch call (docs/protocol/rest.md §2.1, §8.3)
MEMBER_PAGE = 1000
MANIFEST_VERSION = 1


@dataclass
class Roster:
    """The users and the group of one group size."""
    size: int
    prefix: str
    names: list[str]
    group_id: str | None = None

    @classmethod
    def new(cls, size: int, prefix: str) -> "Roster":
        return cls(size, prefix, [f"{prefix}-{n}" for n in range(size)])


@dataclass
class Manifest:
    target: str
    rest_url: str
    appkey: str
    scenario: str
    scale: float
    rosters: dict[str, Roster] = field(default_factory=dict)   # str(group size) -> roster
    created_at: float = field(default_factory=time.time)

    def roster_for(self, cell: Cell) -> Roster:
        roster = self.rosters.get(str(cell.group_size))
        if roster is None:
            raise LookupError(f"the manifest has no group of {cell.group_size} members (it has "
                              f"{', '.join(sorted(self.rosters)) or 'none'}): provision --scenario {cell.name} "
                              f"--scale {self.scale:g}")
        return roster

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": MANIFEST_VERSION, **asdict(self)}
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        data.pop("version", None)
        rosters = {k: Roster(**v) for k, v in data.pop("rosters").items()}
        return cls(rosters=rosters, **data)


def default_manifest_path(target: str, scenario: str) -> Path:
    return Path("reports") / f"load-manifest-{target}-{scenario}.json"


# ------------------------------------------------------------------------------------ provision
def provision(admin: RestClient, throttle: Throttle, manifest: Manifest, cells: Iterable[Cell],
              save: Path | None = None) -> dict[str, Any]:
    """Make (or complete) a roster for every group size of `cells`; the manifest is saved after each
    roster so an interrupted provision resumes where it stopped. Returns what was done."""
    done = {"users_created": 0, "groups_created": 0, "members_added": 0}
    for size in sorted({cell.group_size for cell in cells}):
        roster = manifest.rosters.get(str(size))
        if roster is None:
            roster = manifest.rosters[str(size)] = Roster.new(size, f"load-{uuid.uuid4().hex[:6]}-g{size}")
            if save is not None:
                manifest.save(save)
        done["users_created"] += ensure_users(admin, throttle, roster.names)
        group_id, created, added = ensure_group(admin, throttle, roster)
        roster.group_id = group_id
        done["groups_created"] += created
        done["members_added"] += added
        if save is not None:
            manifest.save(save)
    return {**done, **throttle.figures()}


def ensure_users(admin: RestClient, throttle: Throttle, names: list[str]) -> int:
    """Register the users that do not exist yet, 60 a call; an existing one is left as it is."""
    created = 0
    for start in range(0, len(names), BATCH):
        batch = names[start:start + BATCH]
        resp = throttle.call(admin.register_users, [{"username": n, "password": PASSWORD} for n in batch])
        if resp.status_code == 400 and resp.json().get("error") == "duplicate_unique_property_exists":
            continue   # a batch of one that exists already
        body = checked_body(resp)
        created += len(body.get("entities") or [])
    return created


def ensure_group(admin: RestClient, throttle: Throttle, roster: Roster) -> tuple[str, int, int]:
    """(group id, 1 if it was created, members added): the roster's group with every one of its users."""
    owner, rest = roster.names[0], roster.names[1:]
    created = 0
    if roster.group_id is None or throttle.call(admin.get_group, roster.group_id).status_code == 404:
        body = throttle.must(admin.create_group, owner, public=True, maxusers=roster.size)
        roster.group_id, created = body["groupid"], 1
        present = {owner}
    else:
        present = members_of(admin, throttle, roster.group_id)
    missing = [n for n in rest if n not in present]
    for start in range(0, len(missing), BATCH):
        throttle.must(admin.add_group_members, roster.group_id, missing[start:start + BATCH])
    return roster.group_id, created, len(missing)


def members_of(admin: RestClient, throttle: Throttle, group_id: str) -> set[str]:
    names: set[str] = set()
    page = 1
    while True:
        entries = throttle.must(admin.group_members, group_id, pagenum=page, pagesize=MEMBER_PAGE)
        for entry in entries:
            names.update(entry.values())
        if len(entries) < MEMBER_PAGE:
            return names
        page += 1


# ------------------------------------------------------------------------------------ teardown
def teardown(admin: RestClient, throttle: Throttle, manifest: Manifest) -> dict[str, Any]:
    """Destroy the groups and delete the users the manifest names; what is gone already is skipped."""
    done = {"groups_destroyed": 0, "users_deleted": 0}
    for roster in manifest.rosters.values():
        if roster.group_id is not None:
            resp = throttle.call(admin.destroy_group, roster.group_id)
            if resp.status_code == 200:
                done["groups_destroyed"] += 1
            elif resp.status_code != 404:
                checked_body(resp)
        for name in roster.names:
            resp = throttle.call(admin.delete_user, name)
            if resp.status_code == 200:
                done["users_deleted"] += 1
            elif resp.status_code != 404:
                checked_body(resp)
    return {**done, **throttle.figures()}


def admin_of(target: Target, throttle: Throttle) -> RestClient:
    admin = RestClient(target)
    admin.token = throttle.must(admin.app_token, unwrap=lambda body: body["access_token"])
    return admin


__all__ = ["BATCH", "PASSWORD", "Manifest", "Roster", "admin_of", "default_manifest_path",
           "ensure_group", "ensure_users", "provision", "teardown"]
