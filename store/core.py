"""``Store``: the one object through which pantau reads and writes its SQLite file."""

from __future__ import annotations

import contextlib
import functools
import json
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from extract.taxonomy import Taxonomy, default_taxonomy, load_taxonomy
from kernel.errors import StoreUnavailable
from kernel.records import Article, Figure
from kernel.times import to_utc_iso, utc_now_iso
from kernel.urls import site_of
from pantau_config import Config
from store.models import FeedState, Finding, KnownArticle, RecordResult
from store.presentation import sync_metrics
from store.recording import cached_canonical_url, record_article
from store.schema import StoreError, migrate
from store.series import refresh_series

# The crawl child and the daemon share the file: a writer waits this long for the other's
# transaction (one article is milliseconds; a migration or a bulk fill may take seconds).
BUSY_TIMEOUT_SECONDS = 60.0

# SQLite's page cache per connection (it grows to this only as pages are read). One article's
# write reads and dirties about a hundred pages across ten indexes; SQLite's default 2 MiB holds
# few of a 1 GB store's index pages, so at a million figures most of them came from the OS again
# (about a sixth of record_article's time at 1 M figures in bench/store.py, none at 10 k).
PAGE_CACHE_KIB = 32 * 1024

CRAWL_STAT_KEYS = ("discovered", "fetched", "new", "changed", "unchanged", "skipped", "errors",
                   "requests", "seconds")


# SQLite's result codes for "the file can't be used right now" (the data itself is fine), and what
# each means to the person who reads the message.
UNAVAILABLE_CAUSES = {
    "SQLITE_FULL": "the disk is full (free space and run again: nothing stored is lost, the next "
                   "crawl fetches what this one could not store)",
    "SQLITE_READONLY": "the file or its folder is read-only",
    "SQLITE_BUSY": "it is locked by another process (waited [store] busy_timeout_seconds)",
    "SQLITE_LOCKED": "it is locked by another connection",
    "SQLITE_IOERR": "a disk I/O error",
    "SQLITE_CANTOPEN": "the file cannot be opened (a missing folder, or no permission)",
    "SQLITE_PERM": "no permission to use the file",
}


