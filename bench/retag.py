"""Retag benchmark: ``pantau retag`` over a store of 100 000 articles.

    .venv/bin/python bench/retag.py [--articles 100000] [--chars 0] [--workers N] [--keep PATH]

Fills a fresh store through a bulk fast path with mirror-style articles (the synthetic articles
of ``mirror.corpus`` plus the hand-written corpus, round-robin over the four sites, one hour
apart) whose figures an older tagger gave (the current tagger's output without ``when`` and
``scope``, stamped with another version), then times, in one run:

1. tagging alone over the same texts (the floor a retag cannot beat);
2. the retag that brings every article to the current tagger (figures whose when/scope differ
   are replaced, findings recomputed), with its progress lines;
3. a second retag (nothing to do);
4. a retag after a version change that leaves every figure as it is (re-read, stamp, no change).

``--chars N`` joins synthetic paragraphs into texts of at least N characters (denser and longer
than the mirror's ~350-character articles) to see the cost per article grow with its figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extract import tag_text  # noqa: E402
from extract.timeref import settle_when  # noqa: E402
from kernel.records import Figure  # noqa: E402
from kernel.sites import SITES  # noqa: E402
from mirror.corpus import load_corpus, synthetic_articles  # noqa: E402
from store import Store  # noqa: E402
from store.retag import auto_workers, count_to_retag, retag  # noqa: E402
from store.series import as_of  # noqa: E402

OLD_VERSION = "bench-older-tagger"
START = datetime(2021, 1, 1, tzinfo=UTC)
# Progress is printed this often, as `pantau retag` does by default every 1000.
PROGRESS_EVERY = 10_000


def texts(count: int, chars: int, rng: random.Random) -> list[str]:
    corpus = ["\n".join(a.paragraphs) for a in load_corpus()]
    synthetic = ["\n".join(a.paragraphs) for a in synthetic_articles(min(count, 20_000), seed=11)]
    pool = corpus + synthetic
    if not chars:
        return [pool[i % len(pool)] for i in range(count)]
    paragraphs = [p for text in synthetic for p in text.split("\n")]
    out = []
    for _ in range(count):
        picked: list[str] = []
        while sum(map(len, picked)) < chars:
            picked.append(rng.choice(paragraphs))
        out.append("\n".join(picked))
    return out


def older(figures: list[Figure]) -> list[Figure]:
    """What a tagger before `when` and `scope` gave."""
    return [dataclasses.replace(f, when="now", scope=None) for f in figures]


def fill(store: Store, bodies: list[str]) -> tuple[float, int]:
    """Bulk-insert the articles and their older figures; returns (tag-only seconds, figures)."""
    article_rows, figure_rows = [], []
    tag_seconds = 0.0
    figure_id = 0
    for a, text in enumerate(bodies, start=1):
        site = SITES[a % len(SITES)]
        published = (START + timedelta(hours=a)).isoformat(timespec="seconds")
        url = f"https://bench.example/{site}/{a}"
        article_rows.append((a, url, site, f"Judul {a}", published, published, published,
                             hashlib.sha256(text.encode()).hexdigest(), text, 1, 0, published, OLD_VERSION))
        started = time.perf_counter()
        figures = tag_text(text)
        tag_seconds += time.perf_counter() - started
        for f in older(figures):
            figure_id += 1
            f = settle_when(f, published)
            placed = as_of(f, published)
            figure_rows.append((figure_id, a, 1, f.start, f.end, f.surface, f.value, f.value_max, f.unit, f.metric,
                                store.taxonomy.family_of(f.metric), int(f.is_target), int(f.approx), f.year,
                                f.sentence, site, url, published, published, placed.at, 0.5, figure_id, f.when,
                                placed.period, OLD_VERSION))
    with store.transaction() as conn:
        conn.executemany("insert into articles (id, url, site, title, published_at, first_seen_at, last_fetched_at,"
                         " content_hash, text, version, checks_done, version_seen_at, tagger_version)"
                         " values (?,?,?,?,?,?,?,?,?,?,?,?,?)", article_rows)
        conn.executemany("insert into figures (id, article_id, version, start, end, surface, value, value_max, unit,"
                         " metric, family, is_target, approx, year, sentence, site, url, published_at, first_seen_at,"
                         " as_of, tolerance, first_figure_id, \"when\", as_of_period, tagger_version, first_mention)"
                         " values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)", figure_rows)
    store.rebuild_series()
    store.db.execute("analyze")
    return tag_seconds, len(figure_rows)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the tagging processes, once closed)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed_retag(store: Store, label: str, workers: int) -> tuple[float, int, int]:
    total = count_to_retag(store)
    started = time.perf_counter()
    cpu_started = cpu_seconds()

    def progress(run, change) -> None:
        if run.articles_done % PROGRESS_EVERY == 0:
            rate = run.articles_done / (time.perf_counter() - started)
            print(f"  retag: {run.articles_done:,} of {run.articles_total:,} articles, "
                  f"{run.figures_changed:,} figures changed ({rate:,.0f} articles/s)")

    report = retag(store, lambda text: tag_text(text, store.taxonomy), on_article=progress, workers=workers)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    rate = (f"{report.articles / seconds:,.0f} articles/s; {report.articles / cpu:,.0f} articles per CPU second"
            if report.articles else "nothing to do")
    print(f"{label}: {report.articles:,} of {total:,} articles in {seconds:.1f} s ({rate}), "
          f"{report.figures_changed:,} figures changed")
    return seconds, report.articles, report.figures_changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--chars", type=int, default=0, help="texts of at least this many characters (0: mirror-like)")
    parser.add_argument("--workers", type=int, default=-1,
                        help="tagging processes beside the writer (-1: one per core but the writer's; 0: none)")
    parser.add_argument("--keep", type=Path, help="Write the store here and keep it (default: a temp folder).")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory(prefix="pantau-bench-retag-")
    path = args.keep or Path(folder.name) / "bench.db"
    if path.exists():
        sys.exit(f"{path} exists; give a new path")
    bodies = texts(args.articles, args.chars, random.Random(20261202))
    store = Store.open(path)
    started = time.perf_counter()
    tag_seconds, figures = fill(store, bodies)
    average = sum(map(len, bodies)) / len(bodies)
    print(f"filled {len(bodies):,} articles (average {average:,.0f} characters), {figures:,} figures in "
          f"{time.perf_counter() - started:.1f} s; tagging alone: {len(bodies) / tag_seconds:,.0f} articles/s "
          f"(one process; workers for the retags: {args.workers if args.workers >= 0 else auto_workers()})")
    first, articles, changed = timed_retag(store, "retag, older tagger -> current", args.workers)
    second, _, _ = timed_retag(store, "second retag", args.workers)
    store.db.execute("update articles set tagger_version = 'bench-same-output'")
    store.db.conn.commit()
    bump, bumped, unchanged = timed_retag(store, "retag after a version change with the same output", args.workers)
    print(f"ratios: retag / tagging alone = {articles / first / (len(bodies) / tag_seconds):.2f} (older tagger), "
          f"{bumped / bump / (len(bodies) / tag_seconds):.2f} (same output); figures changed in the version bump: "
          f"{unchanged}")
    store.close()
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
