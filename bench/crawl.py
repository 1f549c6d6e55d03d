"""Crawl benchmark: a mirror of ≥ 2,000 synthetic articles, politeness delays off.

Prints, all measured in this one run:
  * articles/s end to end (discovery → fetch → extract → tag → store) on the first crawl,
  * the ratio to extract-only throughput (extract + tag on the same pages, no HTTP, no store): goal ≥ 0.8,
    with the number of processes (cores) each side used; when the crawl extracts in a pool, also
    the ratio to an extract-only pass with as many processes, so a 2-process crawl is not flattered
    by a 1-process baseline,
  * requests per new article on a re-crawl after one clock step (goal ≤ 1.05 plus the fixed
    discovery requests, which are reported apart),
  * peak memory (RSS) of the crawl process, of its largest extract worker, and of this process
    (mirror + extract-only pass).

    .venv/bin/python bench/crawl.py [--articles 2000] [--extract-workers N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


# How long to wait for the crawl's extract workers to exit before reading their peak memory.
CHILD_REAP_SECONDS = 10.0


def write_config(tmp: Path, roots: dict[str, str], extract_workers: int = -1) -> Path:
    import tomli_w

    crawl = {"download_delay": 0.0, "autothrottle": False, "concurrent_per_domain": 16, "retry_times": 1,
             "download_timeout": 30.0, "time_limit_seconds": 900.0, "roots": roots, "roots_only": True,
             "max_age_days": 30.0, "extract_workers": extract_workers}
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
    # Reap the pool's workers (shut down without waiting) so RUSAGE_CHILDREN counts them.
    deadline = time.monotonic() + CHILD_REAP_SECONDS
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    stats["_worker_cpu_seconds"] = children.ru_utime + children.ru_stime
    stats["_worker_peak_kb"] = children.ru_maxrss
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


def pages_of(mirror, urls: set[str]) -> list[tuple[str, str, object]]:
    """The pages the crawl stored, rendered in memory as the crawl received them."""
    from mirror.render import render_api_item, render_article

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
    return pages


def _extract_chunk(pages: list[tuple[str, str, object]]) -> int:
    from extract import article_from_api_item, extract_article, load_taxonomy, tag_text

    taxonomy = load_taxonomy()
    for kind, url, page in pages:
        article = article_from_api_item(page, url) if kind == "api" else extract_article(page, url)
        tag_text(article.text, taxonomy)
    return len(pages)


def extract_only(pages: list[tuple[str, str, object]]) -> float:
    """Seconds for extract + tag over ``pages`` in this process (no HTTP, no store)."""
    _extract_chunk(pages[:1])  # imports and taxonomy load are start-up, not throughput
    started = time.perf_counter()
    _extract_chunk(pages)
    return time.perf_counter() - started


def extract_only_parallel(pages: list[tuple[str, str, object]], processes: int) -> float:
    """Seconds for extract + tag over ``pages`` split across ``processes`` started and warmed
    beforehand: the best an N-process extract-only pass can do on this machine."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_extract_chunk, [pages[:1]] * processes))  # warm every worker
        chunks = [pages[i::processes] for i in range(processes)]
        started = time.perf_counter()
        list(pool.map(_extract_chunk, chunks))
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles in the mirror")
    parser.add_argument("--extract-workers", type=int, default=-1,
                        help="[crawl] extract_workers for the crawl (-1: one per spare core, 0: in-process)")
    args = parser.parse_args()
    from crawler.pipelines import auto_workers

    workers = auto_workers() if args.extract_workers < 0 else args.extract_workers
    crawl_processes = 1 + workers

    import sqlite3

    from mirror.server import Mirror, _is_article_path

    with Mirror(synthetic=args.articles) as mirror, tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        config = write_config(tmp, mirror.roots, args.extract_workers)
        mirror.warm()  # page rendering is the mirror's cost, not the crawler's
        mirror_cpu_start = time.process_time()  # this process serves the mirror while the crawl runs
        stats, elapsed, child_peak_kb = crawl_once(config)
        mirror_cpu_seconds = time.process_time() - mirror_cpu_start
        cpu_seconds = stats.pop("_cpu_seconds")
        worker_cpu_seconds = stats.pop("_worker_cpu_seconds")
        worker_peak_kb = stats.pop("_worker_peak_kb")
        stored = sum(s["new"] for s in stats.values())
        e2e_rate = stored / elapsed
        # The crawl phase alone: spiders run in parallel, so the slowest one's time (no imports/start-up).
        crawl_phase = max(s["seconds"] for s in stats.values())
        phase_rate = stored / crawl_phase
        with sqlite3.connect(tmp / "bench.db") as conn:
            urls = {u for (u,) in conn.execute("select url from articles")}
        pages = pages_of(mirror, urls)
        extract_rate = len(pages) / extract_only(pages)
        parallel_rate = len(pages) / extract_only_parallel(pages, crawl_processes) if workers else None

        mirror.step()
        mirror.warm()
        mark = len(mirror.requests)
        stats2, elapsed2, peak2_kb = crawl_once(config)
        for key in ("_cpu_seconds", "_worker_cpu_seconds", "_worker_peak_kb"):
            stats2.pop(key)
        recrawl = mirror.requests[mark:]
        article_requests = [r for r in recrawl if _is_article_path(r[0], r[1])]
        discovery_requests = len(recrawl) - len(article_requests)
        fetched_new = sum(s["new"] + s["changed"] for s in stats2.values())
        page_new = sum(s["new"] + s["changed"] for site, s in stats2.items() if site != "komdigi")
        own_peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    print(f"mirror articles (synthetic + corpus): {len(mirror.clock.articles)}")
    print(f"first crawl: {stored} articles stored in {elapsed:.1f} s -> {e2e_rate:.1f} articles/s end to end")
    print(f"cores: {os.cpu_count()} on this machine, shared with the mirror (this process); the crawl used "
          f"{crawl_processes} process(es) (1 + {workers} extract worker(s)), extract-only 1")
    busy = cpu_seconds + worker_cpu_seconds + mirror_cpu_seconds
    print(f"CPU time during the first crawl: crawl process {cpu_seconds:.1f} s + extract workers "
          f"{worker_cpu_seconds:.1f} s + mirror {mirror_cpu_seconds:.1f} s = {busy:.1f} s in {elapsed:.1f} s wall "
          f"({busy / elapsed:.2f} of {os.cpu_count()} cores busy; other programs on the machine not counted)")
    print("crawl phase per site (spiders run side by side): "
          + ", ".join(f"{site} {s['new']} new in {s['seconds']:.1f} s" for site, s in stats.items()))
    print(f"extract-only on the same {len(pages)} pages, 1 process: {extract_rate:.1f} articles/s")
    print(f"ratio end-to-end / extract-only (1 process): {e2e_rate / extract_rate:.2f} (goal >= 0.8); "
          f"crawl phase only ({crawl_phase:.1f} s, no process start-up): {phase_rate:.1f} articles/s, "
          f"ratio {phase_rate / extract_rate:.2f}")
    if parallel_rate is not None:
        print(f"extract-only with {crawl_processes} processes (as many as the crawl): {parallel_rate:.1f} "
              f"articles/s; ratio end-to-end {e2e_rate / parallel_rate:.2f}, crawl phase "
              f"{phase_rate / parallel_rate:.2f}")
    print(f"re-crawl after one clock step: {fetched_new} new or changed articles "
          f"({page_new} by page, the rest from the Komdigi API), {len(article_requests)} article requests, "
          f"{discovery_requests} discovery requests (robots, feeds, sitemaps, index, API)")
    if page_new:
        print(f"requests per new page article: {len(article_requests) / page_new:.3f} (goal <= 1.05) "
              f"+ {discovery_requests} fixed discovery requests")
    print(f"peak RSS: crawl process {child_peak_kb / 1024:.0f} MiB (re-crawl {peak2_kb / 1024:.0f} MiB), "
          f"largest extract worker {worker_peak_kb / 1024:.0f} MiB (crawl total <= "
          f"{(child_peak_kb + workers * worker_peak_kb) / 1024:.0f} MiB), "
          f"bench process (mirror + extract-only) {own_peak_kb / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
