"""The Indonesian date parser (extract.dates)."""

from __future__ import annotations

from datetime import datetime

import pytest

from extract.dates import (
    WIB,
    date_from_url,
    is_date_line,
    parse_date_text,
    parse_iso,
    to_iso,
)


@pytest.mark.parametrize("text,expected", [
    ("Kamis 16 Nov 2017 01:36 WIB", "2017-11-16T01:36:00+07:00"),
    ("Selasa, 14 Feb 2023 13:20 WIB", "2023-02-14T13:20:00+07:00"),
    ("Selasa, (23/6/2020)", "2020-06-23T00:00:00+07:00"),
    ("Jum'at, 26 Juni 2020 - 17:19 WIB", "2020-06-26T17:19:00+07:00"),
    ("Diterbitkan 16 Agu 2020, 18:30 WIB", "2020-08-16T18:30:00+07:00"),
    ("diperbarui 16 Ags 2020, 18:30 WIB", "2020-08-16T18:30:00+07:00"),
    ("Rabu , 10 Apr 2024, 06:16 WIB", "2024-04-10T06:16:00+07:00"),
    ("Jumat , 17 February 2017, 13:16 WIB", "2017-02-17T13:16:00+07:00"),
    ("Senin, 15 Februari 2016, 16:15 WIB", "2016-02-15T16:15:00+07:00"),
    ("Ahad, 3 Agu 2025 10:00 WITA", "2025-08-03T10:00:00+08:00"),
    ("Sabtu, 4 Okt 2025 09.30 WIT", "2025-10-04T09:30:00+09:00"),
    ("Kamis, 05/11/2015 10:08 WIB", "2015-11-05T10:08:00+07:00"),
    ("on 16 Feb 2016 at 09:10 WIB", "2016-02-16T09:10:00+07:00"),
    (" pada 26 Jun 2020, 13:58 WIB", "2020-06-26T13:58:00+07:00"),
    ("20 July 2026, 23:40", "2026-07-20T23:40:00+07:00"),
    ("17-03-2018", "2018-03-17T00:00:00+07:00"),
    ("Minggu, 1 Des 2024", "2024-12-01T00:00:00+07:00"),
])
def test_visible_strings(text, expected):
    assert to_iso(parse_date_text(text)) == expected


def test_relative_needs_now():
    assert parse_date_text("15 jam lalu") is None
    now = datetime(2026, 11, 24, 10, 0, tzinfo=WIB)
    assert to_iso(parse_date_text("15 jam lalu", now=now)) == "2026-11-23T19:00:00+07:00"
    assert to_iso(parse_date_text("8 menit yang lalu", now=now)) == "2026-11-24T09:52:00+07:00"
    assert to_iso(parse_date_text("2 hari lalu", now=now)) == "2026-11-22T10:00:00+07:00"


def test_absolute_wins_over_relative():
    now = datetime(2026, 11, 24, 10, 0, tzinfo=WIB)
    assert to_iso(parse_date_text("3 jam lalu · 24 Nov 2026 07:00 WIB", now=now)) == "2026-11-24T07:00:00+07:00"


@pytest.mark.parametrize("text", ["", "tanpa tanggal", "32 Jan 2020", "31/02/2020", "Rp 30,5 triliun"])
def test_no_date(text):
    assert parse_date_text(text) is None


@pytest.mark.parametrize("value,expected", [
    ("2020-06-26T13:58:52+07:00", "2020-06-26T13:58:52+07:00"),
    ("2016-02-16 09:10:56", "2016-02-16T09:10:56+07:00"),
    ("2026/11/24 10:20:00", "2026-11-24T10:20:00+07:00"),
    ("2026-11-24T03:20:00Z", "2026-11-24T10:20:00+07:00"),  # UTC is given in WIB like the visible dates
    ("1700000000", "2023-11-15T05:13:20+07:00"),
    (None, None), ("", None),
])
def test_machine_dates(value, expected):
    assert to_iso(parse_iso(value)) == expected


def test_url_dates():
    assert to_iso(date_from_url("http://news.detik.com/read/2015/11/05/100800/3063131/10/judul")) == "2015-11-05T10:08:00+07:00"
    assert to_iso(date_from_url("http://nasional.republika.co.id/berita/nasional/daerah/16/02/15/o2l07x284-judul")) == "2016-02-15T00:00:00+07:00"
    assert to_iso(date_from_url("https://blog.example.id/2020/08/16/judul/")) == "2020-08-16T00:00:00+07:00"
    assert date_from_url("https://inet.detik.com/telecommunication/d-8671201/judul") is None


def test_date_lines():
    assert is_date_line("Kamis 16 Nov 2017 01:36 WIB")
    assert is_date_line("Rabu , 10 Apr 2024, 06:16 WIB")
    assert not is_date_line("Kamis 16 Nov 2017 Menteri meresmikan 100 titik wifi.")
