"""Fault detection: does the suite catch the sandbox's named faults (im_sandbox/faults.py)?

For each fault, the area suite that owns it runs (pytest in a subprocess, `-m <area>`) against a
sandbox with that fault switched on (`IM_SANDBOX_FAULTS=<name>`: the run's shared sandbox and the
private sandboxes of app-config tests all read it). The fault is *caught* when tests fail that pass
without it; those tests are named. Tests already failing without any fault (the baseline run of the
area) are not counted as catching anything. `im-e2e faults` prints the matrix; docs/faults.md.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from im_sandbox.faults import ENV, FAULTS, Fault

from .inner_env import inner_env

SUITE_TIMEOUT = 1200.0  # seconds for one area run
# pressure, interop and the fault meta-tests themselves are not part of an area's fault check
EXCLUDED_MARKERS = ("load", "interop", "faults")


# `--focused`: the test files of the feature each fault breaks (within its area). A focused run takes
# seconds instead of minutes; a fault that survives it is checked again against its whole area.
_L, _C, _G, _R = "tests/login/", "tests/chat/", "tests/group/", "tests/chatroom/"
FOCUS: dict[str, tuple[str, ...]] = {
    "token_expiry_ignored": (_L + "test_rest_tokens.py", _L + "test_login_errors.py"),
    "kick_not_sent": (_L + "test_devices.py", _L + "test_session_lifecycle.py"),
    "wrong_password_reason": (_L + "test_login_errors.py", _L + "test_login.py"),
    "same_resource_not_kicked": (_L + "test_devices.py", _L + "test_session_lifecycle.py"),
    "revoked_token_accepted": (_L + "test_auth_matrix.py",),
    "client_secret_not_checked": (_L + "test_auth_matrix.py", _L + "test_rest_tokens.py"),
    "ack_deletes_too_much": (_C + "test_ack_by_key.py", _C + "test_delivery.py"),
    "ack_deletes_other_queues": (_C + "test_device_queues.py", _C + "test_ack_by_key.py"),
    "ack_deletes_other_devices": (_C + "test_device_queues.py", _C + "test_ack_by_key.py"),
    "offline_queue_skipped": (_C + "test_delivery.py", _C + "test_ordering.py"),
    "multi_device_copy_missing": (_C + "test_delivery.py", _C + "test_ext_and_transports.py"),
    "ordering_swapped": (_C + "test_ordering.py",),
    "read_ack_dropped": (_C + "test_receipts.py",),
    "sensitive_words_not_applied": (_C + "test_sensitive_words.py",),
    "upstream_event_not_logged": ("tests/storage/events/test_message_events.py",),
    "send_rate_drops_silently": (_C + "test_send_rate.py",),
    "recall_time_limit_in_ms": ("tests/recall/test_recall_window.py",),
    "recall_notice_one_device_only": ("tests/recall/test_recall_every_device.py", "tests/recall/test_recall.py"),
    "ext_big_int_truncated": ("tests/ext/test_ext_paths.py", "tests/ext/test_ext_types.py"),
    "group_fanout_skips_member": (_G + "test_group_messages.py",),
    "group_kicked_member_receives": (_G + "test_group_members.py", _G + "test_group_messages.py"),
    "group_admin_may_moderate_admin": (_G + "test_group_role_matrix.py", _G + "test_group_roles.py"),
    "group_limit_off_by_one": (_G + "test_group_limits.py",),
    "group_settings_not_persisted": (_G + "test_group_restart_walk.py",),
    "group_mute_all_ignored": (_G + "test_group_mute.py",),
    "group_presence_missing": (_G + "test_group_members.py", _G + "test_group_invite_apply.py"),
    "thread_meta_missing": (_G + "test_thread_messages.py",),
    "group_shield_ignored": (_G + "test_group_shield.py",),
    "group_member_attrs_anyone_writes": (_G + "test_group_member_attributes.py",),
    "group_disable_not_applied": (_G + "test_group_disable.py",),
    "thread_update_msg_missing": (_G + "test_thread_notices.py",),
    "thread_multi_device_missing": (_G + "test_thread_notices.py",),
    "thread_limit_off_by_one": (_G + "test_thread_limits.py",),
    "thread_rename_not_persisted": ("tests/storage/test_restart_walk.py",),
    "traffic_control_drops_silently": ("tests/load/test_traffic_control.py",),
    "room_left_member_receives": (_R + "test_join_leave.py", _R + "test_room_messages.py"),
    "room_presence_count_wrong": (_R + "test_join_leave.py",),
    "room_kick_not_enforced": (_R + "test_room_kick.py",),
    "room_unknown_priority_high": (_R + "test_room_priority_defaults.py", _R + "test_room_priority.py"),
    "room_mute_all_ignored": (_R + "test_room_mute.py",),
    "thumbnail_is_full_image": (_C + "test_chatfiles.py", _C + "test_media_messages.py"),
    "share_secret_not_checked": (_C + "test_chatfiles.py",),
    "chatfile_size_limit_ignored": (_C + "test_chatfiles.py",),
    "media_secret_dropped": (_C + "test_media_messages.py",),
    "shared_file_delete_ignored": (_G + "test_group_shared_files.py",),
    "room_tag_mute_ignored": (_R + "test_room_tags.py",),
    "room_admin_may_moderate_admin": (_R + "test_room_role_matrix.py",),
    "block_list_ignored": ("tests/contact/test_blocks.py",),
    "contact_one_sided": ("tests/contact/test_contact_requests.py", "tests/contact/test_contact_list.py"),
    "contact_accept_unannounced": ("tests/contact/test_contact_requests.py",),
    "user_attrs_put_replaces": ("tests/userinfo/test_user_attributes.py",),
    "presence_expiry_ignored": ("tests/presence/test_presence.py",),
    "conversation_read_ack_ignored": ("tests/conversation/test_conversation_list.py",),
    "group_unread_not_cleared": ("tests/conversation/test_group_conversations.py",),
    "conversation_notice_to_acting_device": ("tests/conversation/test_conversation_actions.py",),
    "conversation_unread_counts_own": ("tests/conversation/test_conversation_list.py",),
    "silent_mode_ignored": ("tests/push/test_offline_push.py",),
}


@dataclass
class SuiteRun:
    failed: list[str]
    passed: int
    returncode: int
    seconds: float
    output_tail: str = ""

    @property
    def ran(self) -> bool:
        """pytest got as far as running tests (exit 0 = all passed, 1 = some failed, 2 = stopped by
        --maxfail after failures)."""
        if self.returncode == 2:
            return bool(self.failed)
        return self.returncode in (0, 1) and bool(self.passed or self.failed)


@dataclass
class FaultResult:
    name: str
    area: str
    description: str
    caught_by: list[str] = field(default_factory=list)
    also_failing_at_baseline: list[str] = field(default_factory=list)
    passed: int = 0
    seconds: float = 0.0
    error: str | None = None  # the area run did not run (collection error, timeout …)

    @property
    def caught(self) -> bool:
        return bool(self.caught_by)


def marker_expression(area: str) -> str:
    return " and ".join([area, *(f"not {m}" for m in EXCLUDED_MARKERS)])


def _node_id(case: ET.Element) -> str:
    classname, name = case.get("classname", ""), case.get("name", "")
    parts = classname.split(".")
    # tests.chat.test_delivery[.TestClass] -> tests/chat/test_delivery.py[::TestClass]
    split = next((i for i, p in enumerate(parts) if p.startswith("test_")), len(parts) - 1)
    path = "/".join(parts[:split + 1]) + ".py"
    return "::".join([path, *parts[split + 1:], name])


def read_junit(path: Path) -> tuple[list[str], int]:
    """(failed or errored test ids, number passed) from a pytest JUnit XML file."""
    failed, passed = [], 0
    for case in ET.parse(path).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(_node_id(case))
        elif case.find("skipped") is None:
            passed += 1
    return sorted(set(failed)), passed


def run_suite(root: Path, area: str, faults: Iterable[str] = (), workers: str = "2",
              paths: Iterable[str] = (), timeout: float = SUITE_TIMEOUT, max_fail: int = 0) -> SuiteRun:
    """Run one area's tests on a fresh sandbox with `faults` switched on (stop after `max_fail`
    failures when > 0)."""
    with tempfile.TemporaryDirectory(prefix="im-e2e-faults-") as tmp:
        junit = Path(tmp) / "junit.xml"
        cmd = [sys.executable, "-m", "pytest", *paths, "-m", marker_expression(area), "-p", "no:cacheprovider",
               "-q", "--target", "sandbox", "--im-no-diagnostics", f"--junitxml={junit}", "-o", "junit_family=xunit2"]
        if workers not in ("0", ""):
            cmd += ["-n", workers]
        if max_fail > 0:
            cmd.append(f"--maxfail={max_fail}")
        env = inner_env({ENV: ",".join(sorted(faults))})  # the sandbox with these faults, nothing inherited
        started = time.monotonic()
        try:
            proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            tail = (exc.stdout or b"")[-2000:] if isinstance(exc.stdout, bytes) else (exc.stdout or "")[-2000:]
            return SuiteRun([], 0, -1, time.monotonic() - started, f"timed out after {timeout:.0f} s\n{tail}")
        seconds = time.monotonic() - started
        failed, passed = read_junit(junit) if junit.exists() else ([], 0)
        return SuiteRun(failed, passed, proc.returncode, seconds, (proc.stdout + proc.stderr)[-2000:])


class Baselines:
    """Each area's run without faults, made once and reused by every fault of the area."""

    def __init__(self, root: Path, workers: str):
        self.root, self.workers = root, workers
        self._runs: dict[tuple[str, tuple[str, ...]], SuiteRun] = {}

    def failing(self, area: str, paths: Iterable[str] = ()) -> set[str]:
        key = (area, tuple(paths))
        if key not in self._runs:
            self._runs[key] = run_suite(self.root, area, (), self.workers, key[1])
        return set(self._runs[key].failed)


