"""Store benchmark: query and write times on a store of 1 M figures over 100 k articles.

    .venv/bin/python bench/store.py [--articles 100000] [--figures-per-article 10] [--keep PATH]

Fills a fresh store through a bulk fast path (one transaction of executemany, the same columns
record_article writes), then prints the time of the canned metric-history and latest-per-metric
queries, of record_article for one article with 10 figures, and EXPLAIN QUERY PLAN of every
query on the hot path, failing (exit 1) if one scans the figures or findings table without an index.
"""

from __future__ import annotations

import argparse
import hashlib
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
from store.conflicts import CONFLICT_CANDIDATES_SQL  # noqa: E402
from store.queries import canned_sql  # noqa: E402
from store.recording import PREVIOUS_LATEST_SQL, SAME_VALUE_SQL  # noqa: E402
from store.series import LATEST_FIGURE_SQL  # noqa: E402

METRICS = [("umkm_online", "umkm"), ("umkm_online_target", "umkm"), ("umkm_online_added", "umkm"),
           ("umkm_online_pct", "persen"), ("umkm_digital_training", "orang"), ("umkm_total", "umkm"),
           ("other_umkm", "persen"), ("internet_access_points", "titik"), ("bts_towers", "bts"),
           ("villages_unconnected", "desa"), ("villages_4g_covered", "desa"), ("villages_total", "desa"),
           ("fiber_optic_km", "km"), ("regencies_connected", "kabupaten_kota"),
           ("satellite_capacity_gbps", "gbps"), ("internet_users", "orang"), ("internet_penetration_pct", "persen"),
           ("ict_budget_idr", "rupiah"), ("digital_talent", "orang"), ("digital_talent_target", "orang"),
           ("digital_talent_gap", "orang"), ("other_connectivity", "mbps")]
SITES = ["detik", "liputan6", "republika", "komdigi"]
# Values per metric: few distinct values, as in the news (the same official number travels).
DISTINCT_VALUES = 200


def fill(store: Store, articles: int, per_article: int, rng: random.Random) -> float:
    started = time.perf_counter()
    now = "2026-01-01T00:00:00+00:00"
    article_rows, figure_rows = [], []
    figure_id = 0
    for a in range(1, articles + 1):
        site = SITES[a % 4]
        day = 1 + a * 2000 // articles  # spread over ~5 years
        published = f"{2020 + day // 366:04d}-{1 + day % 366 // 31 % 12:02d}-{1 + day % 28:02d}T{a % 24:02d}:00:00+00:00"
        text = f"Artikel {a}: pemerintah menyebut {a % 997} ribu UMKM dan {a % 113} titik internet."
        url = f"https://bench.example/{site}/{a}"
        article_rows.append((a, url, site, f"Judul {a}", published, now, now, hashlib.sha256(text.encode()).hexdigest(),
                             text, 1, 0, now))
        for k in range(per_article):
            figure_id += 1
            metric, unit = METRICS[rng.randrange(len(METRICS))]
            value = float(1000 * rng.randrange(1, DISTINCT_VALUES))
            figure_rows.append((figure_id, a, 1, 10 * k, 10 * k + 8, f"{value:.0f} {unit}", value, unit, metric,
                                "umkm" if "umkm" in metric else "connectivity", 0, 0, None,
                                f"Kalimat {k} artikel {a}.", site, url, published, now, published, 0.5, figure_id))
    # One finding per ten articles, created over the same five years.
    finding_rows = [("new_value", row[4], row[2], "umkm_online", "umkm", "umkm", 1000.0, 0, row[1], row[0])
                    for row in article_rows[::10]]
    with store.transaction() as conn:
        conn.executemany("insert into findings (kind, created_at, site, metric, family, unit, value, is_target, url,"
                         " article_id) values (?,?,?,?,?,?,?,?,?,?)", finding_rows)
        conn.executemany("insert into articles (id, url, site, title, published_at, first_seen_at, last_fetched_at,"
                         " content_hash, text, version, checks_done, version_seen_at)"
                         " values (?,?,?,?,?,?,?,?,?,?,?,?)", article_rows)
        conn.executemany("insert into figures (id, article_id, version, start, end, surface, value, unit, metric,"
                         " family, is_target, approx, year, sentence, site, url, published_at, first_seen_at, as_of,"
                         " tolerance, first_figure_id, first_mention) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)",
                         figure_rows)
    store.rebuild_series()
    store.db.execute("analyze")
    return time.perf_counter() - started


