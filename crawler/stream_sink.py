"""``RedisStreamSink``: with ``[crawl] frontier`` set, the item pipeline's articles go on the store
stream (``kernel.store_stream``) for ``pantau store-writer`` to commit.

``put`` returns None once the XADD is answered, which means Redis holds the entry: with
``appendonly yes`` (and ``appendfsync everysec``, Redis's default with AOF) a Redis crash loses
at most the last second of entries, a clean restart none (docs/scaling.md). An article whose entry
would pass ``MAX_ENTRY_BYTES`` fails with one line (recorded as a crawl error, like any page that
cannot be stored); a Redis that does not answer is ``StoreUnavailable`` and stops the crawl.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from crawler.stream_store import StreamStore
from kernel.records import Article, Figure


class RedisStreamSink:
    """XADD each article (text, metadata, figures, fetch time, crawl run) to the store stream."""

    def __init__(self, stream: StreamStore, crawl: Any = None) -> None:
        self.stream = stream
        # The spider's CrawlState: "queued" counts the articles handed on (their new / changed /
        # unchanged status is the writer's to judge, and it fills them into the crawl run).
        self.crawl = crawl

    async def put(self, article: Article, figures: Sequence[Figure], *, fetched_at: datetime | str,
                  crawl_run_id: int | None) -> str | None:
        # A blocking XADD (~0.1 ms on loopback, one LAN round trip elsewhere) is cheaper than the
        # thread hand-off an async client would add per article, at a few articles per second.
        self.stream.put_article(article, figures, fetched_at=fetched_at, crawl_run_id=crawl_run_id)
        if self.crawl is not None:
            self.crawl.counts["queued"] = self.crawl.counts.get("queued", 0) + 1
        return None

    def close(self) -> None:
        pass  # the spider's StreamStore owns the connection


def stream_sink(spider: Any) -> RedisStreamSink | None:
    """The pipeline's sink when ``spider`` crawls into the store stream ([crawl] frontier), else
    None: the pipeline then writes the store file as it does without a frontier."""
    if isinstance(spider.store, StreamStore):
        return RedisStreamSink(spider.store, getattr(spider, "crawl", None))
    return None
