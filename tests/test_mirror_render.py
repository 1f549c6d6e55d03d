"""The mirror corpus (requirements of the fixtures) and the page renderers."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

import pytest
from lxml import html as lxml_html

from kernel.times import WIB
from kernel.urls import article_key, canonical_url, site_of
from mirror.corpus import (
    ArticleView,
    MirrorArticle,
    load_corpus,
    synthetic_articles,
)
from mirror.render import render_api_item, render_article, render_portal_page

CORPUS = load_corpus()
START = datetime(2026, 11, 24, 10, 20, tzinfo=WIB)
SITES = ("detik", "liputan6", "republika", "komdigi")


def test_corpus_covers_each_site():
    per_site = Counter((a.site, a.topical) for a in CORPUS)
    for site in SITES:
        assert per_site[(site, True)] >= 5 and per_site[(site, False)] >= 2
        mine = [a for a in CORPUS if a.site == site]
        assert any(a.appears_at_step == 1 for a in mine), f"{site}: nothing appears at step 1"
        assert any(1 in a.revisions for a in mine), f"{site}: nothing revised at step 1"
    assert any(a.site == "detik" and a.page_breaks for a in CORPUS)
    assert any(a.site == "liputan6" and a.page_breaks for a in CORPUS)
    assert any(a.site == "liputan6" and a.appended for a in CORPUS)


def test_corpus_urls_are_real_canonical_article_urls():
    keys = [a.key for a in CORPUS]
    assert all(keys) and len(set(keys)) == len(keys)
    for a in CORPUS:
        assert a.url == canonical_url(a.url) and site_of(a.url) == a.site


def test_revisions_change_a_figure():
    for a in CORPUS:
        if 1 in a.revisions:
            assert a.paragraphs_at(0) != a.paragraphs_at(1)
            assert re.search(r"\d", "".join(set(a.paragraphs_at(1)) - set(a.paragraphs_at(0))))
            assert a.revision_at(0) == 0 and a.revision_at(5) == 1


def test_view_fields():
    a = next(a for a in CORPUS if a.page_breaks)
    view = a.view(0, START)
    assert isinstance(view, ArticleView)
    assert view.modified_at == START and view.step == 0
    assert sum(view.pages, []) == list(view.paragraphs) and view.page_count == len(a.page_breaks) + 1
    with pytest.raises(ValueError):
        a.view(0, datetime(2026, 1, 1))
    assert a.visible_at(0) and not next(x for x in CORPUS if x.appears_at_step == 1).visible_at(0)


def test_synthetic_articles_are_cheap_varied_and_deterministic():
    many = synthetic_articles(2000, seed=3)
    assert len(many) == 2000
    assert Counter(a.site for a in many) == {s: 500 for s in SITES}
    keys = {article_key(a.url) for a in many}
    assert None not in keys and len(keys) == 2000
    assert not keys & {a.key for a in CORPUS}
    assert [a.url for a in synthetic_articles(50, seed=3)] == [a.url for a in many[:50]]
    assert synthetic_articles(10, seed=4)[0].paragraphs != many[0].paragraphs
    assert any(not a.topical for a in many) and any(a.revisions for a in many)
    with pytest.raises(ValueError):
        MirrorArticle(site="kompas", url="https://x", channel="c", title="t", summary="s", author="a", paragraphs=("p",))


def _links(page: str) -> list[str]:
    tree = lxml_html.fromstring(page)
    return [u for u in tree.xpath("//@href | //@src") if u.startswith("http")]


@pytest.mark.parametrize("article", CORPUS, ids=lambda a: a.key)
def test_pages_use_real_urls(article):
    view = article.view(0, START)
    pages = [render_article(view), render_article(view, single=True), render_article(view, mobile=True)]
    if article.site == "komdigi":
        pages.append(render_portal_page(view))
    for page in pages:
        assert "127.0.0.1" not in page and "localhost" not in page
        for url in _links(page):
            assert url.startswith("https://"), url
        tree = lxml_html.fromstring(page)
        canonical = tree.xpath('//link[@rel="canonical"]/@href')
        assert canonical and canonical[0].startswith("https://")
        assert view.title in page


def test_detik_pagination_markup():
    a = next(a for a in CORPUS if a.site == "detik" and a.page_breaks)
    view = a.view(0, START)
    first = render_article(view, page=1)
    assert 'dtr-act="button selanjutnya"' in first and f'href="{a.url}/2"' in first
    last = render_article(view, page=view.page_count)
    assert 'dtr-act="button selanjutnya"' not in last and f"({a.reporter_initials})" in last
    assert 'content="multiplepage"' in first
    single = render_article(view, single=True)
    assert all(p in single for p in view.paragraphs) and "detail__long-nav" not in single


def test_liputan6_blocks_and_mobile():
    a = next(a for a in CORPUS if a.site == "liputan6" and a.appended)
    view = a.view(0, START)
    desktop = render_article(view)
    assert desktop.count('class="article-content-body__item-page"') == view.page_count + 2  # + video + appended
    mobile = render_article(view, mobile=True)
    assert "dari" in mobile and "Lanjutkan Membaca" in mobile and "article-header__datetime" in mobile


def test_komdigi_api_item_shape():
    a = next(a for a in CORPUS if a.site == "komdigi")
    item = render_api_item(a.view(1, START))
    for key in ("id", "slug", "title", "published_at", "view_count", "excerpt", "body_html", "body_text",
                "main_image_url", "category", "tags", "topic"):
        assert key in item
    assert item["published_at"] == "2026-11-24 10:20:00"
    assert item["body_text"] == "\n".join(a.paragraphs_at(1))
    assert a.url.endswith("/" + item["slug"]) and item["id"] == a.api_id


def test_unknown_site_rejected():
    view = CORPUS[0].view(0, START)
    object.__setattr__(view, "site", "kompas")
    with pytest.raises(ValueError, match="no page renderer"):
        render_article(view)
