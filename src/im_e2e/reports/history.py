"""The history store `reports/history.sqlite`: one row per run and per test, for trends and flakiness.

A flaky test is one that both failed and passed on the same commit (git HEAD recorded per run).
Recording a run again replaces its rows, so `im-e2e report` can rebuild from results.json at will.
"""
from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from .results import RunResults

HISTORY_FILE = "history.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, label TEXT, target TEXT, commit_sha TEXT, branch TEXT,
    started REAL, finished REAL, duration REAL, status TEXT, exit_status INTEGER,
    passed INTEGER, failed INTEGER, not_possible INTEGER, skipped INTEGER, total INTEGER
);
CREATE TABLE IF NOT EXISTS tests (
    run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
    nodeid TEXT NOT NULL, owner TEXT, category TEXT, outcome TEXT, duration REAL,
    PRIMARY KEY (run_id, nodeid)
);
CREATE INDEX IF NOT EXISTS tests_nodeid ON tests(nodeid);
"""


@dataclass(frozen=True)
class RunRow:
    run_id: str
    label: str
    target: str
    commit: str
    started: float
    duration: float
    status: str
    passed: int
    failed: int
    not_possible: int
    skipped: int
    total: int

    @property
    def pass_rate(self) -> float | None:
        """Passed share of the tests that ran to a verdict (not possible and skipped left out)."""
        decided = self.passed + self.failed
        return None if decided == 0 else self.passed / decided


@dataclass(frozen=True)
class FlakyTest:
    nodeid: str
    owner: str
    commits: int       # commits on which it both failed and passed
    failures: int      # failed runs on those commits
    passes: int        # passed runs on those commits
    last_seen: float


class History:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        # runs of different jobs may finish at the same moment: wait for the lock rather than fail
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA foreign_keys = ON")
        return db

    def record(self, run: RunResults) -> None:
        counts = run.counts()
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM runs WHERE run_id = ?", (run.run_id,))
            db.execute("INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (
                run.run_id, run.label, run.target, run.commit, run.branch, run.started, run.finished,
                run.duration, run.status, run.exit_status, counts["passed"], counts["failed"],
                counts["not_possible"], counts["skipped"], counts["total"]))
            db.executemany("INSERT OR REPLACE INTO tests VALUES (?,?,?,?,?,?)", [
                (run.run_id, t.nodeid, t.owner, t.category, t.outcome, t.duration) for t in run.tests])

    def runs(self, *, label: str | None = None, target: str | None = None, limit: int = 30,
             until: float | None = None) -> list[RunRow]:
        """The latest `limit` runs (oldest first), optionally of one label/target, up to a start time."""
        where, args = ["status != 'unhealthy'"], []
        if label is not None:
            where.append("label = ?")
            args.append(label)
        if target is not None:
            where.append("target = ?")
            args.append(target)
        if until is not None:
            where.append("started <= ?")
            args.append(until)
        sql = (f"SELECT run_id, label, target, commit_sha, started, duration, status, passed, failed, "
               f"not_possible, skipped, total FROM runs WHERE {' AND '.join(where)} "
               f"ORDER BY started DESC LIMIT ?")
        with closing(self._connect()) as db:
            rows = db.execute(sql, (*args, limit)).fetchall()
        return [RunRow(*row) for row in reversed(rows)]

    def flaky(self, limit: int = 50) -> list[FlakyTest]:
        """Tests that failed and passed on the same commit, most often flipping first."""
        sql = """
            WITH per_commit AS (
                SELECT t.nodeid, r.commit_sha, MAX(t.owner) AS owner,
                       SUM(t.category = 'failed') AS failures, SUM(t.category = 'passed') AS passes,
                       MAX(r.started) AS last_seen
                FROM tests t JOIN runs r USING (run_id)
                WHERE r.commit_sha != ''
                GROUP BY t.nodeid, r.commit_sha
                HAVING failures > 0 AND passes > 0
            )
            SELECT nodeid, MAX(owner), COUNT(*), SUM(failures), SUM(passes), MAX(last_seen)
            FROM per_commit GROUP BY nodeid
            ORDER BY COUNT(*) DESC, SUM(failures) DESC, nodeid LIMIT ?"""
        with closing(self._connect()) as db:
            return [FlakyTest(*row) for row in db.execute(sql, (limit,)).fetchall()]

    def flaky_in_runs(self, run_ids: list[str]) -> dict[str, int]:
        """For each run: how many of its tests were flaky on that run's commit (as far as history knows)."""
        if not run_ids:
            return {}
        marks = ",".join("?" * len(run_ids))
        sql = f"""
            WITH flaky AS (
                SELECT t.nodeid, r.commit_sha FROM tests t JOIN runs r USING (run_id)
                WHERE r.commit_sha != ''
                GROUP BY t.nodeid, r.commit_sha
                HAVING SUM(t.category = 'failed') > 0 AND SUM(t.category = 'passed') > 0
            )
            SELECT r.run_id, COUNT(f.nodeid) FROM runs r
            JOIN tests t USING (run_id)
            LEFT JOIN flaky f ON f.nodeid = t.nodeid AND f.commit_sha = r.commit_sha
            WHERE r.run_id IN ({marks}) GROUP BY r.run_id"""
        with closing(self._connect()) as db:
            found = dict(db.execute(sql, run_ids).fetchall())
        return {run_id: int(found.get(run_id, 0)) for run_id in run_ids}
