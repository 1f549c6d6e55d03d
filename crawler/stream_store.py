"""The store as a crawler node sees it when ``[crawl] frontier`` is set: writes go on the store
stream, reads come from the store writer's mirror in Redis.

Crawler nodes on other hosts cannot write the SQLite file (one writer per file, and SQLite over a
network file system is unsafe), so every store call a spider makes is answered here instead:

* writes (crawl run start and finish, crawl errors, health problems, feed state and cursors,
  articles through ``RedisStreamSink``) are XADDed to the stream in the order the crawl makes
  them; ``pantau store-writer`` applies them in that order, so a run's start is in the store
  before its errors and articles. The XADD reply means Redis has the entry (durable with
  ``appendonly yes``, see docs/scaling.md).
* reads (``known_article``, ``articles_due_for_check``, ``feed_state``, ``feed_cursor``,
  ``last_runs``) come from hashes the writer fills after each commit and in full at its start.
  The mirror lags the stream by the writer's backlog: an article fetched moments ago may look
  unknown and be fetched again, which the store records as "unchanged" (no new version).

A Redis that does not answer is ``StoreUnavailable``: the crawl stops and fails, as with a full disk.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from kernel import store_stream as ss
from kernel.errors import StoreUnavailable
from kernel.records import Article, FeedState, Figure, KnownArticle
from kernel.stores import CrawlStore
from kernel.times import to_utc_iso, utc_now_iso
from kernel.urls import canonical_url, site_of
from pantau_config import Config


def unreachable(url: str, exc: Exception) -> StoreUnavailable:
    """The one-line error for a Redis that refused or dropped a call."""
    return StoreUnavailable(f"stream {ss.STREAM_KEY} at {url}", f"Redis does not answer ({_reason(exc)})")


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class StreamStore:
    """The spider's ``store`` with a frontier: ``kernel.stores.CrawlStore`` over Redis."""

    def __init__(self, url: str, client: Any = None) -> None:
        self.url = url
        self.redis = client if client is not None else ss.redis_client(url)
        # Crawl run number (what the spider holds) -> the run's token on the stream.
        self.run_tokens: dict[int, str] = {}
        # Known articles of each site read this crawl (one HGETALL instead of a call per link).
        self._known: dict[str, dict[str, KnownArticle]] = {}

    # -- plumbing --------------------------------------------------------------------------
    def _call(self, method: str, *args: Any) -> Any:
        import redis

        try:
            return getattr(self.redis, method)(*args)
        except redis.RedisError as exc:
            raise unreachable(self.url, exc) from None

    def add(self, payload: bytes) -> str:
        """XADD one entry; returns its stream id once Redis has it."""
        entry_id = self._call("xadd", ss.STREAM_KEY, {ss.ENTRY_FIELD: payload})
        return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)

    def ping(self) -> None:
        self._call("ping")

    def token(self, run_id: int | None) -> str | None:
        return self.run_tokens.get(run_id) if run_id is not None else None

    def close(self) -> None:
        self.redis.close()

    # -- writes: entries on the stream ------------------------------------------------------
    def start_crawl_run(self, site: str, *, at: datetime | str | None = None) -> int:
        number = int(self._call("incr", ss.RUN_SEQUENCE_KEY))
        # The token names the run on the stream: unique even if Redis lost its counter.
        token = f"{number}-{secrets.token_hex(6)}"
        self.run_tokens[number] = token
        self.add(ss.encode(ss.RUN_START, run=token, site=site, at=to_utc_iso(at) or utc_now_iso()))
        return number

    def record_crawl_error(self, run_id: int, url: str, reason: str, *, at: datetime | str | None = None) -> None:
        self.add(ss.encode(ss.CRAWL_ERROR, run=self.token(run_id), url=url, reason=reason,
                           at=to_utc_iso(at) or utc_now_iso()))

    def finish_crawl_run(self, run_id: int, stats: dict[str, Any], *, at: datetime | str | None = None,
                         status: str = "finished") -> None:
        self.add(ss.encode(ss.RUN_FINISH, run=self.token(run_id), stats=stats, status=status,
                           at=to_utc_iso(at) or utc_now_iso()))

    def record_health(self, site: str, problem: str, detail: str | dict[str, Any] = "", *,
                      at: datetime | str | None = None) -> None:
        """Queued: whether it opens a finding is the writer's to decide (None here)."""
        self.add(ss.encode(ss.HEALTH, site=site, problem=problem, detail=detail, at=to_utc_iso(at) or utc_now_iso()))

    def resolve_health(self, site: str, problem: str, *, at: datetime | str | None = None) -> bool:
        self.add(ss.encode(ss.HEALTH_RESOLVED, site=site, problem=problem, at=to_utc_iso(at) or utc_now_iso()))
        return False  # unknown here: the writer closes the problem if one is open

    def save_feed_state(self, state: FeedState) -> None:
        self.add(ss.encode(ss.FEED_STATE, state=asdict(state)))

    def save_feed_cursor(self, feed_url: str, cursor: str | None) -> None:
        self.add(ss.encode(ss.FEED_CURSOR, url=feed_url, cursor=cursor))

    def put_article(self, article: Article, figures: Sequence[Figure], *, fetched_at: datetime | str,
                    crawl_run_id: int | None) -> str:
        """XADD an article entry; raises EntryTooLarge (one line) or StoreUnavailable."""
        return self.add(ss.article_entry(article, list(figures), run=self.token(crawl_run_id),
                                         at=to_utc_iso(fetched_at) or utc_now_iso()))

    # -- reads: the writer's mirror ---------------------------------------------------------
    def known_article(self, url: str) -> KnownArticle | None:
        url = canonical_url(url)
        site = site_of(url) or ""
        if site in self._known:
            return self._known[site].get(url)
        raw = self._call("hget", ss.KNOWN_ARTICLES_PREFIX + site, url)
        return KnownArticle(**json.loads(raw)) if raw else None

    def known_articles(self, site: str) -> dict[str, KnownArticle]:
        """Every mirrored article of ``site`` (read once per crawl, then served from memory)."""
        if site not in self._known:
            rows = self._call("hgetall", ss.KNOWN_ARTICLES_PREFIX + site)
            self._known[site] = {_str(url): KnownArticle(**json.loads(raw)) for url, raw in rows.items()}
        return self._known[site]

    def articles_due_for_check(self, site: str, now: Any, schedule_hours: Sequence[float]) -> list[KnownArticle]:
        from store.queries import due_among

        return due_among(self.known_articles(site).values(), now, schedule_hours)

    def feed_state(self, feed_url: str) -> FeedState:
        raw = self._call("hget", ss.FEEDS_KEY, feed_url)
        return FeedState(**json.loads(raw)) if raw else FeedState(url=feed_url, site=site_of(feed_url))

    def feed_cursor(self, feed_url: str) -> str | None:
        raw = self._call("hget", ss.FEED_CURSORS_KEY, feed_url)
        return _str(raw) if raw else None

    def last_runs(self, per_site: int = 1) -> list[dict[str, Any]]:
        """The last finished run of each site (the mirror keeps one: what a crawl reads)."""
        rows = self._call("hgetall", ss.LAST_RUNS_KEY)
        return sorted((json.loads(raw) for raw in rows.values()), key=lambda run: run.get("site") or "")


def _str(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def open_crawl_store(config: Config) -> CrawlStore:
    """The store a spider reads and writes: the SQLite file, or with a frontier the stream."""
    frontier = getattr(config.crawl, "frontier", "")
    if frontier:
        return StreamStore(frontier)
    from store import Store

    return Store.from_config(config)
