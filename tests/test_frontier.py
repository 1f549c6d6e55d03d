"""A shared frontier ([crawl] frontier): crawler processes share one queue, seen-set and per-host
politeness in a real redis-server, crawling the mirror over real HTTP.

Each crawler is a real ``pantau crawl`` process (the way two hosts would run it). With a frontier the
crawlers put what they store on the store stream, and a real ``pantau store-writer`` process
commits it to the test's SQLite file; the comparison is with one crawl without a frontier that
writes its own store.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from mirror.corpus import corpus_age_days

REPO = Path(__file__).resolve().parent.parent
# A crawl of the mirror takes seconds; a hung one fails the test instead of hanging the suite.
CRAWL_TIMEOUT_SECONDS = 120
# Synthetic articles on top of the corpus: enough pages that two crawlers both get work.
SYNTHETIC_ARTICLES = 120


def write_config(tmp: Path, name: str, roots: dict[str, str], frontier: str | None, **crawl: Any) -> Path:
    import tomli_w

    settings: dict[str, Any] = {
        "download_delay": 0.0, "autothrottle": False, "concurrent_per_domain": 8, "retry_times": 1,
        "download_timeout": 5.0, "time_limit_seconds": 90.0, "roots": roots, "roots_only": True,
        "max_age_days": corpus_age_days(), "extract_workers": 0}
    if frontier:
        settings["frontier"] = frontier
    settings.update(crawl)
    path = tmp / f"{name}.toml"
    store = {"path": str(tmp / f"{name}.db")}
    path.write_text(tomli_w.dumps({"store": store, "crawl": settings}), encoding="utf-8")
    return path


def start_crawler(config: Path, log: Path, *sites: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "cli", "--config", str(config), "crawl", "--quiet", *sites],
                            cwd=REPO, stdout=log.open("wb"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def finish(proc: subprocess.Popen[bytes], log: Path) -> None:
    try:
        code = proc.wait(timeout=CRAWL_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError(f"crawler hung: {log.read_text(errors='replace')[-2000:]}") from None
    assert code == 0, log.read_text(errors="replace")[-2000:]


def crawl_once(config: Path, tmp: Path, *sites: str) -> None:
    log = tmp / f"{config.stem}.log"
    finish(start_crawler(config, log, *sites), log)


def start_writer(config: Path, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "cli", "--config", str(config), "store-writer", *extra],
                            cwd=REPO, stdout=log.open("ab"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def drain(config: Path, tmp: Path) -> None:
    """Commit what is left on the store stream (``pantau store-writer --until-empty``)."""
    log = tmp / "writer.log"
    finish(start_writer(config, log, "--until-empty"), log)


def frontier_keys(client: Any) -> list[bytes]:
    """The frontier's keys of every site and crawler (the store stream's own keys are not its)."""
    from kernel.sites import SITES

    keys = client.keys("pantau:crawler:*")
    for site in SITES:
        keys += client.keys(f"pantau:{site}:*")
    return sorted(keys)


# Columns that say what was stored, not when or in which order (ids, times, first_mention differ).
ARTICLE_COLUMNS = "url, site, title, author, published_at, modified_at, content_hash, text, version, body_kind"
FIGURE_COLUMNS = ('url, version, start, "end", surface, value, value_max, unit, metric, is_target, approx, year, '
                  'sentence, "when", scope, as_of, as_of_period, withdrawn_at is null')


def stored(db: Path) -> tuple[list[tuple], list[tuple]]:
    with sqlite3.connect(db) as conn:
        articles = conn.execute(f"select {ARTICLE_COLUMNS} from articles order by url").fetchall()
        figures = conn.execute(f"select {FIGURE_COLUMNS} from figures order by url, version, start, metric").fetchall()
    return articles, figures


def article_fetches(mirror: Any, since: int) -> Counter[tuple[str, str]]:
    from mirror.server import _is_article_path

    return Counter((h, p) for h, p, status in mirror.requests[since:] if _is_article_path(h, p) and status == 200)


@pytest.fixture()
def mirror():
    from mirror import Mirror

    m = Mirror(synthetic=SYNTHETIC_ARTICLES).start()
    yield m
    m.stop()


# -- configuration ---------------------------------------------------------------------------
def test_without_a_frontier_the_settings_do_not_change():
    from crawler.config_settings import settings_from_config
    from pantau_config import config_from_dict

    settings = settings_from_config(config_from_dict({}))
    assert "SCHEDULER" not in settings and "DUPEFILTER_CLASS" not in settings
    assert "crawler.politeness.SharedPolitenessMiddleware" not in settings["DOWNLOADER_MIDDLEWARES"]
    assert settings["DOWNLOAD_DELAY"] == 1.0


def test_a_frontier_switches_to_the_shared_scheduler_and_politeness():
    from crawler.config_settings import settings_from_config
    from pantau_config import config_from_dict

    config = config_from_dict({"crawl": {"frontier": "redis://10.0.0.5:6380/2", "download_delay": 2.0}})
    settings = settings_from_config(config)
    assert settings["SCHEDULER"] == "crawler.frontier.FrontierScheduler"
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert settings["REDIS_URL"] == "redis://10.0.0.5:6380/2"
    assert settings["SCHEDULER_PERSIST"] is True  # the first crawler to close must not flush the others' queue
    # The delay moves from each process to the shared slot per host.
    assert settings["DOWNLOAD_DELAY"] == 0.0 and settings["PANTAU_SHARED_DELAY"] == 2.0
    assert "crawler.politeness.SharedPolitenessMiddleware" in settings["DOWNLOADER_MIDDLEWARES"]


@pytest.mark.parametrize("url, words", [
    ("http://127.0.0.1:6379/0", "must be a Redis URL"),
    ("redis://127.0.0.1:port/0", "port"),
    ("redis:///0", "no host"),
    ("redis://127.0.0.1:6379/zero", "database"),
    ("redis://:hunter2@127.0.0.1:6379/zero", ":***@"),
])
def test_a_bad_frontier_url_is_one_line_naming_the_key(url, words):
    from kernel.errors import ConfigError
    from pantau_config import config_from_dict

    with pytest.raises(ConfigError) as caught:
        config_from_dict({"crawl": {"frontier": url}})
    message = str(caught.value)
    assert "frontier" in message and words in message and "\n" not in message
    assert "hunter2" not in message


def test_pantau_crawl_with_an_unreachable_frontier_is_one_line(tmp_path):
    from redis_server import free_port

    config = write_config(tmp_path, "c", {}, f"redis://127.0.0.1:{free_port()}/0")
    out = subprocess.run([sys.executable, "-m", "cli", "--config", str(config), "crawl", "--quiet"], cwd=REPO,
                         capture_output=True, text=True, timeout=CRAWL_TIMEOUT_SECONDS)
    assert out.returncode == 3, out.stderr  # the store (its stream) cannot be written
    assert "Redis does not answer" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr


# -- two crawlers, one frontier --------------------------------------------------------------
def test_two_crawlers_fetch_every_article_once_and_store_what_one_crawler_stores(mirror, redis_server, tmp_path):
    single = write_config(tmp_path, "single", mirror.roots, None)
    crawl_once(single, tmp_path)
    mark = len(mirror.requests)
    shared = write_config(tmp_path, "shared", mirror.roots, redis_server.url)
    writer = start_writer(shared, tmp_path / "writer.log")  # commits while the crawlers crawl
    logs = [tmp_path / f"crawler{i}.log" for i in range(2)]
    crawlers = [start_crawler(shared, log) for log in logs]
    for proc, log in zip(crawlers, logs, strict=True):
        finish(proc, log)
    writer.send_signal(signal.SIGTERM)
    finish(writer, tmp_path / "writer.log")
    drain(shared, tmp_path)

    fetches = article_fetches(mirror, mark)
    assert fetches and max(fetches.values()) == 1, [page for page, n in fetches.items() if n > 1]
    assert stored(tmp_path / "shared.db") == stored(tmp_path / "single.db")
    # Both crawlers did part of the work, and the round left nothing behind in Redis.
    assert all(fetched_in_summary(log) > 0 for log in logs), [log.read_text() for log in logs]
    assert frontier_keys(redis_server.client()) == []


def fetched_in_summary(log: Path) -> int:
    """Pages a crawler fetched, from the summary table ``pantau crawl`` prints."""
    lines = log.read_text(errors="replace").splitlines()
    at = next(i for i, line in enumerate(lines) if line.split()[:3] == ["site", "discovered", "fetched"])
    columns = lines[at].split()
    rows = [line.split() for line in lines[at + 1:]]
    return sum(int(row[columns.index("fetched")]) for row in rows if len(row) == len(columns))


def test_a_killed_crawler_loses_nothing(mirror, redis_server, tmp_path):
    # Every page takes a while, so the victim holds claimed requests when it is killed.
    mirror.slow_seconds = 0.5
    single = write_config(tmp_path, "single", mirror.roots, None)
    crawl_once(single, tmp_path)
    mirror.set_fault("slow", True)
    # One request per host at a time, so the crawl lasts; the victim's lease outlasts the survivor's
    # start-up, so the survivor joins the victim's round (after the lease, it would start a new one).
    shared = write_config(tmp_path, "shared", mirror.roots, redis_server.url, concurrent_per_domain=1,
                          frontier_lease_seconds=SURVIVOR_START_SECONDS)
    client = redis_server.client()
    mark = len(mirror.requests)
    victim = start_crawler(shared, tmp_path / "victim.log")
    # Mid-crawl: the victim has fetched some articles and holds requests of its own.
    wait_for(lambda: len(claims_of(client, victim.pid)) >= 2
             and sum(article_fetches(mirror, mark).values()) >= KILL_AFTER_ARTICLES, victim)
    survivor_log = tmp_path / "survivor.log"
    survivor = start_crawler(shared, survivor_log)
    held = claims_of(client, victim.pid)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert held, "the victim was killed before it claimed any request"
    finish(survivor, survivor_log)
    drain(shared, tmp_path)

    assert "queued again" in survivor_log.read_text()  # the survivor took the victim's requests over
    assert stored(tmp_path / "shared.db") == stored(tmp_path / "single.db")

    # The victim never left its round; the next round's first crawler ends it, so the old seen-set
    # hides nothing: the revised articles of the next step are fetched (once) and stored.
    mirror.set_fault("slow", False)
    mirror.step()
    crawl_once(single, tmp_path)
    mark = len(mirror.requests)
    crawl_once(shared, tmp_path)
    drain(shared, tmp_path)
    fetches = article_fetches(mirror, mark)
    assert fetches and max(fetches.values()) == 1
    assert stored(tmp_path / "shared.db") == stored(tmp_path / "single.db")
    assert frontier_keys(client) == []


# Article pages the victim fetched before it is killed: into the crawl, far from its end.
KILL_AFTER_ARTICLES = 10
# Seconds a second `pantau crawl` may take to start and join the round on a loaded CI machine.
SURVIVOR_START_SECONDS = 10.0


def wait_for(condition: Any, victim: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + CRAWL_TIMEOUT_SECONDS
    while not condition():
        assert victim.poll() is None, "the victim finished before it could be killed mid-crawl"
        assert time.monotonic() < deadline, "the crawl never got there"
        time.sleep(0.02)


def claims_of(client: Any, pid: int) -> list[bytes]:
    """The victim's claimed requests in any site's processing hash (fields ``<host>-<pid>-…|n``)."""
    fields = []
    for key in client.keys("pantau:*:processing"):
        fields += [f for f in client.hkeys(key) if f"-{pid}-".encode() in f]
    return fields


# -- politeness across crawlers --------------------------------------------------------------
POLITE_DELAY = 0.25
# Synthetic articles for the politeness test: 30+ requests on the busiest hosts.
POLITE_SYNTHETIC_ARTICLES = 200
# Each spacing is the delay × uniform(0.5, 1.5) (Scrapy's jitter): standard deviation 0.29 delay.
JITTER_SD = 0.5 / 3 ** 0.5
# A host's mean spacing over n requests may come out this many standard errors short of the delay
# by chance alone (two crawlers each keeping only their own delay measure 1.4-1.5 × the rate).
RATE_SIGMAS = 4.5
# Hosts with fewer requests say little about a rate.
MIN_REQUESTS_PER_HOST = 15
# The busiest stretch: requests in any window of this many delays, at most the window's share
# plus this much (jitter bunches a few requests; two crawlers each keeping only their own delay
# put up to twice the share in it).
WINDOW_DELAYS = 20
WINDOW_TOLERANCE = 1.35


def test_two_crawlers_keep_each_hosts_delay_together(redis_server, tmp_path):
    from mirror import Mirror

    with Mirror(synthetic=POLITE_SYNTHETIC_ARTICLES) as mirror:
        # One request at a time per host and crawler: each crawler takes only part of a host's
        # requests from the queue (with more it would take them all), so both send to the same hosts.
        shared = write_config(tmp_path, "shared", mirror.roots, redis_server.url, download_delay=POLITE_DELAY,
                              concurrent_per_domain=1)
        logs = [tmp_path / f"crawler{i}.log" for i in range(2)]
        crawlers = [start_crawler(shared, log, "liputan6", "republika") for log in logs]
        for proc, log in zip(crawlers, logs, strict=True):
            finish(proc, log)
        times: dict[str, list[float]] = defaultdict(list)
        for (host, _path, _status), at in zip(mirror.requests, mirror.request_times, strict=True):
            times[host].append(at)

    assert all(fetched_in_summary(log) > 0 for log in logs), [log.read_text() for log in logs]
    busy = {host: sorted(ts) for host, ts in times.items() if len(ts) >= MIN_REQUESTS_PER_HOST}
    assert busy, {host: len(ts) for host, ts in times.items()}
    window = WINDOW_DELAYS * POLITE_DELAY
    for host, ts in busy.items():
        rate = (len(ts) - 1) / (ts[-1] - ts[0])
        tolerance = 1 + RATE_SIGMAS * JITTER_SD / (len(ts) - 1) ** 0.5
        most = max(sum(1 for t in ts if start <= t < start + window) for start in ts)
        print(f"{host}: {len(ts)} requests, {rate * POLITE_DELAY:.2f} × the configured rate (at most "
              f"{tolerance:.2f}); at most {most} in {WINDOW_DELAYS} delays")
        assert rate <= tolerance / POLITE_DELAY, (host, len(ts), rate)
        assert most <= WINDOW_DELAYS * WINDOW_TOLERANCE, (host, most)


# -- the parts, on a real redis-server ----------------------------------------------------------
def test_reservations_space_one_hosts_requests_by_the_delay_whoever_asks(redis_server):
    from crawler.politeness import SharedPolitenessMiddleware

    # Two crawlers' middlewares on one Redis: their reservations for a host interleave, one delay apart.
    first, second = (SharedPolitenessMiddleware(redis_server.client(), delay=10.0, jitter=0.0) for _ in range(2))
    waits = [(first if i % 2 else second).reserve("inet.detik.com") for i in range(6)]
    assert waits[0] == 0.0
    gaps = [b - a for a, b in zip(waits, waits[1:], strict=False)]
    assert all(9.9 < gap <= 10.0 for gap in gaps), waits  # Redis's clock moved on a little meanwhile
    assert first.reserve("www.liputan6.com") == 0.0  # another host has its own slot


def test_jittered_spacing_averages_the_delay():
    import random

    from crawler.politeness import SharedPolitenessMiddleware

    class NoScripts:
        def register_script(self, text: str) -> Any:
            return None

    middleware = SharedPolitenessMiddleware(NoScripts(), delay=2.0, jitter=0.5, rng=random.Random(7))
    spacings = [middleware.spacing() for _ in range(2000)]
    assert min(spacings) >= 1.0 and max(spacings) <= 3.0
    assert abs(sum(spacings) / len(spacings) - 2.0) < 0.05


def test_evidence_from_two_crawlers_is_merged_once_in_the_round(redis_server):
    from datetime import UTC, datetime

    from crawler.discovery import Entry
    from crawler.frontier_evidence import SharedEvidence
    from crawler.spiders.base import merge_evidence

    url = "https://inet.detik.com/d-1/a"
    first, second = (SharedEvidence(redis_server.client(), "pantau:detik:evidence") for _ in range(2))
    sitemap = Entry(url=url, title="Sinyal di desa", lastmod=datetime(2026, 11, 30, 1, tzinfo=UTC))
    rss = Entry(url=url, title="Sinyal di desa", summary="4,6 juta UMKM online",
                published=datetime(2026, 11, 29, 23, tzinfo=UTC))
    before, merged = first.merge(url, sitemap, merge_evidence)
    assert before is None and merged == sitemap
    before, merged = second.merge(url, rss, merge_evidence)
    assert before == sitemap and merged == merge_evidence(sitemap, rss)
    assert "UMKM" in merged.summary and merged.lastmod == sitemap.lastmod and merged.published == rss.published
    before, again = first.merge(url, sitemap, merge_evidence)
    assert before == again == merged  # nothing new: no second decision
