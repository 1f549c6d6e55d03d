"""Figures over time in the store: as_of from when/year/month, the latest value of a series is the
newest as_of, earlier figures fill the history only, series per region, percentage points."""

from __future__ import annotations

import dataclasses

import pytest
from test_store_support import article, figure

from extract import tag_text
from store.series import as_of, change_between, periods_agree

DETIK = "https://inet.detik.com/berita/d-7100001/penetrasi-internet"
LIPUTAN6 = "https://www.liputan6.com/tekno/read/5100001/penetrasi-internet"
REPUBLIKA = "https://tekno.republika.co.id/berita/s2b3c4d5e/penetrasi-internet"
KOMDIGI = "https://www.komdigi.go.id/berita/siaran-pers/detail/penetrasi-internet"


def tagged(store, url, text, published):
    """Record ``text`` as the tagger reads it."""
    return store.record_article(article(url, text, published_at=published), tag_text(text))


def latest(store, metric, scope=None):
    rows = [r for r in store.latest_values() if r["metric"] == metric and r["scope"] == scope]
    assert len(rows) <= 1
    return rows[0] if rows else None


# -- as_of ------------------------------------------------------------------------------------

def test_as_of_follows_when_year_and_month():
    published = "2024-05-10T03:00:00+00:00"          # 10 May 2024, 10.00 WIB
    text = "Data per Maret 2024 mencatat 27 juta UMKM sudah go online."
    dated = figure(text, "27 juta UMKM", 27e6, year=2024)
    assert as_of(dated, published) == as_of(dated, published)
    placed = as_of(dated, published)
    assert (placed.at, placed.period) == ("2024-03-31T16:59:59+00:00", "2024-03")   # end of March, WIB
    plain = as_of(figure("Ada 27 juta UMKM online.", "27 juta UMKM", 27e6), published)
    assert (plain.at, plain.period) == (published, "2024-05")
    earlier = dataclasses.replace(figure("Tahun lalu ada 20 juta UMKM online.", "20 juta UMKM", 20e6), when="earlier")
    placed = as_of(earlier, published)
    assert placed.at < published and placed.period == "2023"      # "tahun lalu": the year before
    unknown = dataclasses.replace(figure("Sebelumnya 20 juta UMKM online.", "20 juta UMKM", 20e6), when="earlier")
    placed = as_of(unknown, published)
    assert placed.at == "2024-05-10T02:59:59+00:00" and placed.period is None   # earlier, but not when
    target = dataclasses.replace(figure("Target 30 juta UMKM online pada 2026.", "30 juta UMKM", 3e7, is_target=True,
                                        metric="umkm_online_target", year=2026), when="planned")
    assert as_of(target, published).period == "2026"
    next_year = dataclasses.replace(figure("Target 30 juta UMKM online pada tahun depan.", "30 juta UMKM", 3e7,
                                           is_target=True, metric="umkm_online_target"), when="planned")
    assert as_of(next_year, published).period == "2025"
    assert periods_agree("2024", "2024-03") and periods_agree("2024-03", "2024-03")
    assert not periods_agree("2024-03", "2024-04") and not periods_agree(None, "2024")


# -- the latest value -------------------------------------------------------------------------

def test_the_latest_value_is_the_newest_as_of_not_the_newest_article(store):
    tagged(store, DETIK, "Penetrasi internet per Desember 2023 mencapai 79,5 persen.", "2024-01-20T10:00:00+07:00")
    # published later, but its value is as of an earlier month
    tagged(store, LIPUTAN6, "Penetrasi internet per Juni 2023 tercatat 78 persen.", "2024-02-05T10:00:00+07:00")
    assert latest(store, "internet_penetration_pct")["value"] == 79.5
    history = store.metric_history("internet_penetration_pct")
    assert [r["value"] for r in history] == [78, 79.5]        # oldest as_of first


def test_ties_on_as_of_go_to_the_later_publication(store):
    tagged(store, DETIK, "Penetrasi internet per Juni 2024 mencapai 80 persen.", "2024-07-02T10:00:00+07:00")
    tagged(store, DETIK.replace("7100001", "7100002"), "Penetrasi internet per Juni 2024 mencapai 81 persen.",
           "2024-07-09T10:00:00+07:00")
    assert latest(store, "internet_penetration_pct")["value"] == 81


