"""Listings the mirror serves: RSS 2.0, sitemap index and news sitemaps (with lastmod), the index
pages of each site in its real markup, and the Komdigi API envelope. All links are real URLs."""

from __future__ import annotations

import email.utils
from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape

from kernel.times import WIB, wib_iso
from mirror.clock import Served


def _x(text: str) -> str:
    return escape(text, quote=True)


def http_date(dt: datetime) -> str:
    return email.utils.format_datetime(dt.astimezone(UTC), usegmt=True)


def rss(title: str, link: str, items: Sequence[Served]) -> str:
    body = []
    for s in items:
        v = s.view
        body.append(f"<item><title>{_x(v.title)}</title><link>{_x(v.url)}</link><guid>{_x(v.url)}</guid>"
                     f"<pubDate>{http_date(v.published_at)}</pubDate><description>{_x(v.summary)}</description>"
                     f"<category>{_x(v.channel)}</category></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{_x(title)}</title><link>{_x(link)}</link><language>id</language>"
            + "".join(body) + "</channel></rss>\n")


def news_sitemap(items: Sequence[Served], extra_locs: Sequence[str] = ()) -> str:
    body = [f"<url><loc>{_x(loc)}</loc></url>" for loc in extra_locs]
    for s in items:
        v = s.view
        body.append(f"<url><loc>{_x(v.url)}</loc><lastmod>{wib_iso(s.lastmod)}</lastmod>"
                    f"<news:news><news:publication><news:name>{_x(v.site)}</news:name>"
                    f"<news:language>id</news:language></news:publication>"
                    f"<news:publication_date>{wib_iso(v.published_at)}</news:publication_date>"
                    f"<news:title>{_x(v.title)}</news:title></news:news></url>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + "".join(body) + "</urlset>\n")


def sitemap_index(locs: Sequence[str]) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<sitemap><loc>{_x(loc)}</loc></sitemap>" for loc in locs) + "</sitemapindex>\n")


def _page(title: str, inner: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8"><title>{_x(title)}</title></head>'
            f"<body>{inner}</body></html>\n")


def detik_index(host: str, items: Sequence[Served], page: int, pages: int, date_param: str) -> str:
    cards = []
    for s in items:
        v = s.view
        pub = v.published_at.astimezone(WIB)
        cards.append(f'<article class="list-content__item"><div class="media"><div class="media__text">'
                     f'<h3 class="media__title"><a class="media__link" href="{_x(v.url)}" dtr-ttl="{_x(v.title)}">'
                     f'{_x(v.title)}</a></h3><div class="media__date"><span d-time="{int(v.published_at.timestamp())}" '
                     f'title="{pub:%d %b %Y %H:%M} WIB">{pub:%H:%M} WIB</span></div></div></div></article>')
    nav = "".join(f'<a class="pagination__item" href="https://{host}/indeks?date={_x(date_param)}&amp;page={n}">{n}</a>'
                  for n in range(1, pages + 1))
    return _page("Indeks Berita", f'<div class="list-content">{"".join(cards)}</div>'
                                  f'<div class="pagination">{nav}</div>')


def liputan6_index(items: Sequence[Served]) -> str:
    cards = []
    for s in items:
        v = s.view
        cards.append(f'<article class="articles--rows--item" data-channel-slug="{_x(v.channel)}">'
                     f'<a data-template-var="url" href="{_x(v.url)}"><span data-template-var="title">{_x(v.title)}</span></a>'
                     f'<div data-template-var="summary">{_x(v.summary)}</div>'
                     f'<time class="timeago" datetime="{wib_iso(v.published_at)}"></time></article>')
    return _page("Indeks Berita Liputan6", f'<div class="articles--rows">{"".join(cards)}</div>')


def republika_index(items: Sequence[Served]) -> str:
    cards = []
    for s in items:
        v = s.view
        cards.append(f'<li class="list-group-item list-border conten1"><a href="{_x(v.url)}"><h3>{_x(v.title)}</h3></a>'
                     f'<span class="kanal-info">{_x(v.channel)}</span><time datetime="{wib_iso(v.published_at)}"></time></li>')
    return _page("Indeks Republika", f'<ul class="wrap-latest">{"".join(cards)}</ul>')
