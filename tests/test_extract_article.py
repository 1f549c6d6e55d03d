"""extract_article on every mirror fixture page: body complete, boilerplate gone, metadata exact."""

from __future__ import annotations

from datetime import datetime

import pytest

from extract import (
    Article,
    ExtractError,
    ExtractionError,
    NotAnArticle,
    article_from_api_item,
    extract_article,
)
from kernel.times import WIB
from mirror.corpus import load_corpus
from mirror.render import render_api_item, render_article, render_portal_page
from mirror.render._common import OTHER_HEADLINES

PUBLISHED = datetime(2026, 11, 24, 10, 20, tzinfo=WIB)
MODIFIED = datetime(2026, 11, 24, 13, 5, tzinfo=WIB)
CORPUS = load_corpus()

# Strings of the templates' boilerplate: none may reach the article text.
BOILERPLATE = [
    "ADVERTISEMENT", "Advertisement", "SCROLL TO CONTINUE", "Baca juga", "Baca Juga", "BACA JUGA",
    "Simak Video", "[Gambas", "Saksikan", "Hoegeng", "Lanjutkan Membaca", "Loading", "Terpopuler", "POPULER",
    "Berita Terkait", "Berita Lainnya", "Berita Terkini", "Tag Terkait", "Foto:", "sumber :", "Perbesar",
    "dari 3 halaman", "Halaman 1 / 5", "Sebelumnya,", "Copyright", "Kisah Warga Desa", *OTHER_HEADLINES,
]


def _variants(article):
    if article.site == "detik" and article.page_breaks:
        yield "single", {"single": True}  # page 1 alone is tested with the page merge below
    else:
        yield "default", {}
    if article.site == "liputan6":
        yield "mobile", {"mobile": True}


CASES = [(a, name, kw) for a in CORPUS for name, kw in _variants(a)]


def _check(result: Article, view) -> None:
    for paragraph in view.paragraphs:
        assert paragraph in result.text, f"missing body paragraph: {paragraph[:70]}"
    for needle in BOILERPLATE:
        assert needle not in result.text, f"boilerplate {needle!r} left in {result.url}"
    if view.appended:
        for paragraph in view.appended.paragraphs:
            assert paragraph not in result.text, "the appended older story must be cut"
    if view.caption:
        assert view.caption not in result.text
    assert result.title == view.title
    assert result.published_at == "2026-11-24T10:20:00+07:00"


@pytest.mark.parametrize("article,variant,kwargs", CASES, ids=[f"{a.site}-{a.key}-{n}" for a, n, _ in CASES])
def test_fixture_page(article, variant, kwargs):
    view = article.view(1, PUBLISHED, MODIFIED)
    result = extract_article(render_article(view, **kwargs).encode("utf-8"), article.url)
    _check(result, view)
    assert result.url == article.url
    assert result.site == article.site
    assert result.author == article.author
    assert result.modified_at == "2026-11-24T13:05:00+07:00"
    assert len(result.content_hash) == 64


def test_revision_changes_text_and_hash():
    article = next(a for a in CORPUS if a.site == "detik" and a.revisions)
    before = extract_article(render_article(article.view(0, PUBLISHED)), article.url)
    after = extract_article(render_article(article.view(1, PUBLISHED, MODIFIED)), article.url)
    assert "4,6 juta UMKM" in before.text and "4,8 juta UMKM" in after.text
    assert before.content_hash != after.content_hash


def test_detik_separate_pages_merge_in_order():
    article = next(a for a in CORPUS if a.site == "detik" and a.page_breaks)
    view = article.view(0, PUBLISHED)
    pages = [render_article(view, page=n) for n in range(1, view.page_count + 1)]
    first_only = extract_article(pages[0], article.url + "/1")
    assert view.paragraphs[-1] not in first_only.text
    merged = extract_article(pages[0], article.url, more_pages=pages[1:])
    single = extract_article(render_article(view, single=True), article.url)
    _check(merged, view)
    assert merged.text == single.text
    positions = [merged.text.index(p) for p in view.paragraphs]
    assert positions == sorted(positions)
    assert len(merged.sections) == view.page_count
    assert "Selanjutnya" not in merged.text


def test_liputan6_page_blocks_are_sections():
    article = next(a for a in CORPUS if a.site == "liputan6" and len(a.page_breaks) >= 2)
    view = article.view(0, PUBLISHED)
    result = extract_article(render_article(view), article.url)
    assert len(result.sections) == view.page_count
    for (start, end), page in zip(result.sections, view.pages, strict=True):
        block = result.text[start:end]
        assert all(p in block for p in page)


