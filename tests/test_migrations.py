"""An older store file is upgraded in place and keeps its data."""

from __future__ import annotations

import sqlite3

from test_store_support import article, figure

from store import SCHEMA_VERSION, Store

# Version 1 of the schema, written out by hand as a pantau 1 file would have it.
V1_SCHEMA = """
create table articles (id integer primary key, url text not null, site text not null, title text, author text,
  published_at text, modified_at text, first_seen_at text not null, last_fetched_at text not null,
  content_hash text not null, text text, version integer not null default 1, checks_done integer default 0);
create unique index idx_articles_url on articles (url);
create table article_versions (id integer primary key, article_id integer references articles(id), version integer,
  title text, text text, content_hash text, published_at text, modified_at text, fetched_at text, replaced_at text);
create table figures (id integer primary key, article_id integer not null references articles(id),
  version integer not null, start integer, "end" integer, surface text, value float not null, value_max float,
  unit text not null, metric text not null, family text, is_target integer not null, approx integer, year integer,
  sentence text, site text, url text, published_at text, first_seen_at text not null, withdrawn_at text);
create table findings (id integer primary key, kind text not null, created_at text not null, site text, metric text,
  family text, unit text, value float, value_max float, surface text, is_target integer, year integer,
  previous_value float, abs_change float, pct_change float, old_value float, sentence text, url text, title text,
  article_id integer, figure_id integer, previous_figure_id integer, article_version integer, published_at text,
  previous_published_at text, previous_url text, detail text);
create table crawl_runs (id integer primary key, site text not null, started_at text not null, finished_at text,
  status text not null, discovered integer, fetched integer, new integer, changed integer, unchanged integer,
  skipped integer, errors integer, requests integer, seconds float, stats text);
create table feeds (url text primary key, site text, etag text, last_modified text, high_water text,
  consecutive_failures integer default 0, consecutive_empty integer default 0, last_ok_at text, last_status text,
  updated_at text);
create table digests (id integer primary key, recipient text not null, first_finding_id integer,
  last_finding_id integer, created_at text not null, payload text);
create unique index idx_digests_recipient_last on digests (recipient, last_finding_id);
create table deliveries (id integer primary key, digest_id integer not null references digests(id),
  recipient text not null, channel text not null, key text not null, status text not null,
  attempts integer default 0, next_attempt_at text, last_error text, sent_at text, created_at text not null);
create unique index idx_deliveries_key on deliveries (key);
pragma user_version = 1;
"""

DETIK = "https://inet.detik.com/berita/d-7000001/umkm-go-online"
LIPUTAN6 = "https://www.liputan6.com/bisnis/read/5000001/umkm-go-digital"


def make_v1(path):
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.execute("insert into articles values (1, ?, 'detik', 'UMKM go online', null, '2024-03-01T03:00:00+00:00',"
                 " null, '2024-03-01T04:00:00+00:00', '2024-03-01T04:00:00+00:00', 'h1',"
                 " 'Terdapat 4,6 juta UMKM yang telah mengakses online.', 1, 0)", [DETIK])
    conn.execute("insert into articles values (2, ?, 'liputan6', 'Digitalisasi UMKM', null,"
                 " '2024-03-02T03:00:00+00:00', null, '2024-03-02T04:00:00+00:00', '2024-03-02T04:00:00+00:00', 'h2',"
                 " 'Sebanyak 4.600.000 UMKM sudah go online.', 1, 0)", [LIPUTAN6])
    rows = [
        (1, 1, 1, 10, 23, "4,6 juta UMKM", 4.6e6, "umkm", "umkm_online", DETIK, "2024-03-01T03:00:00+00:00"),
        (2, 2, 1, 9, 23, "4.600.000 UMKM", 4.6e6, "umkm", "umkm_online", LIPUTAN6, "2024-03-02T03:00:00+00:00"),
        (3, 2, 1, 0, 5, "90 ribu desa", 9e4, "desa", "villages_total", LIPUTAN6, "2024-03-02T03:00:00+00:00"),
    ]
    for fid, aid, version, start, end, surface, value, unit, metric, url, published in rows:
        conn.execute("insert into figures (id, article_id, version, start, \"end\", surface, value, unit, metric,"
                     " family, is_target, approx, sentence, site, url, published_at, first_seen_at)"
                     " values (?,?,?,?,?,?,?,?,?,?,0,0,'kalimat',?,?,?,?)",
                     [fid, aid, version, start, end, surface, value, unit, metric,
                      "umkm" if "umkm" in metric else "connectivity", url.split(".")[1], url, published, published])
    conn.execute("insert into findings (kind, created_at, metric, value) values"
                 " ('new_value', '2024-03-01T04:00:00+00:00', 'umkm_online', 4600000)")
    conn.execute("insert into crawl_runs (site, started_at, status) values ('detik', '2024-03-01T04:00:00+00:00',"
                 " 'finished')")
    conn.commit()
    conn.close()


