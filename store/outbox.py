"""SQL for the digest outbox: the ``digests`` and ``deliveries`` tables (schema in store/).

Every function takes a ``Store`` (anything with ``.db``, a sqlite_utils.Database) and works in
ISO 8601 UTC strings for times, so that string comparison is time comparison.

Delivery rows move ``pending`` → ``sending`` (claimed, with a lease) → ``sent`` | ``pending``
(retry later) | ``failed`` (gave up). A row left in ``sending`` by a killed process becomes due again
when its lease runs out. A ``failed`` row has ``failed_at`` (and no next attempt): the next digest
reports the failures given up since the recipient's previous digest. ``parts_sent`` counts the
messages of a split (Slack) digest already accepted, so a retry resumes after them.

``in_doubt``: the last attempt may have reached the receiver although it was not confirmed (the
row's lease ran out because its process died mid-send, or the connection broke after the message
went out). The next send of such a row is marked as a repeat, and ``repeats`` counts those sends.

A digest is unique per (recipient, ``window_key``): ``findings:<last_finding_id>`` for a digest
over findings, ``empty:<window_end>`` for a run that found no new findings (``send_when_empty``).
``window_end`` is the run's window (UTC, to the minute).
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from store.schema import inserted_id

if TYPE_CHECKING:
    from store.core import Store

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
# Below SQLite's oldest limit on bound parameters (999): a first digest over a backfill has thousands.
_IDS_PER_QUERY = 500


EMPTY_WINDOW = "empty:"
FINDINGS_WINDOW = "findings:"


def window_key_for(last_finding_id: int | None, window_end: str | None) -> str:
    """``findings:<id>`` for a digest over findings, ``empty:<window_end>`` for one without."""
    if last_finding_id is not None:
        return f"{FINDINGS_WINDOW}{last_finding_id}"
    if not window_end:
        raise ValueError("a digest without findings needs its window_end")
    return f"{EMPTY_WINDOW}{window_end}"


def last_digest(store: Store, recipient: str) -> dict | None:
    """The recipient's most recent digest row of any kind (by id), or None before the first one."""
    rows = list(store.db.query("SELECT id, recipient, first_finding_id, last_finding_id, created_at, window_key, "
                        "window_end FROM digests WHERE recipient = ? ORDER BY id DESC LIMIT 1", (recipient,)))
    return rows[0] if rows else None


def finding_cursor(store: Store, recipient: str) -> int:
    """The last finding the recipient's digests covered (0 before any): the next window starts after it."""
    (cursor,) = store.db.execute("SELECT COALESCE(MAX(last_finding_id), 0) FROM digests WHERE recipient = ?",
                                 (recipient,)).fetchone()
    return int(cursor)


def window_built(store: Store, recipient: str, window_end: str) -> bool:
    """Whether this run window already has a digest (of any kind) for the recipient."""
    return bool(list(store.db.query("SELECT 1 AS x FROM digests WHERE recipient = ? AND window_end = ?",
                      (recipient, window_end))))


def digest_exists(store: Store, recipient: str, last_finding_id: int | None,
                  window_end: str | None = None) -> bool:
    return bool(list(store.db.query("SELECT 1 AS x FROM digests WHERE recipient = ? AND window_key = ?",
                      (recipient, window_key_for(last_finding_id, window_end)))))


def insert_digest(store: Store, *, recipient: str, first_finding_id: int | None, last_finding_id: int | None,
                  created_at: str, payload: dict, channels: list[str],
                  after_finding_id: int | None = None, window_end: str | None = None) -> int | None:
    """Insert a digest and one pending delivery per channel in ONE transaction.

    ``last_finding_id`` None is a digest without findings for the run window ``window_end``.
    Returns the digest id, or None when the digest's window (``window_key_for``) is already built;
    when ``after_finding_id`` (the window's start the caller planned from) is no longer the
    recipient's latest window end (another process built a digest meanwhile, and inserting this one
    would report its findings twice); or, for a digest without findings, when its run window
    already has a digest of any kind (a re-run of the same scheduled time).
    """
    window_key = window_key_for(last_finding_id, window_end)
    try:
        with store.transaction() as conn:  # one transaction: both the digest and its deliveries, or neither
            if after_finding_id is not None:
                (latest,) = conn.execute("SELECT COALESCE(MAX(last_finding_id), 0) FROM digests WHERE recipient = ?",
                                         (recipient,)).fetchone()
                if latest != after_finding_id:
                    return None
            if last_finding_id is None and conn.execute(
                    "SELECT 1 FROM digests WHERE recipient = ? AND window_end = ?", (recipient, window_end)).fetchone():
                return None
            cursor = conn.execute(
                "INSERT INTO digests (recipient, first_finding_id, last_finding_id, created_at, payload, "
                "window_key, window_end) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (recipient, first_finding_id, last_finding_id, created_at,
                 json.dumps(payload, ensure_ascii=False), window_key, window_end))
            digest_id = inserted_id(cursor)
            for channel in channels:
                conn.execute(
                    "INSERT INTO deliveries (digest_id, recipient, channel, key, status, attempts, "
                    "next_attempt_at, last_error, sent_at, created_at) "
                    "VALUES (?, ?, ?, ?, ?, 0, ?, NULL, NULL, ?)",
                    (digest_id, recipient, channel, delivery_key(digest_id, recipient, channel),
                     PENDING, created_at, created_at))
    except sqlite3.IntegrityError:
        if digest_exists(store, recipient, last_finding_id, window_end):
            return None
        raise
    return digest_id


def delivery_key(digest_id: int, recipient: str, channel: str) -> str:
    return f"{digest_id}:{recipient}:{channel}"


