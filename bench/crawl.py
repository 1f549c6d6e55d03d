"""Crawl benchmark: a mirror of ≥ 2,000 synthetic articles, politeness delays off, interleaved rounds.

Each round crawls the mirror end to end into a fresh store (discovery → fetch → extract → tag →
store) and runs extract + tag over the same pages in as many processes as the crawl used (no
HTTP, no store); the order of the two alternates from round to round, and medians are reported.
Two variants: the mirror's own pages (~7 KB) and real-size pages (``Mirror(padded=True)``: the
same articles in 100-300 KB of site markup, ``mirror.padding``).

Prints, all measured in this one run, per variant:
  * articles/s end to end and extract-only with N processes, and their ratio (goal ≥ 0.6),
  * CPU per article of the crawl process (goal ≤ 4 ms on the mirror's pages), split into the
    store writer thread and the rest (Scrapy, the pipeline), and of the extract workers,
  * peak memory (``VmHWM`` from /proc/<pid>/status): the crawl process, and its largest extract
    worker, sampled while it runs (RUSAGE_CHILDREN would count the crawl process's memory at
    fork, and a spawned process's RUSAGE_SELF keeps its parent's peak across exec);
and once: requests per new article on a re-crawl after one clock step (goal ≤ 1.05 plus the
fixed discovery requests, reported apart).

    .venv/bin/python bench/crawl.py [--articles 2000] [--rounds 3] [--extract-workers N] [--variant plain|padded|both]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# How long to wait for the crawl's extract workers to exit before reading their CPU time.
CHILD_REAP_SECONDS = 10.0
# How often the crawl's workers' peak memory is read: VmHWM is itself a high-water mark, so a
# sample only has to come before the worker exits.
MEMORY_SAMPLE_SECONDS = 0.2
# Longest one crawl may take (a broken crawl must not hang the bench).
CRAWL_TIMEOUT_SECONDS = 1800.0

Page = tuple[str, str, Any]  # (kind, url, page bytes or API item)


def write_config(tmp: Path, roots: dict[str, str], extract_workers: int = -1, store_name: str = "bench.db") -> Path:
    import tomli_w

    crawl = {"download_delay": 0.0, "autothrottle": False, "concurrent_per_domain": 16, "retry_times": 1,
             "download_timeout": 30.0, "time_limit_seconds": 900.0, "roots": roots, "roots_only": True,
             "max_age_days": 30.0, "extract_workers": extract_workers}
    path = tmp / f"{Path(store_name).stem}.toml"
    path.write_text(tomli_w.dumps({"store": {"path": str(tmp / store_name)}, "crawl": crawl}), encoding="utf-8")
    return path


@dataclass
class CrawlRun:
    stats: dict[str, Any]
    seconds: float
    cpu_seconds: float
    writer_cpu_seconds: float
    worker_cpu_seconds: float
    worker_peak_kb: int
    peak_kb: int

    @property
    def stored(self) -> int:
        return sum(int(s["new"]) for s in self.stats.values())


def vm_hwm_kb(pid: int) -> int:
    """A process's peak resident memory (VmHWM, KiB), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class WorkerMemory:
    """Samples the peak memory of this process's children (the extract workers) while they run."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> WorkerMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while True:
            for child in multiprocessing.active_children():
                if child.pid is not None:
                    self.peak_kb = max(self.peak_kb, vm_hwm_kb(child.pid))
            if self._stop.wait(MEMORY_SAMPLE_SECONDS):
                return


def _child(config_path: str, queue: Any) -> None:
    import scrapy.crawler  # noqa: F401  (imports are start-up, not crawling)

    from crawler.run import run_crawl
    from pantau_config import load_config
    from store.writer import StoreWriter

    writer_cpu: list[float] = []
    close = StoreWriter.close

    def close_and_count(self: StoreWriter, *args: Any, **kwargs: Any) -> None:
        close(self, *args, **kwargs)
        writer_cpu.append(self.cpu_seconds)

    StoreWriter.close = close_and_count  # type: ignore[method-assign]
    config = load_config(config_path)
    started = time.perf_counter()
    cpu_start = time.process_time()
    with WorkerMemory() as memory:
        stats = run_crawl(config, progress=False)
        elapsed = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_start
        # Reap the pool's workers (shut down without waiting) so RUSAGE_CHILDREN has their CPU time.
        deadline = time.monotonic() + CHILD_REAP_SECONDS
        while multiprocessing.active_children() and time.monotonic() < deadline:
            time.sleep(0.05)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    # VmHWM, not RUSAGE_SELF: Linux carries ru_maxrss over exec, so a spawned child would report
    # the bench process's peak if that was higher.
    queue.put(CrawlRun(stats, elapsed, cpu_seconds, sum(writer_cpu), children.ru_utime + children.ru_stime,
                       memory.peak_kb, vm_hwm_kb(os.getpid())))


def crawl_once(config: Path) -> CrawlRun:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(str(config), queue))
    proc.start()
    result: CrawlRun = queue.get(timeout=CRAWL_TIMEOUT_SECONDS)
    proc.join()
    return result


def pages_of(mirror: Any, urls: set[str]) -> list[Page]:
    """The pages the crawl stored, as the mirror served them (padded when the mirror pads)."""
    from urllib.parse import urlsplit

    from mirror.render import render_api_item, render_article

    pages: list[Page] = []
    for served in mirror.clock.served():
        url = served.article.url
        if url not in urls:
            continue
        if served.article.site == "komdigi":
            pages.append(("api", url, render_api_item(served.view)))
        else:
            single = served.view.page_count > 1 and served.article.site == "detik"
            body = render_article(served.view, single=single).encode()
            pages.append(("page", url, mirror.page_body(urlsplit(url).path, body)))
    return pages


def _extract_chunk(pages: list[Page]) -> int:
    from extract import article_from_api_item, extract_article, load_taxonomy, tag_text

    taxonomy = load_taxonomy()
    for kind, url, page in pages:
        article = article_from_api_item(page, url) if kind == "api" else extract_article(page, url)
        tag_text(article.text, taxonomy)
    return len(pages)


class ExtractOnly:
    """N warmed processes that extract + tag a list of pages: the best an N-process extract-only
    pass can do on this machine."""

    def __init__(self, processes: int) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.processes = processes
        self.pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))

    def warm(self, pages: list[Page]) -> None:
        list(self.pool.map(_extract_chunk, [pages[:1]] * self.processes))

    def seconds(self, pages: list[Page]) -> float:
        chunks = [pages[i::self.processes] for i in range(self.processes)]
        started = time.perf_counter()
        list(self.pool.map(_extract_chunk, chunks))
        return time.perf_counter() - started

    def close(self) -> None:
        self.pool.shutdown()


@dataclass
class Variant:
    name: str
    crawls: list[CrawlRun]
    extract_rates: list[float]
    pages: int
    page_kb: float

    def crawl_rates(self) -> list[float]:
        return [run.stored / run.seconds for run in self.crawls]


def stored_urls(db: Path) -> set[str]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return {u for (u,) in conn.execute("select url from articles")}


def run_variant(name: str, padded: bool, args: argparse.Namespace, processes: int,
                recrawl: Callable[[Any, Path], None] | None = None) -> Variant:
    from mirror.server import Mirror

    crawls: list[CrawlRun] = []
    extract_rates: list[float] = []
    extract_only = ExtractOnly(processes)
    with Mirror(synthetic=args.articles, padded=padded) as mirror, tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        mirror.warm()  # page rendering (and padding) is the mirror's cost, not the crawler's
        configs = [write_config(tmp, mirror.roots, args.extract_workers, store_name=f"round{n}.db")
                   for n in range(args.rounds)]
        # The first crawl says which pages there are to extract.
        crawls.append(crawl_once(configs[0]))
        pages = pages_of(mirror, stored_urls(tmp / "round0.db"))
        extract_only.warm(pages)
        for round_no in range(args.rounds):
            # Alternate which side goes first: neither always runs on a machine the other just warmed.
            crawl_first = round_no % 2 == 0
            if crawl_first and round_no > 0:
                crawls.append(crawl_once(configs[round_no]))
            extract_rates.append(len(pages) / extract_only.seconds(pages))
            if not crawl_first:
                crawls.append(crawl_once(configs[round_no]))
            print(f"  {name} round {round_no + 1}: crawl {crawls[-1].stored / crawls[-1].seconds:.1f} articles/s, "
                  f"extract-only {extract_rates[-1]:.1f} articles/s", flush=True)
        extract_only.close()
        page_bytes = [len(p) for kind, _url, p in pages if kind == "page"]
        if recrawl is not None:
            recrawl(mirror, write_config(tmp, mirror.roots, args.extract_workers, store_name="round0.db"))
    return Variant(name, crawls, extract_rates, len(pages), statistics.mean(page_bytes) / 1024 if page_bytes else 0.0)


def report_variant(v: Variant, processes: int, workers: int) -> None:
    crawl_rate = statistics.median(v.crawl_rates())
    extract_rate = statistics.median(v.extract_rates)
    per_round = [c / e for c, e in zip(v.crawl_rates(), v.extract_rates, strict=True)]

    def per_article_ms(values: Sequence[float]) -> float:
        return statistics.median(1000 * value / run.stored for value, run in zip(values, v.crawls, strict=True))

    cpu = per_article_ms([run.cpu_seconds for run in v.crawls])
    writer = per_article_ms([run.writer_cpu_seconds for run in v.crawls])
    worker = per_article_ms([run.worker_cpu_seconds for run in v.crawls])
    print(f"{v.name}: {v.pages} pages (article pages {v.page_kb:.0f} KiB on average), {len(v.crawls)} rounds, medians:")
    print(f"  end to end: {crawl_rate:.1f} articles/s ({statistics.median(r.seconds for r in v.crawls):.1f} s per crawl, "
          f"{processes} processes: 1 + {workers} extract worker(s))")
    print(f"  extract-only with {processes} processes: {extract_rate:.1f} articles/s")
    print(f"  ratio end-to-end / extract-only: {crawl_rate / extract_rate:.2f} (goal >= 0.6; per round "
          + ", ".join(f"{r:.2f}" for r in per_round) + ")")
    print(f"  CPU per article: crawl process {cpu:.1f} ms (goal <= 4 on the mirror's pages; of it the store writer "
          f"thread {writer:.1f} ms, Scrapy and the pipeline {cpu - writer:.1f} ms), extract workers {worker:.1f} ms")
    print(f"  peak memory: crawl process {max(r.peak_kb for r in v.crawls) / 1024:.0f} MiB, largest extract worker "
          f"{max(r.worker_peak_kb for r in v.crawls) / 1024:.0f} MiB (VmHWM)")
    print("  crawl phase per site (median s): " + ", ".join(
        f"{site} {statistics.median(float(r.stats[site]['seconds']) for r in v.crawls):.1f}"
        for site in v.crawls[0].stats))


def recrawl_report(mirror: Any, config: Path) -> None:
    from mirror.server import _is_article_path

    mirror.step()
    mirror.warm()
    mark = len(mirror.requests)
    run = crawl_once(config)
    requests = mirror.requests[mark:]
    article_requests = [r for r in requests if _is_article_path(r[0], r[1])]
    discovery = len(requests) - len(article_requests)
    fetched_new = sum(int(s["new"]) + int(s["changed"]) for s in run.stats.values())
    page_new = sum(int(s["new"]) + int(s["changed"]) for site, s in run.stats.items() if site != "komdigi")
    print(f"re-crawl after one clock step: {fetched_new} new or changed articles ({page_new} by page, the rest "
          f"from the Komdigi API), {len(article_requests)} article requests, {discovery} discovery requests")
    if page_new:
        print(f"requests per new page article: {len(article_requests) / page_new:.3f} (goal <= 1.05) "
              f"+ {discovery} fixed discovery requests")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles in the mirror")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per variant")
    parser.add_argument("--extract-workers", type=int, default=-1,
                        help="[crawl] extract_workers for the crawl (-1: one per spare core, 0: in-process)")
    parser.add_argument("--variant", choices=("plain", "padded", "both"), default="both")
    args = parser.parse_args()
    from crawler.pipelines import auto_workers

    workers = auto_workers() if args.extract_workers < 0 else args.extract_workers
    processes = 1 + workers
    print(f"cores: {os.cpu_count()} on this machine, shared with the mirror (this process); load average "
          f"{os.getloadavg()[0]:.1f} at the start", flush=True)
    variants = []
    if args.variant in ("plain", "both"):
        variants.append(run_variant("mirror pages", False, args, processes, recrawl=recrawl_report))
    if args.variant in ("padded", "both"):
        variants.append(run_variant("real-size pages", True, args, processes))
    for variant in variants:
        report_variant(variant, processes, workers)
    print(f"bench process (mirror + extract-only) peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
