"""Two processes writing to one store at once (the crawl child and the daemon): both succeed, nothing lost."""

from __future__ import annotations

import multiprocessing

from test_store_support import article, figure

from store import Store

ARTICLES_PER_WRITER = 30


def writer(path: str, name: str, start_barrier, results) -> None:
    try:
        with Store.open(path) as store:  # both may find a new file: the migration runs once
            start_barrier.wait(timeout=30)
            run = store.start_crawl_run(name)
            for i in range(ARTICLES_PER_WRITER):
                value = 1_000 * (i % 7 + 1)
                text = f"Pemerintah telah menyediakan {value} titik internet gratis di desa ({name} {i})."
                url = f"https://inet.detik.com/berita/d-{9_000_000 + i * 2 + (name == 'b')}/titik-{name}-{i}"
                store.record_article(article(url, text, published_at=f"2024-03-{i % 28 + 1:02d}T10:00:00+07:00"),
                                     [figure(text, f"{value} titik", value, metric="internet_access_points",
                                             unit="titik")])
                store.record_health(name, "feed_empty", f"kosong {i}")
            # both writers also record one shared article: one of them creates it, the other finds it unchanged
            shared = "Sebanyak 14 ribu desa belum terkoneksi internet."
            store.record_article(article("https://www.liputan6.com/read/5000003/desa", shared),
                                 [figure(shared, "14 ribu desa", 14_000, metric="villages_unconnected", unit="desa")])
            store.finish_crawl_run(run, {"fetched": ARTICLES_PER_WRITER})
        results.put((name, "ok"))
    except Exception as exc:  # reported to the parent, which fails the test with it
        results.put((name, repr(exc)))


def test_two_processes_write_at_once(tmp_path):
    path = str(tmp_path / "shared.db")
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=writer, args=(path, name, barrier, results)) for name in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    outcomes = dict(results.get(timeout=5) for _ in procs)
    assert outcomes == {"a": "ok", "b": "ok"}
    with Store.open(path) as store:
        db = store.db
        assert db.execute("select count(*) from articles").fetchone()[0] == 2 * ARTICLES_PER_WRITER + 1
        assert db.execute("select count(*) from figures").fetchone()[0] == 2 * ARTICLES_PER_WRITER + 1
        assert db.execute("select count(*) from crawl_runs where status = 'finished'").fetchone()[0] == 2
        assert db.execute("select count(*) from health_problems").fetchone()[0] == 2
        assert db.execute("select count(*) from findings where kind = 'source_health'").fetchone()[0] == 2
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        # each distinct published value starts as a new value; corroborations never count twice
        [latest] = [row for row in store.latest_values() if row["metric"] == "internet_access_points"]
        assert latest["sources"] >= 2
