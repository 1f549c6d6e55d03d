"""store.writer: one writer thread, batched commits, and the guarantees of one transaction per
article (all of an article or nothing, nothing acknowledged before it is durable, a store that
can't be written fails the batch and everything after it)."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
import threading
from concurrent.futures import Future
from pathlib import Path

import pytest
from test_store_support import article, figure

from crawler.sinks import WriterSink, _writers
from kernel.errors import StoreUnavailable
from store import Store
from store.writer import StoreWriter

TEXT = "Sebanyak 14 ribu desa yang belum terkoneksi internet akan dipercepat, kata menteri."
# How long a test waits for a future (the writer is quick; this only keeps a broken test from hanging).
WAIT_SECONDS = 30.0


def url(n: int) -> str:
    return f"https://www.liputan6.com/tekno/read/{5000000 + n}/akses-internet-desa-{n}"


def village_figure(text: str = TEXT):
    return figure(text, "14 ribu desa", 14_000, metric="villages_unconnected", unit="desa")


def writer_for(path: Path, gate: threading.Event | None = None, **kwargs) -> StoreWriter:
    """A writer of the store at ``path``; with ``gate``, it starts writing once the gate is set (so
    a test queues its articles first and the batches are what it expects)."""
    Store.open(path).close()

    def open_store() -> Store:
        if gate is not None:
            gate.wait(WAIT_SECONDS)
        return Store.open(path, busy_timeout=0.2)

    return StoreWriter(open_store, **kwargs)


def stored_urls(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {u for (u,) in conn.execute("select url from articles")}


def test_submitted_articles_are_committed_in_batches_and_durable_when_their_future_completes(tmp_path):
    path = tmp_path / "pantau.db"
    gate = threading.Event()
    # batch_seconds long: a batch ends when it is full or the queue is empty, never by the clock here.
    writer = writer_for(path, gate, batch_articles=4, batch_seconds=60.0)
    futures = [writer.submit(article(url(n), TEXT), [village_figure()]) for n in range(10)]
    gate.set()
    first = futures[0].result(WAIT_SECONDS)
    assert first.status == "new"
    assert url(0) in stored_urls(path)  # another connection sees it: committed, not only written
    writer.close()
    assert [f.result(0).status for f in futures] == ["new"] * 10
    # 4 + 4 + 2: full batches, then the queue ran dry
    assert writer.batches == 3 and writer.articles == 10
    assert stored_urls(path) == {url(n) for n in range(10)}


def test_a_failing_article_rolls_back_alone_and_the_rest_of_its_batch_is_stored(tmp_path):
    path = tmp_path / "pantau.db"
    gate = threading.Event()
    writer = writer_for(path, gate, batch_articles=8, batch_seconds=60.0)
    unbindable = dataclasses.replace(village_figure(), start={"not": "bindable"})  # fails at its figure insert
    good = [writer.submit(article(url(n), TEXT), [village_figure()]) for n in range(3)]
    bad = writer.submit(article(url(99), TEXT), [village_figure(), unbindable])
    later = writer.submit(article(url(3), TEXT), [village_figure()])
    gate.set()
    writer.close()
    with pytest.raises(sqlite3.Error):
        bad.result(0)
    assert [f.result(0).status for f in [*good, later]] == ["new"] * 4
    assert writer.failure is None and writer.batches == 1
    assert stored_urls(path) == {url(n) for n in range(4)}
    with sqlite3.connect(path) as conn:  # nothing of the failed article: no row, no figure
        assert conn.execute("select count(*) from figures").fetchone()[0] == 4


def test_a_locked_store_fails_the_batch_and_every_later_article(tmp_path):
    path = tmp_path / "pantau.db"
    gate = threading.Event()
    writer = writer_for(path, gate, batch_articles=2, batch_seconds=60.0)
    holder = sqlite3.connect(path)
    holder.execute("begin immediate")  # another process holds the write lock
    try:
        first = [writer.submit(article(url(n), TEXT), [village_figure()]) for n in range(2)]
        gate.set()
        with pytest.raises(StoreUnavailable, match="locked"):
            first[0].result(WAIT_SECONDS)
        with pytest.raises(StoreUnavailable):
            first[1].result(WAIT_SECONDS)
    finally:
        holder.rollback()
        holder.close()
    after = writer.submit(article(url(5), TEXT), [village_figure()])
    writer.close()
    with pytest.raises(StoreUnavailable):  # the lock is gone, but the crawl already stops: no half crawl
        after.result(0)
    assert stored_urls(path) == set()


def test_a_store_that_cannot_be_opened_fails_each_article_with_the_reason(tmp_path):
    def refuse() -> Store:
        raise StoreUnavailable(tmp_path / "pantau.db", "the file or its folder is read-only")

    writer = StoreWriter(refuse)
    future = writer.submit(article(url(1), TEXT), [village_figure()])
    writer.close()
    with pytest.raises(StoreUnavailable, match="read-only"):
        future.result(0)


def test_submit_after_close_is_refused(tmp_path):
    writer = writer_for(tmp_path / "pantau.db")
    writer.close()
    with pytest.raises(RuntimeError, match="closed"):
        writer.submit(article(url(1), TEXT), [village_figure()])


def test_the_sink_awaits_the_commit_and_spiders_of_one_process_share_one_writer(tmp_path):
    path = tmp_path / "pantau.db"
    with Store.open(path) as one, Store.open(path) as other:
        sinks = [WriterSink(one, busy_timeout=1.0), WriterSink(other, busy_timeout=1.0)]
        assert sinks[0].writer is sinks[1].writer

        async def put_all() -> list[str | None]:
            return await asyncio.gather(*(sinks[n % 2].put(article(url(n), TEXT), [village_figure()],
                                                           fetched_at="2026-12-02T10:00:00Z", crawl_run_id=None)
                                          for n in range(6)))

        assert asyncio.run(put_all()) == ["new"] * 6
        # what the writer committed is what the spider's own connection reads (revision checks)
        assert one.known_article(url(3)) is not None
        writer = sinks[0].writer
        sinks[0].close()
        assert not writer.failure and path.resolve() in _writers  # the other spider still writes
        sinks[1].close()
        assert path.resolve() not in _writers
    assert stored_urls(path) == {url(n) for n in range(6)}


def test_a_lone_article_is_committed_at_once_without_waiting_for_a_batch_to_fill(tmp_path):
    writer = writer_for(tmp_path / "pantau.db", batch_articles=64, batch_seconds=60.0)
    try:
        assert writer.submit(article(url(1), TEXT), [village_figure()]).result(WAIT_SECONDS).status == "new"
    finally:
        writer.close()


def test_future_type_is_the_standard_one(tmp_path):
    """Callers outside asyncio (the scale-out consumer) wait on a plain concurrent.futures.Future."""
    writer = writer_for(tmp_path / "pantau.db")
    try:
        assert isinstance(writer.submit(article(url(1), TEXT), [village_figure()]), Future)
    finally:
        writer.close()
