"""Where the item pipeline hands an extracted article: the seam between crawling and storing.

The pipeline calls ``await sink.put(...)`` once per article and ``sink.close()`` when the spider
closes. What is behind the seam depends on the deployment: the store file in this process
(``StoreSink``), a writer thread that batches commits, or a shared stream that one store writer on
another host consumes; ``WriterSink`` (``store.writer``) is the default. ``put`` returns the record status ("new", "changed", "unchanged") once the
article is durable in the store, or None when it is durable in a queue whose writer stores it later.
``put`` raises ``StoreUnavailable`` when nothing more can be kept (disk full, read-only, locked,
queue gone): the crawl stops and fails.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kernel.records import Article, Figure

if TYPE_CHECKING:
    from store import Store
    from store.writer import StoreWriter


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


class WriterSink:
    """Hand each article to the crawl process's store writer thread (``store.writer``) and wait,
    without blocking the event loop, until its batch is committed. The spiders of one crawl
    process share one writer per store file: one writer per file, never two fighting for its lock."""

    def __init__(self, store: Store, busy_timeout: float) -> None:
        self.path = Path(store.path).resolve()
        self.writer = _attach_writer(self.path, store, busy_timeout)
        self._closed = False

    async def put(self, article: Article, figures: Sequence[Figure], *, fetched_at: datetime | str,
                  crawl_run_id: int | None) -> str | None:
        # wrap_future completes the asyncio future from the writer thread with call_soon_threadsafe.
        result = await asyncio.wrap_future(self.writer.submit(article, figures, fetched_at=fetched_at,
                                                              crawl_run_id=crawl_run_id))
        return result.status

    def close(self) -> None:
        """Wait until everything this process queued is committed when the last spider closes (the
        spider then finishes its crawl run, which must come after its articles)."""
        if not self._closed:
            self._closed = True
            _detach_writer(self.path)


def writes_to_a_file(store: Store) -> bool:
    """Whether a writer thread can open its own connection to ``store`` (not an in-memory one)."""
    return str(store.path) not in ("", ":memory:")


# store file -> (its writer, the sinks using it), shared by the spiders of this crawl process.
_writers: dict[Path, tuple[StoreWriter, int]] = {}
_writers_lock = threading.Lock()


def _attach_writer(path: Path, store: Store, busy_timeout: float) -> StoreWriter:
    from store import Store as StoreClass
    from store.writer import StoreWriter

    taxonomy = store.taxonomy
    with _writers_lock:
        if path in _writers:
            writer, users = _writers[path]
            _writers[path] = (writer, users + 1)
            return writer
        writer = StoreWriter(lambda: StoreClass.open(path, taxonomy=taxonomy, busy_timeout=busy_timeout))
        _writers[path] = (writer, 1)
        return writer


def _detach_writer(path: Path) -> None:
    with _writers_lock:
        writer, users = _writers[path]
        if users > 1:
            _writers[path] = (writer, users - 1)
            return
        del _writers[path]
    writer.close()


def close_all_writers() -> None:
    """Drain and stop every writer (a crawl whose spiders never closed: the reactor stopped hard)."""
    with _writers_lock:
        writers = [writer for writer, _users in _writers.values()]
        _writers.clear()
    for writer in writers:
        writer.close()
