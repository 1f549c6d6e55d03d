"""The item pipeline: page or API item → extract → tag → store.

Extract + tag (``crawler.extract_worker``) is CPU work that needs no shared state, so on a machine
with more than one core it runs in a process pool and this process only crawls: a page goes to a
worker as the bytes Scrapy received (decoding is the worker's job), the Article and its figures
come back, and the sink (``crawler.sinks``: by default the store writer thread) stores them. The
pool is shared by all spiders of the crawl process, starts when the first spider opens (its
workers load while discovery runs; pages wait for them rather than being extracted here), and is
shut down when the last spider closes (time limit and SIGTERM included: Scrapy closes spiders
after the items in hand).

A page that fails extraction is recorded in the store with its URL and reason
(``record_crawl_error``), never silently dropped, whichever process extracted it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import multiprocessing
import os
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from scrapy.exceptions import DropItem

from crawler.extract_worker import (
    PageFailed,
    extract_and_tag,
    worker_main,
)
from crawler.sinks import ArticleSink, StoreSink, WriterSink, close_all_writers, writes_to_a_file
from crawler.stream_sink import stream_sink
from kernel.errors import StoreUnavailable, WorkerGone
from kernel.records import Article, Figure

logger = logging.getLogger(__name__)

# Pages handed to one worker at a time: one to work on, one waiting in its pipe.
PAGES_PER_WORKER = 2
# Job pipe size: Linux's default 64 KiB is smaller than many article pages; 1 MiB is the
# unprivileged maximum (/proc/sys/fs/pipe-max-size) and holds two typical pages.
JOB_PIPE_BYTES = 1 << 20


def auto_workers(cpu_count: int | None = None) -> int:
    """Workers for ``extract_workers = -1``: every core but the one that runs Scrapy and the store;
    0 (in-process) on a single core, where a pool only adds pickling."""
    cores = cpu_count if cpu_count is not None else (os.cpu_count() or 1)
    return max(0, cores - 1)



@dataclass
class _Worker:
    process: Any
    jobs: Connection  # our sending end of the worker's job pipe
    results: Connection  # our receiving end of its result pipe
    ready: bool = False
    in_flight: dict[int, asyncio.Future] = field(default_factory=dict)


class ExtractPool:
    """Worker processes for ``extract_in_worker``, shared by the pipelines of one crawl process.

    Each worker has a job pipe and a result pipe; results are read by the event loop itself
    (``add_reader``), so the crawl process runs no helper threads (concurrent.futures' pool
    costs three thread hand-offs per page, about 1 ms of the event loop's time on a busy 2-core
    machine). Pages handed over before a worker is ready wait for it; a pool whose worker died
    (``broken``) takes no more work and its callers extract in-process.
    """

    def __init__(self, workers: int, taxonomy_files: list[str], replace: bool) -> None:
        self.workers = workers
        self.taxonomy_files = taxonomy_files
        self.replace = replace
        self.users = 0
        self.started = False
        self.broken = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._workers: list[_Worker] = []
        self._waiting: deque[tuple[asyncio.Future, tuple[Any, ...]]] = deque()
        self._next_job = 0

    def start(self) -> None:
        """Start the workers; call from the running event loop (their results arrive through it)."""
        if self.started:
            return
        self.started = True
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:  # a non-asyncio Twisted reactor (TWISTED_REACTOR): no add_reader to use
            logger.warning("extract pool: no asyncio event loop, extracting in-process")
            self.broken = True
            return
        # spawn: a fork of a process that runs Twisted, SQLite connections and mirror threads is unsafe.
        context = multiprocessing.get_context("spawn")
        logger.info("extract pool: starting %d worker process(es)", self.workers)
        for _ in range(self.workers):
            jobs_out, jobs_in = context.Pipe(duplex=False)
            results_out, results_in = context.Pipe(duplex=False)
            _grow_pipe(jobs_in.fileno())
            process = context.Process(target=worker_main, name="pantau-extract", daemon=True,
                                      args=(jobs_out, results_in, self.taxonomy_files, self.replace))
            process.start()
            jobs_out.close()  # the worker's ends: closing ours lets EOF tell us that it is gone
            results_in.close()
            worker = _Worker(process, jobs_in, results_out)
            self._workers.append(worker)
            self._loop.add_reader(results_out.fileno(), self._on_results, worker)

    def usable(self) -> bool:
        """Whether pages can be handed to the pool (its workers may still be starting)."""
        return self.started and not self.broken and bool(self._workers)

    def ready(self) -> bool:
        """Whether a worker has started and takes pages now."""
        return not self.broken and any(w.ready for w in self._workers)

    async def extract(self, kind: str, url: str, payload: Any,
                      content_type: str | None = None) -> tuple[Article, list[Figure]] | str | None:
        """The worker's ``(Article, [Figure])`` or failure reason, or None when the pool broke
        before the page was handed over (the caller extracts it in-process); raises WorkerGone if
        the worker died with it."""
        assert self._loop is not None
        future = self._loop.create_future()
        self._next_job += 1
        self._waiting.append((future, (self._next_job, kind, url, payload, content_type)))
        self._dispatch()
        return await future

    def _dispatch(self) -> None:
        # Two pages per worker: it starts the next one without waiting for the event loop, and
        # a page (<= the 1 MiB pipe) is written without blocking while it works on the other.
        for worker in self._workers:
            while self._waiting and worker.ready and len(worker.in_flight) < PAGES_PER_WORKER:
                future, job = self._waiting.popleft()
                if future.done():
                    continue
                try:
                    worker.jobs.send(job)
                except OSError:
                    self._waiting.appendleft((future, job))
                    self._worker_gone(worker)
                    return
                worker.in_flight[job[0]] = future

    def _on_results(self, worker: _Worker) -> None:
        try:
            while worker.results.poll():
                job_id, result = worker.results.recv()
                if job_id == "ready":
                    worker.ready = True
                    continue
                if job_id == "log":  # a worker's log line, logged here where logging is set up
                    name, level, message = result
                    logging.getLogger(name).log(level, "%s", message)
                    continue
                future = worker.in_flight.pop(job_id, None)
                if future is not None and not future.done():
                    future.set_result(result)
        except (EOFError, OSError):
            self._worker_gone(worker)
            return
        self._dispatch()

    def _worker_gone(self, worker: _Worker) -> None:
        """A worker exited: its pages fail, pages not handed over go back to in-process."""
        if self._loop is not None:
            self._loop.remove_reader(worker.results.fileno())
        worker.process.join(timeout=0)
        reason = f"extract worker exited (exit code {worker.process.exitcode})"
        if not self.broken:
            logger.warning("%s: extracting in-process from now on", reason)
        self.broken = True
        for future in worker.in_flight.values():
            if not future.done():
                future.set_exception(WorkerGone(reason))
        worker.in_flight.clear()
        for future, _job in self._waiting:
            if not future.done():
                future.set_result(None)
        self._waiting.clear()
        self._close(worker)

    def _close(self, worker: _Worker) -> None:
        for conn in (worker.jobs, worker.results):
            with contextlib.suppress(OSError):
                conn.close()
        if worker in self._workers:
            self._workers.remove(worker)

    def shutdown(self) -> None:
        """Tell the workers to exit and don't wait: every page is done by the time spiders close,
        and a stuck worker must not hold up the end of the crawl (it is a daemon process)."""
        if self._workers:
            logger.info("extract pool: shutting down")
        for worker in list(self._workers):
            if self._loop is not None and not self._loop.is_closed():
                self._loop.remove_reader(worker.results.fileno())
            with contextlib.suppress(OSError):
                worker.jobs.send(None)
            for future in worker.in_flight.values():
                if not future.done():
                    future.set_exception(WorkerGone("extract pool shut down"))
            self._close(worker)
        for future, _job in self._waiting:
            if not future.done():
                future.set_result(None)
        self._waiting.clear()


def _grow_pipe(fd: int) -> None:
    """Make a job pipe hold a whole page, so sending one never waits for the worker (Linux only)."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), JOB_PIPE_BYTES)
    except (ImportError, OSError):
        pass  # another OS, or above the system's pipe limit: sends may briefly wait


