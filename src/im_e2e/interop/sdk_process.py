"""The Node process of the Web SDK driver (driver/driver.js), commanded line by line.

Commands answer with a result line; everything the SDK fires arrives as an event line and lands in
an Inbox (the same one im_client uses), so waits time out with a list of what did arrive.
"""
from __future__ import annotations

import itertools
import json
import os
import re
import shlex
import shutil
import subprocess
import threading
from collections import deque
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from im_client import Target
from im_client.errors import ImError, Timeout
from im_client.inbox import Inbox

DRIVER_DIR = Path(__file__).parent / "driver"
MIN_NODE_MAJOR = 20
COMMAND_TIMEOUT = 20.0  # above the SDK's own limits: 10 s provision, 15 s per message
START_TIMEOUT = 15.0
_ids = itertools.count(1)


# -- can it run here? ---------------------------------------------------------------------------
def pinned_packages() -> dict[str, str]:
    """The driver's npm dependencies and their exact versions (driver/package.json)."""
    return json.loads((DRIVER_DIR / "package.json").read_text())["dependencies"]


def pinned_sdk_version() -> str:
    return pinned_packages()["easemob-websdk"]


def npm_install_command() -> list[str]:
    """What installs the driver's packages: exactly package.json's versions, no lock file."""
    return ["npm", "install", "--prefix", str(DRIVER_DIR), "--no-package-lock", "--no-audit", "--no-fund",
            "--loglevel=error"]


def node_problem() -> str | None:
    """Why Node cannot run the driver here (missing, too old), or None."""
    fix = (f"install Node >= {MIN_NODE_MAJOR} with npm (e.g. `apt-get install -y nodejs npm`, or nodejs.org); "
           f"the driver's packages then install on first use")
    node = shutil.which("node")
    if node is None:
        return f"Node.js is not installed (the Web SDK driver needs Node >= {MIN_NODE_MAJOR}); fix: {fix}"
    try:
        version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        return f"cannot run {node}: {exc}"
    found = re.match(r"v(\d+)\.", version)
    if not found or int(found.group(1)) < MIN_NODE_MAJOR:
        return f"Node {version or '?'} is too old (the Web SDK driver needs Node >= {MIN_NODE_MAJOR}); fix: {fix}"
    return None


def packages_problem() -> str | None:
    """Which pinned driver package is missing or at another version, or None."""
    for name, wanted in pinned_packages().items():
        installed = DRIVER_DIR / "node_modules" / name / "package.json"
        have = json.loads(installed.read_text()).get("version") if installed.exists() else None
        if have != wanted:
            state = "is not installed" if have is None else f"{have} is installed"
            return (f"the driver pins {name} {wanted}, {state} in {DRIVER_DIR}; "
                    f"fix: {shlex.join(npm_install_command())}")
    return None


def driver_problem() -> str | None:
    """Why the driver cannot run on this machine, or None when it can."""
    return node_problem() or packages_problem()


# -- what comes back ------------------------------------------------------------------------------
class SdkError(ImError):
    """The SDK rejected a call; `type` is its error code (docs/protocol/msync.md §6), `message` its text."""

    def __init__(self, op: str, error: dict):
        self.op = op
        self.type = error.get("type")
        self.message = error.get("message")
        self.data = error.get("data")
        super().__init__(f"SDK {op} failed: type={self.type} message={self.message!r} data={self.data!r:.300}")


class DriverError(ImError):
    """The driver process failed (exited, wrote something that is not a protocol line …)."""


@dataclass
class SdkEvent:
    """One event the SDK fired on one connection (`onTextMessage`, `onError` …) with its payload."""

    conn: str
    name: str
    data: Any

    def summary(self) -> str:
        return f"{self.conn}.{self.name} {json.dumps(self.data, ensure_ascii=False)[:200]}"


@dataclass
class SdkOutcome:
    """The raw outcome of an SDK call, for negative tests: `value` on success, `error` otherwise."""

    ok: bool
    value: Any = None
    error: SdkError | None = None


