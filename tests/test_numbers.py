"""The Indonesian number grammar (extract/numbers.py): values, ranges, vetoes, and round trips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.numbers import find_numbers, parse_number, parse_spelled


@pytest.mark.parametrize("expression, value", [
    ("7.634", 7634), ("479.125", 479125), ("4,6 juta", 4_600_000), ("3,79 juta", 3_790_000),
    ("Rp 30,5 triliun", 30_500_000_000_000), ("Rp30,5 triliun", 30_500_000_000_000),
    ("Rp. 750 miliar", 750_000_000_000), ("Rp 2 milyar", 2_000_000_000), ("Rp 1 trilyun", 10**12),
    ("5 triiliun", 5 * 10**12), ("12 Juta", 12_000_000), ("45,5 persen", 45.5), ("1.200%", 1200),
    ("Rp3.5 juta", 3_500_000), ("42.75 persen", 42.75), ("0,5 persen", 0.5),
    ("delapan juta", 8_000_000), ("Delapan Juta", 8_000_000), ("empat belas ribu", 14_000),
    ("dua puluh lima", 25), ("setengah juta", 500_000), ("sejuta", 1_000_000), ("seratus", 100),
    ("seribu", 1000), ("sepuluh", 10), ("sebelas", 11), ("tiga ratus", 300),
    ("dua ratus lima puluh ribu", 250_000), ("satu setengah juta", 1_500_000), ("seratus ribu", 100_000),
    ("2 x 150", 300), ("2 × 100", 200), ("1.900-an", 1900), ("2.500an", 2500), ("750 rupiah", 750),
    ("1.000.000", 1_000_000), ("2,5 jt", 2_500_000), ("300 rb", 300_000),
])
def test_values(expression: str, value: float) -> None:
    assert parse_number(expression) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("expression, low, high", [
    ("10-11 juta", 10_000_000, 11_000_000), ("10–12 juta", 10_000_000, 12_000_000),
    ("20 sampai 30 ribu", 20_000, 30_000), ("Rp 5-6 triliun", 5 * 10**12, 6 * 10**12),
    ("20-50", 20, 50), ("300.000 sampai 350.000", 300_000, 350_000),
    ("2 juta - 3 juta", 2_000_000, 3_000_000), ("500 ribu sampai 1 juta", 500_000, 1_000_000),
    ("Rp 5 triliun-Rp 6 triliun", 5 * 10**12, 6 * 10**12),
])
def test_ranges(expression: str, low: float, high: float) -> None:
    [match] = find_numbers(expression)
    assert (match.value, match.value_max) == (low, high)
    assert (match.start, match.end) == (0, len(expression))


def test_flags() -> None:
    [money] = find_numbers("Rp 30,5 triliun")
    assert money.money and money.scaled and not money.percent
    [pct] = find_numbers("naik 45,5 persen")
    assert pct.percent and pct.value == 45.5
    [an] = find_numbers("2.500-an titik")
    assert an.approx_suffix and an.grouped


@pytest.mark.parametrize("text", [
    "23/6/2020", "Kamis 14 Mei 2020", "16 Agu 2020, 18:30 WIB", "pukul 05.30 WIB", "01:36 WIB",
    "tahun 2019", "Coronavirus Disease 2019", "2019-2020", "4G", "5G", "3T", "COVID-19", "Covid-19",
    "Liputan6.com", "Perpres No. 63", "Pasal 5 ayat 2", "ke-3", "Day 8", "Artikel 1",
    "2 tahun", "1 sampai 2 tahun ke depan", "3 bulan", "021-3452841", "08123456789", "G20",
    "salah satu", "versi 2.1", "10 Agustus 2020", "Senin (8/10)", "1.2.3",
])
def test_not_quantities(text: str) -> None:
    assert find_numbers(text) == []


def test_offsets_index_code_points() -> None:
    text = "“Kata” 7.634 titik — Rp 30,5 triliun ↓"
    spans = [(m.start, m.end) for m in find_numbers(text)]
    assert [text[a:b] for a, b in spans] == ["7.634", "Rp 30,5 triliun"]


def test_ill_formed_spelled_runs() -> None:
    assert parse_spelled("puluh") is None
    assert parse_spelled("empat belas") == Decimal(14)


# ---- property tests: render numbers the Indonesian way and parse them back ------------------------

def _group_thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


_UNITS = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]


def _spell_below_thousand(n: int) -> str:
    words = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append("seratus" if hundreds == 1 else f"{_UNITS[hundreds]} ratus")
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif 12 <= rest <= 19:
        words.append(f"{_UNITS[rest - 10]} belas")
    else:
        tens, ones = divmod(rest, 10)
        if tens:
            words.append(f"{_UNITS[tens]} puluh")
        if ones:
            words.append(_UNITS[ones])
    return " ".join(words)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1000, max_value=10**12))
def test_grouped_digits_round_trip(n: int) -> None:
    assert parse_number(_group_thousands(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=99),
       st.sampled_from([("ribu", 10**3), ("juta", 10**6), ("miliar", 10**9), ("triliun", 10**12)]),
       st.sampled_from(["", "Rp ", "Rp", "Rp. "]))
def test_decimal_comma_with_scale_round_trip(whole: int, cents: int, scale: tuple[str, int], rp: str) -> None:
    written = f"{rp}{whole},{cents:02d} {scale[0]}"
    expected = (Decimal(whole) + Decimal(cents) / 100) * scale[1]
    assert Decimal(str(parse_number(written))) == expected


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=999),
       st.sampled_from([("", 1), ("ribu", 10**3), ("juta", 10**6), ("miliar", 10**9)]))
def test_spelled_round_trip(n: int, scale: tuple[str, int]) -> None:
    written = f"{_spell_below_thousand(n)} {scale[0]}".strip()
    assert parse_number(written) == n * scale[1]


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=500), st.integers(min_value=1, max_value=500),
       st.sampled_from(["-", "–", " sampai "]), st.sampled_from([("ribu", 10**3), ("juta", 10**6)]))
def test_range_round_trip(low: int, span: int, joiner: str, scale: tuple[str, int]) -> None:
    high = low + span
    [match] = find_numbers(f"{low}{joiner}{high} {scale[0]}")
    assert (match.value, match.value_max) == (low * scale[1], high * scale[1])


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=99),
       st.sampled_from([" persen", "%", " Persen"]))
def test_percent_round_trip(whole: int, frac: int, sign: str) -> None:
    [match] = find_numbers(f"naik {whole},{frac:02d}{sign} tahun ini")
    assert match.percent
    assert Decimal(str(match.value)) == Decimal(whole) + Decimal(frac) / 100


@pytest.mark.parametrize("text, spans", [
    ("target 2 juta sampai 2024", [("2 juta", 2_000_000, None)]),
    ("500 ribu sampai 2020", [("500 ribu", 500_000, None)]),
    ("500 sampai 2 ribu", [("500", 500, None), ("2 ribu", 2000, None)]),
    ("30 - 20 juta", [("30", 30, None), ("20 juta", 20_000_000, None)]),
    ("2 juta - 3 juta", [("2 juta - 3 juta", 2_000_000, 3_000_000)]),
])
def test_a_joiner_without_a_higher_end_is_not_a_range(text: str, spans: list) -> None:
    assert [(text[m.start:m.end], m.value, m.value_max) for m in find_numbers(text)] == spans


def test_foreign_currency_is_vetoed() -> None:
    assert find_numbers("US$ 500 juta") == []
    assert find_numbers("2 miliar dolar AS") == []