def check_fault(fault: Fault, root: Path, workers: str = "2", baselines: Baselines | None = None,
                paths: Iterable[str] = (), max_fail: int = 0) -> FaultResult:
    paths = list(paths)
    run = run_suite(root, fault.area, [fault.name], workers, paths, max_fail=max_fail)
    result = FaultResult(fault.name, fault.area, fault.description, passed=run.passed, seconds=round(run.seconds, 1))
    if not run.ran:
        result.error = f"pytest exit {run.returncode}: {run.output_tail.strip().splitlines()[-1:] or ['']}"
        return result
    broken = baselines.failing(fault.area, paths) if baselines is not None and run.failed else set()
    result.caught_by = [t for t in run.failed if t not in broken]
    result.also_failing_at_baseline = [t for t in run.failed if t in broken]
    return result


def run_matrix(names: Iterable[str], root: Path, workers: str = "2", baseline: bool = True,
               progress: Callable[[FaultResult], None] | None = None, max_fail: int = 0,
               focused: bool = False) -> list[FaultResult]:
    """Check each fault against its area (`focused`: first against FOCUS, then, if it survived
    there, against the whole area)."""
    baselines = Baselines(root, workers) if baseline else None
    results = []
    for name in names:
        focus = FOCUS.get(name, ()) if focused else ()
        result = check_fault(FAULTS[name], root, workers, baselines, focus, max_fail=max_fail)
        if focus and not result.caught:
            result = check_fault(FAULTS[name], root, workers, baselines, max_fail=max_fail)
        results.append(result)
        if progress is not None:
            progress(result)
    return results


