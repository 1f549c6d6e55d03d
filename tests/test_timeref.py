"""When a figure holds (`when`): now by default, earlier when its sentence places it in the past,
planned for a target; and the calendar words the store reads (month, relative year)."""

from __future__ import annotations

import pytest
from test_store_support import figure

from extract import tag_text
from extract.timeref import relative_year, settle_when, stated_month


def whens(text: str) -> list[tuple[str, str]]:
    return [(f.surface, f.when) for f in tag_text(text)]


@pytest.mark.parametrize("text, expected", [
    # the value before a change: "naik dari N", with or without the size of the change
    ("Penetrasi internet rumah tangga kini 88 persen, naik dari 81 persen pada survei sebelumnya.",
     [("88 persen", "now"), ("81 persen", "earlier")]),
    ("Penetrasi internet meningkat tajam dari 61 persen menjadi 74 persen.",
     [("61 persen", "earlier"), ("74 persen", "now")]),
    # "dari N pada <tahun>": the starting value of a period
    ("Dari 2 juta UMKM pada 2019, kini sudah 9 juta UMKM yang berjualan daring.",
     [("2 juta UMKM", "earlier"), ("9 juta UMKM", "now")]),
    # a time phrase in the figure's clause, before or after the number
    ("Tahun lalu jumlah UMKM yang go online baru 5 juta UMKM.", [("5 juta UMKM", "earlier")]),
    ("Jumlah pengguna internet mencapai 190 juta orang pada tahun sebelumnya.", [("190 juta orang", "earlier")]),
    ("Sebelumnya, jaringan serat optik baru menjangkau 400 kabupaten/kota.", [("400 kabupaten/kota", "earlier")]),
    ("Lima tahun lalu, hanya 2.000 desa yang terjangkau sinyal 4G.", [("2.000 desa", "earlier")]),
    # "semula" right before the number
    ("Kecepatan rata-rata semula 12 Mbps dan kini 30 Mbps.", [("12 Mbps", "earlier"), ("30 Mbps", "now")]),
])
def test_the_past_is_earlier(text, expected):
    assert whens(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a phrase that is the baseline of a change, not the figure's time
    ("Jumlah UMKM yang go online tumbuh 30 persen dibandingkan tahun lalu.", "now"),
    ("Penjualan daring UMKM naik 18 persen dari tahun lalu.", "now"),
    # a phrase that describes the counted thing ("yang sebelumnya …")
    ("BTS 4G kini menjangkau 6.200 desa yang sebelumnya tidak memiliki sinyal.", "now"),
    # a phrase that dates the current value
    ("Pemerintah mencatat 3,9 juta UMKM sudah berjualan online hingga bulan lalu.", "now"),
    # a phrase that belongs to another figure of the sentence
    ("Pada 2020 tercatat 8 juta UMKM, sedangkan kini 21 juta UMKM sudah go digital.", "now"),
])
def test_the_present_stays_now(text, expected):
    assert whens(text)[-1][1] == expected


def test_a_target_is_planned_whatever_its_time_words():
    [(surface, when)] = whens("Tahun lalu pemerintah menargetkan 30 juta UMKM go digital.")
    assert (surface, when) == ("30 juta UMKM", "planned")


def test_a_year_before_the_article_makes_a_current_figure_earlier():
    text = "Pada 2019 jumlah UMKM yang go online mencapai 3 juta UMKM."
    stated = figure(text, "3 juta UMKM", 3_000_000, year=2019)
    assert settle_when(stated, "2024-05-01T03:00:00+00:00").when == "earlier"
    assert settle_when(stated, "2019-12-01T03:00:00+00:00").when == "now"
    assert settle_when(stated, None).when == "now"   # no date: nothing to compare with
    # "per <bulan> <tahun>" is the date the current value is given for, not the past
    as_of = "Data per Desember 2023 menunjukkan 27 juta UMKM sudah go online."
    dated = figure(as_of, "27 juta UMKM", 27_000_000, year=2023)
    assert stated_month(dated) == 12
    assert settle_when(dated, "2024-01-10T03:00:00+00:00").when == "now"
    # the article's year is its year in WIB: 1 January 01.00 WIB is 31 December 18.00 UTC
    assert settle_when(stated, "2019-12-31T18:00:00+00:00").when == "earlier"
    assert settle_when(stated, "2019-12-31T16:30:00+00:00").when == "now"


def test_relative_years_in_the_figures_clause():
    text = "Pemerintah menargetkan 30 juta UMKM masuk ekosistem digital pada tahun depan."
    assert relative_year(figure(text, "30 juta UMKM", 3e7, metric="umkm_online_target", is_target=True)) == 1
    text = "Target tahun ini 8 juta UMKM, sedangkan anggaran naik dari tahun lalu."
    assert relative_year(figure(text, "8 juta UMKM", 8e6)) == 0
    with_year = "Target 8 juta UMKM pada tahun depan, yakni 2027."
    assert relative_year(figure(with_year, "8 juta UMKM", 8e6, year=2027)) is None   # its own year wins
    assert relative_year(figure("Ada 8 juta UMKM online.", "8 juta UMKM", 8e6)) is None
