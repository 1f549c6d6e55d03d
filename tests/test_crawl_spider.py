"""Spider logic without a network: index paging with repeat detection, de-duplication across
listings, multi-page detection. The store is a small in-memory stand-in."""

from __future__ import annotations

import json
from datetime import date

from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.discovery import Entry
from crawler.spiders.detik import DetikSpider
from pantau_config import config_from_dict
from store import FeedState, KnownArticle

TEMPLATE = "https://inet.detik.com/indeks?date={mm}%2F{dd}%2F{yyyy}&page={page}"


class MemoryStore:
    def __init__(self, known: dict | None = None, due: list | None = None) -> None:
        self.known = known or {}
        self.due = due or []
        self.errors: list[tuple[str, str]] = []

    def known_article(self, url):
        return self.known.get(url)

    def articles_due_for_check(self, site, now, schedule_hours):
        return list(self.due)

    def feed_state(self, url):
        return FeedState(url=url, site="detik")

    def start_crawl_run(self, site, at=None):
        return 1

    def last_runs(self, per_site=1):
        return []

    def record_crawl_error(self, run_id, url, reason):
        self.errors.append((url, reason))


def spider(known: dict | None = None, due: list | None = None) -> DetikSpider:
    s = DetikSpider()
    s.setup(config_from_dict({}), store=MemoryStore(known, due))
    return s


def index_page(ids: list[int]) -> str:
    cards = "".join(f'<article class="list-content__item"><h3 class="media__title"><a href="https://inet.detik.com/'
                    f'telecommunication/d-{i}/internet-desa-{i}">Internet desa {i}</a></h3></article>' for i in ids)
    return f"<html><body>{cards}</body></html>"


def index_response(s: DetikSpider, ids: list[int], page: int, previous=frozenset(), retried=False) -> HtmlResponse:
    channel = s.profile.channels["inet"]
    request = s.index_request(TEMPLATE, date(2026, 11, 24), page, channel, previous, retried)
    return HtmlResponse(request.url, body=index_page(ids).encode(), encoding="utf-8", request=request)


def test_index_page_with_new_links_asks_for_the_next_page():
    s = spider()
    out = list(s.parse_index(index_response(s, [1, 2], 1)))
    articles = [r for r in out if "d-" in r.url]
    pages = [r for r in out if "indeks" in r.url]
    assert len(articles) == 2 and [p.meta["page"] for p in pages] == [2]


def test_repeated_index_page_is_asked_once_more_then_paging_stops():
    s = spider()
    first = list(s.parse_index(index_response(s, [1, 2], 1)))
    previous = next(r for r in first if "indeks" in r.url).meta["previous"]
    retry = list(s.parse_index(index_response(s, [1, 2], 2, previous)))
    assert len(retry) == 1 and retry[0].meta["retried"] and retry[0].dont_filter and retry[0].meta["page"] == 2
    assert list(s.parse_index(index_response(s, [1, 2], 2, previous, retried=True))) == []


def test_a_link_seen_in_a_feed_is_fetched_once_but_a_later_lastmod_can_still_fetch_it():
    from datetime import timedelta

    s = spider()
    now = s.now

    class Known:  # fetched half an hour ago, published an hour ago: no revision-check age is due
        last_fetched_at = (now - timedelta(minutes=30)).isoformat()
        published_at = (now - timedelta(hours=1)).isoformat()

    url = "https://inet.detik.com/telecommunication/d-5/internet-desa"
    s.store.known[url] = Known()
    assert s.consider(Entry(url, title="Internet desa")) is None  # known, no signal: skipped
    request = s.consider(Entry(url + "?utm_source=x", lastmod=now - timedelta(minutes=10)))
    assert request is not None and request.url == url and request.meta["reason"] == "modified"
    assert s.consider(Entry(url, lastmod=now - timedelta(minutes=5))) is None  # already on its way
    assert s.crawl.counts["discovered"] == 1 and s.crawl.counts["skipped"] == 0


def test_multipage_article_is_fetched_again_whole_with_single_1():
    s = spider()
    url = "https://inet.detik.com/telecommunication/d-5/internet-desa"
    request = Request(url, meta={"reason": "new", "article_url": url})
    body = b'<html><head><meta name="articletype" content="multiplepage"></head><body></body></html>'
    [again] = list(s.parse_article(HtmlResponse(url, body=body, request=request)))
    assert again.url == url + "?single=1" and again.meta["single"]
    single = HtmlResponse(again.url, body=body, request=again)
    [item] = list(s.parse_article(single))
    assert item["url"] == url and item["kind"] == "page"


