"""Version 4 → 5 in place: when, as_of and periods of stored figures, series per scope, retag runs."""

from __future__ import annotations

import sqlite_utils

from store import SCHEMA_VERSION, Store
from store.schema import MIGRATIONS

DETIK = "https://inet.detik.com/berita/d-7300001/umkm"
KOMDIGI = "https://www.komdigi.go.id/berita/siaran-pers/detail/target-umkm"


def make_v4(path):
    db = sqlite_utils.Database(path)
    for version in range(1, 5):
        MIGRATIONS[version](db)
    db.execute("pragma user_version = 4")
    db["articles"].insert_all([
        {"id": 1, "url": DETIK, "site": "detik", "title": "UMKM", "published_at": "2024-03-01T03:00:00+00:00",
         "first_seen_at": "2024-03-01T04:00:00+00:00", "last_fetched_at": "2024-03-01T04:00:00+00:00",
         "content_hash": "h1", "text": "…", "version": 2},
        {"id": 2, "url": KOMDIGI, "site": "komdigi", "title": "Target", "published_at": "2024-03-02T03:00:00+00:00",
         "first_seen_at": "2024-03-02T04:00:00+00:00", "last_fetched_at": "2024-03-02T04:00:00+00:00",
         "content_hash": "h2", "text": "…", "version": 1},
    ])
    common = {"version": 1, "family": "umkm", "approx": 0, "first_mention": 1, "tolerance": 50_000.0}
    db["figures"].insert_all([
        # current, no year: keeps its date as as_of
        {**common, "id": 1, "article_id": 1, "start": 0, "end": 13, "surface": "4,6 juta UMKM", "value": 4.6e6,
         "unit": "umkm", "metric": "umkm_online", "is_target": 0, "year": None, "site": "detik", "url": DETIK,
         "sentence": "Kini 4,6 juta UMKM sudah go online.", "published_at": "2024-03-01T03:00:00+00:00",
         "first_seen_at": "2024-03-01T04:00:00+00:00", "as_of": "2024-03-01T03:00:00+00:00", "first_figure_id": 1},
        # a year before the article: earlier
        {**common, "id": 2, "article_id": 1, "start": 40, "end": 53, "surface": "3,8 juta UMKM", "value": 3.8e6,
         "unit": "umkm", "metric": "umkm_online", "is_target": 0, "year": 2022, "site": "detik", "url": DETIK,
         "sentence": "Pada 2022 ada 3,8 juta UMKM yang go online.", "published_at": "2024-03-01T03:00:00+00:00",
         "first_seen_at": "2024-03-01T04:00:00+00:00", "as_of": "2024-03-01T03:00:00+00:00", "first_figure_id": 2},
        # a target with its year
        {**common, "id": 3, "article_id": 2, "start": 0, "end": 12, "surface": "30 juta UMKM", "value": 3e7,
         "unit": "umkm", "metric": "umkm_online_target", "is_target": 1, "year": 2025, "site": "komdigi",
         "url": KOMDIGI, "sentence": "Target 30 juta UMKM go digital pada 2025.",
         "published_at": "2024-03-02T03:00:00+00:00", "first_seen_at": "2024-03-02T04:00:00+00:00",
         "as_of": "2024-03-02T03:00:00+00:00", "first_figure_id": 3},
        # withdrawn by a revision
        {**common, "id": 4, "article_id": 1, "start": 0, "end": 13, "surface": "4,5 juta UMKM", "value": 4.5e6,
         "unit": "umkm", "metric": "umkm_online", "is_target": 0, "year": None, "site": "detik", "url": DETIK,
         "sentence": "Kini 4,5 juta UMKM sudah go online.", "published_at": "2024-03-01T03:00:00+00:00",
         "first_seen_at": "2024-03-01T04:00:00+00:00", "as_of": "2024-03-01T03:00:00+00:00", "first_figure_id": 4,
         "withdrawn_at": "2024-03-01T10:00:00+00:00", "withdrawn_in_version": 2},
    ])
    db["series"].insert_all([{"metric": "umkm_online", "unit": "umkm", "is_target": 0},
                             {"metric": "umkm_online_target", "unit": "umkm", "is_target": 1}])
    db.conn.commit()
    db.close()


def test_a_v4_store_is_upgraded_in_place(tmp_path):
    path = tmp_path / "v4.db"
    make_v4(path)
    with Store.open(path) as store:
        db = store.db
        assert db.execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION
        rows = {r[0]: r[1:] for r in db.execute(
            'select id, "when", as_of, as_of_period, withdrawn_reason, scope, tagger_version from figures')}
        assert rows[1] == ("now", "2024-03-01T03:00:00+00:00", "2024-03", None, None, None)
        assert rows[2][0] == "earlier" and rows[2][2] == "2022" and rows[2][1] < "2024-03-01"
        assert rows[3][:3] == ("planned", "2025-12-31T16:59:59+00:00", "2025")
        assert rows[4][3] == "revision"
        # series are per scope now, and the latest value is never the earlier 3,8 juta
        latest = {r["metric"]: r for r in store.latest_values()}
        assert latest["umkm_online"]["value"] == 4.6e6 and latest["umkm_online"]["scope"] is None
        assert latest["umkm_online_target"]["value"] == 3e7
        indexes = {r[1] for r in db.execute("pragma index_list(series)")}
        assert "idx_series_identity" in indexes and "idx_series_metric_unit_is_target" not in indexes
        assert "retag_runs" in db.table_names()
        # articles stored before have no tagger version: `pantau retag` reads them all
        assert db.execute("select count(*) from articles where tagger_version is null").fetchone()[0] == 2


def test_the_upgrade_runs_in_one_transaction(tmp_path, monkeypatch):
    import pytest

    import store.schema as schema

    path = tmp_path / "v4.db"
    make_v4(path)

    def broken(db):
        raise RuntimeError("disk full")

    monkeypatch.setitem(schema.MIGRATIONS, 5, broken)
    with pytest.raises(RuntimeError):
        Store.open(path)
    with sqlite_utils.Database(path) as db:
        assert db.execute("pragma user_version").fetchone()[0] == 4
        assert "when" not in db["figures"].columns_dict
