"""Discovery: profiles, feed/sitemap/index parsing, and the rules that decide what is fetched."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from crawler.discovery import (
    DiscoveryParseError,
    Entry,
    decide,
    due_for_check,
    parse_datetime,
    parse_feed,
    parse_index,
    parse_sitemap,
)
from crawler.profiles import ProfileError, expand_index_template, load_profile
from pantau_config import DEFAULT_KEYWORDS, SITES

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>UMKM go digital capai 30 juta</title><link>https://inet.detik.com/business/d-1/umkm</link>
<description>Ringkas</description><pubDate>Tue, 24 Nov 2026 12:00:00 +0700</pubDate></item>
<item><title>no link</title></item></channel></rss>"""

SITEMAP = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://republika.co.id/kanal/ekonomi</loc></url>
<url><loc>https://ekonomi.republika.co.id/berita/abcdefghi/umkm-naik</loc><lastmod>2026-11-24T10:00:00+07:00</lastmod>
<news:news><news:publication_date>2026-11-24T09:00:00+07:00</news:publication_date><news:title>UMKM naik</news:title></news:news></url>
</urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://finance.detik.com/sitemap_news.xml</loc></sitemap></sitemapindex>"""


@pytest.mark.parametrize("site", SITES)
def test_every_site_has_a_profile_with_default_channels(site):
    profile = load_profile(site)
    assert profile.site == site
    assert profile.chosen_channels([])


def test_unknown_channel_in_config_is_an_error_naming_it():
    with pytest.raises(ProfileError, match="unknown channel 'olahraga'"):
        load_profile("detik").chosen_channels(["olahraga"])


def test_accept_and_deny_patterns():
    detik = load_profile("detik")
    assert detik.is_article_url("https://inet.detik.com/telecommunication/d-8671201/kominfo-sebut")
    assert not detik.is_article_url("https://inet.detik.com/indeks")
    assert not detik.is_article_url("https://inet.detik.com/infografis/d-8671201/grafis")
    rep = load_profile("republika")
    assert rep.is_article_url("https://ekonomi.republika.co.id/berita/tahjqa370/kemenkop-catat")
    assert not rep.is_article_url("https://republika.co.id/kanal/ekonomi")
    kom = load_profile("komdigi")
    assert kom.is_article_url("https://www.kominfo.go.id/content/detail/47179/siaran-pers-no-10/0/siaran_pers")
    assert kom.is_article_url("https://portal.komdigi.go.id/kanal-publik/berita-kini/10591")


def test_index_templates_fill_month_first_dates_and_offsets():
    detik = "https://inet.detik.com/indeks?date={mm}%2F{dd}%2F{yyyy}&page={page}"
    assert expand_index_template(detik, date(2026, 2, 3), 2) == "https://inet.detik.com/indeks?date=02%2F03%2F2026&page=2"
    lip = "https://www.liputan6.com/indeks/{yyyy}/{mm}/{dd}?start={yyyy}-{mm}-{dd}&end={next_yyyy}-{next_mm}-{next_dd}"
    assert expand_index_template(lip, date(2026, 12, 31), 1).endswith("start=2026-12-31&end=2027-01-01")
    assert expand_index_template("https://republika.co.id/index/ekonomi/{offset}", date.today(), 3, 50).endswith("/100")


def test_parse_feed_reads_items_with_links():
    entries = parse_feed(RSS)
    assert len(entries) == 1
    assert entries[0].title.startswith("UMKM") and entries[0].published == datetime(2026, 11, 24, 5, 0, tzinfo=UTC)


def test_parse_sitemap_urlset_and_index():
    entries, children = parse_sitemap(SITEMAP)
    assert children == [] and len(entries) == 2
    art = entries[1]
    assert art.title == "UMKM naik" and art.lastmod == datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    assert parse_sitemap(INDEX) == ([], ["https://finance.detik.com/sitemap_news.xml"])


@pytest.mark.parametrize("body", [b"", b"<rss><channel><item>", b"not xml at all"])
def test_broken_xml_raises_a_parse_error(body):
    with pytest.raises(DiscoveryParseError):
        parse_feed(body)


def test_parse_index_with_detik_selectors_and_epoch_times():
    html = ('<article class="list-content__item"><h3 class="media__title"><a href="https://inet.detik.com/x/d-5/y">'
            'Internet desa</a></h3><div class="media__date"><span d-time="1795500000">x</span></div></article>')
    [entry] = parse_index(html, "https://inet.detik.com/indeks", load_profile("detik").index)
    assert entry.title == "Internet desa" and entry.published == datetime.fromtimestamp(1795500000, UTC)


def test_parse_index_filters_liputan6_channels():
    html = ''.join(f'<article class="articles--rows--item" data-channel-slug="{c}"><a data-template-var="url" '
                   f'href="/{c}/read/1/a"><span data-template-var="title">T</span></a></article>' for c in ("bisnis", "bola"))
    entries = parse_index(html, "https://www.liputan6.com/indeks/2026/11/24", load_profile("liputan6").index, ["bisnis"])
    assert [e.url for e in entries] == ["https://www.liputan6.com/bisnis/read/1/a"]


def test_parse_datetime_forms():
    assert parse_datetime("2026-11-24 10:00:00") == datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    assert parse_datetime("2026-11-24T10:00:00Z") == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    assert parse_datetime("garbage") is None


@dataclass
class Known:
    last_fetched_at: str
    published_at: str | None


def _decide(entry: Entry, known: Known | None, **kw) -> str | None:
    args = dict(now=NOW, keywords=DEFAULT_KEYWORDS, fetch_all=False, max_age_days=7, revision_hours=[6, 24, 72])
    args.update(kw)
    return decide(entry, known, **args)


def test_new_on_topic_article_is_fetched_off_topic_is_not_unless_fetch_all():
    assert _decide(Entry("u", title="Ribuan UMKM go online"), None) == "new"
    assert _decide(Entry("u", title="Persib menang 3-1"), None) is None
    assert _decide(Entry("u", title="Persib menang 3-1"), None, fetch_all=True) == "new"
    assert _decide(Entry("u"), None) == "new"  # nothing to judge by: fetch and let extraction decide


def test_old_unknown_article_is_not_backfilled():
    old = Entry("u", title="UMKM", published=NOW - timedelta(days=8))
    assert _decide(old, None) is None


def test_known_article_is_refetched_on_a_newer_lastmod_only():
    known = Known(last_fetched_at="2026-11-24T05:00:00+00:00", published_at="2026-11-24T04:00:00+00:00")
    assert _decide(Entry("u", lastmod=NOW), known) == "modified"
    assert _decide(Entry("u", lastmod=NOW - timedelta(hours=2)), known) is None
    assert _decide(Entry("u"), known) is None


def test_revision_check_ages_trigger_once_each():
    published = NOW - timedelta(hours=7)
    assert due_for_check(published, published + timedelta(hours=1), [6, 24], NOW)  # crossed 6 h since
    assert not due_for_check(published, published + timedelta(hours=6, minutes=30), [6, 24], NOW)
    assert not due_for_check(None, NOW, [6], NOW)
    known = Known(last_fetched_at=(published + timedelta(hours=1)).isoformat(), published_at=published.isoformat())
    assert _decide(Entry("u"), known) == "schedule"


def test_default_keywords_keep_both_ministry_names():
    assert {"kominfo", "komdigi"} <= set(DEFAULT_KEYWORDS)
