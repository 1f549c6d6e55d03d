"""Store basics: opening, article versions, crawl runs, feeds, health, full-text search, safety."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from test_store_support import article, figure

from store import SCHEMA_VERSION, FeedState, Store, StoreError

URL = "https://www.liputan6.com/tekno/read/5000002/akses-internet-desa"
TEXT = "Sebanyak 14 ribu desa yang belum terkoneksi internet akan dipercepat, kata menteri."


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "data" / "pantau.db") as s:
        yield s


def village_figure(text=TEXT):
    return figure(text, "14 ribu desa", 14_000, metric="villages_unconnected", unit="desa")


def test_open_creates_current_schema_in_wal_mode(store):
    assert store.db.execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("pragma busy_timeout").fetchone()[0] >= 1000
    for table in ("articles", "article_versions", "figures", "findings", "crawl_runs", "crawl_errors", "feeds",
                  "digests", "deliveries", "series", "health_problems", "articles_fts"):
        assert store.db[table].exists(), table
    columns = set(store.db["findings"].columns_dict)
    assert {"id", "kind", "created_at", "site", "metric", "family", "unit", "value", "value_max", "surface",
            "is_target", "year", "previous_value", "abs_change", "pct_change", "old_value", "sentence", "url",
            "title", "article_id", "figure_id", "previous_figure_id", "article_version", "published_at",
            "previous_published_at", "previous_url", "detail"} <= columns
    assert set(store.db["digests"].columns_dict) == {"id", "recipient", "first_finding_id", "last_finding_id",
                                                      "created_at", "payload", "window_key", "window_end"}
    assert set(store.db["deliveries"].columns_dict) == {"id", "digest_id", "recipient", "channel", "key", "status",
                                                         "attempts", "next_attempt_at", "last_error", "sent_at",
                                                         "created_at", "parts_sent", "failed_at", "in_doubt", "repeats"}


def test_reopening_is_idempotent(tmp_path):
    path = tmp_path / "pantau.db"
    Store.open(path).close()
    with Store.open(path) as again:
        assert again.db.execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION


def test_article_keyed_by_canonical_url_and_statuses(store):
    first = store.record_article(article(URL, TEXT), [village_figure()], fetched_at="2024-03-01T04:00:00+00:00")
    mobile = URL.replace("www.", "m.") + "?utm_source=twitter"
    same = store.record_article(article(mobile, TEXT), [village_figure()], fetched_at="2024-03-01T10:00:00+00:00")
    assert (first.status, same.status, same.article_id, same.version) == ("new", "unchanged", first.article_id, 1)
    known = store.known_article(mobile)
    assert known.url == URL and known.version == 1 and known.checks_done == 1
    assert known.first_seen_at == "2024-03-01T04:00:00+00:00"
    assert known.last_fetched_at == "2024-03-01T10:00:00+00:00"
    assert known.published_at == "2024-03-01T03:00:00+00:00"
    assert store.mark_checked(URL, "2024-03-02T04:00:00Z") is True
    assert store.known_article(URL).checks_done == 2
    assert store.mark_checked("https://www.liputan6.com/read/1/tidak-ada", "2024-03-02T04:00:00Z") is False
    assert store.known_article("https://inet.detik.com/berita/d-1/belum") is None


def test_changed_text_bumps_version_and_keeps_old_text(store):
    store.record_article(article(URL, TEXT), [village_figure()])
    text2 = TEXT + "\nPembangunan BTS dilanjutkan tahun depan."
    result = store.record_article(article(URL, text2), [village_figure(text2)])
    assert (result.status, result.version) == ("changed", 2)
    assert store.db.execute("select version, text from articles").fetchone() == (2, text2)
    assert store.db.execute("select article_id, version, text from article_versions").fetchall() == [
        (result.article_id, 1, TEXT)]


def test_a_failed_write_leaves_nothing_behind(store):
    unknown = dataclasses.replace(village_figure(), metric="no_such_metric")  # not in the store's taxonomy
    with pytest.raises(KeyError, match="no_such_metric"):
        store.record_article(article(URL, TEXT), [village_figure(), unknown])
    assert store.db.execute("select count(*) from articles").fetchone()[0] == 0
    assert store.db.execute("select count(*) from figures").fetchone()[0] == 0
    # and a failure inside the transaction (after rows were written) is rolled back too
    unbindable = dataclasses.replace(village_figure(), start={"not": "bindable"})  # fails at the figure insert
    with pytest.raises(sqlite3.Error):
        store.record_article(article(URL, TEXT), [village_figure(), unbindable])
    assert store.db.execute("select count(*) from articles").fetchone()[0] == 0
    assert not store.db.conn.in_transaction


def test_crawl_runs_and_errors(store):
    run = store.start_crawl_run("detik", at="2024-03-01T00:00:00Z")
    store.record_crawl_error(run, "https://inet.detik.com/berita/d-1/x", "HTTP 500")
    store.finish_crawl_run(run, {"discovered": 10, "fetched": 8, "new": 5, "changed": 1, "unchanged": 2,
                                 "skipped": 2, "errors": 1, "requests": 12, "seconds": 3.5, "retries": 2})
    [last] = store.last_runs()
    assert last["site"] == "detik" and last["status"] == "finished" and last["new"] == 5
    assert last["stats"] == '{"retries": 2}'
    assert store.db.execute("select url, reason from crawl_errors where run_id = ?", [run]).fetchall() == [
        ("https://inet.detik.com/berita/d-1/x", "HTTP 500")]
    with pytest.raises(KeyError, match="999"):
        store.finish_crawl_run(999, {})


def test_feed_state_round_trip(store):
    feed = "https://inet.detik.com/rss"
    fresh = store.feed_state(feed)
    assert fresh == FeedState(url=feed, site="detik")
    fresh.etag, fresh.last_modified, fresh.last_status = '"abc"', "Fri, 01 Mar 2024 03:00:00 GMT", 200
    fresh.high_water, fresh.consecutive_empty = "2024-03-01T10:00:00+07:00", 2
    store.save_feed_state(fresh)
    saved = store.feed_state(feed)
    assert saved.etag == '"abc"' and saved.last_status == 200 and saved.consecutive_empty == 2
    assert saved.high_water == "2024-03-01T03:00:00+00:00"
    saved.consecutive_failures = 3
    store.save_feed_state(saved)
    assert store.feed_state(feed).consecutive_failures == 3


def test_health_problem_is_reported_once_until_resolved(store):
    first = store.record_health("komdigi", "http_errors", "403 lima kali berturut-turut", at="2024-03-01T00:00:00Z")
    assert first is not None and first.kind == "source_health" and first.site == "komdigi"
    assert store.record_health("komdigi", "http_errors", "403 enam kali") is None
    [problem] = store.open_health_problems()
    assert problem["times_seen"] == 2 and problem["detail"] == "403 enam kali"
    assert store.resolve_health("komdigi", "http_errors") is True
    assert store.resolve_health("komdigi", "http_errors") is False
    assert store.open_health_problems() == []
    again = store.record_health("komdigi", "http_errors", {"status": 429})
    assert again is not None and again.detail == {"problem": "http_errors", "status": 429}


def test_full_text_search_over_title_and_text(store):
    store.record_article(article(URL, TEXT, title="Percepatan internet desa"), [village_figure()])
    other = "https://inet.detik.com/berita/d-7000009/satelit"
    store.record_article(article(other, "Satelit baru menambah kapasitas 150 Gbps.", title="Satelit"), [])
    hits = [row["url"] for row in store.db["articles"].search("terkoneksi")]
    assert hits == [URL]
    assert [row["url"] for row in store.db["articles"].search("satelit")] == [other]
    # an edit updates the index through the triggers
    store.record_article(article(other, "Kapasitas satelit kini 300 Gbps untuk sekolah.", title="Satelit"), [])
    assert [row["url"] for row in store.db["articles"].search("sekolah")] == [other]


def test_refuses_files_that_are_not_pantau_stores(tmp_path):
    text_file = tmp_path / "notes.db"
    text_file.write_text("ini bukan basis data SQLite, hanya catatan biasa " * 50)
    with pytest.raises(StoreError, match="not an SQLite database"):
        Store.open(text_file)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table resep (nama text)")
    with pytest.raises(StoreError, match="not a pantau store"):
        Store.open(other)
    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as conn:
        conn.execute(f"pragma user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer"):
        Store.open(newer)


@pytest.mark.parametrize("surface, value, tolerance", [
    ("4,6 juta UMKM", 4_600_000, 50_000),
    ("7.634 titik", 7_634, 0.5),
    ("479.125 unit", 479_125, 0.5),
    ("Rp 30,5 triliun", 30.5e12, 0.05e12),
    ("delapan juta UMKM", 8e6, 0.5e6),
    ("45,5 persen", 45.5, 0.05),
    ("3,79 juta", 3_790_000, 5_000),
    ("14 ribu desa", 14_000, 500),
])
def test_rounding_tolerance_of_a_surface(surface, value, tolerance):
    from store.sameness import rounding_tolerance

    assert rounding_tolerance(surface, value) == pytest.approx(tolerance)


def test_timestamps_are_normalised_to_utc():
    from datetime import datetime, timedelta, timezone

    from kernel.times import to_utc_iso

    assert to_utc_iso("2020-08-16T18:30:00+07:00") == "2020-08-16T11:30:00+00:00"
    assert to_utc_iso("2020-08-16T11:30:00Z") == "2020-08-16T11:30:00+00:00"
    assert to_utc_iso(datetime(2020, 8, 16, 18, 30, tzinfo=timezone(timedelta(hours=7)))) == "2020-08-16T11:30:00+00:00"
    assert to_utc_iso(None) is None
    with pytest.raises(ValueError, match="not an ISO 8601 timestamp: '16 Agu 2020'"):
        to_utc_iso("16 Agu 2020")


def test_a_captions_body_is_stored_as_such(store):
    photo = dataclasses.replace(article("https://news.detik.com/foto-news/d-1000002/banjir", "Warga mengungsi."),
                                body_kind="captions")
    store.record_article(photo, [])
    store.record_article(article(URL, TEXT), [])
    kinds = dict(store.db.execute("select url, body_kind from articles").fetchall())
    assert sorted(kinds.values()) == ["captions", "story"]
