"""ProfileSpider: discovery from a site's profile (feeds, sitemaps, index pages) → article requests.

A discovered link is fetched only when ``crawler.discovery.decide`` says so: new and on topic, a
newer lastmod than our last fetch, or a revision-check age passed. Stored articles due for a
revision check (``Store.articles_due_for_check``) are fetched too when no listing shows them any
more. The store is the memory; the spider keeps only this crawl's counters, validators and
de-duplication set.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy import signals
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler import state as st
from crawler.discovery import (
    WIB,
    DiscoveryParseError,
    Entry,
    decide,
    parse_datetime,
    parse_feed,
    parse_index,
    parse_sitemap,
)
from crawler.profiles import ChannelProfile, expand_index_template, load_profile
from kernel.times import to_utc_iso, utc_now, utc_now_iso
from kernel.urls import canonical_url
from pantau_config import Config, SiteConfig, load_config

if TYPE_CHECKING:
    from store import Store

logger = logging.getLogger(__name__)


class ProfileSpider(scrapy.Spider):
    name = ""  # abstract: the spider loader skips classes without a name
    # The run's counts once the spider closed (None while it runs).
    final_stats: dict[str, Any] | None = None

    # -- set-up and tear-down ---------------------------------------------------------------
    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ProfileSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        config = crawler.settings.get("PANTAU_CONFIG_OBJECT") or load_config()
        spider.setup(config)
        crawler.signals.connect(spider.on_closed, signal=signals.spider_closed)
        crawler.signals.connect(spider.on_callback_error, signal=signals.spider_error)
        return spider

    def on_callback_error(self, failure: Failure, response: Response, spider: scrapy.Spider) -> None:
        """A bug in a callback: counted and recorded with the URL, like any other failure."""
        if spider is self:
            self.note_error(response.url, f"callback failed: {failure.type.__name__}: {failure.getErrorMessage()}")

    def setup(self, config: Config, store: Store | None = None) -> None:
        from store import Store

        self.config = config
        self.profile = load_profile(self.name)
        self.site_config: SiteConfig = config.crawl.sites.get(self.name, SiteConfig())
        self.channels: list[ChannelProfile] = self.profile.chosen_channels(self.site_config.channels)
        self.store = store if store is not None else Store.from_config(config)
        self.run_id = self.store.start_crawl_run(self.name)
        self.crawl = st.CrawlState(self.name)
        # canonical URL -> why it is fetched this crawl (None: skipped so far).
        self.seen: dict[str, str | None] = {}
        self.now = utc_now()
        # canonical URL -> stored article whose revision-check age passed since its last fetch.
        self.due: dict[str, Any] = {
            a.url: a for a in self.store.articles_due_for_check(self.name, self.now, config.crawl.revision_check_hours)}

    def on_closed(self, spider: scrapy.Spider, reason: str) -> None:
        if spider is not self:
            return
        stats = self.crawler.stats
        self.crawl.counts["requests"] = stats.get_value("downloader/request_count", 0) or 0
        if reason != "finished":  # time limit (closespider_timeout), shutdown: an error of this run
            self.note_error("", f"crawl closed early: {reason}")
        clean = self.crawl.counts["errors"] == 0 and reason == "finished"
        for url, fs in self.crawl.feeds.items():
            if clean and url in self.crawl.new_high_water:
                fs = st.updated(fs, high_water=self.crawl.new_high_water[url])
            if not clean and url in self.crawl.old_validators:
                etag, last_modified = self.crawl.old_validators[url]
                fs = st.updated(fs, etag=etag, last_modified=last_modified)
            self.store.save_feed_state(fs)
            if fs.consecutive_empty >= st.HEALTH_STREAK:
                # Structured details: each reader (status, digests in their language) words them.
                self.store.record_health(self.name, "feed_empty", {"url": url, "crawls": fs.consecutive_empty})
            if fs.consecutive_failures >= st.HEALTH_STREAK:
                self.store.record_health(self.name, "feed_failing", {"url": url, "crawls": fs.consecutive_failures,
                                                                     "status": fs.last_status or "-"})
        c = self.crawl.counts
        if c["errors"] >= st.ERROR_STREAK_MIN and c["errors"] > c["fetched"]:
            self.store.record_health(self.name, "errors", {"errors": int(c["errors"]), "fetched": int(c["fetched"])})
        self.final_stats = self.crawl.summary()
        self.store.finish_crawl_run(self.run_id, self.final_stats)

    # -- discovery requests -----------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.discovery_requests():
            yield request
        for request in self.revision_requests():
            yield request

    def discovery_requests(self) -> Iterator[scrapy.Request]:
        for channel in self.channels:
            for url in channel.feeds:
                yield self.feed_request(url, self.parse_feed, channel)
            for url in channel.sitemaps:
                yield self.feed_request(url, self.parse_sitemap, channel)
            for template in channel.index:
                today = self.now.astimezone(WIB).date()
                for back in range(self.profile.index.days):
                    yield self.index_request(template, today - timedelta(days=back), 1, channel)

    def revision_requests(self) -> Iterator[scrapy.Request]:
        """Requests for the due articles that discovery has not already claimed. Start requests are
        consumed lazily, so each ``seen`` check happens as late as possible."""
        for url in self.due:
            if self.seen.get(url) is not None:
                continue  # a listing showed it and it is fetched already
            request = self.revision_request(url)
            if request is None:
                continue
            if url in self.seen:
                self.crawl.bump("skipped", -1)  # a listing showed it and decide() had skipped it
            self.seen[url] = "schedule"
            self.crawl.revision_checks += 1
            yield request

    def revision_request(self, url: str) -> scrapy.Request | None:
        """The request that re-fetches a stored article (its real URL; ``parse_article`` switches
        to the single-page view when the page says it has several)."""
        return scrapy.Request(url, callback=self.parse_article, errback=self.article_failed,
                              meta={"reason": "schedule", "article_url": url})

    def feed_request(self, url: str, callback: Any, channel: ChannelProfile, **meta: Any) -> scrapy.Request:
        """A GET with the validators we kept for this feed (ETag / Last-Modified → 304)."""
        fs = self.feed_state(url)
        headers = {}
        if fs.etag:
            headers["If-None-Match"] = fs.etag
        if fs.last_modified:
            headers["If-Modified-Since"] = fs.last_modified
        return scrapy.Request(url, callback=callback, errback=self.feed_failed, headers=headers,
                              meta={"feed": url, "channel": channel, "handle_httpstatus_list": [304], **meta})

    def index_request(self, template: str, day: Any, page: int, channel: ChannelProfile,
                      previous: frozenset[str] = frozenset(), retried: bool = False) -> scrapy.Request:
        url = expand_index_template(template, day, page, self.profile.index.page_size)
        return scrapy.Request(url, callback=self.parse_index, errback=self.feed_failed, dont_filter=retried,
                              meta={"feed": template, "channel": channel, "day": day, "page": page,
                                    "template": template, "previous": previous, "retried": retried})

    def feed_state(self, url: str) -> Any:
        if url not in self.crawl.feeds:
            self.crawl.feeds[url] = st.load_feed_state(self.store, url)
        return self.crawl.feeds[url]

    def feed_answered(self, response: Response, entries: int | None) -> None:
        """Record a feed's answer: validators, status, empty streak (entries None = 304)."""
        url = response.meta["feed"]
        fs = self.feed_state(url)
        changes: dict[str, Any] = {"last_status": response.status, "consecutive_failures": 0,
                                   "last_ok_at": utc_now_iso()}
        if entries is not None:
            self.crawl.old_validators.setdefault(url, (fs.etag, fs.last_modified))
            etag = response.headers.get(b"ETag")
            last_mod = response.headers.get(b"Last-Modified")
            changes["etag"] = etag.decode("latin-1") if etag else None
            changes["last_modified"] = last_mod.decode("latin-1") if last_mod else None
            changes["consecutive_empty"] = 0 if entries else fs.consecutive_empty + 1
        elif fs.consecutive_empty:
            changes["consecutive_empty"] = fs.consecutive_empty + 1  # 304: still the same empty list
        self.crawl.feeds[url] = st.updated(fs, **changes)
        self.crawl.discovery_answered += 1

    def feed_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]  # Scrapy attaches the request to errback failures
        url = request.meta.get("feed", request.url)
        status = getattr(getattr(failure.value, "response", None), "status", None)
        fs = self.feed_state(url)
        self.crawl.feeds[url] = st.updated(fs, consecutive_failures=fs.consecutive_failures + 1, last_status=status)
        self.crawl.discovery_failed += 1
        self.note_error(request.url, f"discovery failed: {self.describe(failure)}")

    # -- parsing listings -------------------------------------------------------------------
    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        if response.status == 304:
            self.feed_answered(response, None)
            return
        try:
            entries = parse_feed(response.body)
        except DiscoveryParseError as exc:
            self.feed_broken(response, exc)
            return
        self.feed_answered(response, len(entries))
        yield from self.consider_all(entries, response.meta["channel"])

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        if response.status == 304:
            self.feed_answered(response, None)
            return
        try:
            entries, children = parse_sitemap(response.body)
        except DiscoveryParseError as exc:
            self.feed_broken(response, exc)
            return
        self.feed_answered(response, len(entries) + len(children))
        channel = response.meta["channel"]
        for child in children:
            yield self.feed_request(child, self.parse_sitemap, channel)
        url = response.meta["feed"]
        high_water = parse_datetime(self.feed_state(url).high_water)
        fresh = []
        newest = high_water
        for entry in entries:
            stamp = entry.lastmod or entry.published
            if stamp is not None and (newest is None or stamp > newest):
                newest = stamp
            if high_water is not None and stamp is not None and stamp <= high_water:
                self.crawl.bump("skipped")  # unchanged since this sitemap's last crawl
                continue
            fresh.append(entry)
        if newest is not None:
            self.crawl.new_high_water[url] = to_utc_iso(newest)
        yield from self.consider_all(fresh, channel)

    def parse_index(self, response: Response) -> Iterator[scrapy.Request]:
        meta = response.meta
        channel: ChannelProfile = meta["channel"]
        entries = parse_index(response.text, response.url, self.profile.index, channel.index_channel_slugs)
        urls = frozenset(canonical_url(e.url) for e in entries)
        if meta["page"] == 1:
            self.feed_answered(response, len(entries))
        if urls and urls == meta["previous"] and not meta["retried"]:
            # detik's CDN serves a stale copy of the previous page: ask once more, then give up.
            yield self.index_request(meta["template"], meta["day"], meta["page"], channel, meta["previous"], True)
            return
        if not urls or urls <= meta["previous"]:
            return
        yield from self.consider_all(entries, channel)
        if meta["page"] < self.profile.index.max_pages:
            yield self.index_request(meta["template"], meta["day"], meta["page"] + 1, channel, urls)

    def feed_broken(self, response: Response, exc: Exception) -> None:
        url = response.meta["feed"]
        fs = self.feed_state(url)
        self.crawl.feeds[url] = st.updated(fs, consecutive_failures=fs.consecutive_failures + 1,
                                           last_status=response.status)
        self.crawl.discovery_failed += 1
        self.note_error(response.url, f"unreadable feed or sitemap: {exc}")

    # -- deciding and fetching articles -----------------------------------------------------
    def consider_all(self, entries: Iterable[Entry], channel: ChannelProfile) -> Iterator[scrapy.Request]:
        for entry in entries:
            request = self.consider(entry)
            if request is not None:
                yield request

    def consider(self, entry: Entry) -> scrapy.Request | None:
        """De-duplicate by canonical URL, apply the fetch rules, and build the article request."""
        url = canonical_url(entry.url)
        if not self.profile.is_article_url(url):
            return None
        if url in self.seen:
            # A listing with a lastmod (sitemap, API) may still fetch what an RSS item skipped.
            if self.seen[url] is not None or entry.lastmod is None:
                return None
            reason = self.decide(url, entry)
            if reason is None:
                return None
            self.crawl.bump("skipped", -1)
        else:
            self.crawl.bump("discovered")
            reason = self.decide(url, entry)
            if reason is None:
                self.seen[url] = None
                self.crawl.bump("skipped")
                return None
        self.seen[url] = reason
        return scrapy.Request(url, callback=self.parse_article, errback=self.article_failed,
                              meta={"reason": reason, "article_url": url})

    def decide(self, url: str, entry: Entry) -> str | None:
        crawl = self.config.crawl
        reason = decide(entry, self.store.known_article(url), now=self.now, keywords=crawl.keywords,
                        fetch_all=self.site_config.fetch_all, max_age_days=crawl.max_age_days,
                        revision_hours=crawl.revision_check_hours)
        # The store's rule also covers articles without a publication date (age from first sight).
        return "schedule" if reason is None and url in self.due else reason

    def parse_article(self, response: Response) -> Iterator[Any]:
        url = response.meta["article_url"]
        if self.needs_single_page(response):
            sep = "&" if "?" in url else "?"
            meta = {"reason": response.meta["reason"], "article_url": url, "single": True}
            yield scrapy.Request(f"{url}{sep}{self.profile.single_page_param}", callback=self.parse_article,
                                 errback=self.article_failed, meta=meta, dont_filter=True)
            return
        self.crawl.bump("fetched")
        yield {"kind": "page", "url": url, "body": response.body, "reason": response.meta["reason"]}

    def needs_single_page(self, response: Response) -> bool:
        p = self.profile
        if not p.multipage_meta or response.meta.get("single"):
            return False
        value = response.css(f'meta[name="{p.multipage_meta}"]::attr(content)').get() or ""
        return value.strip().lower() in p.multipage_values

    def article_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]  # Scrapy attaches the request to errback failures
        self.note_error(request.meta.get("article_url", request.url),
                        f"fetch failed: {self.describe(failure)}")

    # -- errors -----------------------------------------------------------------------------
    def note_error(self, url: str, reason: str) -> None:
        # Each failure goes to the store (crawl_errors) and the debug log; `pantau crawl` sums them
        # up in one line per site and kind of failure.
        self.crawl.bump("errors")
        self.crawl.note_reason(reason)
        logger.debug("%s: %s: %s", self.name, url, reason)
        self.store.record_crawl_error(self.run_id, url, reason)

    @staticmethod
    def describe(failure: Failure) -> str:
        response = getattr(failure.value, "response", None)
        if response is not None:
            return f"HTTP {response.status}"
        return f"{failure.type.__name__}: {failure.getErrorMessage()}"
