"""Run a Sandbox on its own event loop in a daemon thread (for test fixtures)."""
from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import Any, Callable

from .app import Sandbox
from .config import SandboxConfig


class SandboxHandle:
    """A sandbox running in a background thread. `info` is the same dict the CLI prints."""

    def __init__(self, sandbox: Sandbox, loop: asyncio.AbstractEventLoop, thread: threading.Thread):
        self.sandbox = sandbox
        self.loop = loop
        self.thread = thread
        self.info: dict = dict(sandbox.info or {})
        self._stopped = False

    @property
    def config(self) -> SandboxConfig:
        return self.sandbox.config

    @property
    def rest_url(self) -> str:
        return self.info["rest_url"]

    @property
    def ws_url(self) -> str:
        return self.info["ws_url"]

    @property
    def tcp_address(self) -> tuple[str, int]:
        return self.info["tcp_host"], self.info["tcp_port"]

    def call(self, fn: Callable[..., Any], *args: Any, timeout: float = 10.0) -> Any:
        """Run `fn(*args)` on the sandbox's loop thread (e.g. to inspect its state) and return the result."""
        future: concurrent.futures.Future = concurrent.futures.Future()

        def run() -> None:
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # handed to the caller
                future.set_exception(exc)

        self.loop.call_soon_threadsafe(run)
        return future.result(timeout)

    def stop(self, timeout: float = 15.0) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self.loop.is_running():
            try:
                asyncio.run_coroutine_threadsafe(self.sandbox.stop(), self.loop).result(timeout)
            finally:
                self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout)

    def __enter__(self) -> "SandboxHandle":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def start_in_thread(config: SandboxConfig | None = None, timeout: float = 30.0) -> SandboxHandle:
    """Start a sandbox in a daemon thread; returns once both listeners accept connections."""
    sandbox = Sandbox(config)
    started: concurrent.futures.Future = concurrent.futures.Future()
    loop = asyncio.new_event_loop()

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(sandbox.start())
        except BaseException as exc:
            started.set_exception(exc)
            loop.close()
            return
        started.set_result(None)
        try:
            loop.run_forever()
        finally:
            pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    thread = threading.Thread(target=run, name=f"im-sandbox-{sandbox.config.appkey}", daemon=True)
    thread.start()
    started.result(timeout)
    return SandboxHandle(sandbox, loop, thread)
