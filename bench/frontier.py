"""Shared-frontier benchmark: one vs two `pantau crawl` processes on one frontier, same mirror.

A mirror of synthetic articles (politeness delays off) is crawled from scratch in interleaved
rounds by: one process without a frontier (the baseline, writing its store itself), one process
with a frontier, and two processes sharing it; with a frontier the crawlers put articles on the
store stream and one `pantau store-writer` commits them as they come (then drains the rest). Each
crawl gets a fresh store and an emptied Redis. Prints, measured in this run (medians over the rounds):

  * articles/s of each mode: stored articles / wall time from the first crawler's start to the last
    one's exit (crawl), and to the writer's drain (stored),
  * the ratios frontier-1 / baseline (the frontier's own cost) and frontier-2 / frontier-1
    (what a second process on this machine adds), with the machine's core count,
  * that every article page was fetched once in each frontier crawl (the mirror's request log).

    .venv/bin/python bench/frontier.py [--articles 1000] [--rounds 3] [--extract-workers 0]

Needs redis-server on PATH (Debian: apt-get install redis-server).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

# A crawl of the benchmark's mirror takes tens of seconds; one that hangs ends the benchmark.
CRAWL_TIMEOUT_SECONDS = 900


def write_config(path: Path, store: Path, roots: dict[str, str], frontier: str | None, extract_workers: int) -> None:
    import tomli_w

    crawl = {"download_delay": 0.0, "autothrottle": False, "concurrent_per_domain": 16, "retry_times": 1,
             "download_timeout": 30.0, "time_limit_seconds": 900.0, "roots": roots, "roots_only": True,
             "max_age_days": 30.0, "extract_workers": extract_workers}
    if frontier:
        crawl["frontier"] = frontier
    path.write_text(tomli_w.dumps({"store": {"path": str(store)}, "crawl": crawl}), encoding="utf-8")


def cli(config: Path, log: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "cli", "--config", str(config), *args], cwd=REPO,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def run(config: Path, processes: int, log_dir: Path, shared: bool) -> tuple[float, float]:
    """Wall seconds from the first crawler's start to the last one's exit, and to the end of the
    writer's drain (the same without a frontier: the crawl wrote its store itself)."""
    import signal

    started = time.perf_counter()
    writer = cli(config, log_dir / f"{config.stem}-writer.log", "store-writer") if shared else None
    procs = []
    for i in range(processes):
        log = (log_dir / f"{config.stem}-{i}.log").open("wb")
        procs.append(subprocess.Popen([sys.executable, "-m", "cli", "--config", str(config), "crawl", "--quiet"],
                                      cwd=REPO, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
    codes = [p.wait(timeout=CRAWL_TIMEOUT_SECONDS) for p in procs]
    crawled = time.perf_counter() - started
    if writer is not None:
        writer.send_signal(signal.SIGTERM)
        codes.append(writer.wait(timeout=CRAWL_TIMEOUT_SECONDS))
        codes.append(cli(config, log_dir / f"{config.stem}-writer.log", "store-writer", "--until-empty")
                     .wait(timeout=CRAWL_TIMEOUT_SECONDS))
    if any(codes):
        raise SystemExit(f"a crawler or the writer failed ({codes}); logs in {log_dir}")
    return crawled, time.perf_counter() - started


def stored_articles(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("select count(*) from articles").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=1000, help="synthetic articles in the mirror")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--extract-workers", type=int, default=0,
                        help="[crawl] extract_workers of each crawler (0: each crawler one process)")
    args = parser.parse_args()

    from redis_server import redis_server

    from mirror import Mirror
    from mirror.server import _is_article_path

    modes = [("baseline (no frontier)", 1, False), ("frontier, 1 process", 1, True), ("frontier, 2 processes", 2, True)]
    rates: dict[str, list[float]] = {name: [] for name, _, _ in modes}
    stored_rates: dict[str, list[float]] = {name: [] for name, _, _ in modes}
    with tempfile.TemporaryDirectory(prefix="pantau-bench-frontier-") as tmp_name:
        tmp = Path(tmp_name)
        with redis_server(tmp / "redis") as redis, Mirror(synthetic=args.articles) as mirror:
            mirror.warm()
            for round_no in range(args.rounds):
                for index, (name, processes, shared) in enumerate(modes):
                    tag = f"r{round_no}m{index}"
                    store, config = tmp / f"{tag}.db", tmp / f"{tag}.toml"
                    write_config(config, store, mirror.roots, redis.url if shared else None,
                                 args.extract_workers)
                    redis.client().flushall()  # a fresh round and an empty store mirror, like the fresh store
                    mark = len(mirror.requests)
                    seconds, until_stored = run(config, processes, tmp, shared)
                    articles = stored_articles(store)
                    rates[name].append(articles / seconds)
                    stored_rates[name].append(articles / until_stored)
                    pages = Counter((h, p) for h, p, status in mirror.requests[mark:]
                                    if _is_article_path(h, p) and status == 200)
                    twice = sum(1 for n in pages.values() if n > 1)
                    print(f"round {round_no + 1} {name:<24} {articles} articles crawled in {seconds:5.1f} s = "
                          f"{articles / seconds:6.1f}/s, stored in {until_stored:5.1f} s; "
                          f"pages fetched twice: {twice}", flush=True)
    median = {name: statistics.median(values) for name, values in rates.items()}
    print()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; mirror: {args.articles} "
          f"synthetic articles; extract_workers = {args.extract_workers}; medians of {args.rounds} interleaved rounds")
    for name, value in median.items():
        print(f"  {name:<24} {value:6.1f} articles/s crawled, {statistics.median(stored_rates[name]):6.1f} stored")
    one, two, base = median["frontier, 1 process"], median["frontier, 2 processes"], median["baseline (no frontier)"]
    print(f"  frontier-1 / baseline     {one / base:.2f}  (the cost of the shared queue and seen-set)")
    print(f"  frontier-2 / frontier-1   {two / one:.2f}  (what a second crawler process on this machine adds)")


if __name__ == "__main__":
    main()
