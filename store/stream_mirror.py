"""The store writer's read mirror in Redis: what crawler nodes read instead of the SQLite file.

After each commit the writer copies the rows the crawl's decisions read (``crawler.stream_store``)
into Redis hashes: each touched article's (version, content hash, publication time, first seen,
last fetch, checks done), each touched feed's state and cursor, and each site's last finished
crawl run; at start it copies them all, so a mirror lost with Redis comes back. Every write
sets the current value, so copying a row twice is harmless. About 250 bytes per article.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from kernel import store_stream as ss
from kernel.urls import site_of
from store.core import Store

# Rows per Redis pipeline when the whole mirror is copied: big enough to amortise round trips,
# small enough that one pipeline's reply stays a few hundred KB.
MIRROR_CHUNK = 1000

_KNOWN_COLUMNS = "url, site, version, content_hash, published_at, first_seen_at, last_fetched_at, checks_done"


def _article_value(row: dict[str, Any]) -> str:
    return json.dumps({key: row[key] for key in ("url", "version", "content_hash", "published_at",
                                                   "first_seen_at", "last_fetched_at", "checks_done")},
                      separators=(",", ":"))


def _site_key(row: dict[str, Any]) -> str:
    return ss.KNOWN_ARTICLES_PREFIX + (row.get("site") or site_of(row["url"]) or "")


def mirror_articles(store: Store, client: Any, urls: Iterable[str]) -> int:
    """Copy the stored state of ``urls`` (canonical) to the mirror; returns the rows copied."""
    wanted = list(dict.fromkeys(urls))
    copied = 0
    for start in range(0, len(wanted), MIRROR_CHUNK):
        chunk = wanted[start:start + MIRROR_CHUNK]
        rows = store.db.query(f"select {_KNOWN_COLUMNS} from articles where url in ({', '.join('?' * len(chunk))})",
                              chunk)
        pipe = client.pipeline(transaction=False)
        for row in rows:
            pipe.hset(_site_key(row), row["url"], _article_value(row))
            copied += 1
        pipe.execute()
    return copied


def mirror_feeds(store: Store, client: Any, urls: Iterable[str]) -> None:
    pipe = client.pipeline(transaction=False)
    for url in dict.fromkeys(urls):
        state = store.feed_state(url)
        pipe.hset(ss.FEEDS_KEY, url, json.dumps(asdict(state), separators=(",", ":")))
        cursor = store.feed_cursor(url)
        if cursor is not None:
            pipe.hset(ss.FEED_CURSORS_KEY, url, cursor)
    pipe.execute()


def mirror_last_runs(store: Store, client: Any, sites: Iterable[str] | None = None) -> None:
    """Each site's last crawl run (the one a crawl reads its carried-over streak from)."""
    wanted = set(sites) if sites is not None else None
    pipe = client.pipeline(transaction=False)
    for run in store.last_runs(per_site=1):
        if wanted is None or run["site"] in wanted:
            run.pop("n", None)
            pipe.hset(ss.LAST_RUNS_KEY, run["site"], json.dumps(run, separators=(",", ":"), default=str))
    pipe.execute()


def mirror_all(store: Store, client: Any) -> int:
    """Copy every article, feed and last run; returns the articles copied."""
    copied = 0
    pipe = client.pipeline(transaction=False)
    for row in store.db.query(f"select {_KNOWN_COLUMNS} from articles"):
        pipe.hset(_site_key(row), row["url"], _article_value(row))
        copied += 1
        if copied % MIRROR_CHUNK == 0:
            pipe.execute()
    pipe.execute()
    mirror_feeds(store, client, [row["url"] for row in store.db.query("select url from feeds")])
    mirror_last_runs(store, client)
    return copied
