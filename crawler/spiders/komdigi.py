"""komdigi.go.id (formerly kominfo.go.id): the JSON API (items carry body_html, so no page fetch)
and the press-release portal's id walk (its listing answers 404).

Revision checks: an API article is re-read from its category's API listing (the website page is a
script-built app; the API item is what was stored); portal and archive pages are fetched again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.http import Response

from crawler import state as st
from crawler.decoding import decode_page
from crawler.discovery import Entry, parse_datetime
from crawler.profiles import ChannelProfile
from crawler.spiders.base import ProfileSpider
from kernel.times import to_utc_iso
from kernel.urls import canonical_url
from pantau_config import Config

if TYPE_CHECKING:
    from kernel.stores import CrawlStore

# Item keys that may carry an edit time, in order of preference.
MODIFIED_KEYS = ("updated_at", "modified_at", "modified", "dateModified")


class KomdigiSpider(ProfileSpider):
    name = "komdigi"

    def setup(self, config: Config, store: CrawlStore | None = None, started: datetime | None = None) -> None:
        super().setup(config, store, started)
        # The page URL the API gives an item, as a regex that recovers the item's category.
        template = re.escape(self.profile.api["article_url"])
        self.api_url_pattern = re.compile(template.replace(r"\{category\}", r"(?P<category>[\w-]+)")
                                          .replace(r"\{slug\}", r"[\w-]+"))
        # category -> due API articles of it not met in its listing yet (paging goes on for them)
        self.api_due: dict[str, set[str]] = {}
        for url in self.due:
            category = self.api_category_of(url)
            if category is not None:
                self.api_due.setdefault(category, set()).add(url)

    def discovery_requests(self) -> Iterator[scrapy.Request]:
        yield from super().discovery_requests()
        listed = set()
        for channel in self.channels:
            if channel.api_category:
                listed.add(channel.api_category)
                yield self.api_request(channel, 1)
            if channel.portal:
                yield self.portal_start()
        for category in sorted(set(self.api_due) - listed):  # a due article of a channel now off
            yield self.api_request(self.profile.channels.get(category) or ChannelProfile(category, api_category=category), 1)

    def api_category_of(self, url: str) -> str | None:
        """The API category of an article URL built from an API item, None for other URLs."""
        match = self.api_url_pattern.fullmatch(url)
        return match["category"] if match else None

    def revision_request(self, url: str) -> scrapy.Request | None:
        if self.api_category_of(url) is not None:
            return None  # re-read from its category's API listing (parse_api)
        return super().revision_request(url)

    # -- JSON API ---------------------------------------------------------------------------
    def api_request(self, channel: ChannelProfile, page: int) -> scrapy.Request:
        api = self.profile.api
        key = api["url"].format(category=channel.api_category, per_page=api["per_page"], page="*")
        url = api["url"].format(category=channel.api_category, per_page=api["per_page"], page=page)
        return scrapy.Request(url, callback=self.parse_api, errback=self.feed_failed,
                              headers=dict(api.get("headers", {})),
                              meta={"feed": key, "channel": channel, "page": page})

    def parse_api(self, response: Response) -> Iterator[Any]:
        channel: ChannelProfile = response.meta["channel"]
        try:
            envelope = json.loads(response.body)
            data = envelope["response"]["data"]
            last_page = int(envelope["response"].get("last_page", 1))
        except (ValueError, KeyError, TypeError) as exc:
            self.feed_broken(response, exc)
            return
        page = response.meta["page"]
        key = response.meta["feed"]
        if page == 1:
            self.feed_answered(response, len(data))
        wanted = self.api_due.get(channel.api_category, set())
        high_water = parse_datetime(self.feed_state(key).high_water)
        newest = parse_datetime(self.crawl.new_high_water.get(key)) or high_water
        older_seen = False
        for item in data:
            published = parse_datetime(str(item.get("published_at") or ""))
            modified = next((parse_datetime(str(item[k])) for k in MODIFIED_KEYS if item.get(k)), None)
            stamp = modified or published
            if stamp is not None and (newest is None or stamp > newest):
                newest = stamp
            if high_water is not None and published is not None and published <= high_water:
                older_seen = True
            url = self.profile.api["article_url"].format(category=channel.api_category, slug=item.get("slug", ""))
            entry = Entry(url=url, title=str(item.get("title") or ""), summary=str(item.get("excerpt") or ""),
                          published=published, lastmod=modified)
            canon = canonical_url(url)
            wanted.discard(canon)
            if canon in self.seen:
                continue
            self.crawl.bump("discovered")
            reason = self.seen[canon] = self.decide(canon, entry)
            if reason is None:
                self.crawl.bump("skipped")
                continue
            self.crawl.bump("fetched")
            yield {"kind": "api", "url": canon, "api_item": item, "reason": reason}
        if newest is not None:
            self.crawl.new_high_water[key] = to_utc_iso(newest)
        # Newest first: once a page reaches what the last crawl saw, older pages hold nothing new,
        # unless an article due for a revision check is still to be met.
        if page < min(last_page, int(self.profile.api.get("max_pages", 5))) and (not older_seen or wanted) and data:
            yield self.api_request(channel, page + 1)

    # -- portal id walk ---------------------------------------------------------------------
    def portal_key(self) -> str:
        return self.profile.portal["url"].format(id="*")

    def highest_portal_id(self) -> int | None:
        """The highest id the walk has found, kept as the portal listing's cursor in the store."""
        cursor = self.store.feed_cursor(self.portal_key())
        return int(cursor) if cursor and cursor.isdigit() else None

    def portal_start(self) -> scrapy.Request:
        highest = self.highest_portal_id()
        first = highest + 1 if highest is not None else int(self.profile.portal["start_id"])
        return self.portal_request(first, 0)

    def portal_request(self, page_id: int, misses: int) -> scrapy.Request:
        url = self.profile.portal["url"].format(id=page_id)
        return scrapy.Request(url, callback=self.parse_portal, errback=self.portal_failed,
                              meta={"portal_id": page_id, "misses": misses, "handle_httpstatus_list": [404],
                                    "article_url": url, "reason": "new"})

    def parse_portal(self, response: Response) -> Iterator[Any]:
        page_id = response.meta["portal_id"]
        self.crawl.discovery_answered += 1  # a 404 too: the portal is reachable, the id just unused
        if response.status == 404:
            misses = response.meta["misses"] + 1
            if misses < int(self.profile.portal["max_misses"]):
                yield self.portal_request(page_id + 1, misses)
            return
        key = self.portal_key()
        fs = self.feed_state(key)
        # Saved at once, even when other requests of this crawl fail: a found id is never walked again.
        if page_id > (self.highest_portal_id() or 0):
            self.store.save_feed_cursor(key, str(page_id))
        self.crawl.feeds[key] = st.updated(fs, last_status=200, last_ok_at=to_utc_iso(self.clock()), consecutive_empty=0)
        url = canonical_url(response.url)
        if url not in self.seen:
            self.seen[url] = "new"
            self.crawl.bump("discovered")
            self.crawl.bump("fetched")
            yield {"kind": "page", "url": url, "body": decode_page(response), "reason": "new"}
        yield self.portal_request(page_id + 1, 0)

    def portal_failed(self, failure: Any) -> Iterator[scrapy.Request]:
        self.crawl.discovery_failed += 1
        self.article_failed(failure)
        request = failure.request
        # Skip past a broken id instead of ending the walk.
        misses = request.meta["misses"] + 1
        if misses < int(self.profile.portal["max_misses"]):
            yield self.portal_request(request.meta["portal_id"] + 1, misses)
