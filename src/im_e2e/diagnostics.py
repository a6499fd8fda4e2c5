"""Diagnostics of a failed test: what the service logged about its users, groups and rooms in its time window.

Two sources, both attached to the failure (report section, Allure, results.json):

* configured commands (`[[diagnostics.commands]]` in im-e2e.toml, or `--im-diagnose`): a template run
  through the shell with placeholders filled in, e.g. a cluster log search or a chatroom state dump;
* against the sandbox: its own log lines (`<data_dir>/sandbox.log`) and event-log entries
  (`<data_dir>/events.jsonl`) of that window that mention those ids.

Placeholders: {test} {run_id} {target} {appkey}; {start} {end} (local time "YYYY-MM-DD HH:MM:SS", or
in `timezone`), {start_iso} {end_iso} (UTC), {start_ts} {end_ts} (epoch seconds), {start_ms} {end_ms},
{seconds} (window length); {users} {groups} {rooms} (comma-separated); {user} {group} {room} with
`each = "user" | "group" | "room"` (one run per id). Values are inserted as they are; ids are kept to
letters, digits and `-_.#@:` so they are safe inside quotes. The same values are in the environment
as IM_E2E_DIAG_<NAME> (e.g. IM_E2E_DIAG_USERS).
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from im_client.errors import Timeout
from im_client.waiting import wait_until

MAX_OUTPUT = 64 * 1024
MAX_LINES = 400
SAFE_ID = re.compile(r"^[A-Za-z0-9_.#@:-]{1,128}$")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
EACH = ("test", "user", "group", "room")


@dataclass
class DiagnosticIds:
    """The ids a test touched. The `diagnostic_ids` fixture hands one to tests and fixtures to fill."""

    users: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    rooms: set[str] = field(default_factory=set)

    def update(self, other: "DiagnosticIds") -> "DiagnosticIds":
        self.users |= other.users
        self.groups |= other.groups
        self.rooms |= other.rooms
        return self

    def as_lists(self) -> dict[str, list[str]]:
        return {kind: sorted(i for i in getattr(self, kind) if SAFE_ID.match(i))
                for kind in ("users", "groups", "rooms") if getattr(self, kind)}

    def all(self) -> set[str]:
        return {i for i in self.users | self.groups | self.rooms if SAFE_ID.match(i)}

    def __bool__(self) -> bool:
        return bool(self.users or self.groups or self.rooms)


@dataclass(frozen=True)
class Window:
    start: float   # epoch seconds
    end: float

    def contains(self, ts: float) -> bool:
        return self.start <= ts <= self.end


# ------------------------------------------------------------------------------------------- ids
_CHANNEL_USER = re.compile(r"^([^/\s]+)/(?:tcp|ws)$")
_REST_PATH = re.compile(r"^(?:GET|POST|PUT|DELETE|PATCH) /(users|chatgroups|chatrooms)/([^/\s?,]+)")
_REST_MEMBERS = re.compile(r"^(?:GET|POST|PUT|DELETE|PATCH) /(?:chatgroups|chatrooms)/[^/\s]+/"
                           r"(?:users|mute|blocks/users|white/users)/([^/\s?]+)")
_GROUP_FIELD = re.compile(r'"groupid"\s*:\s*"([^"]+)"')
_ROOM_FIELD = re.compile(r'"chatroomid"\s*:\s*"([^"]+)"')
_ID_FIELD = re.compile(r'"id"\s*:\s*"([^"]+)"')
_MUC_JID = re.compile(r'name: "([^"]+)" domain: "conference\.')
_PATH_KIND = {"users": "users", "chatgroups": "groups", "chatrooms": "rooms"}


def ids_from_wire_log(entries: Iterable[Any]) -> DiagnosticIds:
    """Users, groups and rooms named in a WireLog's entries (channels, REST paths and bodies, MUC JIDs)."""
    ids = DiagnosticIds()
    last_request = ""
    for entry in entries:
        user = _CHANNEL_USER.match(entry.channel)
        if user:
            ids.users.add(user.group(1))
            for muc in _MUC_JID.findall(entry.text):
                (ids.rooms if "CHATROOM" in entry.text.upper() else ids.groups).add(muc)
            continue
        if entry.direction == ">":
            last_request = entry.text
            path = _REST_PATH.match(entry.text)
            if path:
                getattr(ids, _PATH_KIND[path.group(1)]).add(path.group(2))
            members = _REST_MEMBERS.match(entry.text)
            if members:
                ids.users.update(n for n in members.group(1).split(",") if n)
        else:
            ids.groups.update(_GROUP_FIELD.findall(entry.text))
            ids.rooms.update(_ROOM_FIELD.findall(entry.text))
            if last_request.startswith("POST /chatrooms ") or last_request.rstrip() == "POST /chatrooms":
                ids.rooms.update(_ID_FIELD.findall(entry.text)[:1])
    return ids


