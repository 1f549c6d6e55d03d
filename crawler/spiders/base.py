"""ProfileSpider: discovery from a site's profile (feeds, sitemaps, index pages) → article requests.

A discovered link is fetched only when ``crawler.discovery.decide`` says so: new and on topic, a
newer lastmod than our last fetch, or a revision-check age passed. Stored articles due for a
revision check (``Store.articles_due_for_check``) are fetched too when no listing shows them any
more. The store is the memory; the spider keeps only this crawl's counters, validators and
de-duplication set.

With a shared frontier (``[crawl] frontier``, crawler.frontier) several crawler processes run the
same spider at once: the frontier's seen-set, not ``seen``, decides who fetches a URL (a request
another crawler already made is dropped without an error), feed states are saved only by the crawler
that fetched the feed, and a failure anywhere in the round keeps every crawler from saving new
validators.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy import signals
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler import state as st
from crawler.bytescan import meta_content
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
from crawler.guards import offsite_reason, site_domains
from crawler.profiles import ChannelProfile, expand_index_template, load_profile
from crawler.reasons import failure_reason
from kernel.errors import StoreUnavailable
from kernel.times import parse_iso, to_utc_iso, utc_now
from kernel.urls import canonical_url
from pantau_config import Config, SiteConfig, load_config

if TYPE_CHECKING:
    from kernel.stores import CrawlStore

logger = logging.getLogger(__name__)


class ProfileSpider(scrapy.Spider):
    name = ""  # abstract: the spider loader skips classes without a name
    # The run's counts once the spider closed (None while it runs).
    final_stats: dict[str, Any] | None = None
    # The shared frontier's scheduler (crawler.frontier.FrontierScheduler) once open; None: this
    # process alone crawls the site.
    frontier: Any = None

    # -- set-up and tear-down ---------------------------------------------------------------
    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ProfileSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        config = crawler.settings.get("PANTAU_CONFIG_OBJECT") or load_config()
        spider.setup(config, started=parse_iso(crawler.settings.get("PANTAU_NOW")))
        crawler.signals.connect(spider.on_closed, signal=signals.spider_closed)
        crawler.signals.connect(spider.on_callback_error, signal=signals.spider_error)
        crawler.signals.connect(spider.on_request_dropped, signal=signals.request_dropped)
        return spider

    def clock(self) -> datetime:
        """The crawl's current time: its start plus the time elapsed since."""
        return self.now + timedelta(seconds=time.monotonic() - self._started_monotonic)

    def on_callback_error(self, failure: Failure, response: Response, spider: scrapy.Spider) -> None:
        """A bug in a callback: counted and recorded with the URL, like any other failure."""
        if spider is self:
            self.note_error(response.url, f"callback failed: {failure.type.__name__}: {failure.getErrorMessage()}")

    last_extraction_failure: tuple[str, str] = ("", "")

    def setup(self, config: Config, store: CrawlStore | None = None, started: datetime | None = None) -> None:
        """``started``: the crawl's clock at its start (tests run a crawl "hours later"); now when None."""
        from crawler.stream_store import open_crawl_store

        # Every time the crawl decides by or records goes through clock(): the start, then elapsed time.
        self.now = started or utc_now()
        self._started_monotonic = time.monotonic()
        self.config = config
        self.profile = load_profile(self.name)
        # Requests (redirects too) stay on the site's own domains (crawler.guards.SiteGuardMiddleware).
        self.allowed_domains = site_domains(self.name)
        self.site_config: SiteConfig = config.crawl.sites.get(self.name, SiteConfig())
        self.channels: list[ChannelProfile] = self.profile.chosen_channels(self.site_config.channels)
        self.store: CrawlStore = store if store is not None else open_crawl_store(config)
        # Set when a store write failed (disk full, read-only, locked): the crawl stops and fails.
        self.store_failure: StoreUnavailable | None = None
        # Article pages in a row that gave no article, carried over from the site's last crawl.
        self.extraction_streak = st.previous_extraction_streak(self.store, self.name)
        self.extraction_successes = 0
        self.run_id = self.store.start_crawl_run(self.name, at=self.now)
        self.crawl = st.CrawlState(self.name)
        # canonical URL -> why it is fetched this crawl (None: skipped so far).
        self.seen: dict[str, str | None] = {}
        # canonical URL -> everything the listings said about it so far (the decision uses it all).
        self.evidence: dict[str, Entry] = {}
        # With a frontier: URLs this crawler counted as skipped (another crawler may have counted others).
        self.skip_counted: set[str] = set()
        # canonical URL -> stored article whose revision-check age passed since its last fetch.
        self.due: dict[str, Any] = {
            a.url: a for a in self.store.articles_due_for_check(self.name, self.now, config.crawl.revision_check_hours)}

    def on_closed(self, spider: scrapy.Spider, reason: str) -> None:
        if spider is not self:
            return
        stats = self.crawler.stats
        self.crawl.counts["requests"] = stats.get_value("downloader/request_count", 0) or 0
        if reason != "finished" and self.store_failure is None:  # time limit, shutdown: an error of this run
            self.note_error("", f"crawl closed early: {reason}")
        try:
            self._close_run(reason)
        except StoreUnavailable as exc:
            self.store_failed(exc)
        if self.store_failure is not None:
            # Nothing more can be written; the summary says why and `pantau crawl` exits non-zero.
            self.final_stats = {**self.crawl.summary(), "store_error": str(self.store_failure)}
            try:
                self.store.finish_crawl_run(self.run_id, self.final_stats, status="failed")
            except StoreUnavailable:
                pass  # the run stays "running" in the store; the message names the cause

    def _close_run(self, reason: str) -> None:
        clean = self.crawl.counts["errors"] == 0 and reason == "finished"
        if self.frontier is not None and self.frontier.round_had_errors():
            clean = False  # another crawler of the round failed a page this one's validators may hide
        for url, fs in self.crawl.feeds.items():
            if self.frontier is not None and not self.crawl.feed_touched(url):
                continue  # another crawler fetched it (the frontier let one request through): its state
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
        if self.extraction_streak >= self.config.crawl.extraction_failure_streak:
            self.store.record_health(self.name, st.EXTRACTION_PROBLEM, {
                "count": self.extraction_streak, "last_url": self.last_extraction_failure[0],
                "last_reason": self.last_extraction_failure[1]})
        elif self.extraction_successes:
            self.store.resolve_health(self.name, st.EXTRACTION_PROBLEM)
        self.final_stats = {**self.crawl.summary(), st.EXTRACTION_STREAK_KEY: self.extraction_streak}
        if self.store_failure is None:
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
            self.crawl.feeds[url] = self.crawl.loaded_feeds[url] = st.load_feed_state(self.store, url)
        return self.crawl.feeds[url]

    def feed_answered(self, response: Response, entries: int | None) -> None:
        """Record a feed's answer: validators, status, empty streak (entries None = 304)."""
        url = response.meta["feed"]
        fs = self.feed_state(url)
        changes: dict[str, Any] = {"last_status": response.status, "consecutive_failures": 0,
                                   "last_ok_at": to_utc_iso(self.clock())}
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
        yield from self.consider_all(entries)

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
        yield from self.consider_all(fresh)

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
        yield from self.consider_all(entries)
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
    def consider_all(self, entries: Iterable[Entry]) -> Iterator[scrapy.Request]:
        for entry in entries:
            request = self.consider(entry)
            if request is not None:
                yield request

    def consider(self, entry: Entry) -> scrapy.Request | None:
        """De-duplicate by canonical URL, apply the fetch rules, and build the article request.

        The decision rests on everything the listings said about the URL so far, whatever order
        they answered in: a news-sitemap entry with only a title skips an article that the RSS item
        read later (its summary matches a keyword) still schedules.
        """
        url = canonical_url(entry.url)
        if not self.profile.is_article_url(url):
            return None
        if self.frontier is not None:
            return self.consider_shared(url, entry)
        if url in self.seen:
            if self.seen[url] is not None:
                return None  # already fetched this crawl
            merged = merge_evidence(self.evidence[url], entry)
            if merged == self.evidence[url]:
                return None  # nothing new to decide on
            self.evidence[url] = merged
            reason = self.decide(url, merged)
            if reason is None:
                return None
            self.crawl.bump("skipped", -1)
        else:
            self.crawl.bump("discovered")
            self.evidence[url] = entry
            reason = self.decide(url, entry)
            if reason is None:
                self.seen[url] = None
                self.crawl.bump("skipped")
                return None
        self.seen[url] = reason
        return scrapy.Request(url, callback=self.parse_article, errback=self.article_failed,
                              meta={"reason": reason, "article_url": url})

    def consider_shared(self, url: str, entry: Entry) -> scrapy.Request | None:
        """``consider`` with a shared frontier: the decision rests on what every listing of the round
        said (whichever crawler read it), and the frontier's seen-set lets one request through."""
        if self.seen.get(url) is not None:
            return None  # this crawler asked for it already
        before, merged = self.frontier.evidence.merge(url, entry, merge_evidence)
        if before is not None and merged == before:
            return None  # nothing new to decide on
        if before is None:
            self.crawl.bump("discovered")  # first seen in the round: the crawlers' counts add up
        reason = self.decide(url, merged)
        if reason is None:
            self.seen[url] = None
            if before is None:
                self.crawl.bump("skipped")
                self.skip_counted.add(url)
            return None
        if url in self.skip_counted:  # this crawler had counted it skipped; now it is fetched
            self.skip_counted.discard(url)
            self.crawl.bump("skipped", -1)
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
        url = self.page_url(response)
        if self.needs_single_page(response):
            sep = "&" if "?" in url else "?"
            meta = {"reason": response.meta["reason"], "article_url": url, "single": True}
            yield scrapy.Request(f"{url}{sep}{self.profile.single_page_param}", callback=self.parse_article,
                                 errback=self.article_failed, meta=meta, dont_filter=True)
            return
        self.crawl.bump("fetched")
        yield page_item(url, response, response.meta["reason"])

    def page_url(self, response: Response) -> str:
        """The URL a page's body is stored under: the one it came from. After a redirect (on this
        site: SiteGuardMiddleware refuses any other) that is where the redirect ended, never the
        URL first asked for; extraction may still take the page's same-site canonical."""
        url = response.meta["article_url"]
        if not response.meta.get("redirect_urls"):
            return url
        final = canonical_url(response.url)
        if response.meta.get("single") and self.profile.single_page_param:
            final = _without_param(final, self.profile.single_page_param)
        return final

    def claim_redirect(self, request: scrapy.Request) -> str | None:
        """An article request redirected to ``request.url``: the reason to refuse it when that URL is
        another article this crawl already fetches (its page is stored under its own URL), else
        None, and the target is taken so no listing requests it again."""
        article = request.meta.get("article_url")
        if article is None:
            return None
        target = canonical_url(request.url)
        if request.meta.get("single") and self.profile.single_page_param:
            target = _without_param(target, self.profile.single_page_param)
        if target == article:
            return None
        if self.seen.get(target) is not None:
            return (f"redirected to {request.url}, which this crawl already fetches as an article of its own "
                    "(the page is stored under that URL)")
        if target in self.seen:
            self.crawl.bump("skipped", -1)  # a listing showed it and decide() had skipped it
        self.seen[target] = request.meta.get("reason", "new")
        return None

    def on_request_dropped(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        """The scheduler refused a request as a duplicate: for an article that is a redirect back to
        a URL already requested (a loop, or another listing's article). Never silent."""
        if spider is not self or "article_url" not in request.meta:
            return
        chain = [*request.meta.get("redirect_urls", ()), request.url]
        if self.frontier is not None and len(chain) == 1:
            # The frontier's seen-set is the round's: another crawler (or a listing) asked for it first.
            logger.debug("%s: %s: requested by another crawler of the round", self.name, request.url)
            return
        offsite = offsite_reason(request.url, self, redirected=len(chain) > 1)
        if len(chain) > 1 and canonical_url(request.url) in {canonical_url(u) for u in chain[:-1]}:
            reason = f"redirect loop: {' → '.join(chain)}"
        elif offsite is not None:  # a target refused before, now dropped as a duplicate of it
            reason = offsite
        elif len(chain) > 1:
            reason = f"redirected to {request.url}, which this crawl had already requested"
        else:
            reason = "not fetched: the scheduler dropped it as a duplicate of a request already made"
        self.note_error(request.meta["article_url"], reason)

    def needs_single_page(self, response: Response) -> bool:
        p = self.profile
        if not p.multipage_meta or response.meta.get("single"):
            return False
        # A byte scan, not response.css: that would parse the whole page in the crawl process.
        value = meta_content(response.body, p.multipage_meta) or ""
        return value.strip().lower() in p.multipage_values

    def article_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]  # Scrapy attaches the request to errback failures
        self.note_error(request.meta.get("article_url", request.url),
                        f"fetch failed: {self.describe(failure)}")

    # -- extraction outcomes ----------------------------------------------------------------
    def extraction_failed(self, url: str, reason: str) -> None:
        """A fetched article page gave no article (the pipeline calls this, then note_error)."""
        self.extraction_streak += 1
        self.last_extraction_failure = (url, reason)

    def extraction_succeeded(self) -> None:
        self.extraction_streak = 0
        self.extraction_successes += 1

    # -- errors -----------------------------------------------------------------------------
    def note_error(self, url: str, reason: str) -> None:
        # Each failure goes to the store (crawl_errors) and the debug log; `pantau crawl` sums them
        # up in one line per site and kind of failure.
        self.crawl.bump("errors")
        self.crawl.note_reason(reason)
        if self.frontier is not None:
            self.frontier.note_round_error()
        logger.debug("%s: %s: %s", self.name, url, reason)
        if self.store_failure is not None:
            return  # the store can't take it; the crawl is stopping
        try:
            self.store.record_crawl_error(self.run_id, url, reason)
        except StoreUnavailable as exc:
            self.store_failed(exc)

    def store_failed(self, exc: StoreUnavailable) -> None:
        """A store write failed: stop the crawl, nothing more can be kept (the next crawl redoes it)."""
        if self.store_failure is not None:
            return
        self.store_failure = exc
        logger.error("%s: %s; stopping the crawl", self.name, exc)
        engine = getattr(getattr(self, "crawler", None), "engine", None)
        if engine is not None:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(engine.close_spider_async(reason="store_unavailable"))

    def describe(self, failure: Failure) -> str:
        return failure_reason(failure, max_page_bytes=self.config.crawl.max_page_bytes)


