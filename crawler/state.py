"""Per-crawl bookkeeping of one spider: counters for the summary and the run record, and the feed
states (conditional-GET validators, high-water marks, empty/failure streaks) it updates."""

from __future__ import annotations

import dataclasses
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from store.models import FeedState

if TYPE_CHECKING:
    from kernel.stores import CrawlStore

STAT_KEYS = ("discovered", "fetched", "new", "changed", "unchanged", "skipped", "errors", "requests", "seconds")

# A feed, sitemap or index that is empty or failing this many crawls in a row is a health finding.
HEALTH_STREAK = 3
# A crawl with at least this many errors, and more errors than fetched pages, is a health finding.
ERROR_STREAK_MIN = 5
# The source_health problem of a site whose article pages stopped giving articles
# ([crawl] extraction_failure_streak in a row), and the run-stats key that carries the streak over.
EXTRACTION_PROBLEM = "extraction_failing"
EXTRACTION_STREAK_KEY = "extraction_failure_streak"


@dataclass
class CrawlState:
    site: str
    started: float = field(default_factory=time.monotonic)
    counts: dict[str, float] = field(default_factory=lambda: {k: 0 for k in STAT_KEYS})
    feeds: dict[str, FeedState] = field(default_factory=dict)  # feed url -> updated copy
    # feed url -> its state as loaded from the store: a feed whose state is unchanged (and has no new
    # high-water mark) was not fetched by this crawler.
    loaded_feeds: dict[str, FeedState] = field(default_factory=dict)
    new_high_water: dict[str, str] = field(default_factory=dict)
    # feed url -> (etag, last_modified) as loaded: restored when the crawl had errors, so that a
    # 304 next time can't hide an article whose fetch failed this time.
    old_validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    # Discovery requests (feeds, sitemaps, index pages, API pages, portal ids) answered / failed:
    # none answered and some failed means the whole site failed (``pantau crawl`` exits 1).
    discovery_answered: int = 0
    discovery_failed: int = 0
    # Stored articles re-fetched because a revision-check age passed (not shown by any listing yet).
    revision_checks: int = 0
    # Failures by kind ("DNS lookup failed", "HTTP 503", …): the one line per site and reason
    # `pantau crawl` prints; every failure itself is in crawl_errors.
    error_reasons: Counter[str] = field(default_factory=Counter)

    def feed_touched(self, url: str) -> bool:
        """True when this crawl answered, failed or moved the feed on (not just built its request)."""
        return self.feeds.get(url) != self.loaded_feeds.get(url) or url in self.new_high_water

    def bump(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def note_reason(self, reason: str) -> None:
        self.error_reasons[reason_kind(reason)] += 1

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.counts)
        out["seconds"] = round(time.monotonic() - self.started, 2)
        out["discovery_answered"] = self.discovery_answered
        out["discovery_failed"] = self.discovery_failed
        out["revision_checks"] = self.revision_checks
        if self.error_reasons:
            out["error_reasons"] = dict(self.error_reasons.most_common())
        return out


# Failure texts that name a host, a URL or a number a person needn't see to know what happened.
_REASON_KINDS = [
    (re.compile(r"DNS lookup failed|CannotResolveHost|Name or service not known", re.I), "DNS lookup failed"),
    (re.compile(r"timed? ?out|TimeoutError", re.I), "timed out"),
    (re.compile(r"Connection refused|ConnectionRefused", re.I), "connection refused"),
    (re.compile(r"ConnectionLost|Connection was closed|ResponseNeverReceived|ResponseFailed|PotentialDataLoss",
                re.I), "connection lost"),
    (re.compile(r"\bHTTP (\d{3})\b"), r"HTTP \1"),
    (re.compile(r"^crawl closed early: (\w+)"), r"closed early (\1)"),
]


def reason_kind(reason: str) -> str:
    """What kind of failure ``reason`` is, without its URL or host: "DNS lookup failed", "HTTP 503"."""
    stage = reason.split(":", 1)[0] if reason.startswith(("discovery failed", "fetch failed")) else ""
    for pattern, kind in _REASON_KINDS:
        match = pattern.search(reason)
        if match:
            text = match.expand(kind)
            return f"{stage}: {text}" if stage else text
    return reason.split(" (", 1)[0][:80]


def site_failed(stats: dict[str, Any]) -> bool:
    """True when a site's crawl failed as a whole: no discovery request answered (every feed,
    sitemap, index or API request failed, or the site was unreachable), or no stats at all (the
    spider never ran). Failed article pages alone don't count: they are in ``errors``."""
    if not stats:
        return True
    return stats.get("discovery_answered", 0) == 0 and stats.get("discovery_failed", 0) > 0


def previous_extraction_streak(store: CrawlStore, site: str) -> int:
    """Article pages in a row that gave no article at the end of the site's last finished crawl."""
    import json

    for run in store.last_runs(per_site=1):
        if run["site"] == site and run.get("stats"):
            try:
                return int(json.loads(run["stats"]).get(EXTRACTION_STREAK_KEY, 0))
            except (ValueError, TypeError, AttributeError):
                return 0
    return 0


def load_feed_state(store: CrawlStore, url: str) -> FeedState:
    """The store's state of a feed (a fresh ``FeedState`` when it has none yet)."""
    return store.feed_state(url)


def updated(state: FeedState, **changes: Any) -> FeedState:
    return dataclasses.replace(state, **changes)
