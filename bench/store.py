"""Store benchmark: record_article on stores of 10 k, 100 k and 1 M figures, and the Datasette pages.

    .venv/bin/python bench/store.py [--sizes 10000,100000,1000000] [--rounds 40] [--batch 16] [--keep DIR]

Each store is filled through a bulk fast path (executemany in one transaction, the columns
record_article writes, tolerances from the real ``rounding_tolerance``, as_of from the real
``store.series.as_of``). The fill and the timed articles come from one generator. Per metric, an
official value a month over six years, spread over two orders of magnitude around the metric's
typical size; an article states its month's official value, or an older one, or (one in ten) a
value no one else states, written precisely ("4.612.345 umkm") or rounded the way news rounds
("4,6 juta umkm", "4,61 juta", "5 juta"); some with a year, some placed earlier, some regional.
Articles spread over the six years, the timed ones the newest (a crawl records today's news). So a
timed figure meets known values, coarse and precise, as a crawl's does.

Timing: rounds interleave the stores (one record_article of 10 figures per store per round, in a
shuffled order), medians per store, and the ratio of the largest store to the smallest, measured
in one run. Labelled "batched" (not the headline): the same per article when BATCH_ARTICLES
articles share one transaction, as the crawl's store writer thread writes them. Then, on the largest store, the first page of every table and view as Datasette sorts
it by default and every canned query, with EXPLAIN QUERY PLAN (exit 1 when a plan scans a big table
without an index or sorts it in a temporary b-tree; tests/test_query_plans.py checks the same).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kernel.records import Article, Figure  # noqa: E402
from store import Store  # noqa: E402
from store.query_plans import ACCEPTED_PLANS, canned_queries, default_page_queries, plan_problems  # noqa: E402
from store.sameness import rounding_tolerance  # noqa: E402
from store.series import AsOf, as_of  # noqa: E402

# (metric, unit, typical size): values are drawn over 10× below to 10× above the typical size.
METRICS = [("umkm_online", "umkm", 2e7), ("umkm_online_target", "umkm", 3e7), ("umkm_online_added", "umkm", 2e6),
           ("umkm_online_pct", "persen", 30), ("umkm_digital_training", "orang", 2e5), ("umkm_total", "umkm", 6e7),
           ("internet_access_points", "titik", 1e4), ("bts_towers", "bts", 5e3),
           ("villages_unconnected", "desa", 1e4), ("villages_4g_covered", "desa", 7e4),
           ("villages_total", "desa", 8e4), ("fiber_optic_km", "km", 3e5), ("regencies_connected", "kabupaten_kota", 300),
           ("satellite_capacity_gbps", "gbps", 150), ("internet_users", "orang", 2e8),
           ("internet_penetration_pct", "persen", 75), ("ict_budget_idr", "rupiah", 2e13), ("digital_talent", "orang", 1e5),
           ("digital_talent_target", "orang", 9e6), ("digital_talent_gap", "orang", 5e6)]
SITES = ["detik", "liputan6", "republika", "komdigi"]
# A regional figure names one of a few dozen regions; most figures are national.
REGIONS = [f"Provinsi {n}" for n in range(1, 39)]
REGIONAL_SHARE = 0.15
# Official values per metric: one a month over the six years (the same official number travels).
OFFICIAL_VALUES = 72
# What an article states: its month's official value, an older official value, or (the rest) a
# value stated once (a local number, a typo) that no other article states.
CURRENT_SHARE = 0.6
OLDER_SHARE = 0.3
# Figures whose sentence gives a year, and current figures the text places earlier ("naik dari").
YEAR_SHARE = 0.3
EARLIER_SHARE = 0.1
# How news writes a number: precisely, or rounded to a scale word with 0-2 decimals.
PRECISE_SHARE = 0.5
FIGURES_PER_ARTICLE = 10
# Every figure's sentence: it names no month and no relative year ("tahun lalu").
SENTENCE = "Pemerintah mencatat {surface} pada periode ini."
# Publication hours (UTC) of the fill's articles: few, so the fill computes each as_of once per day.
PUBLISH_HOURS = (1, 4, 7, 10)
FILL_START_DAY = 0              # 2021-01-01
FILL_DAYS = 6 * 365 - 31        # up to the end of November 2026; the timed articles come in December
# The page cache of the fill's index build (KiB, negative as SQLite takes it); the timed writes
# run with the store's own setting.
FILL_CACHE_KIB = -262144
SCALE_WORDS = [(1e12, "triliun"), (1e9, "miliar"), (1e6, "juta"), (1e3, "ribu")]


def indonesian_integer(value: float) -> str:
    return f"{round(value):,}".replace(",", ".")


def written(value: float, precise: bool, rng: random.Random) -> tuple[str, float]:
    """(surface number, the value it states): '4.612.345' / 4612345, or '4,6 juta' / 4600000."""
    if value < 100:  # percentages, small counts: one decimal or none
        if precise or value < 10:
            return f"{value:.1f}".replace(".", ","), round(value, 1)
        return f"{value:.0f}", float(round(value))
    if precise:
        return indonesian_integer(value), float(round(value))
    for scale, word in SCALE_WORDS:
        if value >= scale:
            decimals = rng.choice((0, 1, 1, 2))
            mantissa = round(value / scale, decimals)
            text = f"{mantissa:.{decimals}f}".replace(".", ",")
            return f"{text} {word}", float(f"{mantissa * scale:.12g}")
    return indonesian_integer(round(value, -1)), float(round(value, -1))


class Generator:
    """Figures and articles drawn like a crawl's: one generator for the fill and the timed articles."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.values: dict[str, list[float]] = {}
        for metric, unit, size in METRICS:
            self.values[metric] = [self._draw_value(unit, size) for _ in range(OFFICIAL_VALUES)]

    def _draw_value(self, unit: str, size: float) -> float:
        if unit == "persen":
            return round(self.rng.uniform(size / 3, min(100.0, size * 1.3)), 2)
        return float(round(size * 10 ** self.rng.uniform(-1, 1)))

    def figures(self, published: str, month: int) -> list[tuple[Figure, str]]:
        """FIGURES_PER_ARTICLE figures (with their sentences) for an article of ``published``,
        the ``month``-th month of the six years."""
        rng = self.rng
        out = []
        year_now = int(published[:4])
        offset = 0
        current = min(month, OFFICIAL_VALUES - 1)
        for _ in range(FIGURES_PER_ARTICLE):
            metric, unit, size = METRICS[rng.randrange(len(METRICS))]
            pick = rng.random()
            if pick < CURRENT_SHARE:
                official = self.values[metric][current]
            elif pick < CURRENT_SHARE + OLDER_SHARE:
                official = self.values[metric][rng.randint(0, current)]
            else:
                official = self._draw_value(unit, size)
            number, value = written(official, rng.random() < PRECISE_SHARE, rng)
            surface = f"{number} {unit}"
            is_target = metric.endswith("_target")
            year = rng.randint(year_now - 2, year_now + (2 if is_target else 0)) if rng.random() < YEAR_SHARE else None
            when = "planned" if is_target else ("earlier" if rng.random() < EARLIER_SHARE else "now")
            scope = rng.choice(REGIONS) if rng.random() < REGIONAL_SHARE else None
            sentence = SENTENCE.format(surface=surface)
            start = offset + sentence.index(surface)
            out.append((Figure(start=start, end=start + len(surface), surface=surface, value=value, value_max=None,
                               unit=unit, metric=metric, is_target=is_target, approx=False, year=year,
                               sentence=sentence, when=when, scope=scope), sentence))
            offset += len(sentence) + 1
        return out