def test_an_earlier_figure_is_never_the_latest_nor_a_new_value(store):
    text = ("Survei terbaru mencatat penetrasi internet rumah tangga mencapai 87 persen.\n"
            "Angka itu naik dari 82 persen pada survei sebelumnya.")
    result = tagged(store, KOMDIGI, text, "2024-06-01T10:00:00+07:00")
    assert [(f.value, f.kind) for f in result.findings] == [(87, "new_value")]
    assert latest(store, "internet_penetration_pct")["value"] == 87
    # a later article that only recalls an older value: history, not news, not the latest
    recall = "Penetrasi internet sempat 70 persen lima tahun lalu."
    again = tagged(store, DETIK, recall, "2024-08-01T10:00:00+07:00")
    assert again.findings == [] and latest(store, "internet_penetration_pct")["value"] == 87
    whens = {r["value"]: r["when"] for r in store.metric_history("internet_penetration_pct")}
    assert whens == {87: "now", 82: "earlier", 70: "earlier"}


def test_a_year_before_the_article_is_earlier_in_the_store(store):
    text = "Pada 2021 jumlah UMKM yang go online mencapai 16 juta UMKM."
    result = store.record_article(article(DETIK, text, published_at="2024-03-01T10:00:00+07:00"),
                                  [figure(text, "16 juta UMKM", 16e6, year=2021)])
    assert result.findings == []
    row = store.db.execute('select "when", as_of_period from figures').fetchone()
    assert row == ("earlier", "2021")
    assert latest(store, "umkm_online") is None


def test_a_new_value_compares_with_the_latest_as_of_its_own_time(store):
    tagged(store, DETIK, "Penetrasi internet per Maret 2024 mencapai 79 persen.", "2024-04-01T10:00:00+07:00")
    tagged(store, DETIK.replace("7100001", "7100003"), "Penetrasi internet per September 2024 mencapai 84 persen.",
           "2024-10-01T10:00:00+07:00")
    # stated later, as of a time between the two: its previous value is March's, not September's
    result = tagged(store, DETIK.replace("7100001", "7100004"), "Penetrasi internet per Juni 2024 mencapai 81 persen.",
                    "2024-11-01T10:00:00+07:00")
    [finding] = result.findings
    assert (finding.kind, finding.previous_value) == ("new_value", 79)
    assert latest(store, "internet_penetration_pct")["value"] == 84


# -- series per region ------------------------------------------------------------------------

def test_a_regional_figure_is_never_compared_with_a_national_one(store):
    tagged(store, KOMDIGI, "Kementerian akan memprioritaskan 3.400 desa agar tersambung internet tahun depan.",
           "2024-06-01T10:00:00+07:00")
    text = ("Pemerintah Provinsi Jawa Barat meluncurkan program desa digital.\n"
            "Gubernur menargetkan seluruh 5.312 desa di provinsi itu tersambung internet pada tahun depan.")
    result = tagged(store, REPUBLIKA, text, "2024-06-20T10:00:00+07:00")
    [finding] = result.findings
    assert (finding.kind, finding.scope, finding.previous_value) == ("new_value", "Jawa Barat", None)
    assert latest(store, "villages_4g_covered")["value"] == 3400
    assert latest(store, "villages_4g_covered", "Jawa Barat")["value"] == 5312
    # a second national figure is compared with the national one only
    national = tagged(store, KOMDIGI.replace("penetrasi", "desa"),
                      "Kementerian kini menargetkan 4.000 desa tersambung internet tahun depan.",
                      "2024-08-01T10:00:00+07:00")
    [change] = national.findings
    assert (change.kind, change.previous_value, change.scope) == ("new_value", 3400, None)


def test_the_same_value_in_two_regions_is_two_statements(store):
    text = "Pemerintah membangun 400 BTS di Maluku dan 400 BTS di Papua."
    result = tagged(store, DETIK, text, "2024-06-01T10:00:00+07:00")
    assert sorted(f.scope for f in result.findings) == ["Maluku", "Papua"]


# -- percentage points ------------------------------------------------------------------------

def test_percent_metrics_change_by_percentage_points(store):
    tagged(store, DETIK, "Penetrasi internet per Maret 2024 mencapai 82 persen.", "2024-04-01T10:00:00+07:00")
    result = tagged(store, DETIK.replace("7100001", "7100005"), "Penetrasi internet per Juni 2024 mencapai 87,8 persen.",
                    "2024-07-01T10:00:00+07:00")
    [finding] = result.findings
    assert finding.abs_change == pytest.approx(5.8) and finding.pct_change is None
    assert change_between(8e6, 4e6, "umkm") == (4e6, 100.0)      # counts: absolute and relative
    assert change_between(87.8, 82, "persen")[1] is None
