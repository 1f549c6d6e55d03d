"""SQL for the digest outbox: the ``digests`` and ``deliveries`` tables (schema in store/).

Every function takes a ``Store`` (anything with ``.db``, a sqlite_utils.Database) and works in
ISO 8601 UTC strings for times, so that string comparison is time comparison.

Delivery rows move ``pending`` → ``sending`` (claimed, with a lease) → ``sent`` | ``pending``
(retry later) | ``failed`` (gave up). A row left in ``sending`` by a killed process becomes due again
when its lease runs out. For a ``failed`` row, ``next_attempt_at`` holds the time it was given up,
which is how the next digest finds the failures to report.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


def _transaction(store: Any):
    """The store's write transaction (BEGIN IMMEDIATE) when it has one, else the connection's."""
    return store.transaction() if hasattr(store, "transaction") else store.db.conn


def _rows(store: Any, sql: str, params: dict | tuple = ()) -> list[dict]:
    cursor = store.db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def last_digest(store: Any, recipient: str) -> dict | None:
    """The recipient's most recent digest row (by window), or None before the first one."""
    rows = _rows(store, "SELECT id, recipient, first_finding_id, last_finding_id, created_at FROM digests "
                        "WHERE recipient = ? ORDER BY last_finding_id DESC, id DESC LIMIT 1", (recipient,))
    return rows[0] if rows else None


def digest_exists(store: Any, recipient: str, last_finding_id: int) -> bool:
    return bool(_rows(store, "SELECT 1 AS x FROM digests WHERE recipient = ? AND last_finding_id = ?",
                      (recipient, last_finding_id)))


def insert_digest(store: Any, *, recipient: str, first_finding_id: int, last_finding_id: int,
                  created_at: str, payload: dict, channels: list[str],
                  after_finding_id: int | None = None) -> int | None:
    """Insert a digest and one pending delivery per channel in ONE transaction.

    Returns the digest id, or None when a digest for (recipient, last_finding_id) already exists,
    or when ``after_finding_id`` (the window's start the caller planned from) is no longer the
    recipient's latest window end: another process built a digest meanwhile, and inserting this one
    would report its findings twice.
    """
    try:
        with _transaction(store) as conn:  # one transaction: both the digest and its deliveries, or neither
            if after_finding_id is not None:
                (latest,) = conn.execute("SELECT COALESCE(MAX(last_finding_id), 0) FROM digests WHERE recipient = ?",
                                         (recipient,)).fetchone()
                if latest != after_finding_id:
                    return None
            cursor = conn.execute(
                "INSERT INTO digests (recipient, first_finding_id, last_finding_id, created_at, payload) "
                "VALUES (?, ?, ?, ?, ?)",
                (recipient, first_finding_id, last_finding_id, created_at,
                 json.dumps(payload, ensure_ascii=False)))
            digest_id = int(cursor.lastrowid)
            for channel in channels:
                conn.execute(
                    "INSERT INTO deliveries (digest_id, recipient, channel, key, status, attempts, "
                    "next_attempt_at, last_error, sent_at, created_at) "
                    "VALUES (?, ?, ?, ?, ?, 0, ?, NULL, NULL, ?)",
                    (digest_id, recipient, channel, delivery_key(digest_id, recipient, channel),
                     PENDING, created_at, created_at))
    except sqlite3.IntegrityError:
        if digest_exists(store, recipient, last_finding_id):
            return None
        raise
    return digest_id


def delivery_key(digest_id: int, recipient: str, channel: str) -> str:
    return f"{digest_id}:{recipient}:{channel}"


def get_digest(store: Any, digest_id: int) -> dict | None:
    rows = _rows(store, "SELECT * FROM digests WHERE id = ?", (digest_id,))
    if not rows:
        return None
    row = rows[0]
    row["payload"] = json.loads(row["payload"]) if isinstance(row["payload"], str) else row["payload"]
    return row


def due_deliveries(store: Any, now: str) -> list[dict]:
    """Rows to (re)try now: pending ones whose time has come and sending ones whose lease ran out."""
    return _rows(store, "SELECT * FROM deliveries WHERE status IN (?, ?) AND next_attempt_at <= ? "
                        "ORDER BY id", (PENDING, SENDING, now))


def claim(store: Any, delivery: dict, lease_until: str) -> bool:
    """Take a due row for sending (compare-and-set), counting the attempt; False if another worker did."""
    with _transaction(store) as conn:
        cursor = conn.execute(
            "UPDATE deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ? "
            "WHERE id = ? AND status = ? AND attempts = ? AND next_attempt_at IS ?",
            (SENDING, lease_until, delivery["id"], delivery["status"], delivery["attempts"],
             delivery["next_attempt_at"]))
    return cursor.rowcount == 1


def mark_sent(store: Any, delivery_id: int, now: str) -> None:
    with _transaction(store) as conn:
        conn.execute("UPDATE deliveries SET status = ?, sent_at = ?, last_error = NULL WHERE id = ?",
                              (SENT, now, delivery_id))


def mark_retry(store: Any, delivery_id: int, next_attempt_at: str, error: str) -> None:
    with _transaction(store) as conn:
        conn.execute("UPDATE deliveries SET status = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                              (PENDING, next_attempt_at, error, delivery_id))


def mark_failed(store: Any, delivery_id: int, now: str, error: str) -> None:
    with _transaction(store) as conn:
        conn.execute("UPDATE deliveries SET status = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                              (FAILED, now, error, delivery_id))


def failed_since(store: Any, since: str | None) -> list[dict]:
    """Deliveries given up at or after ``since`` (all of them when None), oldest first."""
    if since is None:
        return _rows(store, "SELECT * FROM deliveries WHERE status = ? ORDER BY id", (FAILED,))
    return _rows(store, "SELECT * FROM deliveries WHERE status = ? AND next_attempt_at >= ? ORDER BY id",
                 (FAILED, since))


def delivery_counts(store: Any) -> dict[str, int]:
    """Deliveries per status, for `pantau status` and the `pantau digest` summary."""
    counts = {PENDING: 0, SENDING: 0, SENT: 0, FAILED: 0}
    for row in _rows(store, "SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status"):
        counts[row["status"]] = row["n"]
    return counts


def deliveries_of(store: Any, digest_id: int) -> list[dict]:
    return _rows(store, "SELECT * FROM deliveries WHERE digest_id = ? ORDER BY id", (digest_id,))


def failed_deliveries(store: Any, limit: int = 20) -> list[dict]:
    """The most recent failed deliveries (for `pantau status`)."""
    return _rows(store, "SELECT id, digest_id, recipient, channel, attempts, last_error, next_attempt_at AS failed_at "
                        "FROM deliveries WHERE status = ? ORDER BY id DESC LIMIT ?", (FAILED, limit))
