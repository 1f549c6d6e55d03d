"""crawler.bytescan: a meta tag's content read from page bytes, as the CSS selector the crawl
used before reads it (``response.css('meta[name="..."]::attr(content)').get()``)."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.bytescan import meta_content

PAGES = [
    b'<html><head><meta name="articletype" content="multiplepage"></head><body></body></html>',
    b"<html><head><meta content='singlepage' name='articletype'/></head></html>",
    b'<html><head><META NAME=articletype CONTENT=multi></head></html>',
    b'<html><head><meta name="articletype-x" content="no"><meta name="articletype" content=""></head></html>',
    b'<html><head><meta property="articletype" content="no"></head><body>articletype</body></html>',
    b'<html><head><meta name="articletype"></head></html>',
    b'<html><head><meta name="description" content="articletype"><meta name="articletype"\n content="Multi "></head>',
    b"<html><head><title>no meta at all</title></head></html>",
]


@pytest.mark.parametrize("page", PAGES)
def test_meta_content_reads_what_the_css_selector_reads(page):
    expected = Selector(text=page.decode()).css('meta[name="articletype"]::attr(content)').get()
    assert (meta_content(page, "articletype") or None) == (expected or None)


def test_a_real_size_page_is_scanned_without_parsing():
    page = b"<html><head>" + b"<script>var x = 1;</script>" * 5000 + b'<meta name="articletype" content="multipage">'
    assert meta_content(page, "articletype") == "multipage"
