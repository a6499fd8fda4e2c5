"""Logging: the `im_sandbox` logger writes to data_dir/sandbox.log (and stderr from the CLI)."""
from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

LOG_FILE = "sandbox.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
ROOT = "im_sandbox"


class LogHandlers:
    """Handlers attached for the lifetime of one sandbox; `close` detaches them again.

    Create it on the sandbox's event-loop thread: the handlers only take records of that thread,
    so several sandboxes in one process (tests) keep their logs apart.
    """

    def __init__(self, data_dir: Path, level: str, to_stderr: bool):
        owner = threading.get_ident()
        self.logger = logging.getLogger(ROOT)
        self.logger.setLevel(getattr(logging, str(level).upper(), logging.INFO))
        formatter = logging.Formatter(FORMAT)
        self.handlers: list[logging.Handler] = [logging.FileHandler(data_dir / LOG_FILE, encoding="utf-8")]
        if to_stderr:
            self.handlers.append(logging.StreamHandler(sys.stderr))
        for handler in self.handlers:
            handler.setFormatter(formatter)
            handler.addFilter(lambda record: record.thread == owner)
            self.logger.addHandler(handler)

    def close(self) -> None:
        for handler in self.handlers:
            self.logger.removeHandler(handler)
            handler.close()
        self.handlers = []
