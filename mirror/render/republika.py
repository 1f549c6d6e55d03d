"""republika.co.id article page, 2023+ template (sites.md 3.3-3.4).

The body nests ``<p class="b2"> <p>text</p></p>`` as the real site does; the visible date uses
one of the site's observed spellings, chosen from the URL so it stays stable per article."""

from __future__ import annotations

import zlib

from ._common import (
    OTHER_HEADLINES,
    esc,
    headline_list,
    hhmm,
    json_ld,
    news_article_ld,
    short_date,
    weekday,
    wib,
    wib_iso,
)

EDITORS = ("Teguh Firmansyah", "Nidia Zuraya", "Fuji Pratiwi")
ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")


def visible_date(view) -> str:
    d = wib(view.published_at)
    style = zlib.crc32(view.url.encode()) % 3
    if style == 0:  # "Kamis 16 Nov 2017 01:36 WIB"
        return f"{weekday(d)} {short_date(d)} {hhmm(d)} WIB"
    if style == 1:  # "Rabu , 10 Apr 2024, 06:16 WIB"
        return f"{weekday(d)} , {short_date(d)}, {hhmm(d)} WIB"
    return f"{weekday(d)} , {d.day:02d} {ENGLISH_MONTHS[d.month - 1]} {d.year}, {hhmm(d)} WIB"


def _picked(n: int) -> str:
    items = "".join(f'<li><a href="https://ekonomi.republika.co.id/berita/s{n}{i}x7k2m9/lainnya">{esc(OTHER_HEADLINES[(n + i) % len(OTHER_HEADLINES)])}</a></li>'
                    for i in range(2))
    return f'<div class="picked-article"><span class="picked-article__title">Baca Juga</span><div><ul>{items}</ul></div></div>'


def render(view, *, page: int | None = None, single: bool = False, mobile: bool = False) -> str:
    body = []
    for i, text in enumerate(view.paragraphs):
        para = esc(text)
        if i == 0:
            para = f"REPUBLIKA.CO.ID, {esc(view.dateline.upper())} -- {para}"
        body.append(f'<p class="b2"> <p>{para}</p></p>')
        if i == 0:
            body.append(_picked(i))
        if i == 1:
            body.append(f'<div id="div-gpt-ad-{i}"><p>Advertisement</p></div><div id="bn_{i}"></div>')
    body.append('<p class="b2"></p>')
    body.append("<p>sumber : Antara</p>")
    caption = (f'<div class="max-card__image"><figure><img src="https://static.republika.co.id/uploads/images/foto.jpg" alt="">'
               f'<figcaption class="detail__media-caption">{esc(view.caption)}</figcaption></figure></div>'
               if view.caption else "")
    # The byline names the reporter (Rep:) and the editor (Red:); JSON-LD names the editor only.
    editor = EDITORS[zlib.crc32(view.title.encode()) % len(EDITORS)]
    host = view.url.split("/")[2]
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>{esc(view.title)} | Republika Online</title>
<meta property="og:title" content="{esc(view.title)} |Republika Online">
<meta property="og:description" content="{esc(view.summary)}">
<meta property="article:published_time" content="{wib_iso(view.published_at)}">
<meta name="keywords" content="{esc(','.join(view.tags))}">
<link rel="canonical" href="{view.url}">
{news_article_ld(view, author=editor, publisher="Republika Online")}
{json_ld({"@context": "https://schema.org", "@type": "Organization", "name": "Republika", "url": "https://www.republika.co.id"})}
<script>var googletag = googletag || {{}}; googletag.cmd = [];</script>
</head>
<body>
<header class="header"><a href="https://www.republika.co.id/">Republika</a></header>
<ul class="breadcrumb"><li><a href="https://www.republika.co.id/">Home</a></li><li><a href="https://{host}/">{esc(view.channel.capitalize())}</a></li></ul>
<div class="main-content">
<div class="main-content__left">
<div class="max-card">
<div class="max-card__title">
<h1>{esc(view.title)}</h1>
<div class="date date-item__headline">{visible_date(view)}</div>
<span>Rep: {esc(view.author)}/ Red: <a href="https://www.republika.co.id/page/penulis/red">{esc(editor)}</a></span>
</div>
<p class="max-card__teaser">{esc(view.summary)}</p>
{caption}
<div class="article-content">
<article>
{chr(10).join(body)}
</article>
</div>
<div class="footnote-wrap"><div id="div-gpt-ad-footnote">Advertisement</div></div>
<div id="next-article" data-max-pages="5">Halaman 1 / 5</div>
</div>
<div class="related"><h3>Berita Terkait</h3>{headline_list("related-list", "https://ekonomi.republika.co.id/berita/r", 1)}</div>
<div class="others"><h3>Berita Lainnya</h3>{headline_list("others-list", "https://news.republika.co.id/berita/o", 3)}</div>
</div>
<div class="main-content__right"><div class="populer"><h3>Terpopuler</h3>{headline_list("popular-list", "https://www.republika.co.id/berita/p", 2, numbered=True)}</div></div>
</div>
<footer>Copyright 2026 Republika.co.id. All rights reserved.</footer>
</body>
</html>
"""