def page_item(url: str, response: Response, reason: str) -> dict[str, Any]:
    """The pipeline item of an article page: its bytes as received and their Content-Type. The
    extract worker decodes them (``crawler.extract_worker.page_text``), so the crawl process never
    turns a page into text."""
    header = response.headers.get(b"Content-Type")
    return {"kind": "page", "url": url, "body": response.body,
            "content_type": header.decode("latin-1") if header else None, "reason": reason}


def merge_evidence(known: Entry, more: Entry) -> Entry:
    """What two listings together say about one URL: every title and summary (keywords may be in
    either), the newest publication time (an article is too old only if no listing says
    otherwise) and the newest lastmod."""
    def joined(a: str, b: str) -> str:
        return a if not b or b in a else (f"{a} {b}" if a else b)

    def newest(a: Any, b: Any) -> Any:
        return b if a is None else a if b is None else max(a, b)

    return Entry(url=known.url, title=joined(known.title, more.title), summary=joined(known.summary, more.summary),
                 published=newest(known.published, more.published), lastmod=newest(known.lastmod, more.lastmod),
                 channel=known.channel or more.channel)


def _without_param(url: str, param: str) -> str:
    """``url`` without the query parameter ``param`` (``single=1``; ``single`` alone too)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    name = param.split("=", 1)[0]
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    return urlunsplit(parts._replace(query=urlencode(query)))
