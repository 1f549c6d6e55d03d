"""``pantau store-writer``: the one process that commits the store stream to the SQLite store.

Crawler nodes with ``[crawl] frontier`` set put their writes on a Redis stream
(``kernel.store_stream``); this writer reads it with a consumer group and applies each entry
through the store's own methods (``record_article``, ``start_crawl_run``, ...).

Nothing lost, nothing doubled:

* an entry is acknowledged (XACK, then deleted from the stream) only after the transaction that
  applied it committed; a writer killed before that leaves it pending, and the next writer
  claims every pending entry (XAUTOCLAIM) and applies it before reading new ones;
* the entry's stream id is written in ``stream_applied`` in the same transaction as its rows, so
  an entry committed but not yet acknowledged when the writer died is acknowledged on restart
  without being applied again (no second version, figure or finding);
* an entry that cannot be applied (not JSON, unknown kind, missing field, a crawl run the store
  never saw) is kept in ``stream_rejected`` with its reason, logged in one line and acknowledged:
  it is never retried forever and never blocks the entries behind it.

Entries are applied in stream order, a batch (one XREADGROUP) per transaction. A store that
cannot be written (disk full, read-only) stops the writer with nothing acknowledged; a Redis that
drops out is retried until it is back. SIGTERM finishes the batch in hand, acknowledges it and
exits 0. The tables are this module's own, created idempotently beside the store's schema.
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kernel import store_stream as ss
from kernel.errors import StoreUnavailable
from kernel.records import FeedState
from kernel.times import WIB, to_utc_iso, utc_now
from kernel.urls import canonical_url
from store.core import Store
from store.stream_mirror import mirror_all, mirror_articles, mirror_feeds, mirror_last_runs

logger = logging.getLogger(__name__)

# Entries read (and committed) together: one transaction and one XACK per batch instead of per
# entry, while a batch (~100 articles, well under a second) stays short enough that SIGTERM
# is answered at once.
BATCH_ENTRIES = 100
# How long one XREADGROUP waits for new entries: the longest a stop request waits.
BLOCK_MILLISECONDS = 1000
# Seconds between progress lines while entries arrive.
PROGRESS_EVERY_SECONDS = 10.0
# Seconds between prunes of stream_applied: the ids of acknowledged entries are needed only until
# their acknowledgement; an hour keeps the table small without a delete per batch.
PRUNE_EVERY_SECONDS = 3600.0
# Seconds between reconnection attempts while Redis does not answer.
RECONNECT_SECONDS = 5.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stream_applied (
    entry_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    applied_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stream_runs (
    token TEXT PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES crawl_runs(id),
    new INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS stream_rejected (
    entry_id TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    entry TEXT
);
"""
# Characters of a rejected entry kept with its reason: enough to see what it was.
REJECTED_KEEP_CHARS = 2000


def ensure_schema(store: Store) -> None:
    """The writer's own tables (safe on every start; executescript commits, so call it first)."""
    store.db.conn.executescript(_SCHEMA)


@dataclass
class WriterCounts:
    entries: int = 0
    articles: dict[str, int] = field(default_factory=lambda: {"new": 0, "changed": 0, "unchanged": 0})
    runs: int = 0
    errors: int = 0
    rejected: int = 0
    skipped: int = 0  # applied before (the writer died before acknowledging them)

    def line(self) -> str:
        a = self.articles
        return (f"{self.entries} entries: {sum(a.values())} articles ({a['new']} new, {a['changed']} changed, "
                f"{a['unchanged']} unchanged), {self.runs} runs finished, {self.errors} crawl errors, "
                f"{self.rejected} rejected, {self.skipped} already applied")


@dataclass
class _Touched:
    """What a batch changed, copied to the read mirror after its commit."""

    articles: set[str] = field(default_factory=set)
    feeds: set[str] = field(default_factory=set)
    sites: set[str] = field(default_factory=set)


