"""Extract + tag one crawled page: the CPU-heavy half of the item pipeline.

The same function runs in the crawl process (``[crawl] extract_workers = 0``, or a pool that
broke) and in the pool's worker processes. Across the process boundary only records travel:
``(job_id, kind, url, payload, content_type)`` in, where a page is its response bytes as they
came off the wire (decoding them is the worker's work, not the crawl process's), and the
``Article`` and its ``Figure`` records out, pickled once as they are (no dict of the whole article
built on one side and rebuilt on the other). A worker never pickles a Scrapy object, a store
connection or a taxonomy.

This module imports neither Scrapy nor the store: a worker starts with ``extract`` alone.
"""

from __future__ import annotations

import logging
import signal
from typing import Any

from kernel.errors import PageFailed
from kernel.records import Article, Figure

logger = logging.getLogger(__name__)

# The taxonomy of this worker process, loaded once by ``init_worker``.
_worker_taxonomy: Any = None



def page_text(body: bytes | str, content_type: str | None, url: str) -> str:
    """A page's text: its response bytes decoded by their declared charset (``crawler.decoding``),
    double-encoded UTF-8 repaired; text already decoded is returned as it is."""
    from crawler.decoding import decode_bytes, repair_mojibake

    if isinstance(body, str):
        return body
    text, how = decode_bytes(body, content_type)
    text, repaired = repair_mojibake(text)
    if repaired:
        logger.info("%s: decoded as %s, %d double-encoded UTF-8 sequence(s) repaired", url, how, repaired)
    return text


def extract_and_tag(kind: str, url: str, payload: Any, taxonomy: Any,
                    content_type: str | None = None) -> tuple[Article, list[Figure]]:
    """``(Article, [Figure])`` of one page (``kind`` "page": its response bytes and Content-Type,
    or its text) or Komdigi API item (``kind`` "api": a dict); raises ``PageFailed`` with the
    reason the crawl records."""
    from extract import ExtractError, article_from_api_item, extract_article, tag_text

    try:
        article = (article_from_api_item(payload, url) if kind == "api"
                   else extract_article(page_text(payload, content_type, url), url))
    except ExtractError as exc:
        raise PageFailed(f"extraction failed: {getattr(exc, 'reason', exc)}") from None
    except Exception as exc:  # a bug in extraction must not lose the page silently
        raise PageFailed(f"extraction crashed: {type(exc).__name__}: {exc}") from None
    try:
        figures = tag_text(article.text, taxonomy)
    except Exception as exc:
        raise PageFailed(f"tagging or storing failed: {type(exc).__name__}: {exc}") from None
    return article, figures


def init_worker(taxonomy_files: list[str], replace: bool) -> None:
    """Pool initializer: load the taxonomy once, and leave stopping to the crawl process.

    SIGINT/SIGTERM reach the whole process group (Ctrl-C, the daemon's stop); the crawl process
    then shuts down gracefully and still needs its workers for the pages in hand, so a worker
    ignores both and exits when the pool is shut down (or its parent is gone, which closes its pipe).
    """
    global _worker_taxonomy
    from extract import load_taxonomy

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _worker_taxonomy = load_taxonomy(taxonomy_files, replace=replace)


def extract_in_worker(kind: str, url: str, payload: Any,
                      content_type: str | None = None) -> tuple[Article, list[Figure]] | str:
    """``extract_and_tag`` in a worker: ``(Article, [Figure])``, or the reason (a str) the page
    gave no article. Never raises for a bad page."""
    try:
        return extract_and_tag(kind, url, payload, _worker_taxonomy, content_type)
    except PageFailed as exc:
        return exc.reason
    except Exception as exc:  # a bug outside extraction itself: still one recorded page
        return f"extraction crashed: {type(exc).__name__}: {exc}"


class _PipeLogHandler(logging.Handler):
    """Sends this module's log records to the crawl process as ``("log", (name, level, message))``:
    a spawned worker has no logging set up, so a line logged here (the mojibake repair) was lost."""

    def __init__(self, results: Any) -> None:
        super().__init__(logging.INFO)
        self.results = results

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.results.send(("log", (record.name, record.levelno, record.getMessage())))
        except Exception:  # a log line must never fail the page
            pass


def worker_main(jobs: Any, results: Any, taxonomy_files: list[str], replace: bool) -> None:
    """A worker process: ``("ready", None)`` once started, then ``(job_id, result)`` for every
    ``(job_id, kind, url, payload, content_type)`` read from ``jobs``, until ``None`` or the crawl
    process is gone; ``("log", (name, level, message))`` carries this module's log lines."""
    logger.addHandler(_PipeLogHandler(results))
    logger.setLevel(logging.INFO)
    logger.propagate = False
    init_worker(taxonomy_files, replace)
    results.send(("ready", None))
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            return  # the crawl process closed its end or died
        if job is None:
            return
        job_id, kind, url, payload, content_type = job
        result = extract_in_worker(kind, url, payload, content_type)
        try:
            results.send((job_id, result))
        except (EOFError, OSError):
            return
        except Exception as exc:  # a result that does not pickle: the page fails, the worker goes on
            results.send((job_id, f"extraction crashed: {type(exc).__name__}: {exc}"))
