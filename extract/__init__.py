"""extract/: pure functions from a page to an Article and from text to figures.

No network, no Scrapy, no SQL: bytes and a URL in, values out.
"""

# The figure tagger (figures.md): text -> [Figure].
from extract.article import Article, article_from_api_item, extract_article
from extract.figures import Figure, tag_text
from extract.taxonomy import Metric, Taxonomy, load_taxonomy

# Page -> Article (architecture.md "extract/"): errors first, so article.py can import them.
from kernel.errors import ExtractError, ExtractionError, NotAnArticle
