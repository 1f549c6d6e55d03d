"""What the listings said about each article URL, shared by the crawlers of a frontier round.

One crawler alone decides on everything its listings said about a URL (``merge_evidence`` in
crawler/spiders/base.py: a news-sitemap entry with only a title must not hide the RSS item whose
summary matches a keyword). With a shared frontier each listing is fetched by one crawler of the
round, so the evidence is merged here, in a Redis hash per site (``pantau:<site>:evidence``, a round
key), and every crawler decides on the round's evidence, as one process would.

The merge is a compare-and-set: a crawler reads the URL's entry, merges its own into it, and
writes the result only if nobody wrote in between (else it merges again with the newer one).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from crawler.discovery import Entry

# A crawler that keeps losing the compare-and-set for one URL (others merging into it at the same
# moment) gives up after this many tries and decides on its own merge: at worst one listing's
# evidence is not seen by the others, never a lost page.
MAX_MERGE_TRIES = 5

# Write ARGV[2] under field ARGV[1] only if it still holds ARGV[3] ("" = absent).
_COMPARE_AND_SET = """
local now = redis.call('HGET', KEYS[1], ARGV[1]) or ''
if now ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
"""


def encode(entry: Entry) -> str:
    def stamp(value: datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return json.dumps({"url": entry.url, "title": entry.title, "summary": entry.summary,
                       "published": stamp(entry.published), "lastmod": stamp(entry.lastmod),
                       "channel": entry.channel}, ensure_ascii=False, sort_keys=True)


def decode(text: str | bytes) -> Entry:
    data = json.loads(text)

    def stamp(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    return Entry(url=data["url"], title=data["title"], summary=data["summary"], published=stamp(data["published"]),
                 lastmod=stamp(data["lastmod"]), channel=data["channel"])


class SharedEvidence:
    def __init__(self, server: Any, key: str) -> None:
        self.server = server
        self.key = key
        self._compare_and_set = server.register_script(_COMPARE_AND_SET)

    def merge(self, url: str, entry: Entry, merge: Callable[[Entry, Entry], Entry]) -> tuple[Entry | None, Entry]:
        """(the round's evidence before, after merging ``entry`` into it); before is None when no
        crawler of the round had seen ``url``."""
        merged = entry
        before: Entry | None = None
        for _ in range(MAX_MERGE_TRIES):
            raw = self.server.hget(self.key, url)
            before = decode(raw) if raw else None
            merged = entry if before is None else merge(before, entry)
            if before is not None and merged == before:
                return before, merged
            old = raw.decode("utf-8") if isinstance(raw, bytes) else (raw or "")
            if self._compare_and_set(keys=[self.key], args=[url, encode(merged), old]):
                return before, merged
        return before, merged