class StreamWriter:
    def __init__(self, store: Store, client: Any, *, url: str, consumer: str | None = None,
                 clock: Callable[[], datetime] = utc_now, log: Callable[[str], None] | None = None,
                 batch: int = BATCH_ENTRIES, block_ms: int = BLOCK_MILLISECONDS) -> None:
        self.store = store
        self.redis = client
        self.url = url
        self.consumer = consumer or f"{socket.gethostname()}-{os.getpid()}"
        self.clock = clock
        self.log = log or (lambda line: logger.info("%s", line))
        self.batch = batch
        self.block_ms = block_ms
        self.counts = WriterCounts()
        self._run_ids: dict[str, int] = {}
        # applied_at of the last batch acknowledged (what prune_applied may forget up to).
        self._acked_through: str | None = None

    # -- start ------------------------------------------------------------------------------
    def prepare(self) -> int:
        """Own tables, consumer group, full mirror; returns the articles mirrored. Raises
        redis.RedisError when Redis does not answer."""

        ensure_schema(self.store)
        self._ensure_group()
        return mirror_all(self.store, self.redis)

    def _ensure_group(self) -> bool:
        """Create the consumer group (and the stream) unless it exists; True when it was created."""
        import redis

        try:
            self.redis.xgroup_create(ss.STREAM_KEY, ss.WRITER_GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
            return False
        return True

    def claim_pending(self) -> list[tuple[str, dict]]:
        """Every entry delivered to an earlier writer and never acknowledged, oldest first."""
        claimed: list[tuple[str, dict]] = []
        start = "0-0"
        while True:
            reply = self.redis.xautoclaim(ss.STREAM_KEY, ss.WRITER_GROUP, self.consumer, min_idle_time=0,
                                          start_id=start, count=self.batch)
            start, messages = _text(reply[0]), reply[1]
            claimed += [(_text(entry_id), fields) for entry_id, fields in messages if fields is not None]
            # Entries deleted from the stream while pending come back as None: nothing to apply.
            deleted = [entry_id for entry_id, fields in messages if fields is None]
            if deleted:
                self.redis.xack(ss.STREAM_KEY, ss.WRITER_GROUP, *deleted)
            if start == "0-0":
                return claimed

    # -- the loop ---------------------------------------------------------------------------
    def run(self, stop: threading.Event, *, until_empty: bool = False) -> WriterCounts:
        """Apply pending entries, then new ones until ``stop`` is set (or, with ``until_empty``,
        until the stream has nothing more to read: tests and benches)."""
        import redis

        last_progress, last_entries = time.monotonic(), 0
        last_prune = time.monotonic()
        pending = self.claim_pending()
        if pending:
            self.log(f"{self._stamp()} store-writer: {len(pending)} entries left pending by an earlier writer")
        while not stop.is_set():
            if pending:
                messages, pending = pending[:self.batch], pending[self.batch:]
            else:
                try:
                    reply = self.redis.xreadgroup(ss.WRITER_GROUP, self.consumer, {ss.STREAM_KEY: ">"},
                                                  count=self.batch, block=None if until_empty else self.block_ms)
                except redis.RedisError as exc:
                    pending = self._recover(exc, stop)
                    continue
                messages = [(_text(i), f) for i, f in reply[0][1]] if reply else []
                if not messages:
                    if until_empty:
                        break
                    continue
            try:
                self.apply_batch(messages)
            except redis.RedisError as exc:  # committed, not acknowledged: the re-read skips them
                pending = self._recover(exc, stop)
                continue
            if not pending and time.monotonic() - last_prune >= PRUNE_EVERY_SECONDS:
                self.prune_applied()
                last_prune = time.monotonic()
            if time.monotonic() - last_progress >= PROGRESS_EVERY_SECONDS:
                self._progress(time.monotonic() - last_progress, last_entries)
                last_progress, last_entries = time.monotonic(), self.counts.entries
        return self.counts

    def _progress(self, seconds: float, entries_before: int) -> None:
        import redis

        try:
            backlog = self.backlog()
        except redis.RedisError:
            backlog = None
        rate = (self.counts.entries - entries_before) / seconds if seconds > 0 else 0.0
        waiting = f", {backlog} waiting" if backlog is not None else ""
        self.log(f"{self._stamp()} store-writer: {self.counts.line()}; {rate:.0f} entries/s{waiting}")

    def _recover(self, exc: Exception, stop: threading.Event) -> list[tuple[str, dict]]:
        """Wait for Redis, then take back every unacknowledged entry before reading new ones (so
        ``prune_applied`` never forgets an entry that may still come back); [] when stopped."""
        import redis

        while not stop.is_set():
            self._wait_for_redis(exc, stop)
            try:
                return self.claim_pending()
            except redis.RedisError as again:
                exc = again
        return []

    def prune_applied(self) -> int:
        """Forget the ids of entries applied up to the last acknowledged batch: acknowledged and
        deleted from the stream, they never come back. Returns the rows deleted."""
        if self._acked_through is None:
            return 0
        with self.store.transaction() as conn:
            cursor = conn.execute("delete from stream_applied where applied_at <= ?", [self._acked_through])
        return cursor.rowcount

    def _wait_for_redis(self, exc: Exception, stop: threading.Event) -> None:
        import redis

        self.log(f"{self._stamp()} store-writer: Redis at {self.url} does not answer ({_first_line(exc)}); "
                 f"retrying every {RECONNECT_SECONDS:g} s")
        while not stop.wait(RECONNECT_SECONDS):
            try:
                self.redis.ping()
                if self._ensure_group():
                    # A Redis that lost its data (no appendonly): the mirror is gone with the group.
                    copied = mirror_all(self.store, self.redis)
                    self.log(f"{self._stamp()} store-writer: Redis is back without the stream's group "
                             f"(its data was lost); group created, {copied} articles mirrored again")
                else:
                    self.log(f"{self._stamp()} store-writer: Redis is back")
                return
            except redis.RedisError:
                continue

    def _stamp(self) -> str:
        return f"{self.clock().astimezone(WIB):%Y-%m-%d %H:%M:%S} WIB"

    # -- one batch --------------------------------------------------------------------------
    def apply_batch(self, messages: list[tuple[str, dict]]) -> None:
        """Apply ``messages`` in one transaction, then mirror and acknowledge them. Raises
        StoreUnavailable (nothing acknowledged) or redis.RedisError (committed, not acknowledged)."""
        touched = _Touched()
        now = to_utc_iso(self.clock())
        with self.store.transaction() as conn:
            for entry_id, fields in messages:
                if conn.execute("select 1 from stream_applied where entry_id = ?", [entry_id]).fetchone():
                    self.counts.skipped += 1
                    self._touch_again(fields, touched)
                    continue
                kind = self._apply_one(entry_id, fields, touched, now)
                conn.execute("insert into stream_applied (entry_id, kind, applied_at) values (?, ?, ?)",
                             [entry_id, kind, now])
                self.counts.entries += 1
        self._mirror(touched)
        ids = [entry_id for entry_id, _ in messages]
        pipe = self.redis.pipeline(transaction=True)
        pipe.xack(ss.STREAM_KEY, ss.WRITER_GROUP, *ids)
        pipe.xdel(ss.STREAM_KEY, *ids)
        pipe.execute()
        # Batches are acknowledged in order, after every entry pending at start: all applied so far is.
        self._acked_through = now

    def _apply_one(self, entry_id: str, fields: dict, touched: _Touched, now: str) -> str:
        """Apply one entry in a savepoint; a malformed one is rejected (recorded) instead."""
        try:
            entry = ss.decode(fields)
            with self.store.transaction():
                self._apply(entry, touched)
            return entry.kind
        except StoreUnavailable:
            raise
        except (ss.MalformedEntry, KeyError, TypeError, ValueError, sqlite3.IntegrityError) as exc:
            reason = _first_line(exc)
            raw = fields.get(ss.ENTRY_FIELD.encode(), fields.get(ss.ENTRY_FIELD, b""))
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            self.store.db.conn.execute(
                "insert or replace into stream_rejected (entry_id, reason, at, entry) values (?, ?, ?, ?)",
                [entry_id, reason, now, text[:REJECTED_KEEP_CHARS]])
            self.counts.rejected += 1
            self.log(f"{self._stamp()} store-writer: entry {entry_id} rejected: {reason}")
            return "rejected"

    def _run_id(self, token: str | None) -> int | None:
        if token is None:
            return None
        if token not in self._run_ids:
            row = self.store.db.conn.execute("select run_id from stream_runs where token = ?", [token]).fetchone()
            if row is None:
                raise ss.MalformedEntry(f"crawl run {token} is not in the store (its run_start entry never came)")
            self._run_ids[token] = row[0]
        return self._run_ids[token]

    def _apply(self, entry: ss.Entry, touched: _Touched) -> None:
        data, store = entry.data, self.store
        if entry.kind == ss.ARTICLE:
            article, figures = ss.article_of(entry)
            result = store.record_article(article, figures, fetched_at=data["at"], crawl_run_id=self._run_id(data["run"]))
            self.counts.articles[result.status] += 1
            if data["run"] is not None:
                # The crawl could not know the status: its run's counts are kept here until it ends.
                store.db.conn.execute(f"update stream_runs set {result.status} = {result.status} + 1 where token = ?",
                                      [data["run"]])
            touched.articles.add(canonical_url(article.url))
        elif entry.kind == ss.RUN_START:
            started = store.start_crawl_run(data["site"], at=data["at"])
            store.db.conn.execute("insert into stream_runs (token, run_id) values (?, ?)", [data["run"], started])
            self._run_ids[data["run"]] = started
        elif entry.kind == ss.RUN_FINISH:
            finished = self._run_id(data["run"])
            if finished is None:
                raise ss.MalformedEntry("run_finish entry without a crawl run")
            counted = store.db.conn.execute("select new, changed, unchanged from stream_runs where token = ?",
                                            [data["run"]]).fetchone()
            stats = {**data["stats"], "new": counted[0], "changed": counted[1], "unchanged": counted[2]}
            store.finish_crawl_run(finished, stats, at=data["at"], status=data["status"])
            self.counts.runs += 1
            site = store.db.conn.execute("select site from crawl_runs where id = ?", [finished]).fetchone()
            touched.sites.add(site[0])
        elif entry.kind == ss.CRAWL_ERROR:
            failed_in = self._run_id(data["run"])
            if failed_in is None:
                raise ss.MalformedEntry("crawl error entry without a crawl run")
            store.record_crawl_error(failed_in, data["url"], data["reason"], at=data["at"])
            self.counts.errors += 1
        elif entry.kind == ss.HEALTH:
            store.record_health(data["site"], data["problem"], data["detail"], at=data["at"])
        elif entry.kind == ss.HEALTH_RESOLVED:
            store.resolve_health(data["site"], data["problem"], at=data["at"])
        elif entry.kind == ss.FEED_STATE:
            state = FeedState(**data["state"])
            store.save_feed_state(state)
            touched.feeds.add(state.url)
        elif entry.kind == ss.FEED_CURSOR:
            store.save_feed_cursor(data["url"], data["cursor"])
            touched.feeds.add(data["url"])

    def _touch_again(self, fields: dict, touched: _Touched) -> None:
        """An entry applied before the writer died: its mirror copy may be missing, so redo that."""
        try:
            entry = ss.decode(fields)
        except ss.MalformedEntry:
            return
        if entry.kind == ss.ARTICLE and isinstance(entry.data.get("a"), dict):
            touched.articles.add(canonical_url(str(entry.data["a"].get("url", ""))))
        elif entry.kind == ss.FEED_STATE and isinstance(entry.data.get("state"), dict):
            touched.feeds.add(str(entry.data["state"].get("url", "")))
        elif entry.kind == ss.FEED_CURSOR:
            touched.feeds.add(str(entry.data.get("url", "")))
        elif entry.kind == ss.RUN_FINISH:
            touched.sites.update(run["site"] for run in self.store.last_runs(per_site=1))

    def _mirror(self, touched: _Touched) -> None:
        if touched.articles:
            mirror_articles(self.store, self.redis, touched.articles)
        if touched.feeds:
            mirror_feeds(self.store, self.redis, touched.feeds)
        if touched.sites:
            mirror_last_runs(self.store, self.redis, touched.sites)

    def backlog(self) -> int | None:
        """Entries on the stream not yet delivered to the writer (Redis 7's group lag)."""
        for group in self.redis.xinfo_groups(ss.STREAM_KEY):
            name = _text(group.get("name"))
            if name == ss.WRITER_GROUP:
                lag = group.get("lag")
                return int(lag) if lag is not None else None
        return None


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def rejected_entries(store: Store) -> list[dict[str, Any]]:
    """The entries the writer could not apply, oldest first (for tests and `pantau status`)."""
    ensure_schema(store)
    return list(store.db.query("select entry_id, reason, at, entry from stream_rejected order by at, entry_id"))



def stream_status(store: Store, url: str, client: Any = None) -> str:
    """One line for `pantau status` with a frontier: entries waiting, unacknowledged, rejected."""
    import redis

    from kernel.store_stream import redis_client

    ensure_schema(store)
    rejected = store.db.conn.execute("select count(*) from stream_rejected").fetchone()[0]
    kept = f"{rejected} rejected (table stream_rejected)"
    try:
        client = client if client is not None else redis_client(url)
        groups = {_text(g.get("name")): g for g in client.xinfo_groups(ss.STREAM_KEY)} if client.exists(ss.STREAM_KEY) else {}
    except redis.RedisError as exc:
        return f"Store stream at {url}: Redis does not answer ({_first_line(exc)}); {kept}"
    group = groups.get(ss.WRITER_GROUP)
    if group is None:
        return f"Store stream at {url}: no store writer has started yet; {kept}"
    lag = group.get("lag")
    waiting = f"{int(lag)} waiting" if lag is not None else "waiting unknown"
    return f"Store stream at {url}: {waiting}, {int(group.get('pending') or 0)} unacknowledged, {kept}"
