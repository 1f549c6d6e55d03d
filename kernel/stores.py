"""What a crawl needs of the store: the seam between a crawler process and wherever the store is.

``store.Store`` (the SQLite file on this host) satisfies ``CrawlStore``. A crawler node on another
host implements the same methods over a shared service (issue 16: a stream the store's writer
consumes, and what the writer publishes for crawlers to read), and the spiders do not change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from kernel.records import FeedState, KnownArticle

__all__ = ["CrawlStore"]


class CrawlStore(Protocol):
    # -- what the crawl reads: its memory of earlier crawls ----------------------------------
    def known_article(self, url: str) -> KnownArticle | None: ...

    def articles_due_for_check(self, site: str, now: Any, schedule_hours: Sequence[float]) -> list[KnownArticle]: ...

    def feed_state(self, feed_url: str) -> FeedState: ...

    def feed_cursor(self, feed_url: str) -> str | None: ...

    def last_runs(self, per_site: int = 1) -> list[dict[str, Any]]: ...

    # -- what the crawl writes: its run, its failures, feeds and health ----------------------
    def start_crawl_run(self, site: str, *, at: datetime | str | None = None) -> int: ...

    def record_crawl_error(self, run_id: int, url: str, reason: str, *, at: datetime | str | None = None) -> None: ...

    def finish_crawl_run(self, run_id: int, stats: dict[str, Any], *, at: datetime | str | None = None,
                         status: str = "finished") -> None: ...

    def save_feed_state(self, state: FeedState) -> None: ...

    def save_feed_cursor(self, feed_url: str, cursor: str | None) -> None: ...

    def record_health(self, site: str, problem: str, detail: str | dict[str, Any] = "", *,
                      at: datetime | str | None = None) -> object: ...

    def resolve_health(self, site: str, problem: str, *, at: datetime | str | None = None) -> bool: ...
