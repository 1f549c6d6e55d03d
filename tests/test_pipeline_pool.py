"""The item pipeline's extract pool: same results as in-process, errors recorded with the URL,
a dead worker costs one page and not the crawl, the pool starts with the crawl and pages wait
for its workers instead of being extracted in the crawl process; pages travel as bytes."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.exceptions import DropItem

from crawler import extract_worker, pipelines
from crawler.extract_worker import (
    PageFailed,
    extract_and_tag,
    extract_in_worker,
    page_text,
)
from crawler.pipelines import ExtractPool, StorePipeline, auto_workers
from extract import extract_article, load_taxonomy, tag_text
from mirror.corpus import load_corpus
from mirror.render import render_article
from pantau_config import ConfigError, config_from_dict

PUBLISHED = datetime(2026, 11, 24, 10, 20, tzinfo=timezone(timedelta(hours=7)))
# How long a spawned worker may take to import extract on a busy 2-core machine (not a speed test).
WORKER_START_SECONDS = 60.0


def html_pages(count: int) -> list[tuple[str, bytes]]:
    articles = [a for a in load_corpus() if a.site != "komdigi"][:count]
    return [(a.url, render_article(a.view(1, PUBLISHED)).encode("utf-8")) for a in articles]


class FakeSpider:
    """What the pipeline uses of a ProfileSpider: config, store, run id, note_error, counters."""

    def __init__(self, tmp_path: Any, workers: int) -> None:
        from crawler.state import CrawlState
        from store import Store

        self.config = config_from_dict({"crawl": {"extract_workers": workers}})
        self.store = Store.open(tmp_path / "pool.db")
        self.run_id = self.store.start_crawl_run("detik")
        self.crawl = CrawlState("detik")
        self.errors: list[tuple[str, str]] = []
        self.store_failure: Any = None
        self.extraction_streak = 0

    def clock(self) -> datetime:
        return datetime.now(UTC)

    def note_error(self, url: str, reason: str) -> None:
        self.errors.append((url, reason))
        self.store.record_crawl_error(self.run_id, url, reason)

    def extraction_failed(self, url: str, reason: str) -> None:
        self.extraction_streak += 1

    def extraction_succeeded(self) -> None:
        self.extraction_streak = 0

    def store_failed(self, exc: Any) -> None:
        self.store_failure = exc


def pipeline_for(spider: FakeSpider) -> StorePipeline:
    pipeline = StorePipeline(SimpleNamespace(spider=spider))
    pipeline.open_spider()
    return pipeline


async def start_pool(pool: ExtractPool) -> None:
    pool.start()
    deadline = time.monotonic() + WORKER_START_SECONDS
    while not pool.ready():
        assert not pool.broken, "the pool's worker failed to start"
        assert time.monotonic() < deadline, "the pool's worker did not start"
        await asyncio.sleep(0.05)


async def run_items(pipeline: StorePipeline, items: list[dict[str, Any]]) -> list[Any]:
    async def one(item: dict[str, Any]) -> Any:
        try:
            return await pipeline.process_item(item)
        except DropItem as exc:
            return exc
    return await asyncio.gather(*(one(item) for item in items))


def test_auto_workers_leaves_one_core_to_the_crawl():
    assert auto_workers(1) == 0
    assert auto_workers(2) == 1
    assert auto_workers(8) == 7


def test_extract_workers_below_minus_one_is_a_config_error():
    assert config_from_dict({"crawl": {"extract_workers": 0}}).crawl.extract_workers == 0
    with pytest.raises(ConfigError, match="extract_workers"):
        config_from_dict({"crawl": {"extract_workers": -2}})


def test_worker_result_is_the_in_process_extraction_and_survives_pickling(monkeypatch):
    import pickle

    taxonomy = load_taxonomy()
    monkeypatch.setattr(extract_worker, "_worker_taxonomy", taxonomy)
    for url, page in html_pages(3):
        result = extract_in_worker("page", url, page, "text/html; charset=utf-8")
        assert not isinstance(result, str)
        article, figures = pickle.loads(pickle.dumps(result))  # what the pipe does to it
        expected = extract_article(page, url)
        assert article == expected
        assert figures == tag_text(expected.text, taxonomy)


def test_the_worker_decodes_page_bytes_by_their_content_type():
    text = "<html><body><p>Rp 5 miliar untuk desa digital — kata menteri</p></body></html>"
    assert page_text(text.encode("cp1252"), "text/html; charset=windows-1252", "https://x.test/a") == text
    assert page_text(text.encode("utf-8"), None, "https://x.test/a") == text
    assert page_text(text, None, "https://x.test/a") == text  # already text: as it is


def test_bad_page_gives_the_reason_the_crawl_records(monkeypatch):
    monkeypatch.setattr(extract_worker, "_worker_taxonomy", load_taxonomy())
    result = extract_in_worker("page", "https://inet.detik.com/x/d-1/kosong", b"")
    assert isinstance(result, str) and result.startswith("extraction failed:")
    with pytest.raises(PageFailed, match="extraction failed"):
        extract_and_tag("page", "https://inet.detik.com/x/d-1/kosong", b"", load_taxonomy())


def test_pages_wait_for_the_starting_pool_instead_of_being_extracted_in_the_crawl_process(tmp_path, monkeypatch):
    in_process: list[str] = []
    monkeypatch.setattr(pipelines, "extract_and_tag", lambda kind, url, *rest: in_process.append(url))
    spider = FakeSpider(tmp_path, workers=1)
    pipeline = pipeline_for(spider)
    try:
        pages = html_pages(3)
        results = asyncio.run(run_items(pipeline, [{"url": u, "kind": "page", "body": b} for u, b in pages]))
        assert [r["status"] for r in results] == ["new"] * 3
        assert pipeline.pool is not None and pipeline.pool.started and in_process == []
    finally:
        pipeline.close_spider()
    assert pipelines._shared_pool is None


def test_the_pool_starts_when_the_spider_opens_in_the_event_loop(tmp_path):
    spider = FakeSpider(tmp_path, workers=1)

    async def open_and_look() -> bool:
        pipeline = pipeline_for(spider)
        try:
            return pipeline.pool is not None and pipeline.pool.started
        finally:
            pipeline.close_spider()

    assert asyncio.run(open_and_look())


def test_pool_stores_the_same_as_in_process_and_records_errors(tmp_path):
    pages = html_pages(4)
    items = [{"url": u, "kind": "page", "body": b} for u, b in pages]
    broken = {"url": "https://inet.detik.com/berita/d-999/rusak", "kind": "page", "body": b""}

    in_process = FakeSpider(tmp_path / "a", workers=0)
    pipeline = pipeline_for(in_process)
    assert pipeline.pool is None
    expected = asyncio.run(run_items(pipeline, [*items, broken]))
    pipeline.close_spider()

    pooled = FakeSpider(tmp_path / "b", workers=1)
    pipeline = pipeline_for(pooled)
    async def crawl() -> list[Any]:
        await start_pool(pipeline.pool)
        return await run_items(pipeline, [*items, broken])

    try:
        got = asyncio.run(crawl())
    finally:
        pipeline.close_spider()
    assert pipelines._shared_pool is None
    assert [r for r in got if isinstance(r, dict)] == [r for r in expected if isinstance(r, dict)]
    assert isinstance(got[-1], DropItem)
    assert pooled.errors == in_process.errors
    assert pooled.errors[0][0] == broken["url"] and pooled.errors[0][1].startswith("extraction failed:")
    query = "select url, content_hash, version from articles order by url"
    assert list(pooled.store.db.execute(query).fetchall()) == list(in_process.store.db.execute(query).fetchall())
    query = "select metric, value, unit, first_figure_id is not null from figures order by url, start"
    assert list(pooled.store.db.execute(query).fetchall()) == list(in_process.store.db.execute(query).fetchall())


def test_a_dead_worker_costs_one_page_then_extraction_goes_in_process(tmp_path):
    spider = FakeSpider(tmp_path, workers=1)
    pipeline = pipeline_for(spider)
    pages = html_pages(2)
    pool = pipeline.pool

    async def crawl() -> tuple[list[Any], list[Any]]:
        await start_pool(pool)
        for worker in pool._workers:
            os.kill(worker.process.pid, signal.SIGSTOP)  # holds the page until it is killed
        first = asyncio.ensure_future(run_items(pipeline, [{"url": pages[0][0], "kind": "page",
                                                            "body": pages[0][1]}]))
        await asyncio.sleep(0.2)
        for worker in pool._workers:
            os.kill(worker.process.pid, signal.SIGKILL)
        first_result = await first
        second = await run_items(pipeline, [{"url": pages[1][0], "kind": "page", "body": pages[1][1]}])
        return first_result, second

    try:
        first, second = asyncio.run(crawl())
    finally:
        pipeline.close_spider()
    assert isinstance(first[0], DropItem)
    assert spider.errors[0][0] == pages[0][0]
    assert spider.errors[0][1].startswith("extraction worker died")
    assert pool.broken
    assert second[0]["status"] == "new"
    reasons = [r for (r,) in spider.store.db.execute("select reason from crawl_errors").fetchall()]
    assert len(reasons) == 1 and reasons[0].startswith("extraction worker died")


def test_pool_started_outside_an_event_loop_stays_in_process():
    pool = ExtractPool(1, [], False)
    pool.start()  # no running asyncio loop: nothing to read results with
    assert pool.broken and not pool.usable()
    pool.shutdown()


def test_worker_loop_answers_jobs_until_told_to_stop(monkeypatch):
    """worker_main's protocol, run in this process over real pipes."""
    import multiprocessing

    monkeypatch.setattr(extract_worker, "init_worker", lambda files, replace: setattr(
        extract_worker, "_worker_taxonomy", load_taxonomy()))
    jobs_out, jobs_in = multiprocessing.Pipe(duplex=False)
    results_out, results_in = multiprocessing.Pipe(duplex=False)
    (url, page), = html_pages(1)
    jobs_in.send((1, "page", url, page, "text/html"))
    jobs_in.send((2, "page", url, b"", None))
    jobs_in.send(None)
    extract_worker.worker_main(jobs_out, results_in, [], False)
    assert results_out.recv() == ("ready", None)
    job_id, result = results_out.recv()
    assert job_id == 1 and result[0].url == url
    job_id, result = results_out.recv()
    assert job_id == 2 and result.startswith("extraction failed:")