# JSON fields, also inside an escaped JSON string (PROVISION's authToken: "{\"token\":\"$t$…\"}")
_SECRET_JSON = re.compile(r'(\\?"(?:password|newpassword|client_secret|access_token|token)\\?"\s*:\s*\\?")'
                          r'([^"\\]*)(\\?")')
_SECRET_PROTO = re.compile(r'(\b(?:password|token): ")([^"]*)(")')


def redact(text: str) -> str:
    """Wire logs end up in published reports: passwords, client secrets and tokens are cut to a stub."""
    def stub(match: re.Match) -> str:
        value = match.group(2)
        return match.group(1) + (value[:6] + "…" if len(value) > 12 else "…") + match.group(3)

    return _SECRET_PROTO.sub(stub, _SECRET_JSON.sub(stub, text))


# ------------------------------------------------------------------------------------- commands
@dataclass(frozen=True)
class CommandSpec:
    name: str
    command: str
    each: str = "test"
    timeout: float = 60.0

    def __post_init__(self) -> None:
        if self.each not in EACH:
            raise ValueError(f"diagnostics command {self.name!r}: each must be one of {EACH}, got {self.each!r}")


@dataclass(frozen=True)
class Settings:
    """[diagnostics] of im-e2e.toml (read by im_e2e.config), plus `--im-diagnose` commands."""

    commands: tuple[CommandSpec, ...] = ()
    margin: float = 5.0            # seconds added before and after the test's own time window
    timezone: str | None = None    # for {start} {end}; local time when unset
    sandbox_logs: bool = True


def placeholders(window: Window, ids: DiagnosticIds, *, test: str = "", run_id: str = "", target: str = "",
                 appkey: str = "", tz: str | None = None) -> dict[str, str]:
    zone = ZoneInfo(tz) if tz else None

    def local(ts: float) -> str:
        moment = datetime.fromtimestamp(ts, zone) if zone else datetime.fromtimestamp(ts)
        return moment.strftime("%Y-%m-%d %H:%M:%S")

    def iso(ts: float) -> str:
        return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    lists = ids.as_lists()
    return {
        "test": test, "run_id": run_id, "target": target, "appkey": appkey,
        "start": local(window.start), "end": local(window.end),
        "start_iso": iso(window.start), "end_iso": iso(window.end),
        "start_ts": str(int(window.start)), "end_ts": str(int(window.end) + 1),
        "start_ms": str(int(window.start * 1000)), "end_ms": str(int(window.end * 1000)),
        "seconds": str(int(window.end - window.start) + 1),
        "users": ",".join(lists.get("users", [])), "groups": ",".join(lists.get("groups", [])),
        "rooms": ",".join(lists.get("rooms", [])),
    }


