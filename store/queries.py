"""The canned queries, read from the Datasette metadata that ships with the store, and the
crawler's revision-check query.

One copy of each canned query: ``pantau browse`` shows it in Datasette and ``Store.latest_values`` /
``Store.metric_history`` run the same SQL.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kernel.times import to_utc_iso
from store.models import Finding, KnownArticle
from store.schema import AGE_ANCHOR_SQL

if TYPE_CHECKING:
    from store.core import Store

METADATA_PATH = Path(__file__).parent / "datasette" / "metadata.json"
# The database key in the shipped file; Datasette names a database after its file's stem.
TEMPLATE_DATABASE = "pantau"


@lru_cache(maxsize=1)
def _metadata() -> dict[str, Any]:
    return json.loads(METADATA_PATH.read_text(encoding="utf-8"))


def datasette_metadata(database_name: str = TEMPLATE_DATABASE, *, columns: dict[str, set[str]] | None = None,
                       plugin: dict[str, Any] | None = None) -> dict[str, Any]:
    """The metadata with its database section under ``database_name`` (the store file's stem).

    ``columns``: the store's columns per table; default facets on a column the file doesn't have
    (yet: ``scope`` comes with schema v5) are left out, since Datasette refuses them.
    ``plugin``: settings for pantau's plugin (timezone, language, config path).
    """
    metadata = copy.deepcopy(_metadata())
    database = metadata["databases"][TEMPLATE_DATABASE]
    if columns is not None:
        for table, meta in database["tables"].items():
            if "facets" in meta:
                meta["facets"] = [f for f in meta["facets"] if f in columns.get(table, set())]
    metadata["databases"] = {database_name: database}
    if plugin:
        metadata.setdefault("plugins", {}).setdefault("pantau", {}).update(plugin)
    return metadata


def table_columns(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """The columns of every table and view of the store."""
    names = [row[0] for row in conn.execute("select name from sqlite_master where type in ('table', 'view')")]
    return {name: {row[1] for row in conn.execute(f"pragma table_info([{name}])")} for name in names}


def canned_names() -> list[str]:
    """The canned queries' names, in the metadata's order."""
    return list(_metadata()["databases"][TEMPLATE_DATABASE]["queries"])


def canned_sql(name: str) -> str:
    return _metadata()["databases"][TEMPLATE_DATABASE]["queries"][name]["sql"]


LATEST_VALUES = canned_sql("latest_values")
METRIC_HISTORY = canned_sql("metric_history")

# The newest live statements of one series (metric, unit, target flag), one per article and value:
# what a digest's chart and trend show. Served by idx_figures_live_series (as_of order, live only).
SERIES_HISTORY = (
    "select id as figure_id, first_figure_id, as_of, value, value_max, year, site from figures"
    " where metric = :metric and unit = :unit and is_target = :is_target and withdrawn_at is null"
    " and first_mention = 1 order by as_of desc, first_seen_at desc, id desc limit :limit")


# The newest findings, for the Atom feed (the primary key is their order).
LATEST_FINDINGS = "select * from findings order by id desc limit ?"


def latest_findings(conn: sqlite3.Connection, limit: int) -> list[Finding]:
    """The newest ``limit`` findings, newest first, on any connection (Datasette's read-only one too)."""
    cursor = conn.execute(LATEST_FINDINGS, [limit])
    names = [d[0] for d in cursor.description]
    return [Finding.from_row(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]


def series_history(store: Store, metric: str, unit: str, is_target: bool, limit: int) -> list[dict[str, Any]]:
    """The newest ``limit`` live statements of a series, oldest first."""
    rows = store.db.query(SERIES_HISTORY, {"metric": metric, "unit": unit, "is_target": int(is_target),
                                           "limit": limit})
    return list(reversed(list(rows)))


# -- revision checks by age ------------------------------------------------------------------

# A schedule point the crawler missed (it was down, or crawls are far apart) is still checked if the
# crawl comes at most this late; older articles are settled, and the window keeps the query small.
MISSED_CHECK_GRACE_HOURS = 24.0

# Articles of a site whose age anchor lies in a window; served by idx_articles_site_age (schema v3).
ARTICLES_IN_AGE_WINDOW = (
    "select url, version, content_hash, published_at, first_seen_at, last_fetched_at, checks_done"
    f" from articles where site = :site and {AGE_ANCHOR_SQL} > :oldest and {AGE_ANCHOR_SQL} <= :youngest"
    f" order by {AGE_ANCHOR_SQL}, url")


def articles_due_for_check(store: Store, site: str, now: datetime | str,
                           schedule_hours: Sequence[float]) -> list[KnownArticle]:
    """Stored articles of ``site`` due for a revision check at ``now``.

    An article's age is ``now`` minus ``published_at`` (else ``first_seen_at``). It is due when its
    age passed a schedule point after its last fetch: ``last_fetched_at < anchor + point <= now``.
    Any fetch (a check with the text unchanged or changed, ``mark_checked``, a fetch from
    discovery) moves ``last_fetched_at`` past the point, so each point is checked once, and none
    after the last point (with ``MISSED_CHECK_GRACE_HOURS`` for a crawl that comes late).
    """
    window = check_window(now, schedule_hours)
    if window is None:
        return []
    rows = store.db.query(ARTICLES_IN_AGE_WINDOW, {"site": site, **window})
    return due_among((KnownArticle(**row) for row in rows), now, schedule_hours)


def check_window(now: datetime | str, schedule_hours: Sequence[float]) -> dict[str, str] | None:
    """The age-anchor window (``oldest`` < anchor <= ``youngest``, UTC ISO) of articles that may be
    due at ``now``; None when the schedule has no point."""
    points = sorted(float(h) for h in schedule_hours if float(h) >= 0)
    if not points:
        return None
    now_dt = datetime.fromisoformat(to_utc_iso(now))  # type: ignore[arg-type]
    return {"oldest": to_utc_iso(now_dt - timedelta(hours=points[-1] + MISSED_CHECK_GRACE_HOURS)),
            "youngest": to_utc_iso(now_dt - timedelta(hours=points[0]))}


def due_among(articles: Iterable[KnownArticle], now: datetime | str,
              schedule_hours: Sequence[float]) -> list[KnownArticle]:
    """The articles due for a revision check at ``now`` (the rule of ``articles_due_for_check``),
    in age order; a crawler node applies it to the store writer's mirror of known articles."""
    window = check_window(now, schedule_hours)
    if window is None:
        return []
    points = sorted(float(h) for h in schedule_hours if float(h) >= 0)
    now_dt = datetime.fromisoformat(to_utc_iso(now))  # type: ignore[arg-type]
    due = []
    for article in articles:
        anchor_text = article.published_at or article.first_seen_at
        if not window["oldest"] < anchor_text <= window["youngest"]:
            continue
        anchor = datetime.fromisoformat(anchor_text)
        passed = [h for h in points if anchor + timedelta(hours=h) <= now_dt]
        if passed and datetime.fromisoformat(article.last_fetched_at) < anchor + timedelta(hours=passed[-1]):
            due.append(article)
    return sorted(due, key=lambda a: (a.published_at or a.first_seen_at, a.url))