def test_mobile_url_canonicalised():
    article = next(a for a in CORPUS if a.site == "liputan6")
    view = article.view(0, PUBLISHED)
    mobile_url = article.url.replace("www.", "m.")
    result = extract_article(render_article(view, mobile=True), mobile_url)
    assert result.url == article.url


@pytest.mark.parametrize("article", [a for a in CORPUS if a.site == "komdigi"], ids=lambda a: a.key)
def test_komdigi_api_item_and_portal(article):
    view = article.view(0, PUBLISHED)
    from_api = article_from_api_item(render_api_item(view), article.url)
    _check(from_api, view)
    assert from_api.url == article.url and from_api.site == "komdigi"
    portal = extract_article(render_portal_page(view), view.portal_url)
    _check(portal, view)
    assert "Berita Lainnya" not in portal.text


@pytest.mark.parametrize("url", [
    "https://inet.detik.com/indeks", "https://news.detik.com/indeks/2?date=11%2F24%2F2026",
    "https://www.detik.com/tag/umkm/", "https://www.liputan6.com/indeks/2026/11/24?start=2026-11-24&end=2026-11-25",
    "https://republika.co.id/index/ekonomi/0", "https://www.komdigi.go.id/berita/siaran-pers",
    "https://www.liputan6.com/",
])
def test_index_urls_are_not_articles(url):
    with pytest.raises(NotAnArticle):
        extract_article(render_article(CORPUS[0].view(0, PUBLISHED)), url)


def _listing_page(cards: int) -> str:
    items = "".join(f'<article class="list-content__item"><h3 class="media__title"><a href="https://inet.detik.com/x/d-{8000000 + i}/judul">'
                    f"Judul berita nomor {i} tentang 5 juta UMKM</a></h3><span d-time=\"1763950000\">1 jam lalu</span></article>"
                    for i in range(cards))
    return f"<html><head><title>Indeks</title></head><body><nav><a href='/'>Home</a></nav>{items}</body></html>"


def test_listing_shape_is_not_an_article_on_any_url():
    with pytest.raises(NotAnArticle) as info:
        extract_article(_listing_page(20), "https://www.liputan6.com/bisnis")
    assert "list of links" in info.value.reason
    with pytest.raises(NotAnArticle):
        extract_article(_listing_page(20), "https://kabarkominfo.example.id/berita-terkini")


@pytest.mark.parametrize("html,reason", [
    (b"", "empty"), (b"   \n ", "empty"), ("\xff\xfe\x00b\x00i\x00n".encode("latin-1") * 50, "undecodable"),
])
def test_unusable_pages_raise_extraction_error(html, reason):
    with pytest.raises(ExtractionError) as info:
        extract_article(html, CORPUS[0].url)
    assert reason in info.value.reason
    assert isinstance(info.value, ExtractError) and info.value.url == CORPUS[0].url


def test_page_known_to_be_truncated_raises_extraction_error():
    # The HTTP layer knows a body was cut (Content-Length, data loss); extraction refuses it then.
    page = render_article(CORPUS[0].view(0, PUBLISHED))
    with pytest.raises(ExtractionError, match="truncated"):
        extract_article(page, CORPUS[0].url, truncated=True)


def test_page_without_body_raises_extraction_error():
    page = "<html><head><title>x</title></head><body><h1>Judul</h1><p>Singkat.</p></body></html>"
    with pytest.raises(ExtractionError, match="no usable article body"):
        extract_article(page, "https://inet.detik.com/telecommunication/d-8000001/x")


REPOST = """<html><head><title>Kominfo Sediakan 7.634 Titik Internet Gratis - Kabar Daerah</title>
<meta property="og:type" content="article"></head><body>
<header><nav><a href="/">Beranda</a><a href="/daerah">Daerah</a></nav></header>
<div class="td-post-header"><h1 class="entry-title">Kominfo Sediakan 7.634 Titik Internet Gratis</h1>
<span class="td-post-date"><time class="entry-date" datetime="2020-06-26T17:19:00+07:00">Jum'at, 26 Juni 2020 - 17:19 WIB</time></span>
<div class="td-post-author-name">Oleh Redaksi Daerah</div></div>
<div class="td-post-content">
<p>Iklan Atas Artikel</p>
<p>Kementerian Komunikasi dan Informatika menyediakan 7.634 titik internet gratis di ruang publik agar warga bisa belajar dan berusaha secara daring.</p>
<p>Iklan Tengah Artikel 1</p>
<p>Menurut kementerian, 4,6 juta UMKM sudah memanfaatkan platform digital dan jumlahnya terus bertambah setiap bulan.</p>
<p>Pemerintah daerah diminta ikut menyiapkan pelatihan agar pelaku usaha tidak hanya terhubung tetapi juga mampu berjualan.</p>
<p>Iklan bawah postingan</p>
</div>
<div class="comments"><h4>TINGGALKAN KOMENTAR</h4><p>Silakan masukkan komentar anda!</p></div>
<div class="td-block"><h4>Berita Terbaru</h4><p><a href="/x">Harga Cabai Tembus Rp 90 Ribu</a></p></div>
<footer>Hak cipta 2020</footer></body></html>"""