def get_digest(store: Store, digest_id: int) -> dict | None:
    rows = list(store.db.query("SELECT * FROM digests WHERE id = ?", (digest_id,)))
    if not rows:
        return None
    row = rows[0]
    row["payload"] = json.loads(row["payload"]) if isinstance(row["payload"], str) else row["payload"]
    return row


def due_deliveries(store: Store, now: str) -> list[dict]:
    """Rows to (re)try now: pending ones whose time has come and sending ones whose lease ran out."""
    return list(store.db.query("SELECT * FROM deliveries WHERE status IN (?, ?) AND next_attempt_at <= ? "
                        "ORDER BY id", (PENDING, SENDING, now)))


def claim(store: Store, delivery: dict, lease_until: str) -> bool:
    """Take a due row for sending (compare-and-set), counting the attempt; False if another worker did.
    A row whose lease ran out (still 'sending') becomes in doubt: its process died mid-send."""
    with store.transaction() as conn:
        cursor = conn.execute(
            "UPDATE deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?, "
            "in_doubt = in_doubt OR status = 'sending' "
            "WHERE id = ? AND status = ? AND attempts = ? AND next_attempt_at IS ?",
            (SENDING, lease_until, delivery["id"], delivery["status"], delivery["attempts"],
             delivery["next_attempt_at"]))
    return cursor.rowcount == 1


def mark_sent(store: Store, delivery_id: int, now: str, parts_sent: int | None = None, *,
              repeated: bool = False) -> None:
    """Sent and confirmed; ``repeated``: this send was marked as a repeat of an in-doubt attempt."""
    with store.transaction() as conn:
        conn.execute("UPDATE deliveries SET status = ?, sent_at = ?, last_error = NULL, in_doubt = 0, "
                     "repeats = repeats + ?, parts_sent = COALESCE(?, parts_sent) WHERE id = ?",
                     (SENT, now, int(repeated), parts_sent, delivery_id))


def record_parts_sent(store: Store, delivery_id: int, parts_sent: int) -> None:
    """Progress of a split digest, saved after each accepted part: a killed sender resumes after it."""
    with store.transaction() as conn:
        conn.execute("UPDATE deliveries SET parts_sent = MAX(parts_sent, ?) WHERE id = ?", (parts_sent, delivery_id))


def mark_retry(store: Store, delivery_id: int, next_attempt_at: str, error: str, parts_sent: int | None = None,
               *, in_doubt: bool = False) -> None:
    """Try again later; ``in_doubt``: the failed attempt may still have reached the receiver."""
    with store.transaction() as conn:
        conn.execute("UPDATE deliveries SET status = ?, next_attempt_at = ?, last_error = ?, "
                     "in_doubt = MAX(in_doubt, ?), parts_sent = MAX(parts_sent, COALESCE(?, 0)) WHERE id = ?",
                     (PENDING, next_attempt_at, error, int(in_doubt), parts_sent, delivery_id))


def mark_failed(store: Store, delivery_id: int, now: str, error: str, parts_sent: int | None = None) -> None:
    with store.transaction() as conn:
        conn.execute("UPDATE deliveries SET status = ?, failed_at = ?, next_attempt_at = NULL, last_error = ?, "
                     "parts_sent = MAX(parts_sent, COALESCE(?, 0)) WHERE id = ?",
                     (FAILED, now, error, parts_sent, delivery_id))


def failed_since(store: Store, since: str | None) -> list[dict]:
    """Deliveries given up at or after ``since`` (all of them when None), oldest first."""
    if since is None:
        return list(store.db.query("SELECT * FROM deliveries WHERE status = ? ORDER BY id", (FAILED,)))
    return list(store.db.query("SELECT * FROM deliveries WHERE status = ? AND failed_at >= ? ORDER BY id",
                 (FAILED, since)))


def figure_years(store: Store, figure_ids: list[int]) -> dict[int, int | None]:
    """The ``year`` of each figure (the target or reference year a value is stated for)."""
    ids = sorted({int(i) for i in figure_ids if i is not None})
    years: dict[int, int | None] = {}
    for start in range(0, len(ids), _IDS_PER_QUERY):
        chunk = ids[start:start + _IDS_PER_QUERY]
        marks = ", ".join("?" * len(chunk))
        for row in list(store.db.query(f"SELECT id, year FROM figures WHERE id IN ({marks})", tuple(chunk))):
            years[row["id"]] = row["year"]
    return years


def repeat_counts(store: Store) -> tuple[int, int]:
    """(sends marked as repeats of an in-doubt attempt, deliveries in doubt now), for `pantau status`."""
    row = store.db.execute("SELECT COALESCE(SUM(repeats), 0), COALESCE(SUM(in_doubt), 0) FROM deliveries").fetchone()
    return int(row[0]), int(row[1])


def delivery_counts(store: Store) -> dict[str, int]:
    """Deliveries per status, for `pantau status` and the `pantau digest` summary."""
    counts = {PENDING: 0, SENDING: 0, SENT: 0, FAILED: 0}
    for row in list(store.db.query("SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status")):
        counts[row["status"]] = row["n"]
    return counts


def deliveries_of(store: Store, digest_id: int) -> list[dict]:
    return list(store.db.query("SELECT * FROM deliveries WHERE digest_id = ? ORDER BY id", (digest_id,)))


def failed_deliveries(store: Store, limit: int = 20) -> list[dict]:
    """The most recent failed deliveries (for `pantau status`)."""
    return list(store.db.query("SELECT id, digest_id, recipient, channel, attempts, last_error, failed_at "
                        "FROM deliveries WHERE status = ? ORDER BY id DESC LIMIT ?", (FAILED, limit)))
