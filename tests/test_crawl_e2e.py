"""End to end over real HTTP: the mirror on loopback ports, a crawl in a child process, the store.

Each crawl runs in a fresh child process (Twisted's reactor can't restart in one process).
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from mirror.corpus import corpus_age_days

pytestmark = pytest.mark.e2e

CHILD_TIMEOUT_SECONDS = 120  # a hung crawl fails the test instead of hanging the suite


def write_config(tmp: Path, roots: dict[str, str], **crawl: Any) -> Path:
    import tomli_w

    settings = {"download_delay": 0.0, "autothrottle": False, "concurrent_per_domain": 8, "retry_times": 1,
                "download_timeout": 2.0, "time_limit_seconds": 90.0, "roots": roots, "roots_only": True,
                # The corpus goes back to 2017: a first crawl takes it all (a live crawl keeps 7 days).
                "max_age_days": corpus_age_days()}
    settings.update(crawl)
    path = tmp / "pantau.toml"
    path.write_text(tomli_w.dumps({"store": {"path": str(tmp / "pantau.db")}, "crawl": settings}), encoding="utf-8")
    return path


def _child(config_path: str, sites: list[str] | None, queue: Any, now: str | None) -> None:
    from crawler.run import run_crawl
    from kernel.times import parse_iso
    from pantau_config import load_config

    queue.put(run_crawl(load_config(config_path), sites, progress=False, now=parse_iso(now)))


_CONTEXT: Any = None


def _context() -> Any:
    """A forkserver that imported Scrapy once: each crawl child then starts in milliseconds, in a
    fresh process (no reactor, no mirror threads inherited)."""
    global _CONTEXT
    if _CONTEXT is None:
        _CONTEXT = multiprocessing.get_context("forkserver")
        _CONTEXT.set_forkserver_preload(["scrapy.crawler", "crawler.run", "crawler.spiders.base",
                                         "crawler.pipelines", "store", "extract"])
    return _CONTEXT


def crawl(config_path: Path, sites: list[str] | None = None, *, now: datetime | None = None) -> dict[str, dict[str, Any]]:
    """One crawl in a fresh child process; ``now``: the crawl's clock at its start (default: now)."""
    ctx = _context()
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(str(config_path), sites, queue, now.isoformat() if now else None))
    proc.start()
    import queue as queue_mod
    import time

    deadline = time.monotonic() + CHILD_TIMEOUT_SECONDS
    try:
        while True:
            try:
                result = queue.get(timeout=0.5)
                break
            except queue_mod.Empty:
                if not proc.is_alive() or time.monotonic() > deadline:
                    raise AssertionError(f"crawl child ended without a result (exit code {proc.exitcode})") from None
    finally:
        proc.join(timeout=10)
        if proc.is_alive():
            proc.kill()
    return result


