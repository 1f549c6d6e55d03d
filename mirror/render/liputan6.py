"""liputan6.com article page: desktop ``read-page`` template and the ``m.`` mobile template
(sites.md 2.3-2.4). All pages of a multi-page article are blocks of one document."""

from __future__ import annotations

import json

from ._common import (
    OTHER_HEADLINES,
    esc,
    headline_list,
    hhmm,
    news_article_ld,
    short_date,
    wib_iso,
)

TV_PROMO = ('** Saksikan "Kabar Ekonomi" di Liputan6 Pagi SCTV setiap Senin pukul 05.30 WIB, '
            'mulai 10 Agustus 2026')


def _initials(view) -> str:
    first = view.author.split()[0][:3].capitalize()
    return f"({first}/Isk)"


def _baca_juga(view) -> str:
    items = "".join(f'<li class="baca-juga__item"><a class="baca-juga__link" href="https://www.liputan6.com/bisnis/read/{6200000 + i}/lainnya">'
                    f'<span class="baca-juga__title">{esc(OTHER_HEADLINES[(i + 3) % len(OTHER_HEADLINES)])}</span></a></li>'
                    for i in range(3))
    return (f'<div class="baca-juga" data-component-name="desktop:read-page:article-content-body:section:bacajuga">'
            f'<p class="baca-juga__header">Baca Juga</p><ul class="baca-juga__list">{items}</ul></div>')


def _ad(n: int) -> str:
    return (f'<div class="article-ad"><div id="gpt-ad-liputan6-sc-{n}" class="seamless-ads">'
            f'<p class="article-ad__label">Advertisement</p><ins class="adsbygoogle"></ins></div></div>')


def _page_blocks(view, mobile: bool) -> list[tuple[str, list[str]]]:
    """(sub-heading, paragraph html) per block: the body pages, the video section, the appended story."""
    blocks: list[tuple[str, list[str]]] = []
    for n, paragraphs in enumerate(view.pages):
        heading = view.page_titles[n - 1] if 0 < n <= len(view.page_titles) else ""
        html = []
        for i, text in enumerate(paragraphs):
            para = esc(text)
            if n == 0 and i == 0:
                para = f"<strong>Liputan6.com, {esc(view.dateline)}</strong> - {para}"
            html.append(f"<p>{para}</p>")
            if n == 0 and i == 0:
                html.append(_baca_juga(view) if not mobile else
                            f'<p>BACA JUGA: <a href="https://m.liputan6.com/bisnis/read/6200001/lainnya">{esc(OTHER_HEADLINES[4])}</a></p>')
        if n == len(view.pages) - 1:
            html.append(f"<p>{esc(_initials(view))}</p>")
            html.append(f"<p>{esc(TV_PROMO)}</p>")
        blocks.append((heading, html))
    blocks.append(("Saksikan Video Pilihan Berikut Ini:", [
        '<iframe class="vidio-embed" src="https://www.vidio.com/embed/7123456-umkm" width="560" height="315"></iframe>']))
    if view.appended is not None:
        story = view.appended
        html = []
        if story.caption:
            html.append(f'<figure class="read-page--photo-gallery--item"><img src="https://cdn1-production-images-kly.akamaized.net/foto.jpg" alt="">'
                        f'<figcaption class="read-page--photo-gallery--item__caption">{esc(story.caption)}</figcaption></figure>')
        html += [f"<p>{esc(p)}</p>" for p in story.paragraphs]
        blocks.append((story.title, html))
    return blocks


def _head(view, canonical: str) -> str:
    kmk = json.dumps({"articleId": view.key, "title": view.title, "shortDescription": view.summary,
                      "channel": view.channel}, ensure_ascii=False)
    return f"""<head>
<meta charset="utf-8">
<title>{esc(view.title)} - Bisnis Liputan6.com</title>
<meta property="og:title" content="{esc(view.title)}">
<meta property="og:description" content="{esc(view.summary)}">
<meta property="article:published_time" content="{wib_iso(view.published_at)}">
<meta property="article:modified_time" content="{wib_iso(view.modified_at)}">
<meta property="article:section" content="{esc(view.channel)}">
<meta name="adx:sections" content="{esc(view.channel)}/ekonomi">
<meta name="keywords" content="{esc(', '.join(view.tags))}">
<link rel="canonical" href="{canonical}">
{news_article_ld(view, author=view.author, publisher="Liputan6.com")}
<script>window.kmklabs = window.kmklabs || {{}}; window.kmklabs.article = {kmk};</script>
</head>"""