# The crawl process's pool, shared by its spiders' pipelines; None when no spider is open.
_shared_pool: ExtractPool | None = None


def attach_pool(workers: int, taxonomy_files: list[str], replace: bool) -> ExtractPool:
    global _shared_pool
    if _shared_pool is None:
        _shared_pool = ExtractPool(workers, taxonomy_files, replace)
    _shared_pool.users += 1
    return _shared_pool


def shutdown_shared_pool() -> None:
    """Stop the pool and drain the store writers if a spider never closed (the reactor was stopped
    hard); a no-op otherwise."""
    global _shared_pool
    close_all_writers()
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


@functools.lru_cache(maxsize=4)
def _taxonomy(files: tuple[str, ...], replace: bool) -> Any:
    """One taxonomy per crawl process, not one per spider (loading it parses TOML and compiles
    every keyword pattern, ~40 ms)."""
    from extract import load_taxonomy

    return load_taxonomy(list(files), replace=replace)


class StorePipeline:
    def __init__(self, crawler: Any = None) -> None:
        self.crawler = crawler
        self._taxonomy_key: tuple[tuple[str, ...], bool] = ((), False)
        self.pool: ExtractPool | None = None
        self.sink: ArticleSink | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        spider = spider or self.crawler.spider
        config = spider.config
        taxonomy = config.taxonomy
        store = spider.store
        # Store writes leave the event loop for the writer thread; an in-memory store (tests) has
        # no file a second connection could open, so it is written in-process.
        # With a frontier the article goes on the shared stream that the store's host writes from.
        self.sink = stream_sink(spider) or (
            WriterSink(store, config.store.busy_timeout_seconds) if writes_to_a_file(store) else StoreSink(store))
        # Loaded only when a page is extracted here (no pool, or it broke): with a pool the crawl
        # process never tags, and compiling the taxonomy's patterns is ~0.1 s of its CPU.
        self._taxonomy_key = (tuple(str(f) for f in taxonomy.files), taxonomy.replace)
        workers = config.crawl.extract_workers
        workers = auto_workers() if workers < 0 else workers
        if workers > 0:
            self.pool = attach_pool(workers, [str(f) for f in taxonomy.files], taxonomy.replace)
            # Now, not at the first page: the workers load (~0.4 s of CPU each) while discovery
            # runs. Outside a running event loop (a test calling open_spider) the first page starts it.
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                pass
            else:
                self.pool.start()

    def close_spider(self, spider: Any = None) -> None:
        if self.sink is not None:
            self.sink.close()
            self.sink = None
        if self.pool is not None:
            detach_pool(self.pool)
            self.pool = None

    async def _extract(self, item: dict[str, Any]) -> tuple[Article, list[Figure]]:
        """(Article, figures) of the item, from the pool when it is up; raises PageFailed."""
        url = item["url"]
        kind = item["kind"]
        payload = item["api_item"] if kind == "api" else item["body"]
        content_type = item.get("content_type")
        pool = self.pool
        if pool is not None:
            if not pool.started:
                pool.start()
            if pool.usable():
                try:
                    result = await pool.extract(kind, url, payload, content_type)
                except WorkerGone as exc:
                    raise PageFailed(f"extraction worker died: {exc}") from None
                if isinstance(result, str):
                    raise PageFailed(result)
                if result is not None:
                    return result
        return extract_and_tag(kind, url, payload, _taxonomy(*self._taxonomy_key), content_type)

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        spider = self.crawler.spider
        url = item["url"]
        if spider.store_failure is not None:
            raise DropItem(f"{url}: not stored: {spider.store_failure}")
        try:
            article, figures = await self._extract(item)
        except PageFailed as exc:
            spider.extraction_failed(url, exc.reason)
            spider.note_error(url, exc.reason)
            raise DropItem(f"{url}: {exc.reason}") from None
        spider.extraction_succeeded()
        try:
            assert self.sink is not None, "process_item before open_spider"
            status = await self.sink.put(article, figures, fetched_at=spider.clock(), crawl_run_id=spider.run_id)
        except StoreUnavailable as exc:
            # Disk full, read-only, locked: every later write fails too. Stop and fail the crawl.
            spider.store_failed(exc)
            raise DropItem(f"{url}: not stored: {exc}") from None
        except Exception as exc:
            spider.note_error(url, f"tagging or storing failed: {type(exc).__name__}: {exc}")
            raise DropItem(f"{url}: {exc}") from None
        if status is not None:  # None: queued for a store writer elsewhere, which counts it
            spider.crawl.bump(status)
        # The item flows on without the page body: memory stays flat over thousands of pages.
        return {"url": url, "status": status, "figures": len(figures)}
