"""The SQLite connection: WAL, synchronous=OFF, used from the event-loop thread only.

synchronous=OFF: the data survives the sandbox process crashing or being killed (every commit is
in the OS's hands), not the machine losing power, which a test target does not need; the fsyncs
of NORMAL made checkpoints the biggest cost of committing under group load. Checkpoints run
every `WAL_AUTOCHECKPOINT` pages instead of SQLite's 1000 for the same reason.

Writes are grouped: the first write opens a transaction and schedules one COMMIT
`COMMIT_INTERVAL` later, so a burst of messages and pull acknowledgements costs one commit instead
of hundreds (under group load, committing every event-loop iteration was the sandbox's single
biggest cost). Reads go through the same connection and therefore always see the pending writes.
A clean stop commits what is pending; a process killed hard loses at most the last
`COMMIT_INTERVAL` of writes, whose acks may already have gone out (as with any server that acks
before its storage syncs).
"""
from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path
from typing import Any, Iterable

from .schema import SCHEMA, SCHEMA_VERSION

log = logging.getLogger(__name__)

COMMIT_INTERVAL = 0.005  # s
WAL_AUTOCHECKPOINT = 10_000  # pages (about 40 MB of WAL)


class Database:
    def __init__(self, path: Path):
        self.path = path
        self.conn = sqlite3.connect(
            str(path), isolation_level=None, check_same_thread=False, cached_statements=512
        )
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT}")
        self.conn.execute("PRAGMA temp_store=MEMORY")
        self.conn.execute("PRAGMA cache_size=-65536")
        self.conn.execute("PRAGMA busy_timeout=5000")
        self._in_tx = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._migrate()

    def _migrate(self) -> None:
        (version,) = self.conn.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"{self.path} has schema {version}, newer than this sandbox ({SCHEMA_VERSION})")
        self.conn.executescript(SCHEMA)
        self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    # -- reads ---------------------------------------------------------------------------
    def one(self, sql: str, params: Iterable[Any] = ()) -> tuple | None:
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- writes --------------------------------------------------------------------------
    def write(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Execute a write inside the pending transaction; returns the affected row count."""
        if not self._in_tx:
            self._begin()
        return self.conn.execute(sql, params).rowcount

    def write_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        if not self._in_tx:
            self._begin()
        self.conn.executemany(sql, rows)

    def _begin(self) -> None:
        self.conn.execute("BEGIN")
        self._in_tx = True
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_later(COMMIT_INTERVAL, self.commit)

    def commit(self) -> None:
        if not self._in_tx:
            return
        self._in_tx = False
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error:
            log.exception("commit failed; rolling back the pending writes")
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def close(self) -> None:
        self.commit()
        try:
            self.conn.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass
        self.conn.close()