def render(template: str, values: dict[str, str]) -> str:
    """Fill `{name}` placeholders that are known; anything else in braces (Erlang tuples …) stays as is."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _tail(text: str) -> str:
    return text if len(text) <= MAX_OUTPUT else f"… ({len(text) - MAX_OUTPUT} characters cut)\n" + text[-MAX_OUTPUT:]


def run_command(spec: CommandSpec, values: dict[str, str], cwd: Path | None = None) -> str:
    """Run one filled-in command through the shell; its output (stdout + stderr) and exit status as text."""
    command = render(spec.command, values)
    env = {**os.environ, **{f"IM_E2E_DIAG_{k.upper()}": v for k, v in values.items()}}
    proc = subprocess.Popen(command, shell=True, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=spec.timeout)
        status = f"exit status {proc.returncode}"
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        status = f"timed out after {spec.timeout:g}s"
    text = out.decode("utf-8", "replace")
    return f"$ {command}\n{_tail(text)}{'' if text.endswith(chr(10)) or not text else chr(10)}({status})"


def run_commands(settings: Settings, values: dict[str, str], ids: DiagnosticIds,
                 cwd: Path | None = None) -> list[tuple[str, str]]:
    """[(name, output)] for every configured command; `each` commands run once per id."""
    out = []
    lists = ids.as_lists()
    for spec in settings.commands:
        if spec.each == "test":
            out.append((spec.name, run_command(spec, values, cwd)))
            continue
        kind = spec.each + "s"
        targets = lists.get(kind, [])
        if not targets:
            out.append((spec.name, f"(no {kind} known for this test)"))
        for one in targets:
            out.append((f"{spec.name} {one}", run_command(spec, {**values, spec.each: one}, cwd)))
    return out


# -------------------------------------------------------------------------------------- sandbox
LOG_FILE = "sandbox.log"
EVENTS_FILE = "events.jsonl"
_LOG_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:[.,](\d{1,6}))?")


def _log_time(line: str) -> float | None:
    stamp = _LOG_STAMP.match(line)
    if not stamp:
        return None
    moment = datetime.strptime(f"{stamp.group(1)} {stamp.group(2)}", "%Y-%m-%d %H:%M:%S")  # local time
    fraction = float("0." + stamp.group(3)) if stamp.group(3) else 0.0
    return moment.timestamp() + fraction


def _mentions(text: str, ids: set[str]) -> bool:
    return not ids or any(i in text for i in ids)


def sandbox_log(data_dir: Path, window: Window, ids: DiagnosticIds, limit: int = MAX_LINES) -> str:
    """Lines of sandbox.log inside the window that mention one of the ids (all of the window without ids);
    continuation lines (tracebacks) go with the line they belong to."""
    path = Path(data_dir) / LOG_FILE
    if not path.is_file():
        return f"({path} does not exist)"
    wanted = ids.all()
    picked: list[str] = []
    record: list[str] = []
    record_time: float | None = None

    def flush() -> None:
        if record and record_time is not None and window.contains(record_time) and _mentions("".join(record), wanted):
            picked.extend(record)

    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            ts = _log_time(line)
            if ts is not None:
                flush()
                record, record_time = [line.rstrip("\n")], ts
                if ts > window.end + 60:  # log lines are in time order (give or take a flush)
                    break
            elif record:
                record.append(line.rstrip("\n"))
        else:
            flush()
    if not picked:
        return f"(no lines of {path.name} in the window{' mention ' + ', '.join(sorted(wanted)) if wanted else ''})"
    if len(picked) > limit:
        picked = [f"… {len(picked) - limit} earlier lines left out"] + picked[-limit:]
    return "\n".join(picked)


def _values(obj: Any) -> Iterable[str]:
    if isinstance(obj, dict):
        for value in obj.values():
            yield from _values(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _values(value)
    elif obj is not None:
        yield str(obj)


def sandbox_events(data_dir: Path, window: Window, ids: DiagnosticIds, limit: int = MAX_LINES) -> str:
    """Entries of events.jsonl (`ts` in ms) inside the window with one of the ids among their values."""
    path = Path(data_dir) / EVENTS_FILE
    if not path.is_file():
        return f"({path} does not exist)"
    wanted = ids.all()
    picked = []
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                event = json.loads(line)
                ts = float(event["ts"]) / 1000
            except (ValueError, KeyError, TypeError):
                continue
            if not window.contains(ts):
                continue
            values = set(_values({k: v for k, v in event.items() if k != "ts"}))
            if not wanted or any(v in wanted or any(i in v for i in wanted) for v in values):
                picked.append(line.rstrip("\n"))
    if not picked:
        return f"(no entries of {path.name} in the window{' for ' + ', '.join(sorted(wanted)) if wanted else ''})"
    if len(picked) > limit:
        picked = [f"… {len(picked) - limit} earlier entries left out"] + picked[-limit:]
    return "\n".join(picked)


def await_event_log(data_dir: Path, quiet: float = 0.3, timeout: float = 3.0) -> None:
    """The sandbox writes its event log on a timer: wait until events.jsonl has stopped growing for `quiet` s."""
    path = Path(data_dir) / EVENTS_FILE
    if not path.exists():
        return
    seen = {"size": -1, "since": time.monotonic()}

    def settled() -> bool:
        size = path.stat().st_size
        now = time.monotonic()
        if size != seen["size"]:
            seen.update(size=size, since=now)
        return now - seen["since"] >= quiet

    try:
        wait_until(settled, f"{path} to stop growing", timeout=timeout, interval=0.05)
    except Timeout:  # a busy sandbox keeps writing: take what is there
        pass


def sandbox_attachments(data_dir: Path, window: Window, ids: DiagnosticIds) -> list[tuple[str, str]]:
    await_event_log(data_dir)
    return [(LOG_FILE, sandbox_log(data_dir, window, ids)), (EVENTS_FILE, sandbox_events(data_dir, window, ids))]
