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
    raises ``ConfigError`` (taxonomy), ``StoreUnavailable`` (read-only, locked …) or ``StoreError``."""
    from store import Store

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
            c = spider.crawl.counts
            parts.append(f"{spider.name} {int(c['fetched'])}/{int(c['discovered'])} new {int(c['new'])}"
                         f" err {int(c['errors'])}")
        if parts:
            print(f"crawl {time.monotonic() - started:5.0f}s: " + " | ".join(parts), file=sys.stderr, flush=True)

    loop = task.LoopingCall(tick)
    reactor.callWhenRunning(loop.start, PROGRESS_EVERY_SECONDS, False)


def format_summary(results: dict[str, dict[str, Any]]) -> str:
    header = f"{'site':<10}" + "".join(f"{c:>11}" for c in SUMMARY_COLUMNS)
    lines = [header]
    for site, stats in results.items():
        cells = []
        for c in SUMMARY_COLUMNS:
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
