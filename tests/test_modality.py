"""Target cues and their reach (extract/modality.py), on our own sentences."""

from __future__ import annotations

import pytest

from extract.discourse import Discourse
from extract.grammar import grammar_of
from extract.keyword_index import KeywordIndex
from extract.modality import clause_cues, decide_is_target
from extract.numbers import find_numbers
from extract.taxonomy import default_taxonomy


def _target(text: str, surface: str, mode: str = "cue") -> bool:
    tax = default_taxonomy()
    g = grammar_of(tax)
    doc = Discourse(text, g)
    index = KeywordIndex(text, doc.line_bounds)
    numbers = find_numbers(text)
    starts = [m.start for m in numbers]
    start = text.index(surface)
    end = start + len(surface)
    sentence, _ = doc.sentence(start, end)
    clause = doc.clause(sentence, start)
    index.sentence = sentence
    cues = clause_cues(tax, g, index, clause, start, end, text[start:start + 2] == "Rp", starts)

    def between(a: int, b: int) -> bool:
        return any(a <= m.start and m.end <= b for m in numbers)

    return decide_is_target(text, g, mode, start, end, cues, lambda a, b: not between(a, b), between)


@pytest.mark.parametrize("text, surface, expected", [
    # verbs and modals reach the figures after them in the clause
    ("Pemerintah akan membangun 1.000 BTS di perbatasan.", "1.000 BTS", True),
    ("Provinsi wajib menyediakan 300 titik wifi.", "300 titik", True),
    # … unless an actual marker comes after another figure
    ("Program ditargetkan menjaring 80 ribu peserta dan realisasinya mencapai 95 ribu peserta.", "95 ribu", False),
    # a goal noun binds the figure right after it, not the others of its clause
    ("Kini ada 9 juta UMKM daring, atau 30 persen dari total target 30 juta.", "30 persen", False),
    ("Kini ada 9 juta UMKM daring, atau 30 persen dari total target 30 juta.", "30 juta.", True),
    ("Target tahun depan sebanyak 500 titik wifi.", "500 titik", True),
    # "target tersebut" points back: it binds nothing after it
    ("Dari target tersebut, 1.200 BTS sudah beroperasi.", "1.200 BTS", False),
    # a programme named by its goal
    ("Program 1.000 Desa Digital diluncurkan di Bogor.", "1.000 Desa", True),
    # a purpose is a plan only after money, a plan or an agreement
    ("Pemkab menyiapkan Rp 4 miliar untuk membangun wifi di 90 balai desa.", "90 balai desa", True),
    ("Operator menggelar 500 km kabel untuk menghubungkan 12 kabupaten.", "12 kabupaten", False),
    # preparation and capacity ahead, but not after a tense marker
    ("Dinas tengah menyiapkan 120 UMKM masuk e-katalog.", "120 UMKM", True),
    ("Pemerintah telah menyiapkan 900 titik wifi gratis.", "900 titik", False),
    ("Satelit itu mampu menjangkau 40 ribu titik layanan publik.", "40 ribu titik", True),
    # a present state between the figure and a later cue stops it
    ("Sebanyak 2.000 BTS yang sudah beroperasi akan dirawat.", "2.000 BTS", False),
    # a conditional with its result
    ("Kalau kampus ikut, kita bisa mencetak 30 ribu talenta.", "30 ribu", True),
])
def test_cue_reach(text: str, surface: str, expected: bool) -> None:
    assert _target(text, surface) is expected


def test_modes() -> None:
    text = "Kominfo akan mengalokasikan Rp 5 triliun."
    assert _target(text, "Rp 5 triliun", "cue_before") is True
    assert _target("Dana Rp 5 triliun akan dicairkan.", "Rp 5 triliun", "cue_before") is False
    assert _target("Ada 8 desa.", "8 desa", "always") is True
    assert _target("Akan ada 8 desa.", "8 desa", "never") is False


def test_a_cue_after_a_list_reaches_every_item() -> None:
    from extract import tag_text

    text = "Sebanyak 2.000 BTS dan 700 titik wifi akan dibangun tahun depan."
    assert [(f.surface, f.is_target) for f in tag_text(text)] == [("2.000 BTS", True), ("700 titik", True)]
    text = "Sebanyak 2.000 BTS beroperasi, sementara 700 titik wifi akan dibangun tahun depan."
    assert [(f.surface, f.is_target) for f in tag_text(text)] == [("2.000 BTS", False), ("700 titik", True)]
