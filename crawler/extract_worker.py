"""Extract + tag one crawled page: the CPU-heavy half of the item pipeline.

The same function runs in the crawl process (``[crawl] extract_workers = 0``, and while the pool is
starting) and in the pool's worker processes. Across the process boundary only plain data travels:
``(kind, url, payload)`` in, a dict out (the Article's fields and the figure records), so a worker
never pickles a Scrapy object, a store connection or a taxonomy.

This module imports neither Scrapy nor the store: a worker starts with ``extract`` alone.
"""

from __future__ import annotations

import dataclasses
import signal
from typing import Any

from kernel.errors import PageFailed
from kernel.records import Article

# The taxonomy of this worker process, loaded once by ``init_worker``.
_worker_taxonomy: Any = None



def extract_and_tag(kind: str, url: str, payload: Any, taxonomy: Any) -> tuple[Any, list[Any]]:
    """``(Article, [Figure])`` of one page (``kind`` "page": HTML bytes) or Komdigi API item
    (``kind`` "api": a dict); raises ``PageFailed`` with the reason the crawl records."""
    from extract import ExtractError, article_from_api_item, extract_article, tag_text

    try:
        article = article_from_api_item(payload, url) if kind == "api" else extract_article(payload, url)
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


def extract_in_worker(kind: str, url: str, payload: Any) -> dict[str, Any]:
    """``extract_and_tag`` as plain data: {"article": {field: value}, "figures": [record]} or
    {"error": reason}. Never raises for a bad page."""
    try:
        article, figures = extract_and_tag(kind, url, payload, _worker_taxonomy)
        return {"article": dataclasses.asdict(article), "figures": [f.to_record() for f in figures]}
    except PageFailed as exc:
        return {"error": exc.reason}
    except Exception as exc:  # turning the result into plain data failed: still one recorded page
        return {"error": f"extraction crashed: {type(exc).__name__}: {exc}"}


def worker_main(jobs: Any, results: Any, taxonomy_files: list[str], replace: bool) -> None:
    """A worker process: ``("ready", None)`` once started, then ``(job_id, result)`` for every
    ``(job_id, kind, url, payload)`` read from ``jobs``, until ``None`` or the crawl process is gone."""
    init_worker(taxonomy_files, replace)
    results.send(("ready", None))
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            return  # the crawl process closed its end or died
        if job is None:
            return
        job_id, kind, url, payload = job
        results.send((job_id, extract_in_worker(kind, url, payload)))


def article_from_fields(fields: dict[str, Any]) -> Article:
    """The worker's Article dict back as an ``Article`` (sections as (start, end) tuples)."""
    values = dict(fields)
    values["sections"] = [tuple(s) for s in values.get("sections") or ()]
    return Article(**values)