def published_of(day: int, hour: int) -> str:
    """The UTC publication time ``day`` days after 2021-01-01."""
    base = time.gmtime(1609459200 + day * 86400 + hour * 3600)
    return time.strftime("%Y-%m-%dT%H:00:00+00:00", base)


@functools.lru_cache(maxsize=4096)
def _as_of(when: str, year: int | None, is_target: bool, published: str) -> AsOf:
    """store.series.as_of of a fill figure: its sentence names no month and no relative year, so
    when, year and the article's date decide it (cached: the fill's figures repeat them)."""
    return as_of(Figure(0, 0, "", 0, None, "", "", is_target, False, year, SENTENCE.format(surface=""), when),
                 published)


@functools.lru_cache(maxsize=65536)
def _tolerance(surface: str, value: float) -> float:
    return rounding_tolerance(surface, value)


def fill(store: Store, articles: int, gen: Generator) -> float:
    """``articles`` articles of FIGURES_PER_ARTICLE figures each, in one bulk transaction."""
    started = time.perf_counter()
    now = "2026-11-30T12:00:00+00:00"
    article_rows, figure_rows = [], []
    figure_id = 0
    family = {m: ("umkm" if "umkm" in m else "connectivity") for m, _, _ in METRICS}
    for a in range(1, articles + 1):
        site = SITES[a % len(SITES)]
        day = FILL_START_DAY + (a - 1) * FILL_DAYS // articles
        published = published_of(day, PUBLISH_HOURS[a % len(PUBLISH_HOURS)])
        url = f"https://bench.example/{site}/{a}"
        drawn = gen.figures(published, day * OFFICIAL_VALUES // (FILL_DAYS + 31))
        text = "\n".join(sentence for _, sentence in drawn)
        article_rows.append((a, url, site, f"Judul {a}", published, now, now, hashlib.sha256(text.encode()).hexdigest(),
                             text, 1, 0, now))
        first_of: dict[tuple[str, float], int] = {}
        for f, _ in drawn:
            figure_id += 1
            placed = _as_of(f.when, f.year, f.is_target, published)
            first = first_of.setdefault((f.metric, f.value), figure_id)
            figure_rows.append((figure_id, a, 1, f.start, f.end, f.surface, f.value, f.unit, f.metric, family[f.metric],
                                int(f.is_target), 0, f.year, f.sentence, site, url, published, now, placed.at,
                                _tolerance(f.surface, f.value), figure_id, f.when, f.scope,
                                placed.period, int(first == figure_id)))
    # One finding per ten articles, created over the same years.
    finding_rows = [("new_value", row[4], row[2], "umkm_online", "umkm", "umkm", 1000.0, 0, row[1], row[0])
                    for row in article_rows[::10]]
    conn = store.db.conn
    # Bulk load: the indexes of the three big tables are dropped and built again after the
    # inserts (the same DDL, from the store itself), with a larger page cache for the build only.
    index_sql = [row[0] for row in conn.execute(
        "select sql from sqlite_master where type = 'index' and sql is not null"
        " and tbl_name in ('figures', 'articles', 'findings')")]
    cache = conn.execute("pragma cache_size").fetchone()[0]
    conn.execute(f"pragma cache_size = {FILL_CACHE_KIB}")
    with store.transaction() as conn:
        for (name,) in conn.execute("select name from sqlite_master where type = 'index' and sql is not null"
                                    " and tbl_name in ('figures', 'articles', 'findings')").fetchall():
            conn.execute(f"drop index [{name}]")
        conn.executemany("insert into findings (kind, created_at, site, metric, family, unit, value, is_target, url,"
                         " article_id) values (?,?,?,?,?,?,?,?,?,?)", finding_rows)
        conn.executemany("insert into articles (id, url, site, title, published_at, first_seen_at, last_fetched_at,"
                         " content_hash, text, version, checks_done, version_seen_at)"
                         " values (?,?,?,?,?,?,?,?,?,?,?,?)", article_rows)
        conn.executemany("insert into figures (id, article_id, version, start, end, surface, value, unit, metric,"
                         " family, is_target, approx, year, sentence, site, url, published_at, first_seen_at, as_of,"
                         " tolerance, first_figure_id, \"when\", scope, as_of_period, first_mention)"
                         " values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", figure_rows)
        runs = [(SITES[i % 4], published_of(i * FILL_DAYS // 2000, 0), published_of(i * FILL_DAYS // 2000, 1), "finished")
                for i in range(2000)]
        conn.executemany("insert into crawl_runs (site, started_at, finished_at, status) values (?,?,?,?)", runs)
        for sql in index_sql:
            conn.execute(sql)
    store.rebuild_series()
    conn.execute("pragma wal_checkpoint(truncate)")  # timed writes start on an empty WAL, as on a running store
    conn.execute(f"pragma cache_size = {cache}")
    # No ANALYZE: pantau never runs it, so the planner chooses as it does on a user's store.
    return time.perf_counter() - started


def timed_article(gen: Generator, serial: int) -> tuple[Article, list[Figure]]:
    """A new article of today (December 2026) with figures drawn like the fill's."""
    published = published_of(FILL_DAYS + 1 + serial % 28, serial % 24)
    drawn = gen.figures(published, OFFICIAL_VALUES - 1)
    text = "\n".join(sentence for _, sentence in drawn)
    url = f"https://inet.detik.com/berita/d-{8_000_000 + serial}/bench"
    return (Article(url, "detik", "Bench", text, published, None, None, hashlib.sha256(text.encode()).hexdigest()),
            [f for f, _ in drawn])


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def time_queries(store: Store, queries: dict[str, tuple[str, dict[str, Any]]], rounds: int) -> dict[str, float]:
    """Median ms of each query's first page (fetchall), rounds interleaved over the queries."""
    times: dict[str, list[float]] = {name: [] for name in queries}
    for _ in range(rounds):
        for name, (sql, params) in queries.items():
            started = time.perf_counter()
            store.db.conn.execute(sql, params).fetchall()
            times[name].append(time.perf_counter() - started)
    return {name: median_ms(t) for name, t in times.items()}


# Articles per transaction of the "batched" measure: the crawl's store writer thread
# (store/writer.py) commits many articles at once; a few rounds of this many show the commit's share.
BATCH_ARTICLES = 16
# Rounds of the batched measure (each round: one batch per store, stores in shuffled order).
BATCH_ROUNDS = 5


def time_batched(stores: dict[int, Store], gens: dict[int, Generator], batch: int, first_serial: int,
                 order_rng: random.Random) -> dict[int, list[float]]:
    """CPU seconds per article of record_article inside one transaction of ``batch`` articles
    (one savepoint each, as store/writer.py writes them), interleaved over the stores."""
    cpu: dict[int, list[float]] = {size: [] for size in stores}
    serial = first_serial
    for _ in range(BATCH_ROUNDS):
        order = list(stores)
        order_rng.shuffle(order)
        for size in order:
            items = [timed_article(gens[size], serial + k) for k in range(batch)]
            started_cpu = time.process_time()
            with stores[size].transaction():
                for item, figs in items:
                    stores[size].record_article(item, figs, fetched_at="2026-12-28T00:00:00Z")
            cpu[size].append((time.process_time() - started_cpu) / batch)
        serial += batch
    return cpu


# Parameters of the canned queries for the bench's store (the others are null).
CANNED_PARAMS = {"metric_history": {"metric": "umkm_online"}, "article_figures": {"url": "https://bench.example/detik/4"},
                 "findings_since": {"since": "2026-06-01"}}
# Datasette reads at most this many rows of a canned query (its max_returned_rows), plus one.
CANNED_ROWS_READ = 1001


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="Figures per store, comma-separated.")
    parser.add_argument("--rounds", type=int, default=40, help="Interleaved rounds of record_article.")
    parser.add_argument("--batch", type=int, default=BATCH_ARTICLES,
                        help="Articles per transaction of the labelled 'batched' measure (0: skip it).")
    parser.add_argument("--keep", type=Path, help="Write the stores into this folder and keep them.")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = tempfile.TemporaryDirectory(prefix="pantau-bench-")
    where = args.keep or Path(folder.name)
    where.mkdir(parents=True, exist_ok=True)
    stores: dict[int, Store] = {}
    for size in sizes:
        path = where / f"bench-{size}.db"
        if path.exists():
            sys.exit(f"{path} exists; give a new folder")
        store = Store.open(path)
        seconds = fill(store, size // FIGURES_PER_ARTICLE, Generator(20260101))
        count = store.db.execute("select count(*) from figures").fetchone()[0]
        print(f"filled {size // FIGURES_PER_ARTICLE:,} articles, {count:,} figures in {seconds:.1f} s (bulk path)")
        stores[size] = store

    # The timed articles: one generator per store with the same seed, so each store records the
    # same articles in the same order (the fill's official values, new URLs).
    gens = {size: Generator(20260101) for size in sizes}
    for gen in gens.values():
        gen.rng.seed(7)
    # Wall time, and the process's CPU time: on a machine shared with other work the wall time
    # also counts the waits for a core; the CPU time is closer to what a quiet machine shows.
    times: dict[int, list[float]] = {size: [] for size in sizes}
    cpu: dict[int, list[float]] = {size: [] for size in sizes}
    findings: dict[int, int] = {size: 0 for size in sizes}
    order_rng = random.Random(3)
    for serial in range(args.rounds):
        order = list(sizes)
        order_rng.shuffle(order)
        for size in order:
            item, figs = timed_article(gens[size], serial)
            started, started_cpu = time.perf_counter(), time.process_time()
            result = stores[size].record_article(item, figs, fetched_at="2026-12-28T00:00:00Z")
            times[size].append(time.perf_counter() - started)
            cpu[size].append(time.process_time() - started_cpu)
            findings[size] += len(result.findings)
    print(f"\nrecord_article (1 article, {FIGURES_PER_ARTICLE} figures, findings computed, commit), "
          f"median of {args.rounds} interleaved rounds, wall time (CPU time):")
    for size in sizes:
        print(f"  {size:>9,} figures: {median_ms(times[size]):6.2f} ms ({median_ms(cpu[size]):5.2f} ms CPU)  (p90 "
              f"{sorted(times[size])[int(0.9 * len(times[size]))] * 1000:.2f} ms, {findings[size]} findings)")
    small, large = sizes[0], sizes[-1]
    print(f"  ratio {large:,} / {small:,} figures: {median_ms(times[large]) / median_ms(times[small]):.2f}"
          f" ({median_ms(cpu[large]) / median_ms(cpu[small]):.2f} CPU)")
    if args.batch > 0:
        batched = time_batched(stores, gens, args.batch, args.rounds, order_rng)
        print(f"\nbatched (not the headline): record_article inside one transaction of {args.batch} articles,"
              f" CPU ms per article, median of {BATCH_ROUNDS} interleaved batches:")
        for size in sizes:
            print(f"  {size:>9,} figures: {median_ms(batched[size]):5.2f} ms CPU")
        print(f"  ratio {large:,} / {small:,} figures: {median_ms(batched[large]) / median_ms(batched[small]):.2f} CPU")
    load = os.getloadavg()[0]
    print(f"  load average during the run: {load:.1f} on {os.cpu_count()} cores")

    store = stores[large]
    articles = store.db.execute("select count(*) from articles").fetchone()[0]
    planned = default_page_queries(store.db.conn) + canned_queries(CANNED_PARAMS)
    queries = {q.name: (q.sql if q.first_page or "next page" in q.name
                        else f"select * from ({q.sql}) limit {CANNED_ROWS_READ}", q.params) for q in planned}
    print(f"\nDatasette pages and canned queries on {articles:,} articles / {large:,} figures, "
          "median of 5 interleaved rounds:")
    timings = time_queries(store, queries, 5)
    problems = []
    for q in planned:
        found = [] if q.name in ACCEPTED_PLANS else plan_problems(store.db.conn, q)
        problems += [f"{q.name}: {p}" for p in found]
        note = "  (plan accepted: store.query_plans.ACCEPTED_PLANS)" if q.name in ACCEPTED_PLANS else ""
        print(f"  {q.name:<34} {timings[q.name]:8.2f} ms{'  PLAN: ' + '; '.join(found) if found else note}")
    for s in stores.values():
        s.close()
    folder.cleanup()
    if problems:
        print("\nPLAN PROBLEMS: " + "; ".join(problems))
        return 1
    print("\nevery page and canned query uses an index (no scan or temporary sort of a big table)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
