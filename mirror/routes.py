"""Routing per mirrored host: robots.txt, feeds, sitemaps, index pages, articles, the Komdigi API
and portal. ``route(clock, host, path, query, headers) -> Reply``; no sockets here."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from mirror import listings
from mirror.clock import Clock, Served
from mirror.robots import robots_for

# Items per feed: detik's inet feed had 100 items, Republika's about 15 (sites.md).
FEED_ITEMS = {"detik": 100, "liputan6": 100, "republika": 15}
# Cards per index page: detik 20, Liputan6 24, Republika's offset step 50 (sites.md).
DETIK_INDEX_PAGE = 20
LIPUTAN6_INDEX_PAGE = 24
REPUBLIKA_INDEX_STEP = 50
# The Komdigi API's largest page size that scrapers were seen using.
API_MAX_PER_PAGE = 100

DETIK_ARTICLE_PAGE = re.compile(r"^(?P<base>/.+/d-\d+/[\w-]+)/(?P<page>\d+)$")


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    lastmod: datetime | None = None
    xml: bool = False  # a feed or sitemap: the malformed_xml fault applies
    headers: Mapping[str, str] | None = None


def not_found(text: str = "not found") -> Reply:
    return Reply(404, f"<html><body><h1>404</h1><p>{text}</p></body></html>".encode())


def _xml(text: str, items: Sequence[Served], clock: Clock) -> Reply:
    lastmod = max((s.lastmod for s in items), default=clock.step_times[clock.step_no])
    return Reply(200, text.encode(), "application/xml; charset=utf-8", lastmod, xml=True)


def _html(text: str) -> Reply:
    return Reply(200, text.encode())


def _site_items(clock: Clock, site: str, host: str | None = None, channel: str | None = None) -> list[Served]:
    out = []
    for s in clock.served():
        a = s.article
        if a.site != site:
            continue
        if host is not None and not a.url.startswith(f"https://{host}/"):
            continue
        if channel is not None and a.channel != channel:
            continue
        out.append(s)
    return out


def _on_day(items: list[Served], day: date) -> list[Served]:
    return [s for s in items if s.view.published_at.astimezone(listings.WIB).date() == day]


def _render(clock: Clock, served: Served, **kw: object) -> Reply:
    from mirror.render import render_article

    key = (served.article.url, clock.step_no, tuple(sorted(kw.items())))
    html = clock.render_cache.get(key)
    if html is None:
        html = render_article(served.view, **kw)  # type: ignore[arg-type]
        clock.render_cache[key] = html
    return Reply(200, html.encode() if isinstance(html, str) else html, lastmod=served.lastmod)


def route(clock: Clock, host: str, path: str, query: Mapping[str, str], headers: Mapping[str, str]) -> Reply:
    if path == "/robots.txt":
        return Reply(200, robots_for(host).encode(), "text/plain; charset=utf-8")
    if host.endswith("detik.com"):
        return _detik(clock, host, path, query)
    if host.endswith("liputan6.com"):
        return _liputan6(clock, host, path, query)
    if host.endswith("republika.co.id"):
        return _republika(clock, host, path, query)
    if host.endswith("komdigi.go.id"):
        return _komdigi(clock, host, path, query, headers)
    return not_found("the archive kominfo.go.id hosts serve nothing in the mirror")


def _page_no(query: Mapping[str, str]) -> int:
    try:
        return max(1, int(query.get("page", "1")))
    except ValueError:
        return 1


def _detik(clock: Clock, host: str, path: str, query: Mapping[str, str]) -> Reply:
    parts = [p for p in path.split("/") if p]
    if host == "www.detik.com" and path == "/sitemap.xml":
        hosts = sorted({s.article.url.split("/")[2] for s in _site_items(clock, "detik")} | {"news.detik.com"})
        locs = [f"https://{h}/sitemap_news.xml" for h in hosts] + ["https://news.detik.com/berita/sitemap_news.xml"]
        return _xml(listings.sitemap_index(locs), [], clock)
    if parts and parts[-1] in ("rss", "sitemap_news.xml") and len(parts) <= 2:
        channel = parts[0] if len(parts) == 2 else None
        items = _site_items(clock, "detik", host, channel)
        if parts[-1] == "rss":
            return _xml(listings.rss(f"{host} {channel or ''}", f"https://{host}/", items[:FEED_ITEMS["detik"]]),
                        items[:FEED_ITEMS["detik"]], clock)
        return _xml(listings.news_sitemap(items), items, clock)
    if parts and parts[0] == "indeks":
        items = _site_items(clock, "detik", host)
        date_param = query.get("date", "")
        if date_param:
            try:
                day = datetime.strptime(date_param, "%m/%d/%Y").date()
            except ValueError:
                return Reply(400, b"bad date: use MM/DD/YYYY")
            items = _on_day(items, day)
        index_page = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else _page_no(query)
        pages = max(1, -(-len(items) // DETIK_INDEX_PAGE))
        chunk = items[(index_page - 1) * DETIK_INDEX_PAGE: index_page * DETIK_INDEX_PAGE]
        return _html(listings.detik_index(host, chunk, index_page, pages, date_param))
    served = clock.find(host, path)
    page: int | None = None
    if served is None and (m := DETIK_ARTICLE_PAGE.match(path)):
        served, page = clock.find(host, m.group("base")), int(m.group("page"))
    if served is None:
        return not_found()
    if page is not None and page > served.view.page_count:
        return not_found("no such page")
    return _render(clock, served, page=page, single=query.get("single") == "1")


def _liputan6(clock: Clock, host: str, path: str, query: Mapping[str, str]) -> Reply:
    parts = [p for p in path.split("/") if p]
    if parts and parts[0] == "rss" and host in ("feed.liputan6.com", "www.liputan6.com"):
        channel = parts[1] if len(parts) > 1 else None
        items = _site_items(clock, "liputan6", None, channel)[:FEED_ITEMS["liputan6"]]
        return _xml(listings.rss(f"Liputan6 {channel or ''}", "https://www.liputan6.com/", items), items, clock)
    if host == "www.liputan6.com":
        if path == "/sitemap.xml":
            channels = sorted({s.article.channel for s in _site_items(clock, "liputan6")})
            return _xml(listings.sitemap_index([f"https://www.liputan6.com/{c}/sitemap.xml" for c in channels]), [], clock)
        if len(parts) == 2 and parts[1] == "sitemap.xml":
            items = _site_items(clock, "liputan6", None, parts[0])
            return _xml(listings.news_sitemap(items), items, clock)
        if len(parts) == 4 and parts[0] == "indeks":
            try:
                day = date(int(parts[1]), int(parts[2]), int(parts[3]))
            except ValueError:
                return not_found("bad date")
            items = _on_day(_site_items(clock, "liputan6"), day)
            page = _page_no(query)
            return _html(listings.liputan6_index(items[(page - 1) * LIPUTAN6_INDEX_PAGE: page * LIPUTAN6_INDEX_PAGE]))
    lookup = "www.liputan6.com" if host == "m.liputan6.com" else host
    served = clock.find(lookup, path)
    if served is None:
        return not_found()
    return _render(clock, served, mobile=host == "m.liputan6.com")


def _republika(clock: Clock, host: str, path: str, query: Mapping[str, str]) -> Reply:
    parts = [p for p in path.split("/") if p]
    if parts and parts[0] == "rss" and host in ("www.republika.co.id", "republika.co.id"):
        channel = parts[1] if len(parts) > 1 else None
        items = _site_items(clock, "republika", None, channel)[:FEED_ITEMS["republika"]]
        return _xml(listings.rss(f"Republika {channel or ''}", "https://www.republika.co.id/", items), items, clock)
    if path == "/files/xml/sitemap.xml" and host == "republika.co.id":
        items = _site_items(clock, "republika")
        nav = [f"https://republika.co.id/kanal/{k}" for k in ("news", "ekonomi", "tekno")]
        return _xml(listings.news_sitemap(items, extra_locs=nav), items, clock)
    if parts and parts[0] == "index" and host in ("republika.co.id", "www.republika.co.id"):
        channel = parts[1] if len(parts) == 3 else None
        try:
            offset = int(parts[-1]) if len(parts) in (2, 3) else 0
        except ValueError:
            return not_found()
        items = _site_items(clock, "republika", None, channel)
        return _html(listings.republika_index(items[offset: offset + REPUBLIKA_INDEX_STEP]))
    served = clock.find(host, path)
    if served is None:
        return not_found()
    return _render(clock, served)


def _komdigi(clock: Clock, host: str, path: str, query: Mapping[str, str], headers: Mapping[str, str]) -> Reply:
    parts = [p for p in path.split("/") if p]
    if host == "web.komdigi.go.id" and parts[:4] == ["api", "v1", "contents", "category"] and len(parts) == 5:
        if "komdigi.go.id" not in (headers.get("origin", "") + headers.get("referer", "")):
            # The real API answers only the website's own origin (scrapers send Origin/Referer).
            return Reply(403, b'{"message": "Forbidden"}', "application/json")
        from mirror.render import render_api_item

        try:
            per_page = min(API_MAX_PER_PAGE, max(1, int(query.get("perPage", "12"))))
        except ValueError:
            per_page = 12
        page = _page_no(query)
        items = sorted(_site_items(clock, "komdigi", None, parts[4]), key=lambda s: s.view.published_at, reverse=True)
        chunk = items[(page - 1) * per_page: page * per_page]
        last_page = max(1, -(-len(items) // per_page))
        envelope = {"response": {"data": [render_api_item(s.view) for s in chunk], "current_page": page,
                                 "per_page": per_page, "total": len(items), "last_page": last_page}}
        lastmod = max((s.lastmod for s in chunk), default=None)
        return Reply(200, json.dumps(envelope, ensure_ascii=False).encode(), "application/json", lastmod)
    if host == "portal.komdigi.go.id":
        if len(parts) == 3 and parts[:2] == ["kanal-publik", "berita-kini"] and parts[2].isdigit():
            served = clock.find_portal(int(parts[2]))
            if served is None:
                return not_found()
            from mirror.render import render_portal_page

            return Reply(200, render_portal_page(served.view).encode(), lastmod=served.lastmod)
        return not_found()
    served = clock.find(host, path)
    if served is None:
        return not_found()
    return _render(clock, served)