# -- the process ----------------------------------------------------------------------------------
class DriverProcess:
    """The Node process running the Web SDK: commands in, results and events out."""

    def __init__(self, target: Target, *, log_path: Path | None = None):
        self.target = target
        self.log_path = log_path
        self.inbox = Inbox(owner="websdk")
        self.info: dict = {}
        self._proc: subprocess.Popen | None = None
        self._pending: dict[int, tuple[str, Future]] = {}
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._ready: Future = Future()
        self._stderr_tail: deque[str] = deque(maxlen=200)
        self._log_file = None
        self._log_lock = threading.Lock()
        self._stderr_reader: threading.Thread | None = None

    def start(self) -> "DriverProcess":
        problem = driver_problem()
        if problem:
            raise DriverError(problem)
        self._switch_log(self.log_path)
        self._proc = subprocess.Popen(
            [shutil.which("node"), "driver.js"], cwd=DRIVER_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1,
            env={**os.environ, "NODE_NO_WARNINGS": "1"})
        threading.Thread(target=self._read_stdout, args=(self._proc,), name="websdk-stdout", daemon=True).start()
        self._stderr_reader = threading.Thread(target=self._read_stderr, args=(self._proc,), name="websdk-stderr",
                                               daemon=True)
        self._stderr_reader.start()
        try:
            self.info = self._ready.result(START_TIMEOUT)
        except FutureTimeout:
            self.close()
            raise DriverError(f"the driver did not start within {START_TIMEOUT:g}s{self._tail()}") from None
        except DriverError:
            self.close()
            raise
        return self

    def command(self, op: str, timeout: float = COMMAND_TIMEOUT, **args: Any) -> Any:
        """Run one driver command; its value, or SdkError with what the SDK rejected."""
        outcome = self.try_command(op, timeout, **args)
        if not outcome.ok:
            raise outcome.error
        return outcome.value

    def try_command(self, op: str, timeout: float = COMMAND_TIMEOUT, **args: Any) -> SdkOutcome:
        ident = next(_ids)
        fut: Future = Future()
        with self._lock:
            self._pending[ident] = (op, fut)
        self._write({"id": ident, "op": op, **args})
        try:
            return fut.result(timeout)
        except FutureTimeout:
            with self._lock:
                self._pending.pop(ident, None)
            raise Timeout(f"SDK {op} {_short(args)}: no answer within {timeout:g}s") from None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def begin_test(self, target: Target, log_path: Path | None) -> None:
        """One process serves one test after another (starting Node and the SDK bundle costs about
        0.2 CPU-s, as much as a whole interop test): a fresh inbox, the test's target and its own
        log file; `end_test` closes what the test opened."""
        self.target = target
        self.inbox = Inbox(owner="websdk")
        self._stderr_tail.clear()
        self._switch_log(log_path)

    def end_test(self) -> None:
        """Every connection of the test closed and forgotten by the driver; the test's log closed."""
        try:
            self.command("reset")
        finally:
            self._switch_log(None)

    def _switch_log(self, log_path: Path | None) -> None:
        with self._log_lock:
            if self._log_file is not None:
                self._log_file.close()
            self.log_path = log_path
            self._log_file = open(log_path, "w", encoding="utf-8") if log_path is not None else None

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            try:
                self._write({"id": 0, "op": "exit"}, proc)
                proc.stdin.close()
                proc.wait(5)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait(5)
        if self._stderr_reader is not None:
            self._stderr_reader.join(5)  # it ends with the process; then the log file is complete
        self._switch_log(None)

    # -- plumbing ---------------------------------------------------------------------------------
    def _write(self, obj: dict, proc: subprocess.Popen | None = None) -> None:
        proc = proc or self._proc
        if proc is None or proc.poll() is not None:
            raise DriverError(f"the driver is not running{self._tail()}")
        with self._write_lock:
            proc.stdin.write(json.dumps(obj) + "\n")
            proc.stdin.flush()

    def _read_stdout(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            try:
                obj = json.loads(line)
            except ValueError:
                self._stderr_tail.append(f"(stdout) {line.rstrip()}")
                continue
            kind = obj.get("kind")
            if kind == "event":
                self.inbox.put(SdkEvent(obj["conn"], obj["name"], obj.get("data")))
            elif kind == "result":
                with self._lock:
                    op, fut = self._pending.pop(obj.get("id"), (None, None))
                if fut is not None:
                    ok = bool(obj.get("ok"))
                    error = None if ok else SdkError(op, obj.get("error") or {})
                    fut.set_result(SdkOutcome(ok, obj.get("value"), error))
            elif kind == "ready" and not self._ready.done():
                self._ready.set_result(obj)
        reason = f"the driver exited (code {proc.wait()}){self._tail()}"
        self.inbox.mark_closed(reason)
        if not self._ready.done():
            self._ready.set_exception(DriverError(reason))
        with self._lock:
            pending, self._pending = self._pending, {}
        for _, fut in pending.values():
            if not fut.done():
                fut.set_exception(DriverError(reason))

    def _read_stderr(self, proc: subprocess.Popen) -> None:
        for line in proc.stderr:
            self._stderr_tail.append(line.rstrip())
            with self._log_lock:
                if self._log_file is not None:
                    self._log_file.write(line)

    def log_tail(self, lines: int = 200) -> str:
        """The last lines the SDK logged (its console output)."""
        return "\n".join(list(self._stderr_tail)[-lines:])

    def event_summary(self) -> str:
        return "\n".join(e.summary() for e in self.inbox.items()) or "(no events)"

    def _tail(self) -> str:
        return ("; SDK log tail:\n  " + "\n  ".join(list(self._stderr_tail)[-40:])) if self._stderr_tail else ""


def _short(args: dict) -> str:
    return json.dumps(args, ensure_ascii=False)[:200]
