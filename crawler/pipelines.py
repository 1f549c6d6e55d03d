"""The item pipeline: page or API item → extract → tag → store.

A page that fails extraction is recorded in the store with its URL and reason
(``record_crawl_error``), never silently dropped.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem

from crawler import state as st

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, crawler: Any = None) -> None:
        self.crawler = crawler
        self.taxonomy: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> "StorePipeline":
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        from extract import load_taxonomy

        spider = spider or self.crawler.spider
        taxonomy = spider.config.taxonomy
        self.taxonomy = load_taxonomy(taxonomy.files, replace=taxonomy.replace)

    def process_item(self, item: dict[str, Any], spider: Any = None) -> dict[str, Any]:
        from extract import ExtractError, article_from_api_item, extract_article, tag_text

        spider = spider or self.crawler.spider
        url = item["url"]
        try:
            if item["kind"] == "api":
                article = article_from_api_item(item["api_item"], url)
            else:
                article = extract_article(item["body"], url)
        except ExtractError as exc:
            spider.note_error(url, f"extraction failed: {getattr(exc, 'reason', exc)}")
            raise DropItem(f"{url}: {exc}") from None
        except Exception as exc:  # a bug in extraction must not lose the page silently
            spider.note_error(url, f"extraction crashed: {type(exc).__name__}: {exc}")
            raise DropItem(f"{url}: {exc}") from None
        try:
            figures = tag_text(article.text, self.taxonomy)
            result = spider.store.record_article(article, figures, fetched_at=st.iso(st.now_utc()),
                                                 crawl_run_id=spider.run_id)
        except Exception as exc:
            spider.note_error(url, f"tagging or storing failed: {type(exc).__name__}: {exc}")
            raise DropItem(f"{url}: {exc}") from None
        spider.crawl.bump(result.status)
        # The item flows on without the page body: memory stays flat over thousands of pages.
        return {"url": url, "status": result.status, "version": result.version, "figures": len(figures)}
