"""Per-crawl bookkeeping of one spider: counters for the summary and the run record, and the feed
states (conditional-GET validators, high-water marks, empty/failure streaks) it updates."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

STAT_KEYS = ("discovered", "fetched", "new", "changed", "unchanged", "skipped", "errors", "requests", "seconds")

# A feed, sitemap or index that is empty or failing this many crawls in a row is a health finding.
HEALTH_STREAK = 3
# A crawl with at least this many errors, and more errors than fetched pages, is a health finding.
ERROR_STREAK_MIN = 5


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


@dataclass
class LocalFeedState:
    """Stand-in with the contract's fields when the store has no state for a feed yet."""

    url: str
    site: str
    etag: str | None = None
    last_modified: str | None = None
    high_water: str | None = None
    consecutive_failures: int = 0
    consecutive_empty: int = 0
    last_ok_at: str | None = None
    last_status: int | None = None


@dataclass
class CrawlState:
    site: str
    started: float = field(default_factory=time.monotonic)
    counts: dict[str, float] = field(default_factory=lambda: {k: 0 for k in STAT_KEYS})
    feeds: dict[str, Any] = field(default_factory=dict)  # feed url -> FeedState (updated copy)
    new_high_water: dict[str, str] = field(default_factory=dict)
    # feed url -> (etag, last_modified) as loaded: restored when the crawl had errors, so that a
    # 304 next time can't hide an article whose fetch failed this time.
    old_validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    def bump(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def summary(self) -> dict[str, float]:
        out = dict(self.counts)
        out["seconds"] = round(time.monotonic() - self.started, 2)
        return out


def load_feed_state(store: Any, url: str, site: str) -> Any:
    state = store.feed_state(url)
    return state if state is not None else _new_state(url, site)


def _new_state(url: str, site: str) -> Any:
    try:
        from store import FeedState  # the store's own type, when it exports it
        return FeedState(url=url, site=site, etag=None, last_modified=None, high_water=None,
                         consecutive_failures=0, consecutive_empty=0, last_ok_at=None, last_status=None)
    except (ImportError, TypeError):
        return LocalFeedState(url=url, site=site)


def updated(state: Any, **changes: Any) -> Any:
    if dataclasses.is_dataclass(state):
        return dataclasses.replace(state, **changes)
    if hasattr(state, "_replace"):
        return state._replace(**changes)
    for k, v in changes.items():
        setattr(state, k, v)
    return state
