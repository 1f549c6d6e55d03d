"""Crawl benchmark: a mirror of ≥ 2,000 synthetic articles, politeness delays off.

Prints, all measured in this one run:
  * articles/s end to end (discovery → fetch → extract → tag → store) on the first crawl,
  * the ratio to extract-only throughput (extract + tag on the same pages, no HTTP, no store): goal ≥ 0.8,
  * requests per new article on a re-crawl after one clock step (goal ≤ 1.05 plus the fixed
    discovery requests, which are reported apart),
  * peak memory (RSS) of the crawl process and of this process (mirror + extract-only pass).

    .venv/bin/python bench/crawl.py [--articles 2000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def write_config(tmp: Path, roots: dict[str, str]) -> Path:
    import tomli_w

    crawl = {"download_delay": 0.0, "autothrottle": False, "concurrent_per_domain": 16, "retry_times": 1,
             "download_timeout": 30.0, "time_limit_seconds": 900.0, "roots": roots, "roots_only": True,
             "max_age_days": 30.0}
    path = tmp / "pantau.toml"
    path.write_text(tomli_w.dumps({"store": {"path": str(tmp / "bench.db")}, "crawl": crawl}), encoding="utf-8")
    return path


def _child(config_path: str, queue) -> None:
    from crawler.run import run_crawl
    from pantau_config import load_config

    started = time.perf_counter()
    cpu_start = time.process_time()
    stats = run_crawl(load_config(config_path), progress=False)
    elapsed = time.perf_counter() - started
    stats["_cpu_seconds"] = time.process_time() - cpu_start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((stats, elapsed, peak_kb))


def crawl_once(config: Path) -> tuple[dict, float, int]:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(str(config), queue))
    proc.start()
    result = queue.get(timeout=1800)
    proc.join()
    return result


def extract_only(mirror, urls: set[str]) -> tuple[int, float]:
    """extract + tag over the pages the crawl stored, rendered in memory (no HTTP, no store)."""
    from crawler.mirror.render import render_api_item, render_article
    from extract import article_from_api_item, extract_article, load_taxonomy, tag_text

    taxonomy = load_taxonomy()
    pages = []
    for served in mirror.clock.served():
        url = served.article.url
        if url not in urls:
            continue
        if served.article.site == "komdigi":
            pages.append(("api", url, render_api_item(served.view)))
        else:
            single = served.view.page_count > 1 and served.article.site == "detik"
            pages.append(("page", url, render_article(served.view, single=single).encode()))
    started = time.perf_counter()
    for kind, url, page in pages:
        article = article_from_api_item(page, url) if kind == "api" else extract_article(page, url)
        tag_text(article.text, taxonomy)
    return len(pages), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles in the mirror")
    args = parser.parse_args()

    import sqlite3

    from crawler.mirror.server import Mirror, _is_article_path

    with Mirror(synthetic=args.articles) as mirror, tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        config = write_config(tmp, mirror.roots)
        mirror.warm()  # page rendering is the mirror's cost, not the crawler's
        stats, elapsed, child_peak_kb = crawl_once(config)
        cpu_seconds = stats.pop("_cpu_seconds")
        stored = sum(s["new"] for s in stats.values())
        e2e_rate = stored / elapsed
        # The crawl phase alone: spiders run in parallel, so the slowest one's time (no imports/start-up).
        crawl_phase = max(s["seconds"] for s in stats.values())
        phase_rate = stored / crawl_phase
        with sqlite3.connect(tmp / "bench.db") as conn:
            urls = {u for (u,) in conn.execute("select url from articles")}
        pages, extract_seconds = extract_only(mirror, urls)
        extract_rate = pages / extract_seconds

        mirror.step()
        mirror.warm()
        mark = len(mirror.requests)
        stats2, elapsed2, peak2_kb = crawl_once(config)
        stats2.pop("_cpu_seconds")
        recrawl = mirror.requests[mark:]
        article_requests = [r for r in recrawl if _is_article_path(r[0], r[1])]
        discovery_requests = len(recrawl) - len(article_requests)
        fetched_new = sum(s["new"] + s["changed"] for s in stats2.values())
        page_new = sum(s["new"] + s["changed"] for site, s in stats2.items() if site != "komdigi")
        own_peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    print(f"mirror articles (synthetic + corpus): {len(mirror.clock.articles)}")
    print(f"first crawl: {stored} articles stored in {elapsed:.1f} s -> {e2e_rate:.1f} articles/s end to end")
    print(f"crawl process CPU time {cpu_seconds:.1f} s of {elapsed:.1f} s wall "
          f"(the rest is waiting for the mirror, which shares the machine's cores)")
    print(f"extract-only on the same {pages} pages: {extract_rate:.1f} articles/s")
    print(f"ratio end-to-end / extract-only: {e2e_rate / extract_rate:.2f} (goal >= 0.8); "
          f"crawl phase only ({crawl_phase:.1f} s, no process start-up): {phase_rate:.1f} articles/s, "
          f"ratio {phase_rate / extract_rate:.2f}")
    print(f"re-crawl after one clock step: {fetched_new} new or changed articles "
          f"({page_new} by page, the rest from the Komdigi API), {len(article_requests)} article requests, "
          f"{discovery_requests} discovery requests (robots, feeds, sitemaps, index, API)")
    if page_new:
        print(f"requests per new page article: {len(article_requests) / page_new:.3f} (goal <= 1.05) "
              f"+ {discovery_requests} fixed discovery requests")
    print(f"peak RSS: crawl process {child_peak_kb / 1024:.0f} MiB (re-crawl {peak2_kb / 1024:.0f} MiB), "
          f"bench process (mirror + extract-only) {own_peak_kb / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
