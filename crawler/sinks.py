"""Where the item pipeline hands an extracted article: the seam between crawling and storing.

The pipeline calls ``await sink.put(...)`` once per article and ``sink.close()`` when the spider
closes. What is behind the seam depends on the deployment: the store file in this process
(``StoreSink``), a writer thread that batches commits, or a shared stream that one store writer on
another host consumes. ``put`` returns the record status ("new", "changed", "unchanged") once the
article is durable in the store, or None when it is durable in a queue whose writer stores it later.
``put`` raises ``StoreUnavailable`` when nothing more can be kept (disk full, read-only, locked,
queue gone): the crawl stops and fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from kernel.records import Article, Figure

if TYPE_CHECKING:
    from store import Store


class ArticleSink(Protocol):
    async def put(self, article: Article, figures: Sequence[Figure], *, fetched_at: datetime | str,
                  crawl_run_id: int | None) -> str | None: ...

    def close(self) -> None: ...


class StoreSink:
    """Write each article to the spider's store at once, in the crawl process (one transaction each)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def put(self, article: Article, figures: Sequence[Figure], *, fetched_at: datetime | str,
                  crawl_run_id: int | None) -> str | None:
        return self.store.record_article(article, figures, fetched_at=fetched_at,
                                         crawl_run_id=crawl_run_id).status

    def close(self) -> None:
        pass
