"""Version 9 → 10 in place (the indexes of a big store), and 6 → 10 through the empty step 7."""

from __future__ import annotations

import sqlite_utils
from test_store_support import article, figure

from store import SCHEMA_VERSION, Store
from store.schema import MIGRATIONS

DETIK = "https://inet.detik.com/berita/d-7500001/titik-internet"
LIPUTAN6 = "https://www.liputan6.com/tekno/read/5200001/titik-internet"


def make_store(path, version):
    """A file at ``version`` built by the migrations up to it, with one article and its figure."""
    db = sqlite_utils.Database(path)
    for step in range(1, version + 1):
        MIGRATIONS[step](db)
    db.execute(f"pragma user_version = {version}")
    db["articles"].insert({"id": 1, "url": DETIK, "site": "detik", "title": "Titik internet",
                           "published_at": "2025-01-10T03:00:00+00:00", "first_seen_at": "2025-01-10T04:00:00+00:00",
                           "last_fetched_at": "2025-01-10T04:00:00+00:00", "content_hash": "h1",
                           "text": "Pemerintah membangun 7 ribu titik internet gratis.", "version": 1})
    # "7 ribu" rounds to thousands: tolerance 500 (store.sameness.rounding_tolerance)
    db["figures"].insert({"id": 1, "article_id": 1, "version": 1, "start": 21, "end": 33, "surface": "7 ribu titik",
                          "value": 7000.0, "unit": "titik", "metric": "internet_access_points", "family": "connectivity",
                          "is_target": 0, "approx": 0, "site": "detik", "url": DETIK,
                          "sentence": "Pemerintah membangun 7 ribu titik internet gratis.",
                          "published_at": "2025-01-10T03:00:00+00:00", "first_seen_at": "2025-01-10T04:00:00+00:00",
                          "as_of": "2025-01-10T03:00:00+00:00", "as_of_period": "2025-01", "tolerance": 500.0,
                          "first_figure_id": 1, "first_mention": 1})
    db.conn.commit()
    db.close()


def indexes(db):
    return {row[0] for row in db.execute("select name from sqlite_master where type = 'index'")}


def test_a_v9_store_gets_the_indexes_and_its_figures_are_found(tmp_path):
    path = tmp_path / "v9.db"
    make_store(path, 9)
    with Store.open(path) as store:
        db = store.db
        assert db.execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION == 10
        names = indexes(db)
        assert {"idx_figures_same_value", "idx_figures_series_period", "idx_figures_as_of",
                "idx_articles_published_at", "idx_figures_url_reading", "idx_crawl_runs_started_at",
                "idx_health_problems_open_first"} <= names
        assert not {"idx_figures_live_value", "idx_figures_url"} & names  # replaced
        # the figure stored before the upgrade is found by the new lookup: 6.612 is within 7 ribu
        text = "Sebanyak 6.612 titik internet gratis sudah aktif."
        store.record_article(article(LIPUTAN6, text, published_at="2025-02-10T10:00:00+07:00"),
                             [figure(text, "6.612 titik", 6_612, metric="internet_access_points", unit="titik")],
                             fetched_at="2025-02-10T04:00:00Z")
        rows = db.execute("select id, first_figure_id from figures order by id").fetchall()
        assert rows == [(1, 1), (2, 1)]


def test_a_v6_store_goes_through_7_8_and_9(tmp_path):
    path = tmp_path / "v6.db"
    make_store(path, 6)
    with Store.open(path) as store:
        db = store.db
        assert db.execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION
        assert "metrics" in db.table_names() and "figure_list" in db.view_names()  # 8
        assert db.execute("select body_kind from articles").fetchall() == [("story",)]  # 9
        assert "idx_figures_same_value" in indexes(db)  # 10


def test_every_version_has_one_step():
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))
