"""The daemon's job-run table: one row per (job, scheduled fire time), so a run happens at most once.

``scheduler.py`` claims a run before starting it (``claim_run``) and closes it afterwards
(``finish_run``). The unique key (job name, fire time) is what makes a scheduled run idempotent: a
second daemon start, a catch-up after downtime and the regular trigger all try to claim the same
key and only one succeeds. A run whose daemon died mid-way is left ``running``; the next daemon
(which holds the lock, so it knows nobody else is running) marks it ``interrupted`` at start, and an
interrupted run may be claimed once more.

Functions take a ``store.Store`` (or, for tests and tools, anything with a sqlite3 connection at
``.conn`` or ``.db.conn``, or a ``sqlite3.Connection``). Times are aware datetimes, stored as UTC
ISO 8601 text with seconds, which sorts in time order.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kernel.times import parse_iso, to_utc_iso

if TYPE_CHECKING:
    from store.core import Store

TABLE = "schedule_runs"

# Statuses a run goes through; "running" is the only one that is not final.
RUNNING, OK, FAILED, TIMEOUT, INTERRUPTED = "running", "ok", "failed", "timeout", "interrupted"

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id INTEGER PRIMARY KEY,
    job TEXT NOT NULL,
    fire_time TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    daemon_pid INTEGER,
    detail TEXT,
    UNIQUE (job, fire_time)
);
CREATE INDEX IF NOT EXISTS {TABLE}_job_fire ON {TABLE} (job, fire_time);
"""


@dataclass(frozen=True)
class JobRun:
    id: int
    job: str
    fire_time: datetime
    status: str
    attempts: int
    started_at: datetime
    finished_at: datetime | None
    daemon_pid: int | None
    detail: str | None


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError(f"time must be timezone-aware, got naive {moment!r}")
    return to_utc_iso(moment)


def _row(row: sqlite3.Row | tuple) -> JobRun:
    id_, job, fire, status, attempts, started, finished, pid, detail = row
    fire_time, started_at = parse_iso(fire), parse_iso(started)
    if fire_time is None or started_at is None:
        raise ValueError(f"{TABLE} row {id_} has no fire or start time")  # both columns are NOT NULL
    return JobRun(id_, job, fire_time, status, attempts, started_at, parse_iso(finished), pid, detail)


_COLUMNS = "id, job, fire_time, status, attempts, started_at, finished_at, daemon_pid, detail"


def ensure_schema(store: Store) -> None:
    """Create the job-run table if it is missing (safe to call on every daemon start)."""
    # executescript commits any open transaction first; the daemon calls this at start, before
    # any job has opened one.
    store.db.conn.executescript(_SCHEMA)


def claim_run(store: Store, job: str, fire_time: datetime, *, now: datetime, daemon_pid: int) -> bool:
    """Claim (job, fire_time) for this daemon; False when it already ran, runs or finished.

    An ``interrupted`` run (its daemon died) can be claimed again, once per daemon start.
    """
    with store.transaction() as conn:
        cur = conn.execute(
            f"INSERT OR IGNORE INTO {TABLE} (job, fire_time, status, attempts, started_at, daemon_pid) "
            f"VALUES (?, ?, ?, 1, ?, ?)", (job, _iso(fire_time), RUNNING, _iso(now), daemon_pid))
        if cur.rowcount == 1:
            return True
        cur = conn.execute(
            f"UPDATE {TABLE} SET status = ?, attempts = attempts + 1, started_at = ?, finished_at = NULL, "
            f"daemon_pid = ?, detail = NULL WHERE job = ? AND fire_time = ? AND status = ?",
            (RUNNING, _iso(now), daemon_pid, job, _iso(fire_time), INTERRUPTED))
        return cur.rowcount == 1


def finish_run(store: Store, job: str, fire_time: datetime, status: str, *, now: datetime,
               detail: str | None = None) -> None:
    """Close a claimed run with its final status (ok, failed, timeout or interrupted)."""
    if status == RUNNING:
        raise ValueError("finish_run needs a final status, not 'running'")
    with store.transaction() as conn:
        conn.execute(f"UPDATE {TABLE} SET status = ?, finished_at = ?, detail = ? WHERE job = ? AND fire_time = ?",
                     (status, _iso(now), detail, job, _iso(fire_time)))


def mark_interrupted(store: Store, *, now: datetime) -> list[JobRun]:
    """Mark every run still ``running`` as interrupted; the caller holds the daemon lock, so their
    daemon is gone. Returns the runs it marked."""
    with store.transaction() as conn:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM {TABLE} WHERE status = ?", (RUNNING,)).fetchall()
        conn.execute(f"UPDATE {TABLE} SET status = ?, finished_at = ?, detail = ? WHERE status = ?",
                     (INTERRUPTED, _iso(now), "the daemon stopped before the run finished", RUNNING))
    return [_row(r) for r in rows]


def last_run(store: Store, job: str) -> JobRun | None:
    """The run of ``job`` with the latest fire time, whatever its status."""
    row = store.db.conn.execute(
        f"SELECT {_COLUMNS} FROM {TABLE} WHERE job = ? ORDER BY fire_time DESC LIMIT 1", (job,)).fetchone()
    return _row(row) if row else None


def runs(store: Store, job: str | None = None) -> list[JobRun]:
    """All recorded runs (of one job, or all), oldest fire time first."""
    if job is None:
        rows = store.db.conn.execute(f"SELECT {_COLUMNS} FROM {TABLE} ORDER BY fire_time, job").fetchall()
    else:
        rows = store.db.conn.execute(
            f"SELECT {_COLUMNS} FROM {TABLE} WHERE job = ? ORDER BY fire_time", (job,)).fetchall()
    return [_row(r) for r in rows]
