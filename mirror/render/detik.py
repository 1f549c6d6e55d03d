"""detik.com article page, ``detail__`` template (sites.md 1.3-1.4).

Multi-page articles: ``page=N`` serves one page with the ``detail__long-nav`` pagination and a
"selanjutnya" button; ``single=True`` (``?single=1``) serves the whole article on one page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ._common import (
    OTHER_HEADLINES,
    esc,
    headline_list,
    hhmm,
    news_article_ld,
    short_date,
    weekday,
    wib,
)

LABELS = {"inet": "detikInet", "finance": "detikFinance", "sport": "detikSport", "hot": "detikHot",
          "news": "detikNews", "health": "detikHealth", "oto": "detikOto"}


def _label(url: str) -> str:
    sub = (urlsplit(url).hostname or "").split(".")[0]
    return LABELS.get(sub, "detikcom")


def _ad_block(n: int) -> str:
    return (f'<!--s:parallaxindetail--><div class="parallaxindetail scrollpage">'
            f'<p class="para_caption">ADVERTISEMENT</p><div id="div-gpt-ad-{n}" class="ads-scrollpage-top"></div>'
            f'<p class="para_caption">SCROLL TO CONTINUE WITH CONTENT</p></div><!--e:parallaxindetail-->')


def _baca_juga(view, n: int) -> str:
    host = urlsplit(view.url).hostname
    title = OTHER_HEADLINES[(n + len(view.title)) % len(OTHER_HEADLINES)]
    return (f'<div class="noncontent"><table class="linksisip"><tr><td><div class="lihatjg">'
            f'<strong>Baca juga: </strong><a href="https://{host}/berita/d-{8600000 + n}/lainnya" '
            f'dtr-act="baca juga">{esc(title)}</a></div></td></tr></table></div>')


def render(view, *, page: int | None = None, single: bool = False, mobile: bool = False) -> str:
    pages = view.pages
    multi = len(pages) > 1
    if single or not multi:
        shown, number = list(view.paragraphs), None
    else:
        number = min(max(page or 1, 1), len(pages))
        shown = pages[number - 1]
    first_page = number in (None, 1)
    last_page = number is None or number == len(pages)
    label = _label(view.url)
    pub = view.published_at
    body: list[str] = []
    for i, text in enumerate(shown):
        para = esc(text)
        if i == 0 and first_page:
            para = f"<strong>{esc(view.dateline)}</strong> - {para}"
        body.append(f"<p>{para}</p>")
        if i == 0:
            body.append(_ad_block(i))
        if i == 1:
            body.append(_baca_juga(view, i))
        if i == 2:
            body.append('<!--s:static_detail--><div class="staticdetail_container">'
                        '<span class="para_caption">ADVERTISEMENT</span></div><!--e:static_detail-->')
    if last_page:
        body.append('<p><strong>Simak Video "<span id="aevp_title">Kisah Warga Desa Menunggu Sinyal 4G</span>"</strong></p>')
        body.append('<p><a class="embed video20detik" href="https://20.detik.com/detikupdate/20261101-261101001/video">[Gambas:Video 20detik]</a></p>')
        body.append(f"<p><strong>({esc(view.reporter_initials)})</strong></p>")
        body.append("<p>Hoegeng Awards 2026: baca kisah inspiratif 7 polisi teladan pilihan pembaca di sini.</p>")
    nav = ""
    if multi and not single:
        links = "".join(f'<a class="detail__long-nav__item" href="{view.url}/{n}">{n}</a>' for n in range(2, len(pages) + 1))
        nxt = (f'<a dtr-act="button selanjutnya" class="detail__long-nav__btn" href="{view.url}/{(number or 1) + 1}">'
               f'Selanjutnya</a>') if not last_page else ""
        nav = (f'<div class="detail__multiple"><div class="detail__long-nav"><a href="{view.url}">1</a>{links}'
               f"{nxt}</div></div>")
    tags = "".join(f'<a class="nav__item" dtr-ttl="{esc(t)}" href="https://www.detik.com/tag/{esc(t.replace(" ", "-"))}/">{esc(t)}</a>'
                   for t in view.tags)
    caption = (f'<div class="detail__media"><figure class="detail__media-image">'
               f'<img src="https://akcdn.detik.net.id/community/media/visual/2026/11/01/foto.jpeg" alt="{esc(view.title)}">'
               f'<figcaption class="detail__media-caption">{esc(view.caption)}</figcaption></figure></div>'
               if view.caption and first_page else "")
    host = urlsplit(view.url).hostname
    articletype = "multiplepage" if multi else "singlepage"
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>{esc(view.title)}</title>
<meta property="og:title" content="{esc(view.title)}">
<meta property="og:description" content="{esc(view.summary)}">
<meta name="description" content="{esc(view.summary)}">
<meta name="author" content="{esc(view.author)}">
<meta name="publishdate" content="{wib(pub).strftime('%Y/%m/%d %H:%M:%S')}">
<meta name="createdate" content="{wib(pub).strftime('%Y/%m/%d %H:%M:%S')}">
<meta name="articletype" content="{articletype}">
<meta name="kanalid" content="2-{len(view.channel)}">
<meta name="dtk:acctype" content="acc-{label.lower()}">
<meta name="keywords" content="{esc(', '.join(view.tags))}">
<link rel="canonical" href="{view.url}">
<!-- article_type: {articletype} -->
<script>var dtkGTMDL = {{"articletype": "{articletype}", "publishdate": "{wib(pub).strftime('%Y/%m/%d %H:%M:%S')}"}};</script>
{news_article_ld(view, author=view.author, publisher="detikcom")}
</head>
<body>
<header class="header"><nav class="navbar"><a href="https://{host}/">{label}</a>
<a href="https://{host}/indeks">Indeks</a><a href="https://www.detik.com/">detikcom</a></nav></header>
<div class="skybanner"><div id="div-gpt-ad-skybanner">Advertisement</div></div>
<div class="container">
<div class="column-8">
<article class="detail">
<div class="detail__header">
<h1 class="detail__title">{esc(view.title)}</h1>
<div class="detail__author">{esc(view.author)} - <span class="detail__label">{label}</span></div>
<div class="detail__date">{weekday(pub)}, {short_date(pub)} {hhmm(pub)} WIB</div>
</div>
{caption}
<div class="detail__body itp_bodycontent_wrapper">
<div class="detail__body-text itp_bodycontent">
{chr(10).join(body)}
</div>
{nav}
<div class="detail__body-tag mgt-16"><div class="nav">{tags}</div></div>
</div>
<div class="detail__newstag"><div id="div-gpt-ad-newstag">ADVERTISEMENT</div></div>
<div id="banner_hidden_quiz"></div>
<iframe title="comment_component" src="https://comment.detik.com/v2/?articleid={view.key}"></iframe>
</article>
<div class="list-content"><h2 class="title">Berita Terkait</h2>{headline_list("list-content__item", f"https://{host}/berita/d-", 1)}</div>
</div>
<div class="column-4 sidebar">
<div class="box cb-mostpop"><h2 class="title">Berita Terpopuler</h2>{headline_list("list-content", f"https://{host}/berita/d-", 2, numbered=True)}</div>
</div>
</div>
<footer class="footer"><p>Copyright @ 2026 detikcom. All right reserved</p></footer>
</body>
</html>
"""