def db_rows(tmp: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(tmp / "pantau.db") as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture()
def mirror():
    from mirror import Mirror

    m = Mirror(slow_seconds=3.0).start()
    yield m
    m.stop()


def topical_urls(step: int) -> set[str]:
    from mirror.corpus import load_corpus

    return {a.url for a in load_corpus() if a.topical and a.visible_at(step)}


def test_first_crawl_stores_every_topical_article(mirror, tmp_path):
    config = write_config(tmp_path, mirror.roots)
    stats = crawl(config)
    assert set(stats) == {"detik", "liputan6", "republika", "komdigi"}
    stored = {row[0] for row in db_rows(tmp_path, "select url from articles")}
    assert topical_urls(0) <= stored
    assert all(s["errors"] == 0 for s in stats.values()), stats
    assert all(s["new"] > 0 and s["requests"] > 0 for s in stats.values()), stats
    # The multi-page detik article came whole through ?single=1 and is stored without it.
    multi = "/telecommunication/d-8671422/bts-4g-bakti-jangkau-12548-desa-ini-rinciannya"
    assert ("inet.detik.com", multi + "?single=1", 200) in mirror.requests
    assert f"https://inet.detik.com{multi}" in stored
    assert not any("single" in url or "127.0.0.1" in url for url in stored)
    sites_with_figures = {site for (site,) in db_rows(tmp_path, "select distinct site from figures")}
    assert sites_with_figures == {"detik", "liputan6", "republika", "komdigi"}
    runs = db_rows(tmp_path, "select site, discovered, fetched, new from crawl_runs")
    assert len(runs) == 4 and all(new > 0 for _, _, _, new in runs)


def test_recrawl_fetches_only_new_and_revised_articles(mirror, tmp_path):
    from urllib.parse import urlsplit

    from mirror.corpus import load_corpus

    config = write_config(tmp_path, mirror.roots)
    crawl(config)
    versions_before = dict(db_rows(tmp_path, "select url, version from articles"))

    # Same clock: feeds and sitemaps answer 304, nothing is due, so no article page is fetched.
    mark = len(mirror.requests)
    stats = crawl(config)
    assert [r for r in mirror.requests[mark:] if _is_article(r[0], r[1])] == []
    assert sum(s["fetched"] for s in stats.values()) == 0
    assert any(status == 304 for _, _, status in mirror.requests[mark:])

    # One clock step: exactly the new articles and the revised ones are fetched, once each.
    mirror.step()
    corpus = load_corpus()
    new = {a.url for a in corpus if a.appears_at_step == 1 and a.topical}
    revised = {a.url for a in corpus if 1 in a.revisions and a.topical}
    mark = len(mirror.requests)
    stats = crawl(config)
    fetched_pages = [(h, p) for h, p, status in mirror.requests[mark:]
                     if _is_article(h, p) and status == 200]
    expected_pages = {(urlsplit(u).hostname, urlsplit(u).path) for u in new | revised if "komdigi" not in u}
    errors = db_rows(tmp_path, "select url, reason from crawl_errors")
    assert sorted(fetched_pages) == sorted(expected_pages), (stats, errors, mirror.requests[mark:])
    assert sum(s["new"] for s in stats.values()) == len(new)
    assert sum(s["changed"] for s in stats.values()) == len(revised)

    versions_after = dict(db_rows(tmp_path, "select url, version from articles"))
    assert {u for u, v in versions_after.items() if v == 2} == revised
    assert new <= set(versions_after)
    assert all(versions_after[u] >= v for u, v in versions_before.items())
    kinds = {k for (k,) in db_rows(tmp_path, "select kind from findings")}
    assert {"new_value", "revised"} <= kinds


def _is_article(host: str, path: str) -> bool:
    from mirror.server import _is_article_path

    return _is_article_path(host, path)


def test_pantau_crawl_command_prints_a_summary(mirror, tmp_path):
    import subprocess
    import sys

    config = write_config(tmp_path, mirror.roots)
    out = subprocess.run([sys.executable, "-m", "cli", "--config", str(config), "crawl", "detik"],
                         capture_output=True, text=True, timeout=CHILD_TIMEOUT_SECONDS, cwd=Path(__file__).parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].split()[:3] == ["site", "discovered", "fetched"]
    assert out.stdout.splitlines()[1].startswith("detik")


def test_komdigi_portal_id_walk_resumes_after_the_highest_id(mirror, tmp_path):
    import tomli_w

    config = write_config(tmp_path, mirror.roots)
    data = __import__("tomllib").loads(config.read_text())
    data["crawl"]["sites"] = {"komdigi": {"channels": ["portal"]}}
    config.write_text(tomli_w.dumps(data))
    stats = crawl(config, ["komdigi"])
    portal_ids = {a.portal_id for a in __import__("mirror.corpus", fromlist=["x"]).load_corpus()
                  if a.portal_id and a.appears_at_step == 0}
    stored = {u for (u,) in db_rows(tmp_path, "select url from articles")}
    assert {f"https://portal.komdigi.go.id/kanal-publik/berita-kini/{i}" for i in portal_ids} <= stored
    assert stats["komdigi"]["errors"] == 0
    mark = len(mirror.requests)
    stats = crawl(config, ["komdigi"])
    walked = [int(p.rsplit("/", 1)[1]) for h, p, _ in mirror.requests[mark:] if h == "portal.komdigi.go.id"
              and p.rsplit("/", 1)[1].isdigit()]
    assert min(walked) == max(portal_ids) + 1 and stats["komdigi"]["fetched"] == 0


def test_run_crawl_subprocess_returns_the_exit_code(mirror, tmp_path):
    from crawler.run import run_crawl_subprocess

    config = write_config(tmp_path, mirror.roots)
    assert run_crawl_subprocess(config, ["komdigi"], timeout=CHILD_TIMEOUT_SECONDS) == 0
    assert db_rows(tmp_path, "select count(*) from articles where site = 'komdigi'")[0][0] > 0


def test_a_feed_that_stays_empty_becomes_a_source_health_finding(mirror, tmp_path):
    from crawler.state import HEALTH_STREAK

    config = write_config(tmp_path, mirror.roots)
    for _ in range(HEALTH_STREAK):  # news.detik.com/berita has no articles in the mirror
        crawl(config, ["detik"])
    findings = db_rows(tmp_path, "select kind, site, detail from findings where kind = 'source_health'")
    assert findings and all(site == "detik" for _, site, _ in findings)
    assert any("news.detik.com/berita/rss" in detail for _, _, detail in findings)
    # Reported once while the problem stays open, not again on every crawl.
    crawl(config, ["detik"])
    assert len(db_rows(tmp_path, "select id from findings where kind = 'source_health'")) == len(findings)


def test_pantau_crawl_exits_1_when_a_whole_site_failed(mirror, tmp_path):
    import socket
    import subprocess
    import sys

    with socket.socket() as sock:  # a loopback port nobody listens on: every request is refused
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    roots = {origin: (closed if "detik" in origin else root) for origin, root in mirror.roots.items()}
    config = write_config(tmp_path, roots, retry_times=0)
    out = subprocess.run([sys.executable, "-m", "cli", "--config", str(config), "crawl", "detik", "komdigi"],
                         capture_output=True, text=True, timeout=CHILD_TIMEOUT_SECONDS, cwd=Path(__file__).parent.parent)
    assert out.returncode == 1, out.stderr
    [message] = [line for line in out.stderr.splitlines() if line.startswith("pantau: crawl:")]
    assert message.startswith("pantau: crawl: detik failed as a whole")  # komdigi answered: not named
    assert {line.split()[0] for line in out.stdout.splitlines()[1:]} == {"detik", "komdigi"}  # summary still printed
    assert db_rows(tmp_path, "select count(*) from crawl_errors")[0][0] > 0