def test_mojibake_repair_line_is_carried_back_from_the_worker():
    """Regression: the repair line was logged in the spawned worker, where logging is not set up."""
    from multiprocessing import Pipe

    ours, theirs = Pipe()
    handler = extract_worker._PipeLogHandler(theirs)
    extract_worker.logger.addHandler(handler)
    level = extract_worker.logger.level
    extract_worker.logger.setLevel(logging.INFO)
    try:
        page_text("Harga Rp 5\u20137 juta".encode("utf-8").decode("cp1252").encode("utf-8"),
                  "text/html; charset=utf-8", "https://x.test/a")
    finally:
        extract_worker.logger.removeHandler(handler)
        extract_worker.logger.setLevel(level)
    kind, (name, levelno, message) = ours.recv()
    assert (kind, name, levelno) == ("log", "crawler.extract_worker", logging.INFO)
    assert "https://x.test/a" in message and "repaired" in message


def test_a_workers_log_line_is_logged_in_the_crawl_process_under_its_name(tmp_path, caplog):
    """The pool's side of the log pipe: a real worker repairs a double-encoded page, and the repair
    line arrives in the crawl process, logged by the worker's logger name, while the page is stored."""
    url, body = html_pages(1)[0]
    mojibake = body.decode("utf-8").replace("</p>", " Harga Rp 5\u20137 juta.</p>", 1).encode("utf-8") \
        .decode("cp1252", errors="ignore").encode("utf-8")
    spider = FakeSpider(tmp_path, workers=1)
    pipeline = pipeline_for(spider)

    async def crawl() -> list[Any]:
        await start_pool(pipeline.pool)
        return await run_items(pipeline, [{"url": url, "kind": "page", "body": mojibake,
                                           "content_type": "text/html; charset=utf-8"}])

    caplog.set_level(logging.INFO, logger="crawler.extract_worker")
    try:
        [result] = asyncio.run(crawl())
    finally:
        pipeline.close_spider()
    assert isinstance(result, dict) and result["status"] == "new", result
    lines = [r for r in caplog.records if r.name == "crawler.extract_worker"]
    assert lines and lines[0].levelno == logging.INFO
    assert url in lines[0].getMessage() and "repaired" in lines[0].getMessage()