def _after_body(view) -> str:
    tags = "".join(f'<a class="read-page--tags__link" href="https://www.liputan6.com/tag/{esc(t.replace(" ", "-"))}">{esc(t)}</a>'
                   for t in view.tags)
    return f"""<div class="tags--topics"><h4>Tag Terkait</h4><div class="read-page--tags__list">{tags}</div></div>
<div class="article-snippet--related"><h3>Berita Terkait</h3>{headline_list("relateds-cached", "https://www.liputan6.com/bisnis/read/", 1)}</div>
<div class="popular"><h3>POPULER</h3>{headline_list("popular__list", "https://www.liputan6.com/news/read/", 2, numbered=True)}</div>
<div class="latest"><h3>Berita Terkini Selengkapnya</h3>{headline_list("latest__list", "https://www.liputan6.com/news/read/", 4)}</div>"""


def render(view, *, page: int | None = None, single: bool = False, mobile: bool = False) -> str:
    pub, mod = view.published_at, view.modified_at
    blocks = _page_blocks(view, mobile)
    photo = (f'<figure class="read-page--photo-gallery--item"><img src="https://cdn1-production-images-kly.akamaized.net/lead.jpg" alt="">'
             f'<figcaption class="read-page--photo-gallery--item__caption">{esc(view.caption)}</figcaption></figure>'
             if view.caption else "")
    if mobile:
        items = []
        for n, (heading, html) in enumerate(blocks):
            divider = f'<div class="article-content-body__item-index">{n + 1} dari {len(blocks)} halaman</div>' if n else ""
            title = f'<h2 class="article-content-body__item-title">{esc(heading)}</h2>' if heading else ""
            items.append(f'{divider}<div class="article-content-body__item">{title}<div class="article-raw-content">{"".join(html)}</div></div>')
        return f"""<!DOCTYPE html>
<html lang="id">
{_head(view, view.url)}
<body class="mobile">
<header class="article-header">
<h1 class="article-header__title">{esc(view.title)}</h1>
<div class="article-header__authors">Oleh <a class="article-header__author-link" href="https://m.liputan6.com/me/author">{esc(view.author)}</a></div>
<div class="article-header__datetime"> pada {short_date(pub)}, {hhmm(pub)} WIB</div>
<div class="article-header__modified-time"><span class="article-header__modified-time__text">Diperbarui</span> {short_date(mod)}, {hhmm(mod)} WIB</div>
</header>
{photo.replace('</figcaption>', '</figcaption><span class="zoom">Perbesar</span>')}
<div class="article-content-body multisection">
{"".join(items)}
<div class="article-content-body__load-more">Lanjutkan Membaca ↓</div>
<div class="article-content-body__loading-animation">Loading</div>
</div>
{_after_body(view)}
</body>
</html>
"""
    items = []
    for n, (heading, html) in enumerate(blocks):
        title = f'<h2 class="article-content-body__item-title">{esc(heading)}</h2>' if heading else ""
        items.append(f'<div class="article-content-body__item-page" data-page="{n + 1}">{title}'
                     f'<div class="article-content-body__item-content">{"".join(html)}</div></div>')
        if n < len(blocks) - 1:
            items.append(_ad(n + 1))
    return f"""<!DOCTYPE html>
<html lang="id">
{_head(view, view.url)}
<body>
<header class="navbar--top"><a href="https://www.liputan6.com/">Liputan6.com</a>
<ul class="read-page--breadcrumb"><li class="read-page--breadcrumb--item"><a href="https://www.liputan6.com/{esc(view.channel)}">{esc(view.channel.capitalize())}</a></li></ul></header>
<div class="read-page--top-media"><div class="article-ad"><p>Advertisement</p></div></div>
<article class="hentry main read-page--core-article">
<header class="read-page--header">
<h1 class="read-page--header--title entry-title" itemprop="headline">{esc(view.title)}</h1>
<p class="read-page--header--subtitle">{esc(view.summary)}</p>
<div class="read-page--header--author">
<span class="read-page--header--author__name fn" itemprop="author">{esc(view.author)}</span>
<span class="read-page--header--author__modified-time">diperbarui {short_date(mod)}, {hhmm(mod)} WIB</span>
<time class="read-page--header--author__datetime updated" itemprop="datePublished" datetime="{wib_iso(pub)}">Diterbitkan {short_date(pub)}, {hhmm(pub)} WIB</time>
<time itemprop="dateModified" datetime="{wib_iso(mod)}"></time>
</div>
</header>
{photo}
<div class="article-content-body article-content-body_with-aside read-page--content">
{chr(10).join(items)}
</div>
</article>
{_after_body(view)}
<footer class="footer">Copyright 2026 Liputan6.com KLY KapanLagi Youniverse All Rights Reserved</footer>
</body>
</html>
"""