def timed(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def plans(store: Store) -> list[tuple[str, list[str]]]:
    """EXPLAIN QUERY PLAN of the canned queries and of record_article's lookups."""
    queries: dict[str, tuple[str, list[Any] | dict[str, Any]]] = {
        "latest_values": (canned_sql("latest_values"), {}),
        "metric_history": (canned_sql("metric_history"), {"metric": "umkm_online"}),
        "article_figures": (canned_sql("article_figures"), {"url": "https://bench.example/detik/4"}),
        "findings_since": (canned_sql("findings_since"), {"since": "2025-06-01"}),
        "open_conflicts": (canned_sql("open_conflicts"), {}),
        "record_article: previous latest": (PREVIOUS_LATEST_SQL, ["umkm_online", "umkm", 0, None, "2024-01-01", 0]),
        "record_article: same value": (SAME_VALUE_SQL, {
            "metric": "umkm_online", "unit": "umkm", "target": 0, "low": 1000.0, "high": 2000.0, "article": 0,
            "value": 1500.0, "tol": 0.5, "slack": 1e-9, "year": None, "vmax": None, "scope": None}),
        "record_article: conflict candidates": (CONFLICT_CANDIDATES_SQL, {
            "metric": "umkm_online", "unit": "umkm", "target": 0, "scope": None, "low": "2023-12-31T17:00:00+00:00",
            "high": "2024-12-31T16:59:59+00:00", "site": "detik", "article": 0}),
        "series: latest figure": (LATEST_FIGURE_SQL, {"metric": "umkm_online", "unit": "umkm", "target": 0,
                                                      "scope": None}),
        "record_article: article by url": ("select * from articles where url = ?", ["https://bench.example/detik/4"]),
    }
    out = []
    for name, (sql, params) in queries.items():
        rows = store.db.conn.execute("explain query plan " + sql, params).fetchall()
        out.append((name, [row[-1] for row in rows]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--figures-per-article", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="Write the store here and keep it (default: a temp folder).")
    args = parser.parse_args()
    rng = random.Random(20260101)
    folder = tempfile.TemporaryDirectory(prefix="pantau-bench-")
    path = args.keep or Path(folder.name) / "bench.db"
    if path.exists():
        sys.exit(f"{path} exists; give a new path")
    store = Store.open(path)
    fill_seconds = fill(store, args.articles, args.figures_per_article, rng)
    figures = store.db.execute("select count(*) from figures").fetchone()[0]
    print(f"filled {args.articles:,} articles, {figures:,} figures in {fill_seconds:.1f} s "
          f"({figures / fill_seconds:,.0f} figures/s, bulk path)")

    history_rows = len(store.metric_history("umkm_online"))
    history = timed(lambda: store.metric_history("umkm_online"), 5)
    latest_rows = len(store.latest_values())
    latest = timed(store.latest_values, 5)
    first_page = timed(lambda: store.db.conn.execute(
        f"select * from ({canned_sql('metric_history')}) limit 101", {"metric": "umkm_online"}).fetchall(), 5)
    print(f"metric_history('umkm_online'): {history * 1000:.1f} ms for all {history_rows:,} rows; "
          f"first Datasette page (101 rows) {first_page * 1000:.1f} ms")
    print(f"latest_values(): {latest * 1000:.2f} ms for {latest_rows} series")
    since = timed(lambda: store.db.conn.execute(f"select * from ({canned_sql('findings_since')}) limit 101",
                                                {"since": "2025-06-01"}).fetchall(), 5)
    print(f"findings_since (first page): {since * 1000:.2f} ms")

    write_times = []
    for i in range(20):
        text = " ".join(f"Pemerintah menyebut {1000 * (i + k + 1)} titik internet gratis." for k in range(10))
        surfaces = [f"{1000 * (i + k + 1)} titik" for k in range(10)]
        figs, offset = [], 0
        for k, surface in enumerate(surfaces):
            start = text.index(surface, offset)
            offset = start + len(surface)
            figs.append(Figure(start=start, end=offset, surface=surface, value=1000.0 * (i + k + 1),
                               value_max=None, unit="titik", metric="internet_access_points", is_target=False,
                               approx=False, year=None, sentence=text))
        item = Article(f"https://inet.detik.com/berita/d-{8_000_000 + i}/bench", "detik", "Bench", text,
                       "2026-02-01T10:00:00+07:00", None, None, hashlib.sha256(text.encode()).hexdigest())
        started = time.perf_counter()
        store.record_article(item, figs)
        write_times.append(time.perf_counter() - started)
    write = statistics.median(write_times)
    print(f"record_article (1 article, 10 figures, findings computed): {write * 1000:.1f} ms median of 20")
    bulk_per_figure = fill_seconds / figures
    print(f"ratios: full history / first page = {history / first_page:.0f}; record_article per figure / bulk "
          f"insert per figure = {write / 10 / bulk_per_figure:.0f} (findings, sameness and a commit per article)")

    print("\nEXPLAIN QUERY PLAN")
    full_scans = []
    for name, steps in plans(store):
        print(f"  {name}:")
        for step in steps:
            print(f"    {step}")
            if step.startswith("SCAN") and ("figures" in step or "findings" in step or "articles" in step) \
                    and "USING" not in step:
                full_scans.append((name, step))
    store.close()
    folder.cleanup()
    if full_scans:
        print("\nFULL TABLE SCANS: " + "; ".join(f"{n}: {s}" for n, s in full_scans))
        return 1
    print("\nno full table scan of articles, figures or findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
