"""pantau Config -> Scrapy settings: the one mapping used by ``pantau crawl`` and ``scrapy crawl``."""

from __future__ import annotations

from typing import Any

from pantau_config import Config

BOT_NAME = "pantau"

# Retries pause 1 s, 2 s, 4 s … (doubling) unless the server sends Retry-After; capped at 30 s.
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 30.0
# 408/429 and 5xx are worth another try; 404 and 403 are answers, not accidents.
RETRY_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]
# News sites redirect once or twice (http → https, old slug → new); more is a loop or a trap.
REDIRECT_MAX_TIMES = 5


# The shared politeness check runs after every middleware that may refuse a request (a refused one
# takes no slot) and before the roots rewrite (it keys slots by the real host).
SHARED_POLITENESS_PRIORITY = 940


def settings_from_config(config: Config) -> dict[str, Any]:
    settings = _local_settings(config)
    if config.crawl.frontier:
        settings.update(_frontier_settings(config, settings))
    return settings


def _frontier_settings(config: Config, local: dict[str, Any]) -> dict[str, Any]:
    """A shared frontier (crawler.frontier) and a delay per host kept across crawlers
    (crawler.politeness) instead of each process's own DOWNLOAD_DELAY."""
    from crawler.frontier import frontier_settings

    crawl = config.crawl
    shared = frontier_settings(crawl.frontier, crawl.frontier_lease_seconds)
    shared.update({
        "PANTAU_SHARED_DELAY": crawl.download_delay,
        "PANTAU_SHARED_DELAY_JITTER": local["DOWNLOAD_DELAY_JITTER"],
        "DOWNLOAD_DELAY": 0.0,
        "DOWNLOAD_DELAY_JITTER": 0.0,
        "DOWNLOADER_MIDDLEWARES": {**local["DOWNLOADER_MIDDLEWARES"],
                                   "crawler.politeness.SharedPolitenessMiddleware": SHARED_POLITENESS_PRIORITY},
    })
    return shared


def _local_settings(config: Config) -> dict[str, Any]:
    crawl = config.crawl
    return {
        "BOT_NAME": BOT_NAME,
        "SPIDER_MODULES": ["crawler.spiders"],
        "NEWSPIDER_MODULE": "crawler.spiders",
        "USER_AGENT": config.user_agent(),
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        # The robots.txt parser must see our product token, never Scrapy's.
        "ROBOTSTXT_USER_AGENT": config.user_agent(),
        "DOWNLOAD_DELAY": crawl.download_delay,
        # ±50 % jitter around the delay, so requests don't arrive on a fixed beat.
        "DOWNLOAD_DELAY_JITTER": 0.5 if crawl.download_delay > 0 else 0.0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_per_domain,
        # Four sites × a few hosts × concurrent_per_domain; Scrapy's global default of 16 is enough.
        "CONCURRENT_REQUESTS": max(16, 8 * crawl.concurrent_per_domain),
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(crawl.download_delay, 1.0),
        # AutoThrottle aims at this many parallel requests per host: polite but not idle.
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_TIMEOUT": crawl.download_timeout,
        # Refused past these sizes (also once decompressed: crawler.integrity), with the reason recorded.
        "DOWNLOAD_MAXSIZE": crawl.max_page_bytes,
        "DOWNLOAD_WARNSIZE": crawl.warn_page_bytes,
        # A body shorter than its Content-Length is a failure, never a page (crawler.integrity).
        "DOWNLOAD_FAIL_ON_DATALOSS": True,
        "REDIRECT_MAX_TIMES": REDIRECT_MAX_TIMES,
        # The connections' resolver refuses non-public addresses too (crawler.guards).
        "TWISTED_DNS_RESOLVER": "crawler.guards.GuardedResolver",
        # Item log lines name the URL, never print the page (crawler.logformat).
        "LOG_FORMATTER": "crawler.logformat.PantauLogFormatter",
        "RETRY_ENABLED": True,
        "RETRY_TIMES": crawl.retry_times,
        "RETRY_HTTP_CODES": RETRY_HTTP_CODES,
        "RETRY_BACKOFF_BASE": RETRY_BACKOFF_BASE,
        "RETRY_BACKOFF_MAX": RETRY_BACKOFF_MAX,
        "CLOSESPIDER_TIMEOUT": crawl.time_limit_seconds,
        "COOKIES_ENABLED": False,
        # One item per article response: more item slots only add asyncio tasks (100 per response);
        # items of different responses still overlap (the extract pool works on several at once).
        "CONCURRENT_ITEMS": 1,
        "TELNETCONSOLE_ENABLED": False,
        # Scrapy 2.19's remote control is an aiohttp server per crawler that runs code sent to it:
        # a listening port a crawler does not need (and 0.25 s of imports per crawl).
        "REMOTE_CONTROL_ENABLED": False,
        # Extensions with nothing to do here: no telnet/remote control, no feed exports (the store is
        # the output), no JOBDIR state, no periodic INFO stats lines (pantau prints its own progress).
        # Kept: CoreStats and the stats collector, LogCount, MemoryUsage, CloseSpider (the time limit)
        # and AutoThrottle (politeness).
        "EXTENSIONS": {
            "scrapy.extensions.telnet.TelnetConsole": None,
            "scrapy.extensions.remote_control.RemoteControl": None,
            "scrapy.extensions.memdebug.MemoryDebugger": None,
            "scrapy.extensions.feedexport.FeedExporter": None,
            "scrapy.extensions.spiderstate.SpiderState": None,
            "scrapy.extensions.logstats.LogStats": None,
        },
        "LOG_LEVEL": "WARNING",
        # 304 Not Modified is an answer for feeds/sitemaps (handled per request); 404 ends the portal walk.
        "HTTPERROR_ALLOWED_CODES": [],
        "DOWNLOADER_MIDDLEWARES": {
            # Scrapy's offsite filter drops redirects silently at scheduling time; ours records why.
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "crawler.guards.SiteGuardMiddleware": 50,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
            "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": None,
            "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
            "crawler.middlewares.PoliteRetryMiddleware": 550,
            # Sees the compressed body before HttpCompressionMiddleware (590) inflates it.
            "crawler.integrity.PageIntegrityMiddleware": 595,
            # Next to the downloader, so every other middleware sees real URLs.
            "crawler.middlewares.RootsMiddleware": 950,
            # After the roots rewrite: it checks the address actually connected to.
            "crawler.guards.AddressGuardMiddleware": 960,
        },
        # Middlewares with nothing to do here (no auth, proxies, cookies or depth limits) cost CPU per request.
        "SPIDER_MIDDLEWARES": {
            "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
            "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
        },
        "ITEM_PIPELINES": {"crawler.pipelines.StorePipeline": 300},
        "PANTAU_ROOTS": dict(crawl.roots),
        "PANTAU_ROOTS_ONLY": crawl.roots_only,
        "PANTAU_CONFIG_OBJECT": config,
    }