def score(results: list[FaultResult]) -> tuple[int, int]:
    return sum(r.caught for r in results), len(results)


def status_of(result: FaultResult) -> str:
    if result.error:
        return "ERROR"
    return "caught" if result.caught else "SURVIVED"


def format_row(result: FaultResult, width: int = 4) -> str:
    head = f"{status_of(result):8} {result.name:30} {result.area:11} {result.seconds:6.0f}s"
    if result.error:
        return f"{head}  {result.error}"
    if not result.caught:
        return f"{head}  {result.passed} passed, none failed: {result.description}"
    shown = result.caught_by[:width]
    more = f" (+{len(result.caught_by) - width} more)" if len(result.caught_by) > width else ""
    return f"{head}  {len(result.caught_by)} caught it: {', '.join(shown)}{more}"


def format_matrix(results: list[FaultResult]) -> str:
    caught, total = score(results)
    lines = [f"{'status':8} {'fault':30} {'area':11} {'time':>7}  caught by", *map(format_row, results)]
    pct = 100.0 * caught / total if total else 0.0
    lines.append(f"score: {caught}/{total} faults caught ({pct:.0f} %)")
    survivors = [r.name for r in results if not r.caught]
    if survivors:
        lines.append("not caught: " + ", ".join(survivors))
    return "\n".join(lines)


def to_json(results: list[FaultResult]) -> str:
    caught, total = score(results)
    return json.dumps({"score": {"caught": caught, "total": total},
                       "faults": [{**asdict(r), "caught": r.caught} for r in results]}, indent=2)
