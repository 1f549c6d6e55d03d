"""Conflicts: different sites, one series, one period, values beyond the rounding of their surfaces."""

from __future__ import annotations

from test_store_support import article

from extract import tag_text
from store.queries import canned_sql

KOMDIGI = "https://www.komdigi.go.id/berita/siaran-pers/detail/bts-4g-beroperasi"
DETIK = "https://inet.detik.com/berita/d-7200001/bts-4g-on-air"
DETIK_LATER = "https://inet.detik.com/berita/d-7200002/bts-4g-on-air-lagi"
LIPUTAN6 = "https://www.liputan6.com/tekno/read/5200001/bts-4g"
REPUBLIKA = "https://ekonomi.republika.co.id/berita/s3c4d5e6f/umkm-indonesia"

BTS_KOMDIGI = "Jumlah BTS 4G BAKTI yang beroperasi per Juni 2025 mencapai 7.690 BTS."
BTS_DETIK = "Data operator menunjukkan per Juni 2025 baru 7.402 BTS 4G BAKTI yang on air."


def tagged(store, url, text, published):
    return store.record_article(article(url, text, published_at=published), tag_text(text))


def open_conflicts(store):
    return list(store.db.query(canned_sql("open_conflicts")))


def test_two_sites_with_different_values_for_one_period_conflict(store):
    first = tagged(store, KOMDIGI, BTS_KOMDIGI, "2025-07-02T10:00:00+07:00")
    assert [f.kind for f in first.findings] == ["new_value"]
    second = tagged(store, DETIK, BTS_DETIK, "2025-07-20T10:00:00+07:00")
    # not a change over time but a disagreement: a conflict, and no new value
    [conflict] = second.findings
    assert conflict.kind == "conflict" and conflict.period == "2025-06"
    assert (conflict.value, conflict.site, conflict.url) == (7402, "detik", DETIK)
    assert (conflict.previous_value, conflict.previous_url) == (7690, KOMDIGI)
    assert conflict.detail["other_site"] == "komdigi" and conflict.detail["other_surface"] == "7.690 BTS"
    # the store keeps both; the Datasette query lists the open conflict with both sources
    [row] = open_conflicts(store)
    assert (row["value"], row["site"], row["other_value"], row["other_site"]) == (7402, "detik", 7690, "komdigi")
    assert row["url"] == DETIK and row["other_url"] == KOMDIGI and row["period"] == "2025-06"
    assert store.db.execute("select count(*) from figures where withdrawn_at is null").fetchone()[0] == 2


def test_values_within_the_rounding_of_their_surfaces_do_not_conflict(store):
    tagged(store, REPUBLIKA, "Jumlah UMKM di Indonesia per Maret 2025 mencapai 64,2 juta unit.",
           "2025-04-01T10:00:00+07:00")
    again = tagged(store, LIPUTAN6, "Jumlah UMKM di Indonesia per Maret 2025 sekitar 64 juta unit.",
                   "2025-04-03T10:00:00+07:00")
    assert again.findings == [] and open_conflicts(store) == []


def test_the_same_site_changing_its_value_is_a_new_value(store):
    tagged(store, DETIK, BTS_DETIK, "2025-07-20T10:00:00+07:00")
    update = tagged(store, DETIK_LATER, BTS_DETIK.replace("7.402", "7.455"), "2025-07-28T10:00:00+07:00")
    assert [f.kind for f in update.findings] == ["new_value"]


def test_different_periods_do_not_conflict(store):
    tagged(store, KOMDIGI, BTS_KOMDIGI, "2025-07-02T10:00:00+07:00")
    later = tagged(store, DETIK, BTS_DETIK.replace("Juni", "Agustus"), "2025-09-01T10:00:00+07:00")
    assert [f.kind for f in later.findings] == ["new_value"]


def test_a_year_agrees_with_a_month_of_that_year(store):
    tagged(store, KOMDIGI, BTS_KOMDIGI, "2025-07-02T10:00:00+07:00")
    annual = "Sepanjang 2025 jumlah BTS 4G BAKTI yang beroperasi mencapai 9.100 BTS."
    result = tagged(store, LIPUTAN6, annual, "2026-01-15T10:00:00+07:00")
    assert [(f.kind, f.period) for f in result.findings] == [("conflict", "2025")]


def test_an_earlier_value_of_unknown_date_conflicts_with_nothing(store):
    tagged(store, KOMDIGI, BTS_KOMDIGI, "2025-07-02T10:00:00+07:00")
    recall = "Sebelumnya BAKTI mengoperasikan 5.000 BTS 4G."
    assert tagged(store, DETIK, recall, "2025-07-20T10:00:00+07:00").findings == []


def test_a_conflict_closes_when_a_revision_withdraws_one_side(store):
    tagged(store, KOMDIGI, BTS_KOMDIGI, "2025-07-02T10:00:00+07:00")
    tagged(store, DETIK, BTS_DETIK, "2025-07-20T10:00:00+07:00")
    corrected = BTS_DETIK.replace("7.402", "7.690")
    edited = store.record_article(article(DETIK, corrected, published_at="2025-07-20T10:00:00+07:00",
                                          modified_at="2025-07-21T09:00:00+07:00"), tag_text(corrected))
    assert [f.kind for f in edited.findings] == ["revised"]
    assert open_conflicts(store) == []


def test_datasette_lists_open_conflicts_and_retag_runs(tmp_path):
    from test_datasette import query

    from store import Store

    path = tmp_path / "pantau.db"
    with Store.open(path) as store:
        tagged(store, KOMDIGI, BTS_KOMDIGI, "2025-07-02T10:00:00+07:00")
        tagged(store, DETIK, BTS_DETIK, "2025-07-20T10:00:00+07:00")
    [row] = query(path, "open_conflicts")
    assert (row["site"], row["other_site"], row["value"], row["other_value"]) == ("detik", "komdigi", 7402, 7690)
    assert row["url"] == DETIK and row["other_url"] == KOMDIGI and row["metric"] == "bts_towers"
    assert query(path, "retag_runs") == []
    [latest] = query(path, "latest_values")
    assert latest["scope"] is None and latest["when"] == "now" and latest["as_of_period"] == "2025-06"
