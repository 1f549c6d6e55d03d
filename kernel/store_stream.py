"""The store stream's entries: what crawler nodes put on Redis and ``pantau store-writer`` applies.

With ``[crawl] frontier`` set, a crawl never opens the SQLite store: every write it would make
(an article with its figures, a crawl run's start and end, a crawl error, a health problem, feed
state) becomes one entry on one Redis stream, in the order the crawl made it, and the single
store writer applies the entries to the store. An entry is one field, ``e``, holding compact
JSON: ``{"v": 1, "k": kind, ...}``. Both sides use this module, so the format has one definition.

Crawl runs are named by a token the crawl draws (``run``), not by the store's row id, which only
the writer learns; the writer keeps the token → row id map in the store.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any

from kernel.records import Article, Figure

# The stream, its consumer group and the keys of the writer's read mirror, all in one namespace
# so one Redis can hold the frontier and the store stream side by side.
STREAM_KEY = "pantau:store-stream"
WRITER_GROUP = "store-writer"
# Counter that numbers crawl runs across every crawler node (the number a crawl logs).
RUN_SEQUENCE_KEY = "pantau:run-seq"
# Mirror the writer keeps after each commit, read by crawler nodes instead of the store:
# one hash per site of url -> known article, feed url -> feed state, site -> last finished run.
KNOWN_ARTICLES_PREFIX = "pantau:known:"
FEEDS_KEY = "pantau:feeds"
FEED_CURSORS_KEY = "pantau:feed-cursors"
LAST_RUNS_KEY = "pantau:last-run"

ENTRY_FIELD = "e"
# Seconds to connect to Redis and to wait for one reply: loopback answers in microseconds, a LAN
# in milliseconds; 10 s rides out a Redis restart without hanging a crawl for minutes.
REDIS_TIMEOUT_SECONDS = 10
FORMAT_VERSION = 1
# Largest entry a crawl puts on the stream: an article's text comes from a page of at most
# [crawl] max_page_bytes (10 MiB) but real articles are 2-50 KB; 4 MiB keeps a runaway page from
# taking Redis memory while no real article comes near it.
MAX_ENTRY_BYTES = 4 << 20

ARTICLE, RUN_START, RUN_FINISH, CRAWL_ERROR = "article", "run_start", "run_finish", "error"
HEALTH, HEALTH_RESOLVED, FEED_STATE, FEED_CURSOR = "health", "health_resolved", "feed_state", "feed_cursor"
# The fields each kind must carry (beyond v and k); anything else is a malformed entry.
REQUIRED = {
    ARTICLE: ("run", "at", "a", "fn", "f"),
    RUN_START: ("run", "site", "at"),
    RUN_FINISH: ("run", "stats", "at", "status"),
    CRAWL_ERROR: ("run", "url", "reason", "at"),
    HEALTH: ("site", "problem", "detail", "at"),
    HEALTH_RESOLVED: ("site", "problem", "at"),
    FEED_STATE: ("state",),
    FEED_CURSOR: ("url", "cursor"),
}
FIGURE_FIELDS = [f.name for f in fields(Figure)]
ARTICLE_FIELDS = {f.name for f in fields(Article)}


class EntryTooLarge(ValueError):
    """An entry over MAX_ENTRY_BYTES: the article is recorded as a crawl error instead."""


class MalformedEntry(ValueError):
    """A stream entry the writer cannot apply: not JSON, an unknown kind, a missing field."""


@dataclass(frozen=True)
class Entry:
    kind: str
    data: dict[str, Any]


def encode(kind: str, **data: Any) -> bytes:
    """The entry's JSON, compact; raises EntryTooLarge past MAX_ENTRY_BYTES."""
    payload = json.dumps({"v": FORMAT_VERSION, "k": kind, **data}, ensure_ascii=False,
                         separators=(",", ":"), default=str).encode("utf-8")
    if len(payload) > MAX_ENTRY_BYTES:
        raise EntryTooLarge(f"entry too large for the store stream: {len(payload) / 1e6:.1f} MB "
                            f"(limit {MAX_ENTRY_BYTES / 1e6:.1f} MB)")
    return payload


def article_entry(article: Article, figures: list[Figure] | tuple[Figure, ...], *, run: str | None,
                  at: str) -> bytes:
    """An article with its figures; figures as rows under one list of field names (a third of the
    size of one object each, and a crawler with more Figure fields than the writer still decodes)."""
    record = asdict(article)
    return encode(ARTICLE, run=run, at=at, a=record, fn=FIGURE_FIELDS,
                  f=[[getattr(figure, name) for name in FIGURE_FIELDS] for figure in figures])


def decode(fields_: dict[bytes, bytes] | dict[str, Any]) -> Entry:
    """The entry of a stream message's fields; raises MalformedEntry with a one-line reason."""
    named = {_text(key): value for key, value in fields_.items()}
    raw = named.get(ENTRY_FIELD)
    if raw is None:
        raise MalformedEntry(f"no '{ENTRY_FIELD}' field (fields: {', '.join(named) or 'none'})")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedEntry(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise MalformedEntry(f"not a JSON object but {type(data).__name__}")
    if data.get("v") != FORMAT_VERSION:
        raise MalformedEntry(f"format version {data.get('v')!r}, this writer reads {FORMAT_VERSION}")
    kind = data.get("k")
    if kind not in REQUIRED:
        raise MalformedEntry(f"unknown kind {kind!r}")
    missing = [name for name in REQUIRED[kind] if name not in data]
    if missing:
        raise MalformedEntry(f"{kind} entry without {', '.join(missing)}")
    return Entry(kind, data)


def article_of(entry: Entry) -> tuple[Article, list[Figure]]:
    """The Article and Figures of an article entry; raises MalformedEntry."""
    record, names, rows = entry.data["a"], entry.data["fn"], entry.data["f"]
    if not isinstance(record, dict) or not isinstance(names, list) or not isinstance(rows, list):
        raise MalformedEntry("article entry: 'a' must be an object, 'fn' and 'f' lists")
    try:
        values = {key: value for key, value in record.items() if key in ARTICLE_FIELDS}
        values["sections"] = [tuple(section) for section in values.get("sections") or []]
        article = Article(**values)
        figures = [Figure(**{name: value for name, value in zip(names, row, strict=True) if name in FIGURE_FIELDS})
                   for row in rows]
    except (TypeError, ValueError) as exc:
        raise MalformedEntry(f"article entry: {exc}") from None
    if not isinstance(article.url, str) or not article.url:
        raise MalformedEntry("article entry without a URL")
    return article, figures


def redis_client(url: str) -> Any:
    """A client for ``url`` that fails fast: a node whose Redis is gone stops instead of hanging."""
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                                socket_timeout=REDIS_TIMEOUT_SECONDS)


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
