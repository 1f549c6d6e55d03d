"""``StoreWriter``: one thread that owns a store connection and writes articles in batches.

The crawl's event loop must not wait for SQLite: ``record_article`` and its commit were a third
of the crawl process's time. Callers ``submit`` an article and get a ``concurrent.futures.Future``
that completes with the ``RecordResult`` only once the batch holding it is committed, so nothing
is acknowledged (counted, passed on, taken off a stream) before it is durable.

Guarantees, as with one transaction per article:

* An article is stored with all its figures and findings, or not at all: each article runs in its
  own savepoint inside the batch's transaction (``record_article``'s nested ``Store.transaction``),
  so an article that fails rolls back alone and the others of its batch are still committed.
* ``StoreUnavailable`` (disk full, read-only, locked, I/O error) fails the whole batch, every
  article queued behind it and every later ``submit``: nothing more can be kept, the crawl stops,
  the next crawl fetches what was not stored.

The writer is plain Python (no Scrapy, no asyncio): the crawl's ``WriterSink`` awaits its futures,
and a stream consumer on another host can feed the same class.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from kernel.errors import StoreUnavailable
from kernel.records import Article, Figure
from store.models import RecordResult

if TYPE_CHECKING:
    from store.core import Store

logger = logging.getLogger(__name__)

# A batch's transaction ends when nobody else is waiting (the queue ran dry: a lone article is
# committed at once, as before the writer existed), or at one of these bounds under load:
# Articles per transaction: one commit costs about as much as writing one article, so 64 make it
# ~2 % of the writing; a batch is also what a failing disk loses (re-fetched by the next crawl).
BATCH_ARTICLES = 64
# Longest a batch holds the write lock: the spider's own writes (crawl errors, feed state) and
# other processes wait at most this long for it, and readers see an article within it.
BATCH_SECONDS = 0.05
# How long close() waits for the thread to write what is queued: a batch takes well under a second;
# the store's busy timeout (a locked file) is the only longer wait and fails the batch on its own.
CLOSE_TIMEOUT_SECONDS = 300.0


@dataclass
class _Job:
    article: Article
    figures: Sequence[Figure]
    fetched_at: datetime | str | None
    crawl_run_id: int | None
    future: Future[RecordResult] = field(default_factory=Future)


_STOP = object()


class StoreWriter:
    """The single writer of a store file in this process. ``open_store`` runs in the writer's thread
    (an SQLite connection belongs to the thread that made it); ``Store.open`` of the same file as
    the caller's store is the usual one (WAL: the caller's connection keeps reading meanwhile)."""

    def __init__(self, open_store: Callable[[], Store], *, batch_articles: int = BATCH_ARTICLES,
                 batch_seconds: float = BATCH_SECONDS, name: str = "pantau-store-writer") -> None:
        self.batch_articles = max(1, batch_articles)
        self.batch_seconds = batch_seconds
        self._open_store = open_store
        self._queue: queue.SimpleQueue[_Job | object] = queue.SimpleQueue()
        self._closed = False
        self._lock = threading.Lock()
        # Set once the store can take no more (StoreUnavailable, or it could not be opened).
        self.failure: BaseException | None = None
        self.batches = 0
        self.articles = 0
        # CPU seconds the writer thread used (time.thread_time), for benches that split the process's time.
        self.cpu_seconds = 0.0
        self._started_cpu = 0.0
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, article: Article, figures: Sequence[Figure], *, fetched_at: datetime | str | None = None,
               crawl_run_id: int | None = None) -> Future[RecordResult]:
        """Queue an article; the future completes with its ``RecordResult`` once it is committed, or
        with the exception that kept it out of the store (``StoreUnavailable`` for the batch)."""
        job = _Job(article, figures, fetched_at, crawl_run_id)
        with self._lock:
            if self._closed:
                raise RuntimeError("store writer is closed")
            self._queue.put(job)
        return job.future

    def close(self, timeout: float = CLOSE_TIMEOUT_SECONDS) -> None:
        """Write everything queued, commit, close the writer's connection; later submits fail."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._queue.put(_STOP)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)
            if self._thread.is_alive():
                logger.error("store writer: still writing after %.0f s; giving up on it", timeout)

    # -- the writer thread ----------------------------------------------------------------------

    def _run(self) -> None:
        self._started_cpu = time.thread_time()
        store: Store | None = None
        try:
            store = self._open_store()
        except BaseException as exc:  # its callers get it as the reason their articles were not kept
            self.failure = exc
        try:
            self._write_batches(store)
        finally:
            self.cpu_seconds = time.thread_time() - self._started_cpu
            if store is not None:
                try:
                    store.close()
                except sqlite3.Error as exc:
                    logger.warning("store writer: closing its connection failed: %s", exc)

    def _write_batches(self, store: Store | None) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            assert isinstance(first, _Job)
            stopping = self._write(store, first)
            self.cpu_seconds = time.thread_time() - self._started_cpu
            if stopping:
                return

    def _write(self, store: Store | None, first: _Job) -> bool:
        """Write ``first`` and the jobs queued behind it in one transaction, one savepoint each;
        complete their futures once it is committed. True when the stop mark came."""
        batch = [first]
        if self.failure is not None or store is None:
            self._fail(batch, self.failure or RuntimeError("store writer has no store"))
            return False
        stopping = False
        outcomes: list[tuple[_Job, RecordResult | None, BaseException | None]] = []
        try:
            with store.transaction() as conn:
                deadline = time.monotonic() + self.batch_seconds
                job: _Job | None = first
                while job is not None:
                    try:
                        result = store.record_article(job.article, job.figures, fetched_at=job.fetched_at,
                                                      crawl_run_id=job.crawl_run_id)
                    except (sqlite3.Error, StoreUnavailable) as exc:
                        if _ends_batch(exc, store, conn):
                            raise _as_unavailable(exc, store) from None
                        outcomes.append((job, None, exc))
                    except Exception as exc:  # a bug or bad data in this article: it alone is not stored
                        if not conn.in_transaction:
                            raise
                        outcomes.append((job, None, exc))
                    else:
                        outcomes.append((job, result, None))
                    job = None
                    if len(batch) < self.batch_articles and time.monotonic() < deadline:
                        try:
                            queued = self._queue.get_nowait()
                        except queue.Empty:
                            break
                        if queued is _STOP:
                            stopping = True
                        else:
                            assert isinstance(queued, _Job)
                            job = queued
                            batch.append(job)
        except StoreUnavailable as exc:
            self.failure = exc
            logger.error("store writer: %s", exc)
            self._fail(batch, exc)
            return stopping
        except Exception as exc:  # the batch's commit failed some other way: none of it is stored
            self._fail(batch, exc)
            return stopping
        self.batches += 1
        for done, stored, error in outcomes:
            if stored is not None:
                self.articles += 1
                done.future.set_result(stored)
            else:
                done.future.set_exception(error or RuntimeError("article not stored"))
        return stopping

    @staticmethod
    def _fail(batch: list[_Job], exc: BaseException) -> None:
        for job in batch:
            if not job.future.done():
                job.future.set_exception(exc)


def _as_unavailable(exc: BaseException, store: Store) -> BaseException:
    from store.core import unavailable

    if isinstance(exc, sqlite3.Error):
        return unavailable(exc, store.path) or exc
    return exc


def _ends_batch(exc: BaseException, store: Store, conn: sqlite3.Connection) -> bool:
    """Whether an article's SQLite error fails its whole batch: the file can't be used (full,
    read-only, locked), or SQLite already ended the transaction (it does so on a full disk)."""
    from store.core import unavailable

    if isinstance(exc, StoreUnavailable) or not conn.in_transaction:
        return True
    return isinstance(exc, sqlite3.Error) and unavailable(exc, store.path) is not None
