"""The item pipeline: page or API item → extract → tag → store.

Extract + tag (``crawler.extract_worker``) is CPU work that needs no shared state, so on a machine
with more than one core it runs in a process pool while this process keeps Scrapy and the store
busy; store writes stay here (one writer per store file). The pool is shared by all spiders of the
crawl process, starts only once a crawl is big enough to pay for it, and is shut down when the last
spider closes (time limit and SIGTERM included: Scrapy closes spiders after the items in hand).

A page that fails extraction is recorded in the store with its URL and reason
(``record_crawl_error``), never silently dropped, whichever process extracted it.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scrapy.exceptions import DropItem

from crawler import state as st
from crawler.extract_worker import (PageFailed, article_from_fields, extract_and_tag, extract_in_worker,
                                    init_worker, warm_up)

logger = logging.getLogger(__name__)

# Items the crawl process extracts itself before it starts the pool: a worker costs ~0.4 s of CPU
# to start (Python + lxml + trafilatura + taxonomy) and one page ~2.5 ms to extract, so a re-crawl
# of a few dozen pages is done before a pool would be ready; past this count a crawl is usually
# hundreds of pages long.
POOL_START_AFTER_ITEMS = 64


def auto_workers(cpu_count: int | None = None) -> int:
    """Workers for ``extract_workers = -1``: every core but the one that runs Scrapy and the store;
    0 (in-process) on a single core, where a pool only adds pickling."""
    cores = cpu_count if cpu_count is not None else (os.cpu_count() or 1)
    return max(0, cores - 1)


class ExtractPool:
    """A process pool for ``extract_in_worker``, shared by the pipelines of one crawl process.

    Until the pool has started and a worker has answered, ``ready`` is False and callers extract
    in-process; a pool whose worker died (``broken``) is never used again.
    """

    def __init__(self, workers: int, taxonomy_files: list[str], replace: bool) -> None:
        self.workers = workers
        self.taxonomy_files = taxonomy_files
        self.replace = replace
        self.users = 0
        self.items_seen = 0
        self.executor: ProcessPoolExecutor | None = None
        self.ready = False
        self.broken = False

    def note_item(self) -> None:
        """Count an item; start the pool (in the background) once the crawl is big enough."""
        self.items_seen += 1
        if self.executor is None and not self.broken and self.workers > 0 \
                and self.items_seen >= POOL_START_AFTER_ITEMS:
            self.start()

    def start(self) -> None:
        # spawn: a fork of a process that runs Twisted, SQLite connections and mirror threads is unsafe.
        context = multiprocessing.get_context("spawn")
        self.executor = ProcessPoolExecutor(self.workers, mp_context=context, initializer=init_worker,
                                            initargs=(self.taxonomy_files, self.replace))
        logger.info("extract pool: starting %d worker process(es)", self.workers)
        for _ in range(self.workers):
            self.executor.submit(warm_up).add_done_callback(self._warmed)

    def _warmed(self, future: Future) -> None:
        # Runs in the executor's manager thread: only flips flags.
        if future.cancelled() or future.exception() is not None:
            self.broken = True
            logger.warning("extract pool: a worker failed to start (%s); extracting in-process",
                           future.exception() if not future.cancelled() else "cancelled")
        else:
            self.ready = True

    def usable(self) -> bool:
        return self.ready and not self.broken and self.executor is not None

    async def extract(self, kind: str, url: str, payload: Any) -> dict[str, Any]:
        assert self.executor is not None
        return await asyncio.wrap_future(self.executor.submit(extract_in_worker, kind, url, payload))

    def shutdown(self) -> None:
        """Stop the workers without waiting: every item is done by the time spiders close, and a
        stuck worker must not hold up the end of the crawl."""
        if self.executor is not None:
            logger.info("extract pool: shutting down")
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None
        self.ready = False


# The crawl process's pool, shared by its spiders' pipelines; None when no spider is open.
_shared_pool: ExtractPool | None = None


def attach_pool(workers: int, taxonomy_files: list[str], replace: bool) -> ExtractPool:
    global _shared_pool
    if _shared_pool is None:
        _shared_pool = ExtractPool(workers, taxonomy_files, replace)
    _shared_pool.users += 1
    return _shared_pool


def shutdown_shared_pool() -> None:
    """Stop the pool if a spider never closed (the reactor was stopped hard); a no-op otherwise."""
    global _shared_pool
    if _shared_pool is not None:
        _shared_pool.shutdown()
        _shared_pool = None


def detach_pool(pool: ExtractPool) -> None:
    global _shared_pool
    pool.users -= 1
    if pool.users <= 0:
        pool.shutdown()
        if _shared_pool is pool:
            _shared_pool = None


class StorePipeline:
    def __init__(self, crawler: Any = None) -> None:
        self.crawler = crawler
        self.taxonomy: Any = None
        self.pool: ExtractPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> "StorePipeline":
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        from extract import load_taxonomy

        spider = spider or self.crawler.spider
        config = spider.config
        taxonomy = config.taxonomy
        self.taxonomy = load_taxonomy(taxonomy.files, replace=taxonomy.replace)
        workers = config.crawl.extract_workers
        workers = auto_workers() if workers < 0 else workers
        if workers > 0:
            self.pool = attach_pool(workers, [str(f) for f in taxonomy.files], taxonomy.replace)

    def close_spider(self, spider: Any = None) -> None:
        if self.pool is not None:
            detach_pool(self.pool)
            self.pool = None

    async def _extract(self, item: dict[str, Any]) -> tuple[Any, list[Any]]:
        """(Article, figures) of the item, from the pool when it is up; raises PageFailed."""
        url = item["url"]
        kind = item["kind"]
        payload = item["api_item"] if kind == "api" else item["body"]
        pool = self.pool
        if pool is not None:
            pool.note_item()
            if pool.usable():
                try:
                    result = await pool.extract(kind, url, payload)
                except BrokenProcessPool as exc:
                    pool.broken = True
                    logger.warning("extract pool broke (%s): extracting in-process from now on", exc)
                    raise PageFailed(f"extraction worker died: {exc or 'BrokenProcessPool'}") from None
                if "error" in result:
                    raise PageFailed(result["error"])
                # Figure records (dicts) are what record_article stores; no Figure objects needed.
                return article_from_fields(result["article"]), result["figures"]
        return extract_and_tag(kind, url, payload, self.taxonomy)

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        spider = self.crawler.spider
        url = item["url"]
        try:
            article, figures = await self._extract(item)
        except PageFailed as exc:
            spider.note_error(url, exc.reason)
            raise DropItem(f"{url}: {exc.reason}") from None
        try:
            result = spider.store.record_article(article, figures, fetched_at=st.iso(st.now_utc()),
                                                 crawl_run_id=spider.run_id)
        except Exception as exc:
            spider.note_error(url, f"tagging or storing failed: {type(exc).__name__}: {exc}")
            raise DropItem(f"{url}: {exc}") from None
        spider.crawl.bump(result.status)
        # The item flows on without the page body: memory stays flat over thousands of pages.
        return {"url": url, "status": result.status, "version": result.version, "figures": len(figures)}
