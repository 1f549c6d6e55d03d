"""Run a crawl: all enabled sites in one Scrapy CrawlerProcess, with progress on stderr.

``run_crawl`` runs in the current process (Twisted's reactor can run once per process);
``run_crawl_subprocess`` runs ``pantau crawl`` in a child process for callers that crawl again.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from kernel.times import to_utc_iso
from pantau_config import SITES, Config

# Seconds between progress lines on stderr while a crawl runs.
PROGRESS_EVERY_SECONDS = 5.0
# Scrapy loggers whose messages are failures pantau itself records and sums up (a site that does
# not answer, a robots.txt that cannot be fetched): shown only with --log-level DEBUG, where they
# come with their tracebacks. A failure nobody expected (a bug) still reaches the terminal.
EXPECTED_FAILURE_LOGGERS = ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt")

SUMMARY_COLUMNS = ("discovered", "fetched", "new", "changed", "skipped", "errors", "seconds")


def chosen_sites(config: Config, sites: Sequence[str] | None) -> list[str]:
    """The sites to crawl; raises ValueError (unknown site) or ProfileError (unknown channel) before
    anything starts, so a typo never turns into a silently empty crawl."""
    from crawler.profiles import load_profile
    from pantau_config import SiteConfig

    names = list(sites) if sites else config.crawl.enabled_sites()
    unknown = [s for s in names if s not in SITES]
    if unknown:
        raise ValueError(f"unknown site '{unknown[0]}' (known: {', '.join(SITES)})")
    for name in names:
        load_profile(name).chosen_channels(config.crawl.sites.get(name, SiteConfig()).channels)
    return names


def check_store(config: Config) -> None:
    """Open the configured store with the configured taxonomy and take (then drop) its write lock:
    raises ``ConfigError`` (taxonomy), ``StoreUnavailable`` (read-only, locked …) or ``StoreError``.
    With a frontier the crawl writes the store stream instead: its Redis must answer."""
    from store import Store

    if config.crawl.frontier:
        from crawler.stream_store import StreamStore

        stream = StreamStore(config.crawl.frontier)
        try:
            stream.ping()
        finally:
            stream.close()
        return

    with Store.from_config(config) as store, store.transaction():
        pass


def run_crawl(config: Config, sites: Sequence[str] | None = None, *, progress: bool = True,
              now: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Crawl ``sites`` (default: the enabled ones) once; returns {site: stats} with the keys of
    ``store.finish_crawl_run`` (discovered, fetched, new, changed, unchanged, skipped, errors,
    requests, seconds). ``now``: the crawl's clock at its start (tests crawl "hours later")."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    from crawler.config_settings import settings_from_config
    from crawler.spiders.base import ProfileSpider

    names = chosen_sites(config, sites)
    settings = Settings(settings_from_config(config))
    if now is not None:
        settings.set("PANTAU_NOW", to_utc_iso(now))
    # The caller (click, pytest, the daemon) owns logging: Scrapy must not replace the root handler.
    settings.set("LOG_INSTALL_ROOT_HANDLER", False)
    root_level = logging.root.level
    quiet_loggers(root_level)
    process = CrawlerProcess(settings)
    # Scrapy lowers the root logger to NOTSET; keep the level the caller chose (pantau --log-level).
    logging.root.setLevel(root_level)
    quiet_loggers(root_level)
    loader = SpiderLoader.from_settings(settings)
    crawlers = []
    for name in names:
        crawler = process.create_crawler(loader.load(name))
        crawlers.append(crawler)
        process.crawl(crawler)
    if progress:
        _start_progress(crawlers)
    try:
        process.start()
    finally:
        from crawler.pipelines import shutdown_shared_pool

        shutdown_shared_pool()
    results: dict[str, dict[str, Any]] = {}
    for name, crawler in zip(names, crawlers, strict=True):
        spider = crawler.spider
        assert spider is None or isinstance(spider, ProfileSpider)
        results[name] = (spider.final_stats or spider.crawl.summary()) if spider else {}
    return results


def quiet_loggers(level: int) -> None:
    """Scrapy's and Twisted's loggers at the caller's level: INFO chatter only with --log-level INFO."""
    from scrapy.utils import log as scrapy_log

    level = level or logging.WARNING
    # CrawlerProcess re-applies this dictConfig (scrapy: DEBUG) and logs right away.
    loggers: dict[str, dict[str, Any]] = scrapy_log.DEFAULT_LOGGING["loggers"]  # type: ignore[assignment]
    loggers.setdefault("scrapy", {})["level"] = logging.getLevelName(level)
    for name in ("scrapy", "twisted", "protego", "py.warnings"):
        logging.getLogger(name).setLevel(level)
    for name in EXPECTED_FAILURE_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if level <= logging.DEBUG else logging.CRITICAL + 1)


