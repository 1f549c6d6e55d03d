"""The store stream with a real redis-server: crawls with ``[crawl] frontier`` put their writes on
a Redis stream, ``pantau store-writer`` commits them; killed, it loses and doubles nothing.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from redis_server import redis_server
from test_crawl_e2e import crawl, write_config

from kernel import store_stream as ss
from kernel.records import Article, Figure
from store import Store

REPO = Path(__file__).resolve().parent.parent
# The crawls' clock: both crawls of a comparison decide as of the same moment.
CRAWL_NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
# Synthetic articles added to the mirror's corpus: enough entries that a kill lands mid-stream.
SYNTHETIC_ARTICLES = 300
WRITER_TIMEOUT_SECONDS = 120
# Both crawls of a comparison alike; a generous read timeout, so that a loaded machine does not
# time out a page in one crawl and not in the other (the mirror answers in milliseconds).
CRAWL_SETTINGS = {"extract_workers": 0, "download_timeout": 20.0}


@pytest.fixture()
def redis(tmp_path):
    with redis_server(tmp_path / "redis") as server:
        yield server


def stream_config(folder: Path, roots: dict[str, str], frontier: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_config(folder, roots, frontier=frontier, **CRAWL_SETTINGS)


def run_writer(config: Path, *extra: str, **kwargs: Any) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cli", "--config", str(config), "store-writer", *extra],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def applied_count(db: Path) -> int:
    try:
        return rows(db, "select count(*) from stream_applied")[0][0]
    except sqlite3.OperationalError:  # the writer has not created its tables yet
        return 0


# What must be equal between a direct crawl and one through the stream (ids and fetch times differ).
ARTICLES_SQL = "select url, site, version, content_hash, title, text, published_at from articles order by url"
VERSIONS_SQL = ("select a.url, v.version, v.content_hash from article_versions v join articles a on a.id = v.article_id"
                " order by a.url, v.version")
FIGURES_SQL = ("select a.url, f.version, f.metric, f.value, f.unit, f.surface, f.start, f.\"end\", f.scope"
               " from figures f join articles a on a.id = f.article_id order by 1, 2, 5, 7, 3")
RUNS_SQL = "select site, status, discovered, fetched, new, changed, unchanged, skipped, errors from crawl_runs order by site"
ERRORS_SQL = "select r.site, e.url, e.reason from crawl_errors e join crawl_runs r on r.id = e.run_id order by 1, 2, 3"
FINDING_KINDS_SQL = "select kind, count(*) from findings group by kind order by kind"
FINDINGS_SQL = ("select kind, created_at, metric, value, previous_value, url, article_version, sentence from findings"
                " where kind != 'source_health' order by id")


@pytest.mark.e2e
def test_a_killed_writer_restarts_and_the_store_equals_a_direct_crawl(tmp_path, redis):
    from mirror import Mirror

    with Mirror(synthetic=SYNTHETIC_ARTICLES) as mirror:
        direct = tmp_path / "direct"
        direct.mkdir()
        crawl(write_config(direct, mirror.roots, **CRAWL_SETTINGS), now=CRAWL_NOW)
        config = stream_config(tmp_path / "stream", mirror.roots, redis.url)
        results = crawl(config, now=CRAWL_NOW)
        check_killed_writer(tmp_path, redis, config, direct, results)
        # The crawl reads the store through the writer's mirror: a re-crawl decides as one on the
        # store itself does (known articles are skipped, the same few are fetched again).
        from mirror.server import _is_article_path

        def recrawl(config_path: Path) -> tuple[dict, list]:
            mark = len(mirror.requests)
            stats = crawl(config_path, now=CRAWL_NOW)
            return ({site: s["fetched"] for site, s in stats.items()},
                    sorted(r for r in mirror.requests[mark:] if _is_article_path(r[0], r[1])))

        through_stream, direct_again = recrawl(config), recrawl(direct / "pantau.toml")
        assert through_stream == direct_again
        assert sum(through_stream[0].values()) < sum(s["fetched"] for s in results.values()) / 2


def check_killed_writer(tmp_path: Path, redis: Any, config: Path, direct: Path, results: dict) -> None:
    assert all(stats["fetched"] > 0 for stats in results.values()), results
    assert not (tmp_path / "stream" / "pantau.db").exists()  # the crawl never opened the store
    entries = redis.client().xlen(ss.STREAM_KEY)
    stored = rows(direct / "pantau.db", "select count(*) from articles")[0][0]
    assert entries > stored > 100

    captured = redis.client().xrange(ss.STREAM_KEY)
    article_entries = sum(ss.decode(fields).kind == ss.ARTICLE for _, fields in captured)
    assert sum(stats["queued"] for stats in results.values()) == article_entries == stored
    db = tmp_path / "stream" / "pantau.db"
    writer = run_writer(config)
    deadline = time.monotonic() + WRITER_TIMEOUT_SECONDS
    while applied_count(db) < 10:
        assert writer.poll() is None, writer.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.002)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert applied_count(db) < entries, "the writer finished before the kill: nothing was tested"

    again = run_writer(config, "--until-empty")
    _out, err = again.communicate(timeout=WRITER_TIMEOUT_SECONDS)
    assert again.returncode == 0, err
    assert "left pending by an earlier writer" in err
    assert " WIB store-writer: stopped after " in err

    for sql in (ARTICLES_SQL, VERSIONS_SQL, FIGURES_SQL, RUNS_SQL, ERRORS_SQL):
        assert rows(db, sql) == rows(direct / "pantau.db", sql), sql
    # Findings depend on the order articles arrive in (which of two sources came first), and two
    # crawls fetch in different orders: they must equal record_article of the same entries in order.
    replayed = tmp_path / "replayed.db"
    with Store.open(replayed) as store:
        for _entry_id, fields in captured:
            entry = ss.decode(fields)
            if entry.kind == ss.ARTICLE:
                store.record_article(*ss.article_of(entry), fetched_at=entry.data["at"])
    assert rows(db, FINDINGS_SQL) == rows(replayed, FINDINGS_SQL)
    assert rows(db, FINDING_KINDS_SQL) != []
    assert rows(db, "select count(*) from stream_applied")[0][0] == entries
    assert redis.client().xlen(ss.STREAM_KEY) == 0  # acknowledged entries are deleted
    assert redis.client().xpending(ss.STREAM_KEY, ss.WRITER_GROUP)["pending"] == 0


# -- in-process: the writer's rules on a few entries -------------------------------------------

def make_article(n: int, text: str = "") -> tuple[Article, list[Figure]]:
    from extract import tag_text
    from extract.taxonomy import default_taxonomy

    text = text or f"Pemerintah menyebut {n * 10 + 7} ribu UMKM sudah go digital di Kabupaten Contoh pada 2026."
    import hashlib

    article = Article(url=f"https://inet.detik.com/berita/d-{9000 + n}/contoh-{n}", site="detik",
                      title=f"Contoh {n}", text=text, published_at="2026-11-19T01:00:00+00:00", modified_at=None,
                      author=None, content_hash=hashlib.sha256(text.encode()).hexdigest(), sections=[(0, len(text))])
    return article, tag_text(text, default_taxonomy())


def stream_store(redis: Any) -> Any:
    from crawler.stream_store import StreamStore

    return StreamStore(redis.url)


def writer_for(tmp_path: Path, redis: Any, consumer: str = "test") -> Any:
    from store.stream_writer import StreamWriter

    store = Store.open(tmp_path / "pantau.db")
    writer = StreamWriter(store, redis.client(), url=redis.url, consumer=consumer, log=lambda line: None)
    writer.prepare()
    return writer


def drain(writer: Any) -> Any:
    return writer.run(threading.Event(), until_empty=True)


def test_runs_errors_articles_and_feed_state_travel_on_the_stream(tmp_path, redis):
    from store.models import FeedState

    crawler = stream_store(redis)
    run = crawler.start_crawl_run("detik", at=CRAWL_NOW)
    article, figures = make_article(1)
    assert figures
    crawler.put_article(article, figures, fetched_at=CRAWL_NOW, crawl_run_id=run)
    crawler.record_crawl_error(run, "https://inet.detik.com/x", "fetch failed: HTTP 500", at=CRAWL_NOW)
    crawler.save_feed_state(FeedState(url="https://inet.detik.com/rss", site="detik", etag='"abc"'))
    crawler.record_health("detik", "feed_empty", {"url": "https://inet.detik.com/rss", "crawls": 3})
    crawler.finish_crawl_run(run, {"discovered": 2, "fetched": 1, "errors": 1, "extraction_failure_streak": 0})
    writer = writer_for(tmp_path, redis)
    counts = drain(writer)
    assert counts.entries == 6 and counts.rejected == 0
    store = writer.store
    runs = store.last_runs()
    assert [(r["site"], r["status"], r["fetched"], r["new"], r["errors"]) for r in runs] == [("detik", "finished", 1, 1, 1)]
    assert [tuple(r) for r in store.db.execute("select url, reason from crawl_errors").fetchall()] == [
        ("https://inet.detik.com/x", "fetch failed: HTTP 500")]
    assert store.feed_state("https://inet.detik.com/rss").etag == '"abc"'
    assert [p["problem"] for p in store.open_health_problems()] == ["feed_empty"]
    # The crawler reads back what the writer committed, from the mirror.
    assert crawler.known_article(article.url) == store.known_article(article.url)
    assert crawler.feed_state("https://inet.detik.com/rss") == store.feed_state("https://inet.detik.com/rss")
    from crawler.state import previous_extraction_streak

    assert previous_extraction_streak(crawler, "detik") == 0
    later = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 74 h old, last fetched at 26 h: the 72 h check is due
    assert crawler.articles_due_for_check("detik", later, [6, 24, 72]) == store.articles_due_for_check(
        "detik", later, [6, 24, 72]) != []


def test_an_entry_committed_but_not_acknowledged_is_not_applied_twice(tmp_path, redis):
    import redis as redis_lib

    crawler = stream_store(redis)
    run = crawler.start_crawl_run("detik", at=CRAWL_NOW)
    for n in range(3):
        crawler.put_article(*make_article(n), fetched_at=CRAWL_NOW, crawl_run_id=run)
    writer = writer_for(tmp_path, redis, consumer="first")
    real_pipeline = writer.redis.pipeline

    class DiesBeforeTheAck:
        def __init__(self) -> None:
            self.pipe = real_pipeline(transaction=True)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.pipe, name)

        def execute(self) -> None:
            raise redis_lib.ConnectionError("killed between the commit and the XACK")

    writer.redis.pipeline = lambda transaction=True: DiesBeforeTheAck() if transaction else real_pipeline(transaction=False)
    messages = [(i.decode(), f) for i, f in writer.redis.xreadgroup(ss.WRITER_GROUP, "first", {ss.STREAM_KEY: ">"})[0][1]]
    with pytest.raises(redis_lib.ConnectionError):
        writer.apply_batch(messages)
    store = writer.store
    before = [store.db.execute(f"select count(*) from {t}").fetchone()[0] for t in ("articles", "figures", "findings")]
    assert before[0] == 3

    second = writer_for(tmp_path, redis, consumer="second")
    counts = drain(second)
    assert counts.skipped == 4 and counts.entries == 0
    after = [second.store.db.execute(f"select count(*) from {t}").fetchone()[0] for t in ("articles", "figures", "findings")]
    assert after == before
    assert redis.client().xpending(ss.STREAM_KEY, ss.WRITER_GROUP)["pending"] == 0


def test_a_malformed_entry_is_recorded_and_acknowledged_not_retried(tmp_path, redis):
    from store.stream_writer import rejected_entries

    client = redis.client()
    client.xadd(ss.STREAM_KEY, {ss.ENTRY_FIELD: b"{not json"})
    client.xadd(ss.STREAM_KEY, {"other": b"x"})
    client.xadd(ss.STREAM_KEY, {ss.ENTRY_FIELD: ss.encode(ss.CRAWL_ERROR, run="7-unknown", url="u", reason="r", at="x")})
    crawler = stream_store(redis)
    crawler.put_article(*make_article(1), fetched_at=CRAWL_NOW, crawl_run_id=None)
    writer = writer_for(tmp_path, redis)
    counts = drain(writer)
    assert counts.rejected == 3 and counts.articles["new"] == 1
    reasons = [row["reason"] for row in rejected_entries(writer.store)]
    assert reasons[0].startswith("not JSON") and reasons[1].startswith("no 'e' field")
    assert reasons[2] == "crawl run 7-unknown is not in the store (its run_start entry never came)"
    assert client.xpending(ss.STREAM_KEY, ss.WRITER_GROUP)["pending"] == 0 and client.xlen(ss.STREAM_KEY) == 0
    assert drain(writer_for(tmp_path, redis, consumer="again")).rejected == 0  # nothing comes back


def test_an_oversized_article_fails_with_one_line(redis):
    crawler = stream_store(redis)
    article, _ = make_article(1, text="kata " * (ss.MAX_ENTRY_BYTES // 4))
    with pytest.raises(ss.EntryTooLarge, match=r"^entry too large for the store stream: \d+\.\d MB \(limit 4\.2 MB\)$"):
        crawler.put_article(article, [], fetched_at=CRAWL_NOW, crawl_run_id=None)
    assert redis.client().xlen(ss.STREAM_KEY) == 0


def test_store_writer_stops_on_sigterm_and_exits_0(tmp_path, redis):
    config = stream_config(tmp_path, {}, redis.url)
    writer = run_writer(config)
    assert writer.stderr is not None
    line = writer.stderr.readline()
    assert " WIB store-writer: writing " in line, line
    writer.send_signal(signal.SIGTERM)
    _out, err = writer.communicate(timeout=30)
    assert writer.returncode == 0, err
    assert "stopped after 0 entries" in err


def test_store_writer_says_in_one_line_when_redis_is_unreachable(tmp_path):
    from redis_server import free_port

    config = stream_config(tmp_path, {}, f"redis://127.0.0.1:{free_port()}/0")
    writer = run_writer(config)
    _out, err = writer.communicate(timeout=60)
    assert writer.returncode == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pantau: store-writer: cannot reach Redis at redis://127.0.0.1:"), err


def test_a_crawl_with_an_unreachable_frontier_fails_in_one_line(tmp_path):
    from redis_server import free_port

    config = stream_config(tmp_path, {}, f"redis://127.0.0.1:{free_port()}/0")
    done = subprocess.run([sys.executable, "-m", "cli", "--config", str(config), "crawl", "-q", "detik"], cwd=REPO,
                          capture_output=True, text=True, timeout=120, env={**os.environ})
    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Redis does not answer" in lines[0], done.stderr


def test_the_daemon_runs_the_store_writer_with_a_frontier_and_stops_it(tmp_path, redis):
    import tomli_w

    import scheduler
    from pantau_config import load_config
    from store.stream_writer_command import take_writer_lock

    path = tmp_path / "pantau.toml"
    path.write_text(tomli_w.dumps({"store": {"path": str(tmp_path / "pantau.db")}, "crawl": {"frontier": redis.url},
                                   "schedule": {"crawl": "", "digest": "", "stop_grace_seconds": 5}}))
    config = load_config(path)
    crawler = stream_store(redis)
    article, figures = make_article(1)
    crawler.put_article(article, figures, fetched_at=CRAWL_NOW, crawl_run_id=None)
    daemon = scheduler.Daemon(config)
    assert daemon.writer_command is not None and daemon.writer_command[-1] == "store-writer"
    ready = threading.Event()
    thread = threading.Thread(target=daemon.run, kwargs={"ready": ready.set}, daemon=True)
    thread.start()
    assert ready.wait(10), "daemon did not start"
    deadline = time.monotonic() + 60
    while applied_count(tmp_path / "pantau.db") < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    daemon.request_stop("test")
    thread.join(30)
    assert not thread.is_alive(), "daemon did not stop"
    assert rows(tmp_path / "pantau.db", "select url from articles") == [(article.url,)]
    assert take_writer_lock(tmp_path / "pantau.db") is not None  # the writer child is gone


def test_the_writer_rides_out_a_redis_that_restarts_without_its_data(tmp_path, monkeypatch):
    from store import stream_writer

    monkeypatch.setattr(stream_writer, "RECONNECT_SECONDS", 0.2)
    lines: list[str] = []
    stop = threading.Event()

    def run_writer_here(server: Any) -> None:  # the store's connection belongs to this thread
        writer = writer_for(tmp_path, server)
        writer.log, writer.block_ms = lines.append, 100
        writer.run(stop)
        writer.store.close()

    with redis_server(tmp_path / "redis") as first:
        thread = threading.Thread(target=run_writer_here, args=(first,), daemon=True)
        thread.start()
        one, figures = make_article(1)
        stream_store(first).put_article(one, figures, fetched_at=CRAWL_NOW, crawl_run_id=None)
        wait_for(lambda: applied_count(tmp_path / "pantau.db") == 1)
        port = first.port
        first.process.kill()
        first.process.wait()
    with redis_server(tmp_path / "redis-again", port=port) as second:
        two, figures = make_article(2)
        crawler = stream_store(second)
        wait_for(lambda: second.client().exists(ss.STREAM_KEY))  # the writer made its group again
        crawler.put_article(two, figures, fetched_at=CRAWL_NOW, crawl_run_id=None)
        wait_for(lambda: applied_count(tmp_path / "pantau.db") == 2)
        stop.set()
        thread.join(10)
        assert not thread.is_alive()
        assert crawler.known_article(one.url) is not None  # the mirror was copied again in full
    assert any("does not answer" in line for line in lines), lines
    assert any("without the stream's group" in line for line in lines), lines


def wait_for(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_crawl_summary_shows_queued_articles_instead_of_new_ones():
    from crawler.run import format_summary

    text = format_summary({"detik": {"discovered": 10, "fetched": 4, "queued": 4, "new": 0, "skipped": 6,
                                     "errors": 0, "seconds": 2.0}})
    header, row = text.splitlines()
    assert header.split() == ["site", "discovered", "fetched", "queued", "skipped", "errors", "seconds"]
    assert row.split() == ["detik", "10", "4", "4", "6", "0", "2.0s"]


def test_the_stream_store_offers_every_crawl_operation_with_the_same_parameters():
    import inspect

    from crawler.stream_store import StreamStore
    from kernel.stores import CrawlStore

    members = [name for name, value in vars(CrawlStore).items() if callable(value) and not name.startswith("_")]
    for name in members:
        wanted = list(inspect.signature(getattr(CrawlStore, name)).parameters)
        assert list(inspect.signature(getattr(StreamStore, name)).parameters) == wanted, name


def test_the_ids_of_acknowledged_entries_are_pruned_and_later_entries_still_apply_once(tmp_path, redis):
    crawler = stream_store(redis)
    for n in range(3):
        crawler.put_article(*make_article(n), fetched_at=CRAWL_NOW, crawl_run_id=None)
    writer = writer_for(tmp_path, redis)
    assert writer.prune_applied() == 0  # nothing acknowledged yet: nothing forgotten
    drain(writer)
    assert writer.prune_applied() == 3
    crawler.put_article(*make_article(7), fetched_at=CRAWL_NOW, crawl_run_id=None)
    assert drain(writer).articles["new"] == 4
    assert applied_count(tmp_path / "pantau.db") == 1


def test_status_shows_the_store_stream(tmp_path, redis):
    crawler = stream_store(redis)
    writer = writer_for(tmp_path, redis)
    crawler.put_article(*make_article(1), fetched_at=CRAWL_NOW, crawl_run_id=None)
    redis.client().xadd(ss.STREAM_KEY, {ss.ENTRY_FIELD: b"[]"})
    config = stream_config(tmp_path, {}, redis.url)
    status = subprocess.run([sys.executable, "-m", "cli", "--config", str(config), "status"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert f"Store stream at {redis.url}: 2 waiting, 0 unacknowledged, 0 rejected" in status.stdout, status
    drain(writer)
    status = subprocess.run([sys.executable, "-m", "cli", "--config", str(config), "status"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert f"Store stream at {redis.url}: 0 waiting, 0 unacknowledged, 1 rejected" in status.stdout, status