def known(url: str, published_at: str | None = "2026-11-23T00:00:00+00:00") -> KnownArticle:
    return KnownArticle(url=url, version=1, content_hash="h", published_at=published_at,
                        first_seen_at="2026-11-23T01:00:00+00:00", last_fetched_at="2026-11-23T01:00:00+00:00",
                        checks_done=0)


def test_due_articles_are_requested_once_even_when_a_listing_shows_them_too():
    a = "https://inet.detik.com/telecommunication/d-11/internet-desa-11"
    b = "https://inet.detik.com/telecommunication/d-12/internet-desa-12"
    s = spider(known={a: known(a), b: known(b)}, due=[known(a), known(b)])
    # The index lists a first: discovery claims it (due, so fetched as a revision check).
    out = [r for r in s.parse_index(index_response(s, [11], 1)) if "d-" in r.url]
    assert [(r.url, r.meta["reason"]) for r in out] == [(a, "schedule")]
    requests = list(s.revision_requests())
    assert [(r.url, r.meta["reason"]) for r in requests] == [(b, "schedule")]
    assert requests[0].callback == s.parse_article  # a multi-page article still switches to ?single=1
    assert s.crawl.revision_checks == 1 and s.crawl.counts["skipped"] == 0


def test_komdigi_api_articles_are_rechecked_through_their_category_listing():
    from scrapy.http import TextResponse

    from crawler.spiders.komdigi import KomdigiSpider

    api_url = "https://www.komdigi.go.id/berita/artikel/detail/literasi-digital"
    portal_url = "https://portal.komdigi.go.id/kanal-publik/berita-kini/10600"
    s = KomdigiSpider()
    s.setup(config_from_dict({"crawl": {"sites": {"komdigi": {"channels": ["siaran-pers"]}}}}),
            store=MemoryStore({api_url: known(api_url)}, [known(api_url), known(portal_url)]))
    discovery = list(s.discovery_requests())
    assert any("category/artikel" in r.url for r in discovery)  # channel off, but an article of it is due
    assert [r.url for r in s.revision_requests()] == [portal_url]
    listing = next(r for r in discovery if "category/artikel" in r.url)
    item = {"slug": "literasi-digital", "title": "Literasi digital", "published_at": "2026-11-23T07:00:00+07:00",
            "body_html": "<p>Teks.</p>"}
    body = json.dumps({"response": {"data": [item], "last_page": 1}}).encode()
    [out] = list(s.parse_api(TextResponse(listing.url, body=body, request=listing)))
    assert out["kind"] == "api" and out["url"] == api_url and out["reason"] == "schedule"


def test_a_site_fails_as_a_whole_only_when_no_discovery_request_answered():
    from crawler.state import site_failed

    assert site_failed({"discovery_answered": 0, "discovery_failed": 3, "errors": 3})
    assert not site_failed({"discovery_answered": 1, "discovery_failed": 2, "errors": 9})
    assert not site_failed({"discovery_answered": 0, "discovery_failed": 0})  # nothing configured
    assert site_failed({})  # the spider never ran


def test_the_fetch_decision_uses_every_listing_of_a_url_whatever_order_they_answer_in():
    """Issue 14 item 7: a news-sitemap entry (title only, no keyword) must not hide the RSS item of
    the same URL whose summary matches a keyword."""
    from datetime import timedelta

    url = "https://inet.detik.com/telecommunication/d-77/pemerintah-kejar-target-baru"
    outcomes = []
    for order in ("sitemap first", "rss first"):
        s = spider()
        published = s.now - timedelta(hours=2)
        sitemap = Entry(url, title="Pemerintah Kejar Target Baru", published=published)
        rss = Entry(url, title="Pemerintah Kejar Target Baru", published=published,
                    summary="Sebanyak 30 juta UMKM ditargetkan masuk ekosistem digital.")
        first, second = (sitemap, rss) if order == "sitemap first" else (rss, sitemap)
        requests = [r for r in (s.consider(first), s.consider(second)) if r is not None]
        outcomes.append((order, [r.url for r in requests], s.crawl.counts["discovered"], s.crawl.counts["skipped"]))
    assert outcomes == [("sitemap first", [url], 1, 0), ("rss first", [url], 1, 0)]


def test_a_skipped_url_is_decided_again_only_when_a_listing_adds_evidence():
    s = spider()
    url = "https://inet.detik.com/telecommunication/d-78/konser-musik"
    assert s.consider(Entry(url, title="Konser Musik di Jakarta")) is None
    assert s.consider(Entry(url, title="Konser Musik di Jakarta")) is None
    assert s.consider(Entry(url, summary="Penonton menonton lewat siaran internet 5G.")) is not None
    assert s.crawl.counts["skipped"] == 0 and s.crawl.counts["discovered"] == 1
