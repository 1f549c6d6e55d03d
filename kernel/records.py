"""The records that travel between the stages: an article as extraction gives it, a figure as the
tagger gives it, and what a crawl learns from the store about an article it stored and a feed it
read. The crawler carries them, the store keeps them; none of them knows the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

__all__ = ["Article", "FeedState", "Figure", "KnownArticle"]


@dataclass(frozen=True)
class Article:
    """One article as extracted: clean text, metadata, and the offsets of its page blocks."""

    url: str
    site: str
    title: str
    text: str
    published_at: str | None
    modified_at: str | None
    author: str | None
    content_hash: str
    sections: list[tuple[int, int]] = field(default_factory=list)
    # "story": the text is the page's prose; "captions": a photo or gallery page without prose,
    # whose text is its photo captions, one per line.
    body_kind: str = "story"

    def to_dict(self) -> dict:
        """The JSON object of ``pantau extract`` (without ``figures``): ``date`` is ``published_at``."""
        return {"text": self.text, "title": self.title, "date": self.published_at, "author": self.author,
                "site": self.site, "url": self.url, "modified_at": self.modified_at,
                "content_hash": self.content_hash, "sections": [list(s) for s in self.sections],
                "body_kind": self.body_kind}


@dataclass(frozen=True)
class Figure:
    """One figure mention; ``text[start:end] == surface`` in the text given to ``tag_text``."""

    start: int
    end: int
    surface: str
    value: int | float
    value_max: int | float | None
    unit: str
    metric: str
    is_target: bool
    approx: bool
    year: int | None
    sentence: str
    # Second version of the record (figures.md §1): appended, so every earlier key keeps its place.
    # "now" (the default), "earlier" (the text places the value before the article's own time) or
    # "planned" (a target: follows is_target).
    when: str = "now"
    # None for a national figure, else the region its clause names ("Jawa Barat", "Kota Bandung").
    scope: str | None = None

    def to_record(self) -> dict[str, Any]:
        """The JSON Lines record of figures.md §1, keys in order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class KnownArticle:
    url: str
    version: int
    content_hash: str
    published_at: str | None
    first_seen_at: str
    last_fetched_at: str
    checks_done: int


@dataclass
class FeedState:
    """Conditional-GET validators and health counters of one feed, sitemap or index URL."""

    url: str
    site: str
    etag: str | None = None
    last_modified: str | None = None
    # Newest lastmod / publication date seen in this feed (UTC ISO): older entries are skipped.
    high_water: str | None = None
    consecutive_failures: int = 0
    consecutive_empty: int = 0
    last_ok_at: str | None = None
    last_status: int | str | None = None