def unavailable(exc: sqlite3.Error, path: str | Path, *, action: str = "write to") -> StoreUnavailable | None:
    """``StoreUnavailable`` for an SQLite error that means the file can't be used now, else None."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    cause = next((text for code, text in UNAVAILABLE_CAUSES.items() if name.startswith(code)), None)
    if cause is None:
        message = str(exc).lower()
        for fragment, code in (("disk is full", "SQLITE_FULL"), ("readonly", "SQLITE_READONLY"),
                               ("locked", "SQLITE_BUSY"), ("disk i/o", "SQLITE_IOERR"),
                               ("unable to open", "SQLITE_CANTOPEN")):
            if fragment in message:
                cause = UNAVAILABLE_CAUSES[code]
                break
    if cause == UNAVAILABLE_CAUSES["SQLITE_CANTOPEN"] and not _writable(Path(path)):
        # WAL needs its -wal and -shm files beside the store: on a read-only disk or folder
        # SQLite can only say it "cannot open" them.
        cause = UNAVAILABLE_CAUSES["SQLITE_READONLY"]
    return StoreUnavailable(path, cause, action=action) if cause else None


def _writable(path: Path) -> bool:
    """Whether the store file (if it exists) and its folder can be written (access(2), EROFS too)."""
    import os

    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


class Store:
    """The SQLite store. Open with ``Store.open(path)``; every write is one transaction."""

    def __init__(self, db: sqlite_utils.Database, path: Path, taxonomy: Taxonomy) -> None:
        self.db = db
        self.path = path
        # Files each figure's metric into its family and marks context metrics: it must be the
        # taxonomy the figures were tagged with (a user's own metrics included).
        self.taxonomy = taxonomy

    @classmethod
    def from_config(cls, config: Config, path: str | Path | None = None) -> Store:
        """The store of ``config`` (or the file ``path``) with the taxonomy ``config`` names."""
        return cls.open(path or config.store.path,
                        taxonomy=load_taxonomy(config.taxonomy.files, replace=config.taxonomy.replace),
                        busy_timeout=config.store.busy_timeout_seconds)

    @classmethod
    def open(cls, path: str | Path, *, taxonomy: Taxonomy | None = None,
             busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> Store:
        """Open (creating or upgrading) the store at ``path``: WAL journal, busy timeout.

        ``taxonomy``: the one the stored figures are tagged with; the bundled one when None.
        """
        taxonomy = taxonomy or default_taxonomy()
        path = Path(path)
        if path.exists() and path.is_dir():
            raise StoreError(f"{path}: is a folder, expected a store file")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(path, f"cannot create its folder: {exc.strerror or exc}", action="open") from None
        try:
            conn = sqlite3.connect(str(path), timeout=busy_timeout)
            conn.execute(f"pragma busy_timeout = {int(busy_timeout * 1000)}")
            journal = conn.execute("pragma journal_mode = wal").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise (unavailable(exc, path, action="open")
                   or StoreError(f"{path}: not an SQLite database ({exc})")) from None
        if journal.lower() != "wal":
            raise StoreError(f"{path}: cannot switch to WAL journal mode (got {journal})")
        try:
            conn.execute("pragma foreign_keys = on")
            # Under WAL, NORMAL syncs at checkpoints instead of at every commit: the file can never be
            # corrupted (a power cut may lose the last few commits, which the next crawl fetches again),
            # and a per-article commit no longer waits for the disk.
            conn.execute("pragma synchronous = normal")
            conn.execute(f"pragma cache_size = {-PAGE_CACHE_KIB}")
            db = sqlite_utils.Database(conn)
            migrate(db, str(path), taxonomy)
            sync_metrics(db, taxonomy)
        except sqlite3.OperationalError as exc:
            conn.close()
            raise (unavailable(exc, path, action="open") or exc) from None
        return cls(db, path, taxonomy)

    @functools.cached_property
    def tagger_version(self) -> str:
        """The version of the tagger with this store's taxonomy (``extract.version``): stamped on
        every figure written, so ``pantau retag`` knows which articles to read again."""
        from extract.version import tagger_version

        return tagger_version(self.taxonomy)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: ``BEGIN IMMEDIATE`` takes the write lock up front, so a reader
        that turns writer never fails with SQLITE_BUSY halfway; nested calls use a savepoint."""
        conn = self.db.conn
        if conn.in_transaction:
            name = f"pantau_{secrets.token_hex(4)}"
            conn.execute(f"savepoint {name}")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:  # SQLite ends the whole transaction itself on a full disk
                    conn.execute(f"rollback to {name}")
                    conn.execute(f"release {name}")
                raise
            conn.execute(f"release {name}")
            return
        try:
            conn.execute("begin immediate")
        except sqlite3.OperationalError as exc:
            raise (unavailable(exc, self.path) or exc) from None
        try:
            yield conn
            conn.execute("commit")
        except sqlite3.OperationalError as exc:
            self._rollback(conn)
            raise (unavailable(exc, self.path) or exc) from None
        except BaseException:
            self._rollback(conn)
            raise

    @staticmethod
    def _rollback(conn: sqlite3.Connection) -> None:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # a failed disk may fail the rollback too
                conn.execute("rollback")

    # -- articles ------------------------------------------------------------------------------

    def record_article(self, article: Article, figures: Sequence[Figure], *,
                       fetched_at: datetime | str | None = None,
                       crawl_run_id: int | None = None) -> RecordResult:
        """Store a fetched article and its figures; returns its status and the new findings."""
        return record_article(self, article, figures, fetched_at=fetched_at, crawl_run_id=crawl_run_id)

    def known_article(self, url: str) -> KnownArticle | None:
        rows = list(self.db.query("select url, version, content_hash, published_at, first_seen_at, last_fetched_at,"
                          " checks_done from articles where url = ?", [cached_canonical_url(url)]))
        return KnownArticle(**rows[0]) if rows else None

    def mark_checked(self, url: str, at: Any = None) -> bool:
        """A revision check found the text unchanged; False if the article is not known."""
        at = to_utc_iso(at) or utc_now_iso()
        with self.transaction() as conn:
            cursor = conn.execute(
                "update articles set last_fetched_at = ?, last_checked_at = ?, checks_done = checks_done + 1"
                " where url = ?", [at, at, cached_canonical_url(url)])
        return cursor.rowcount > 0

    def articles_due_for_check(self, site: str, now: Any, schedule_hours: Sequence[float]) -> list[KnownArticle]:
        """Articles of ``site`` whose age passed a revision-check point since their last fetch
        (rule and window: ``store.queries.articles_due_for_check``)."""
        from store.queries import articles_due_for_check

        return articles_due_for_check(self, site, now, schedule_hours)

    # -- crawl runs ----------------------------------------------------------------------------

    def start_crawl_run(self, site: str, *, at: Any = None) -> int:
        with self.transaction() as conn:
            cursor = conn.execute("insert into crawl_runs (site, started_at, status) values (?, ?, 'running')",
                                  [site, to_utc_iso(at) or utc_now_iso()])
        return int(cursor.lastrowid)  # type: ignore[arg-type]

    def record_crawl_error(self, run_id: int, url: str, reason: str, *, at: Any = None) -> None:
        with self.transaction() as conn:
            conn.execute("insert into crawl_errors (run_id, url, reason, at) values (?, ?, ?, ?)",
                         [run_id, url, reason, to_utc_iso(at) or utc_now_iso()])

    def finish_crawl_run(self, run_id: int, stats: dict[str, Any], *, at: Any = None,
                         status: str = "finished") -> None:
        """Close a run with its counters; keys beyond the standard ones are kept in ``stats`` JSON."""
        known = {key: stats.get(key) for key in CRAWL_STAT_KEYS}
        extra = {key: value for key, value in stats.items() if key not in CRAWL_STAT_KEYS}
        assignments = ", ".join(f'"{key}" = ?' for key in CRAWL_STAT_KEYS)
        with self.transaction() as conn:
            cursor = conn.execute(
                f"update crawl_runs set finished_at = ?, status = ?, {assignments}, stats = ? where id = ?",
                [to_utc_iso(at) or utc_now_iso(), status, *known.values(),
                 json.dumps(extra, default=str) if extra else None, run_id])
            if cursor.rowcount == 0:
                raise KeyError(f"no crawl run with id {run_id}")

    def last_runs(self, per_site: int = 1) -> list[dict[str, Any]]:
        """The latest ``per_site`` crawl runs of each site, newest first within a site."""
        return list(self.db.query(
            "select * from (select crawl_runs.*, row_number() over (partition by site order by started_at desc,"
            " id desc) as n from crawl_runs) where n <= ? order by site, started_at desc", [per_site]))

    # -- feeds ---------------------------------------------------------------------------------

    def feed_state(self, feed_url: str) -> FeedState:
        """The saved state of a feed, or a fresh one (no validators, zero counters)."""
        rows = list(self.db.query("select url, site, etag, last_modified, high_water, consecutive_failures,"
                          " consecutive_empty, last_ok_at, last_status from feeds where url = ?", [feed_url]))
        if not rows:
            return FeedState(url=feed_url, site=site_of(feed_url))
        row = rows[0]
        status = row["last_status"]
        if isinstance(status, str) and status.isdigit():
            row["last_status"] = int(status)
        return FeedState(**row)

    def save_feed_state(self, state: FeedState) -> None:
        values = asdict(state)
        values["high_water"] = to_utc_iso(values["high_water"]) if values["high_water"] else None
        values["last_ok_at"] = to_utc_iso(values["last_ok_at"]) if values["last_ok_at"] else None
        values["updated_at"] = utc_now_iso()
        columns = ", ".join(values)
        updates = ", ".join(f"{name} = excluded.{name}" for name in values if name != "url")
        with self.transaction() as conn:
            conn.execute(f"insert into feeds ({columns}) values ({', '.join('?' * len(values))})"
                         f" on conflict(url) do update set {updates}", list(values.values()))

    def feed_cursor(self, feed_url: str) -> str | None:
        """A listing's saved position that is not a time (the Komdigi portal walk's highest id)."""
        row = self.db.conn.execute("select cursor from feeds where url = ?", [feed_url]).fetchone()
        return row[0] if row else None

    def save_feed_cursor(self, feed_url: str, cursor: str | None) -> None:
        """Keep a listing's position; ``save_feed_state`` leaves it alone."""
        with self.transaction() as conn:
            conn.execute("insert into feeds (url, site, cursor, updated_at) values (?, ?, ?, ?)"
                         " on conflict(url) do update set cursor = excluded.cursor, updated_at = excluded.updated_at",
                         [feed_url, site_of(feed_url), cursor, utc_now_iso()])

    # -- health --------------------------------------------------------------------------------

    def record_health(self, site: str, problem: str, detail: str | dict[str, Any] = "", *,
                      at: Any = None) -> Finding | None:
        """Report a source-health problem; a finding only when the problem is not already open."""
        now = to_utc_iso(at) or utc_now_iso()
        detail_text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
        with self.transaction() as conn:
            open_row = conn.execute("select id from health_problems where site = ? and problem = ?"
                                    " and resolved_at is null", [site, problem]).fetchone()
            if open_row:
                conn.execute("update health_problems set last_seen_at = ?, times_seen = times_seen + 1,"
                             " detail = ? where id = ?", [now, detail_text, open_row[0]])
                return None
            finding_detail = {"problem": problem}
            finding_detail.update(detail if isinstance(detail, dict) else {"message": detail})
            cursor = conn.execute(
                "insert into findings (kind, created_at, site, published_at, detail, is_context)"
                " values ('source_health', ?, ?, ?, ?, 0)",
                [now, site, now, json.dumps(finding_detail, ensure_ascii=False)])
            finding_id = cursor.lastrowid
            conn.execute("insert into health_problems (site, problem, detail, opened_at, last_seen_at,"
                         " finding_id) values (?, ?, ?, ?, ?, ?)", [site, problem, detail_text, now, now, finding_id])
        return self.findings_after(finding_id - 1, limit=1)[0]  # type: ignore[operator]

    def resolve_health(self, site: str, problem: str, *, at: Any = None) -> bool:
        """Close an open problem (the site is healthy again); False if none was open."""
        with self.transaction() as conn:
            cursor = conn.execute("update health_problems set resolved_at = ? where site = ? and problem = ?"
                                  " and resolved_at is null", [to_utc_iso(at) or utc_now_iso(), site, problem])
        return cursor.rowcount > 0

    def open_health_problems(self) -> list[dict[str, Any]]:
        return list(self.db.query("select site, problem, detail, opened_at, last_seen_at, times_seen from health_problems"
                          " where resolved_at is null order by site, opened_at"))

    # -- findings and values -------------------------------------------------------------------

    def findings_after(self, finding_id: int, *, limit: int | None = None) -> list[Finding]:
        """Findings with an id greater than ``finding_id``, oldest first."""
        sql = "select * from findings where id > ? order by id"
        params: list[Any] = [finding_id]
        if limit is not None:
            sql += " limit ?"
            params.append(limit)
        return [Finding.from_row(row) for row in list(self.db.query(sql, params))]

    def latest_values(self, *, include_context: bool = True) -> list[dict[str, Any]]:
        """Per series (metric, unit, is_target, scope): the latest live value (newest as_of, never an
        earlier figure), its source and its source count."""
        from store.queries import LATEST_VALUES

        rows = list(self.db.query(LATEST_VALUES))
        return [row for row in rows if include_context or not row["is_context"]]

    def metric_history(self, metric: str) -> list[dict[str, Any]]:
        """Every statement of ``metric`` (one row per article and value), oldest first."""
        from store.queries import METRIC_HISTORY

        return list(reversed(list(self.db.query(METRIC_HISTORY, {"metric": metric}))))

    def rebuild_series(self) -> None:
        """Recompute the latest value of every series (after a bulk fill that bypassed record_article)."""
        with self.transaction() as conn:
            conn.execute("insert or ignore into series (metric, unit, is_target, scope)"
                         " select distinct metric, unit, is_target, scope from figures")
            refresh_series(self.db, self.taxonomy)
