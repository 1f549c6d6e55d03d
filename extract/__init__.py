"""extract/: pure functions from a page to an Article and from text to figures.

No network, no Scrapy, no SQL: bytes and a URL in, values out.

    extract_article(html, url) -> Article           # a page, with its site profile
    article_from_api_item(item, url) -> Article     # a Komdigi API item
    tag_text(text, taxonomy=None) -> list[Figure]   # the figure tagger (figures.md)
    load_taxonomy(files=(), replace=False) -> Taxonomy
"""

from extract.article import Article, article_from_api_item, extract_article
from extract.figures import Figure, tag_text
from extract.taxonomy import Metric, Taxonomy, load_taxonomy
from kernel.errors import ExtractError, ExtractionError, NotAnArticle

__all__ = [
    "Article",
    "ExtractError",
    "ExtractionError",
    "Figure",
    "Metric",
    "NotAnArticle",
    "Taxonomy",
    "article_from_api_item",
    "extract_article",
    "load_taxonomy",
    "tag_text",
]