def queued_requests(crawler: Any) -> int:
    """Requests of one crawler waiting in its scheduler or being downloaded now."""
    engine = getattr(crawler, "engine", None)
    if engine is None:
        return 0
    scheduler = getattr(engine, "_slot", None) and getattr(engine._slot, "scheduler", None)
    if scheduler is None:
        scheduler = getattr(engine, "scheduler", None)
    waiting = len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else 0
    downloader = getattr(engine, "downloader", None)
    active = len(downloader.active) if downloader is not None and hasattr(downloader, "active") else 0
    return waiting + active


def progress_part(name: str, counts: dict[str, float], queued: int, seconds: float, done: bool) -> str:
    """'detik 63 fetched, 40 queued, new 5, err 0, ETA 12 s' or 'detik done: 103 fetched, new 5 in 41 s'."""
    fetched, new, errors = int(counts["fetched"]), int(counts["new"]), int(counts["errors"])
    if done:
        return f"{name} done: {fetched} fetched, new {new}, err {errors} in {seconds:.0f} s"
    eta = ""
    if queued and fetched and seconds > 0:
        eta = f", ETA {queued / (fetched / seconds):.0f} s"
    return f"{name} {fetched} fetched, {queued} queued, new {new}, err {errors}{eta}"


def _start_progress(crawlers: list[Any]) -> None:
    from twisted.internet import reactor, task

    started = time.monotonic()
    print(f"crawl: {', '.join(c.spidercls.name for c in crawlers)} (progress every {PROGRESS_EVERY_SECONDS:.0f} s)",
          file=sys.stderr, flush=True)

    def tick() -> None:
        parts = []
        for crawler in crawlers:
            spider = crawler.spider
            if spider is None or not hasattr(spider, "crawl"):
                continue
            done = spider.final_stats is not None
            seconds = spider.final_stats["seconds"] if done else time.monotonic() - spider.crawl.started
            parts.append(progress_part(spider.name, spider.crawl.counts, 0 if done else queued_requests(crawler),
                                       seconds, done))
        if parts:
            print(f"crawl {time.monotonic() - started:5.0f}s: " + " | ".join(parts), file=sys.stderr, flush=True)

    loop = task.LoopingCall(tick)
    reactor.callWhenRunning(loop.start, PROGRESS_EVERY_SECONDS, False)


# How a kind of failure (crawler.state.reason_kind) reads with its count.
_FAILED = {"discovery failed": "feed/sitemap/index/API request(s) failed", "fetch failed": "article page(s) failed"}


def failure_lines(results: dict[str, dict[str, Any]]) -> list[str]:
    """One line per site and kind of failure: 'detik: 8 feed/sitemap/index/API request(s) failed: DNS
    lookup failed'."""
    lines = []
    for site, stats in results.items():
        for reason, count in (stats.get("error_reasons") or {}).items():
            stage, _, kind = reason.partition(": ")
            if stage in _FAILED and kind:
                lines.append(f"{site}: {count} {_FAILED[stage]}: {kind}")
            else:
                lines.append(f"{site}: {count} failure(s): {reason}")
    return lines


def format_summary(results: dict[str, dict[str, Any]]) -> str:
    columns: tuple[str, ...] = SUMMARY_COLUMNS
    if any("queued" in stats for stats in results.values()):
        # A crawl into the store stream ([crawl] frontier): new/changed are the store writer's to count.
        columns = tuple(c for c in SUMMARY_COLUMNS if c not in ("new", "changed"))
        columns = columns[:2] + ("queued",) + columns[2:]
    header = f"{'site':<10}" + "".join(f"{c:>11}" for c in columns)
    lines = [header]
    for site, stats in results.items():
        cells = []
        for c in columns:
            v = stats.get(c, 0)
            cells.append(f"{v:>10.1f}s" if c == "seconds" else f"{int(v):>11}")
        lines.append(f"{site:<10}" + "".join(cells))
    return "\n".join(lines)


def run_crawl_subprocess(config_path: str | Path, sites: Sequence[str] | None = None,
                         timeout: float | None = None) -> int:
    """Run ``pantau --config <path> crawl [SITE…]`` in a child process; returns its exit code
    (a child killed on ``timeout`` gives -9)."""
    cmd = [sys.executable, "-m", "cli", "--config", str(Path(config_path).resolve()), "crawl", *(sites or ())]
    repo = Path(__file__).resolve().parent.parent
    try:
        return subprocess.run(cmd, cwd=repo, timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        return -9