def test_v1_file_is_upgraded_in_place_keeping_its_data(tmp_path):
    path = tmp_path / "old.db"
    make_v1(path)
    with Store.open(path) as store:
        db = store.db
        assert db.execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("select count(*) from articles").fetchone()[0] == 2
        assert db.execute("select count(*) from figures").fetchone()[0] == 3
        assert db.execute("select count(*) from findings").fetchone()[0] == 1
        assert db.execute("select count(*) from crawl_runs").fetchone()[0] == 1
        # backfilled columns: date, rounding, and the two 4,6 juta mentions recognised as one value
        rows = db.execute("select id, as_of, tolerance, first_figure_id from figures order by id").fetchall()
        assert rows[0] == (1, "2024-03-01T03:00:00+00:00", 50_000.0, 1)
        assert rows[1][3] == 1 and rows[2][3] == 3
        values = {row["metric"]: row for row in store.latest_values()}
        assert values["umkm_online"]["sources"] == 2 and values["umkm_online"]["url"] == LIPUTAN6
        assert values["villages_total"]["is_context"] == 1
        # full-text search covers the old articles
        assert [row["id"] for row in db["articles"].search("mengakses")] == [1]
        # and the upgraded file takes new writes with findings against the old data
        text = "Kini sudah 8 juta UMKM yang go online."
        result = store.record_article(article("https://ekonomi.republika.co.id/berita/s9x8y7z6w/umkm", text,
                                              published_at="2024-04-01T10:00:00+07:00"),
                                      [figure(text, "8 juta UMKM", 8e6)])
        [finding] = result.findings
        assert finding.previous_value == 4.6e6 and finding.previous_url == LIPUTAN6
        corroborating = "Hingga kini 4,6 juta UMKM go online."
        repeat = store.record_article(article("https://www.komdigi.go.id/berita/pengumuman/detail/umkm-lama", corroborating,
                                              published_at="2024-03-03T10:00:00+07:00"),
                                      [figure(corroborating, "4,6 juta UMKM", 4.6e6)])
        assert repeat.findings == []


def test_upgraded_file_matches_a_fresh_one(tmp_path):
    old, fresh = tmp_path / "old.db", tmp_path / "fresh.db"
    make_v1(old)
    Store.open(old).close()
    Store.open(fresh).close()

    def columns(path):
        with sqlite3.connect(path) as conn:
            tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' order by name")]
            return {t: sorted(r[1] for r in conn.execute(f"pragma table_info([{t}])")) for t in tables}

    assert columns(old) == columns(fresh)


def test_v2_file_moves_the_portal_walk_mark_from_etag_to_cursor(tmp_path):
    import sqlite_utils

    from store.schema import MIGRATIONS

    path = tmp_path / "v2.db"
    db = sqlite_utils.Database(path)
    for version in (1, 2):
        MIGRATIONS[version](db)
    db.execute("pragma user_version = 2")
    portal = "https://portal.komdigi.go.id/kanal-publik/berita-kini/*"
    rss = "https://inet.detik.com/rss"
    db["feeds"].insert_all([{"url": portal, "site": "komdigi", "etag": "id:10600", "last_status": "200"},
                            {"url": rss, "site": "detik", "etag": '"abc"', "last_status": "200"}])
    db.conn.commit()
    db.close()
    with Store.open(path) as store:
        assert store.feed_cursor(portal) == "10600" and store.feed_state(portal).etag is None
        assert store.feed_cursor(rss) is None and store.feed_state(rss).etag == '"abc"'
        # save_feed_state leaves the cursor alone; save_feed_cursor moves it
        store.save_feed_state(store.feed_state(portal))
        assert store.feed_cursor(portal) == "10600"
        store.save_feed_cursor(portal, "10612")
        assert store.feed_cursor(portal) == "10612"
        indexes = {row[1] for row in store.db.execute("pragma index_list(articles)")}
        assert "idx_articles_site_age" in indexes