def test_unknown_site_uses_generic_profile():
    result = extract_article(REPOST.encode(), "https://kabardaerah.example.id/2020/06/26/kominfo-sediakan-titik/?utm_source=x")
    assert result.site == "kabardaerah.example.id"
    assert result.url == "https://kabardaerah.example.id/2020/06/26/kominfo-sediakan-titik/"
    assert result.title == "Kominfo Sediakan 7.634 Titik Internet Gratis"
    assert result.published_at == "2020-06-26T17:19:00+07:00"
    assert "7.634 titik internet gratis" in result.text and "4,6 juta UMKM" in result.text
    for needle in ("Iklan", "KOMENTAR", "Berita Terbaru", "Cabai", "Silakan"):
        assert needle not in result.text


def test_relative_date_only_with_now_and_only_as_last_resort():
    page = REPOST.replace('datetime="2020-06-26T17:19:00+07:00">Jum\'at, 26 Juni 2020 - 17:19 WIB', ">15 jam lalu")
    url = "https://kabardaerah.example.id/kominfo-sediakan-titik"
    assert extract_article(page, url).published_at is None
    now = datetime(2026, 11, 24, 12, 0, tzinfo=WIB)
    assert extract_article(page, url, now=now).published_at == "2026-11-23T21:00:00+07:00"
    # The URL date is the last resort, still better than nothing.
    assert extract_article(page, "https://kabardaerah.example.id/2020/06/26/x").published_at == "2020-06-26T00:00:00+07:00"


def test_jsonld_date_wins_over_visible_string():
    page = REPOST.replace("<head>", '<head><script type="application/ld+json">{"@type": "NewsArticle", '
                                    '"datePublished": "2020-06-25T08:00:00+07:00"}</script>')
    assert extract_article(page, "https://kabardaerah.example.id/a").published_at == "2020-06-25T08:00:00+07:00"


def test_to_dict_keys():
    result = extract_article(render_article(CORPUS[0].view(0, PUBLISHED)), CORPUS[0].url)
    data = result.to_dict()
    assert list(data)[:6] == ["text", "title", "date", "author", "site", "url"]
    assert data["date"] == result.published_at


def test_synthetic_pages_extract_completely():
    from mirror.corpus import synthetic_articles
    for article in synthetic_articles(40, seed=5):
        view = article.view(1, PUBLISHED)
        result = extract_article(render_article(view), article.url)
        assert all(p in result.text for p in view.paragraphs), article.url
        assert result.title == view.title


@pytest.mark.parametrize("mobile", [False, True])
def test_appended_story_cut_without_initials(mobile):
    article = next(a for a in CORPUS if a.appended)
    view = article.view(0, PUBLISHED)
    page = render_article(view, mobile=mobile)
    initials = f"<p>({view.author.split()[0][:3].capitalize()}/Isk)</p>"
    assert initials in page
    result = extract_article(page.replace(initials, ""), article.url)
    _check(result, view)


def test_sebelumnya_page_without_video_promo_is_kept():
    from dataclasses import replace
    article = next(a for a in CORPUS if a.site == "liputan6" and len(a.page_breaks) >= 2)
    paragraphs = list(article.paragraphs)
    paragraphs[article.page_breaks[0]] = "Sebelumnya, " + paragraphs[article.page_breaks[0]][0].lower() + paragraphs[article.page_breaks[0]][1:]
    changed = replace(article, paragraphs=tuple(paragraphs))
    view = changed.view(0, PUBLISHED)
    page = render_article(view).replace("Saksikan Video Pilihan Berikut Ini:", "Infografis")
    result = extract_article(page, article.url)
    assert paragraphs[article.page_breaks[0]] in result.text
    assert all(p in result.text for p in paragraphs)


def test_relative_date_must_agree_with_url_day():
    page = REPOST.replace('datetime="2020-06-26T17:19:00+07:00">Jum\'at, 26 Juni 2020 - 17:19 WIB', ">3 jam lalu")
    now = datetime(2020, 6, 26, 20, 0, tzinfo=WIB)
    url = "https://kabardaerah.example.id/2020/06/26/x"
    assert extract_article(page, url, now=now).published_at == "2020-06-26T17:00:00+07:00"
    later = datetime(2026, 11, 24, 12, 0, tzinfo=WIB)
    assert extract_article(page, url, now=later).published_at == "2020-06-26T00:00:00+07:00"
