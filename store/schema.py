"""The store's schema, its version (``PRAGMA user_version``) and the migrations between versions.

Each migration upgrades a file from version N-1 to N inside one ``BEGIN IMMEDIATE`` transaction
(SQLite DDL is transactional), so a crash mid-upgrade leaves the old version intact and two
processes opening an old file at once upgrade it once. A new file runs every migration in order:
there is one way to reach each version.

History:
  1  articles, article_versions, figures, findings, crawl_runs, feeds, digests, deliveries.
  2  figures.as_of / tolerance / first_figure_id / withdrawn_in_version (ordering, sameness and
     corroboration without rescanning), series (latest value per metric), crawl_errors,
     health_problems, findings.is_context, articles.article_key / sections / last_checked_at /
     crawl_run_id, full-text search on articles, indexes for the canned queries.
  3  feeds.cursor (a listing position that is not a time: the Komdigi portal walk's highest id,
     kept in feeds.etag as "id:<n>" before), index on articles (site, age anchor) for the
     revision checks by age (``Store.articles_due_for_check``).
  4  digests.window_key / window_end (a digest is unique per recipient and window: "findings:<last
     finding id>", or "empty:<window end>" for a run with no new findings), deliveries.parts_sent
     (Slack resume point, kept in last_error as "[slack parts sent: N]" before) and
     deliveries.failed_at (kept in next_attempt_at before).
  5  deliveries.in_doubt (the last attempt may have reached the receiver: its process died
     mid-send, or the connection broke after the message went out; the next send is marked as a
     repeat) and deliveries.repeats (messages sent again marked as repeats, for `pantau status`).
  6  figures over time (issue 12): figures."when" / scope / as_of_period / tagger_version /
     withdrawn_reason, as_of re-derived from when, year and month (store/series.py), series per
     scope (unique on metric, unit, is_target, ifnull(scope, '')), articles.tagger_version,
     findings.scope / as_of / period / retag_run_id and an index on findings (kind, id) for
     conflicts and retag summaries, the retag_runs table.
  7  nothing: the number was held for a branch while 8 and 9 were written, and files reached 9
     without it; a step that does nothing keeps the sequence contiguous (a file at 6 goes through
     7, 8, 9 and 10; one at 8 or 9 was already past it).
  8  metrics (every metric of the taxonomy with its names, family, unit and description; rows
     refreshed at open) and the reader views figure_list / finding_list (``store.presentation``).
  9  articles.body_kind: "story", or "captions" for a photo page whose captions are its only text.
  10 indexes for a store of millions of figures (issue 15). The same-value lookup of
     record_article reads idx_figures_same_value, whose tolerance comes before the value: each
     rounding level of a series ("4.612.345": 0.5, "4,6 juta": 50 000) is a value-ordered run the
     lookup enters with one window of its own width (store/recording.py SAME_VALUE_SQL), so it
     reads matching entries only, instead of every value in [2v/3, 2v] (the index it replaces,
     idx_figures_live_value). idx_figures_series_period serves the conflict lookup per period
     (store/conflicts.py). The rest serve Datasette's default sorts and the canned queries
     (tests/test_query_plans.py): articles and figures newest first, the figures of one article
     in reading order, crawl runs and source health in the order their queries show them.
     Indexes only: no column changes, nothing to backfill.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import sqlite_utils

from extract.taxonomy import Taxonomy
from extract.timeref import settle_when
from kernel.errors import StoreError
from kernel.records import Figure
from kernel.times import to_utc_iso
from store.sameness import ValueKey, rounding_tolerance, same_value
from store.series import as_of, refresh_series

SCHEMA_VERSION = 10
# Tables kept in the store file by modules with their own DDL (store/schedule.py: the daemon's runs).
SHARED_TABLES = frozenset({"schedule_runs"})



def _v1(db: sqlite_utils.Database) -> None:
    db.table("articles").create({
        "id": int, "url": str, "site": str, "title": str, "author": str,
        "published_at": str, "modified_at": str, "first_seen_at": str, "last_fetched_at": str,
        "content_hash": str, "text": str, "version": int, "checks_done": int,
    }, pk="id", not_null={"url", "site", "first_seen_at", "last_fetched_at", "content_hash", "version"},
        defaults={"version": 1, "checks_done": 0})
    db.table("articles").create_index(["url"], unique=True)
    db.table("article_versions").create({
        "id": int, "article_id": int, "version": int, "title": str, "text": str, "content_hash": str,
        "published_at": str, "modified_at": str, "fetched_at": str, "replaced_at": str,
    }, pk="id", foreign_keys=[("article_id", "articles", "id")])
    db.table("article_versions").create_index(["article_id", "version"], unique=True)
    db.table("figures").create({
        "id": int, "article_id": int, "version": int, "start": int, "end": int, "surface": str,
        "value": float, "value_max": float, "unit": str, "metric": str, "family": str,
        "is_target": int, "approx": int, "year": int, "sentence": str, "site": str, "url": str,
        "published_at": str, "first_seen_at": str, "withdrawn_at": str,
    }, pk="id", foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "version", "value", "unit", "metric", "is_target", "first_seen_at"})
    db.table("figures").create_index(["article_id", "version"])
    db.table("findings").create({
        "id": int, "kind": str, "created_at": str, "site": str, "metric": str, "family": str,
        "unit": str, "value": float, "value_max": float, "surface": str, "is_target": int,
        "year": int, "previous_value": float, "abs_change": float, "pct_change": float,
        "old_value": float, "sentence": str, "url": str, "title": str, "article_id": int,
        "figure_id": int, "previous_figure_id": int, "article_version": int, "published_at": str,
        "previous_published_at": str, "previous_url": str, "detail": str,
    }, pk="id", not_null={"kind", "created_at"})
    db.table("crawl_runs").create({
        "id": int, "site": str, "started_at": str, "finished_at": str, "status": str,
        "discovered": int, "fetched": int, "new": int, "changed": int, "unchanged": int,
        "skipped": int, "errors": int, "requests": int, "seconds": float, "stats": str,
    }, pk="id", not_null={"site", "started_at", "status"})
    db.table("feeds").create({
        "url": str, "site": str, "etag": str, "last_modified": str, "high_water": str,
        "consecutive_failures": int, "consecutive_empty": int, "last_ok_at": str,
        "last_status": str, "updated_at": str,
    }, pk="url", defaults={"consecutive_failures": 0, "consecutive_empty": 0})
    db.table("digests").create({
        "id": int, "recipient": str, "first_finding_id": int, "last_finding_id": int,
        "created_at": str, "payload": str,
    }, pk="id", not_null={"recipient", "created_at"})
    db.table("digests").create_index(["recipient", "last_finding_id"], unique=True)
    db.table("deliveries").create({
        "id": int, "digest_id": int, "recipient": str, "channel": str, "key": str, "status": str,
        "attempts": int, "next_attempt_at": str, "last_error": str, "sent_at": str, "created_at": str,
    }, pk="id", foreign_keys=[("digest_id", "digests", "id")],
        not_null={"digest_id", "recipient", "channel", "key", "status", "created_at"},
        defaults={"attempts": 0})
    db.table("deliveries").create_index(["key"], unique=True)
    db.table("deliveries").create_index(["status", "next_attempt_at"])


def _backfill_figures_v2(db: sqlite_utils.Database) -> None:
    """as_of, tolerance and first_figure_id for figures written by version 1."""
    rows = db.execute(
        "select id, metric, unit, is_target, year, value, value_max, surface, published_at, first_seen_at "
        "from figures order by coalesce(published_at, first_seen_at), id").fetchall()
    # per series: [(ValueKey, first_figure_id)] of the distinct values met so far
    seen: dict[tuple, list[tuple[ValueKey, int]]] = {}
    for fid, metric, unit, is_target, year, value, value_max, surface, published_at, first_seen_at in rows:
        tolerance = rounding_tolerance(surface or "", value)
        key = ValueKey(metric, unit, bool(is_target), year, value, value_max, tolerance)
        known = seen.setdefault(key.series(), [])
        first = next((first_id for other, first_id in known if same_value(key, other)), None)
        if first is None:
            first = fid
            known.append((key, fid))
        as_of = to_utc_iso(published_at) or to_utc_iso(first_seen_at)
        db.execute("update figures set as_of = ?, tolerance = ?, first_figure_id = ? where id = ?",
                   [as_of, tolerance, first, fid])


def _v2(db: sqlite_utils.Database) -> None:
    figures = db.table("figures")
    figures.add_column("as_of", str)  # published_at, else first_seen_at, UTC: the figure's date
    figures.add_column("tolerance", float)  # rounding of the surface (sameness.rounding_tolerance)
    figures.add_column("first_figure_id", int)  # the first figure stating this value: corroboration
    figures.add_column("withdrawn_in_version", int)
    # 1 on the first mention of each value in an article: history rows without a GROUP BY
    figures.add_column("first_mention", int, not_null_default=0)
    _backfill_figures_v2(db)
    db.execute("update figures set first_mention = 1 where id in (select min(id) from figures"
               " group by article_id, first_figure_id)")
    # Partial indexes on the live figures: latest value per series, sameness candidates, history.
    db.execute("create index if not exists idx_figures_live_series on figures "
               "(metric, unit, is_target, as_of, first_seen_at, id) where withdrawn_at is null")
    db.execute("create index if not exists idx_figures_live_value on figures "
               "(metric, unit, is_target, value, tolerance, year, value_max, article_id) where withdrawn_at is null")
    db.execute("create index if not exists idx_figures_first on figures (first_figure_id, article_id)")
    db.execute("create index if not exists idx_figures_url on figures (url)")
    db.execute("create index if not exists idx_figures_history on figures"
               " (metric, first_mention, as_of, first_seen_at, id)")

    articles = db.table("articles")
    articles.add_column("article_key", str)
    articles.add_column("sections", str)  # JSON [[start, end], …] of the page/section blocks
    articles.add_column("last_checked_at", str)
    articles.add_column("crawl_run_id", int)
    articles.add_column("version_seen_at", str)  # when the current version was first fetched
    articles.create_index(["site", "published_at"])
    articles.enable_fts(["title", "text"], create_triggers=True)

    db.table("findings").add_column("is_context", int, not_null_default=0)
    db.table("findings").create_index(["created_at"])
    db.table("findings").create_index(["metric", "id"])

    db.table("series").create({
        "id": int, "metric": str, "unit": str, "is_target": int, "family": str, "is_context": int,
        "latest_figure_id": int,
    }, pk="id", not_null={"metric", "unit", "is_target"})
    db.table("series").create_index(["metric", "unit", "is_target"], unique=True)
    for metric, unit, is_target in db.execute(
            "select distinct metric, unit, is_target from figures").fetchall():
        db.execute("insert into series (metric, unit, is_target) values (?, ?, ?)", [metric, unit, is_target])
    # Family, context flag and latest figure are filled by migrate() once every step has run.

    db.table("crawl_errors").create({"id": int, "run_id": int, "url": str, "reason": str, "at": str},
                              pk="id", foreign_keys=[("run_id", "crawl_runs", "id")])
    db.table("crawl_errors").create_index(["run_id"])
    db.table("crawl_runs").create_index(["site", "started_at"])
    db.table("health_problems").create({
        "id": int, "site": str, "problem": str, "detail": str, "opened_at": str, "last_seen_at": str,
        "times_seen": int, "resolved_at": str, "finding_id": int,
    }, pk="id", not_null={"site", "problem", "opened_at"}, defaults={"times_seen": 1})
    db.table("health_problems").create_index(["site", "problem", "resolved_at"])


# The time an article's age counts from: publication, else when we first saw it. The index and the
# query in store/queries.py must spell it identically for SQLite to use the index.
AGE_ANCHOR_SQL = "coalesce(published_at, first_seen_at)"


def _v3(db: sqlite_utils.Database) -> None:
    db.table("feeds").add_column("cursor", str)
    # Version 2 kept the portal walk's highest id in the (otherwise unused) etag as "id:<n>".
    db.execute("update feeds set cursor = substr(etag, 4), etag = null where etag like 'id:%'")
    db.execute(f"create index if not exists idx_articles_site_age on articles (site, {AGE_ANCHOR_SQL})")


# Version 3 kept a Slack delivery's resume point in last_error as "[slack parts sent: N] <error>".
_SLACK_PARTS_PREFIX = "[slack parts sent: "


def _v4(db: sqlite_utils.Database) -> None:
    """Digest windows that need no findings, and delivery progress/failure times in their own columns."""
    digests = db.table("digests")
    digests.add_column("window_key", str)  # "findings:<last_finding_id>" or "empty:<window_end>"
    digests.add_column("window_end", str)  # the run's window end (UTC, to the minute)
    db.execute("update digests set window_key = 'findings:' || coalesce(last_finding_id, 0),"
               " window_end = substr(created_at, 1, 16) || ':00+00:00'")
    digests.create_index(["recipient", "window_key"], unique=True)
    digests.create_index(["recipient", "window_end"])

    deliveries = db.table("deliveries")
    deliveries.add_column("parts_sent", int, not_null_default=0)  # Slack messages already accepted
    deliveries.add_column("failed_at", str)  # when the outbox gave the row up
    start = len(_SLACK_PARTS_PREFIX) + 1  # SQLite substr() counts from 1
    db.execute(
        f"update deliveries set parts_sent = cast(substr(last_error, {start}, instr(last_error, ']') - {start})"
        " as integer), last_error = nullif(trim(substr(last_error, instr(last_error, ']') + 1)), '')"
        " where last_error like ?", [_SLACK_PARTS_PREFIX + "%]%"])  # LIKE treats only % and _ specially
    db.execute("update deliveries set failed_at = next_attempt_at, next_attempt_at = null where status = 'failed'")


def _v5(db: sqlite_utils.Database) -> None:
    """Deliveries whose outcome is unknown (a crash after the receiver may have accepted)."""
    deliveries = db.table("deliveries")
    deliveries.add_column("in_doubt", int, not_null_default=0)
    deliveries.add_column("repeats", int, not_null_default=0)
    # A row left in 'sending' by a killed process is in doubt already.
    db.execute("update deliveries set in_doubt = 1 where status = 'sending'")


def _backfill_figures_v6(db: sqlite_utils.Database) -> None:
    """when, as_of and as_of_period of figures stored before version 6 (store/series.py).

    A figure without a year that is no target keeps its as_of (the article's date) and gets that
    date's WIB month as its period in SQL; the others need the sentence (a month, "tahun depan").
    """
    db.execute("update figures set \"when\" = 'planned' where is_target = 1")
    db.execute("update figures set as_of_period = strftime('%Y-%m', as_of, '+7 hours')"
               " where year is null and is_target = 0 and as_of is not null")
    rows = db.execute(
        "select id, start, \"end\", surface, value, value_max, unit, metric, is_target, approx, year, sentence,"
        " \"when\", published_at, first_seen_at from figures where year is not null or is_target = 1").fetchall()
    updates = []
    for (fid, start, end, surface, value, value_max, unit, metric, is_target, approx, year, sentence, when,
         published_at, first_seen_at) in rows:
        figure = settle_when(Figure(
            start=start or 0, end=end or 0, surface=surface or "", value=value, value_max=value_max, unit=unit,
            metric=metric, is_target=bool(is_target), approx=bool(approx), year=year, sentence=sentence or "",
            when=when), published_at)
        placed = as_of(figure, to_utc_iso(published_at) or to_utc_iso(first_seen_at))
        updates.append((figure.when, placed.at, placed.period, fid))
    db.conn.executemany("update figures set \"when\" = ?, as_of = ?, as_of_period = ? where id = ?", updates)


def _v6(db: sqlite_utils.Database) -> None:
    """Figures over time: when and scope of each figure, as_of from them, series per scope, retags."""
    figures = db.table("figures")
    figures.add_column("when", str, not_null_default="now")  # now | earlier | planned (figures.md §1)
    figures.add_column("scope", str)  # None: national, else the region (figures.md §1)
    figures.add_column("as_of_period", str)  # "YYYY" / "YYYY-MM" the value is for (store/series.py)
    figures.add_column("tagger_version", str)  # extract.version.tagger_version that produced it
    figures.add_column("withdrawn_reason", str)  # "revision" (an edited article) or "retag"
    db.execute("update figures set withdrawn_reason = 'revision' where withdrawn_at is not null")
    _backfill_figures_v6(db)
    # The series index now has the scope; its name changes so that no other migration's index of
    # the old name is mistaken for it.
    db.execute("drop index if exists idx_figures_live_series")
    # Its columns end with the order of store.series.LATEST_ORDER (the rowid, id, comes last by
    # itself), so "the newest as_of" is the first index entry, with no sort.
    db.execute("create index if not exists idx_figures_series_as_of on figures (metric, unit, is_target, scope,"
               " as_of, published_at, first_seen_at) where withdrawn_at is null")

    db.table("articles").add_column("tagger_version", str)  # the tagger its live figures come from

    findings = db.table("findings")
    findings.add_column("scope", str)
    findings.add_column("as_of", str)
    findings.add_column("period", str)  # a conflict's as_of period
    findings.add_column("retag_run_id", int)  # set on findings a retag computed (digests summarise them)
    db.execute("create index if not exists idx_findings_kind on findings (kind, id)")

    db.table("series").add_column("scope", str)
    db.execute("drop index if exists idx_series_metric_unit_is_target")
    db.execute("create unique index if not exists idx_series_identity on series"
               " (metric, unit, is_target, ifnull(scope, ''))")

    db.table("retag_runs").create({
        "id": int, "started_at": str, "finished_at": str, "status": str, "tagger_version": str,
        "since": str, "sites": str, "articles_total": int, "articles_done": int, "figures_changed": int,
        "finding_id": int,
    }, pk="id", not_null={"started_at", "status", "tagger_version"},
        defaults={"articles_done": 0, "figures_changed": 0})
    db.table("retag_runs").create_index(["status", "id"])


def _v8(db: sqlite_utils.Database) -> None:
    from store.presentation import create_presentation

    create_presentation(db)


def _v7(db: sqlite_utils.Database) -> None:
    """Nothing (see the history above): files at 8 or 9 never ran a step 7, so none may do anything."""


def _v9(db: sqlite_utils.Database) -> None:
    """What an article's body is: its story, or only its photo captions (extract: Article.body_kind)."""
    db.table("articles").add_column("body_kind", str, not_null_default="story")


def _v10(db: sqlite_utils.Database) -> None:
    """Indexes that keep record_article and Datasette's pages flat in the size of the store."""
    db.execute("drop index if exists idx_figures_live_value")
    # Series, region, then the rounding level: store/recording.py SAME_VALUE_SQL walks one short
    # value window per level; the columns after value are the ones its filter reads.
    db.execute("create index if not exists idx_figures_same_value on figures (metric, unit, is_target, scope,"
               " tolerance, value, year, value_max, article_id) where withdrawn_at is null")
    # A series' figures of one period newest first (store/conflicts.py: a month agrees only with
    # itself and its year, so a month's statement reads those two periods, not its whole year).
    db.execute("create index if not exists idx_figures_series_period on figures (metric, unit, is_target, scope,"
               " as_of_period, as_of, published_at, first_seen_at) where withdrawn_at is null")
    # Datasette's default sorts (store/datasette/metadata.json sort_desc). Descending, so that a
    # next page's "sort value desc, rowid asc" is the index order too.
    db.execute("create index if not exists idx_figures_as_of on figures (as_of desc)")
    db.execute("create index if not exists idx_articles_published_at on articles (published_at desc)")
    # article_figures: one article's figures, live ones first, in reading order (replaces (url)).
    db.execute("create index if not exists idx_figures_url_reading on figures (url, (withdrawn_at is not null), start)")
    db.execute("drop index if exists idx_figures_url")
    # recent_crawl_runs and source_health, in the order they show (their tables grow with every crawl).
    db.execute("create index if not exists idx_crawl_runs_started_at on crawl_runs (started_at desc, id desc)")
    db.execute("create index if not exists idx_health_problems_open_first on health_problems"
               " ((resolved_at is not null), opened_at desc)")


MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {
    1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _v6, 7: _v7, 8: _v8, 9: _v9, 10: _v10}


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid an ``insert`` just made (sqlite3 types ``lastrowid`` as optional)."""
    if cursor.lastrowid is None:
        raise StoreError("an insert made no row")
    return cursor.lastrowid


def dict_rows(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    """A cursor's rows as dicts, fetched as they are read. The write path's lookups use this on
    the connection itself: sqlite_utils' ``query`` wraps every statement in a savepoint of its own,
    two more statements per lookup, dozens per article."""
    names = [d[0] for d in cursor.description]
    return (dict(zip(names, row, strict=True)) for row in cursor)


def user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("pragma user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database, path: str, taxonomy: Taxonomy) -> int:
    """Bring the file to SCHEMA_VERSION; returns the version it had before."""
    conn = db.conn
    try:
        found = user_version(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not an SQLite database ({exc})") from None
    if found > SCHEMA_VERSION:
        raise StoreError(f"{path}: store schema version {found} is newer than this pantau "
                         f"understands ({SCHEMA_VERSION}); upgrade pantau")
    if found == SCHEMA_VERSION:
        return found
    conn.execute("begin immediate")
    try:
        found = user_version(conn)  # another process may have upgraded while we waited for the lock
        if found == 0:
            # Tables another part of pantau may create before the first Store.open are not foreign.
            foreign = [t for t in db.table_names() if not t.startswith("sqlite_") and t not in SHARED_TABLES]
            if foreign:
                raise StoreError(f"{path}: not a pantau store (it has tables {', '.join(foreign[:5])} "
                                 "but no pantau schema version)")
        for version in range(found + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[version](db)
            conn.execute(f"pragma user_version = {version}")
        if "series" in db.table_names():
            refresh_series(db, taxonomy)
        conn.execute("commit")
    except BaseException:
        if conn.in_transaction:
            conn.execute("rollback")
        raise
    return found
