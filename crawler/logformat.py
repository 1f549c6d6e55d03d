"""Log lines about items name the page, never print it: an item carries the whole page body.

Scrapy's default formatter writes the item into the "Dropped" and "Error processing" lines: four
failed 5 MB pages were 21 MB of stderr. Here those lines give the URL and the reason only (the
reason is also in the store's ``crawl_errors``), and "Dropped" moves to DEBUG: the spider already
logged the failure as one WARNING line when it recorded it.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter

from crawler.reasons import MAX_REASON_CHARS


def item_url(item: Any) -> str:
    """The item's URL (every pantau item has one), or its type for anything else."""
    if isinstance(item, dict) and isinstance(item.get("url"), str):
        return item["url"]
    return f"<{type(item).__name__}>"


def _short(text: object) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_REASON_CHARS else line[: MAX_REASON_CHARS - 1] + "…"


class PantauLogFormatter(LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> Any:
        return {"level": logging.DEBUG, "msg": "Dropped %(url)s: %(reason)s",
                "args": {"url": item_url(item), "reason": _short(exception)}}

    def item_error(self, item: Any, exception: BaseException, response: Any, spider: Any) -> Any:
        return {"level": logging.ERROR, "msg": "Error processing %(url)s: %(reason)s",
                "args": {"url": item_url(item), "reason": _short(exception)}}

    def scraped(self, item: Any, response: Any, spider: Any) -> Any:
        return {"level": logging.DEBUG, "msg": "Stored %(url)s", "args": {"url": item_url(item)}}
