"""The discourse layer on its own (extract/discourse.py): segmentation, structure, topic.

Our own example texts; offsets are found with str.index so the tests read like the texts.
"""

from __future__ import annotations

from extract.discourse import SENTENCE_REACH, Discourse, Topic, clamp
from extract.grammar import grammar_of
from extract.sentences import sentence_at
from extract.taxonomy import default_taxonomy


def _doc(text: str) -> Discourse:
    return Discourse(text, grammar_of(default_taxonomy()))


def _at(text: str, needle: str, occurrence: int = 0) -> int:
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.index(needle, pos + 1)
    return pos


# --- segmentation -------------------------------------------------------------------------------

def test_sentences_follow_the_reference_rule() -> None:
    text = "Judul tanpa titik 12 BTS\nDr. Rina menyebut 40 desa. Lalu 9 desa lagi! Prof. X hadir.\n\nAkhir."
    doc = _doc(text)
    for needle in ("12 BTS", "40 desa", "9 desa", "Akhir"):
        start = text.index(needle)
        (a, b), _ = doc.sentence(start, start + len(needle))
        assert text[a:b] == sentence_at(text, start, start + len(needle)), needle


def test_paragraph_bounds_and_previous_paragraph() -> None:
    text = "Satu.\n\n\nDua dua.\nTiga."
    doc = _doc(text)
    two, three = text.index("Dua"), text.index("Tiga")
    assert doc.line_bounds(two, two) == (two, text.index("\nTiga"))
    assert doc.previous_paragraph_start(three) == two
    assert doc.previous_paragraph_start(two) == 0


def test_clauses_break_at_conjunctions_quotes_dashes_and_a_frame() -> None:
    text = ("Target 8 juta UMKM pada 2019, namun sekarang baru 4,6 juta. "
            "Dari 120 desa yang ada di kabupaten itu, 30 desa belum terjangkau sinyal.")
    doc = _doc(text)
    first = text.index("4,6")
    sentence, _ = doc.sentence(first, first + 3)
    a, b = doc.clause(sentence, first)
    assert text[a:b].startswith("namun") and "2019" not in text[a:b]
    second = text.index("30 desa")
    sentence, _ = doc.sentence(second, second + 2)
    a, b = doc.clause(sentence, second)
    assert text[a:b].strip().startswith("30 desa"), text[a:b]     # the "Dari …," frame is its own clause
    a, b = doc.clause(sentence, text.index("120"))
    assert text[a:b] == "Dari 120 desa yang ada di kabupaten itu"


def test_a_frame_after_a_dateline() -> None:
    text = "KOTA BARU, WARTA.ID – Dari 80 desa di kabupaten itu, 12 desa belum terjangkau internet."
    doc = _doc(text)
    pos = text.index("80")
    sentence, _ = doc.sentence(pos, pos + 2)
    a, b = doc.clause(sentence, pos)
    assert text[a:b] == "Dari 80 desa di kabupaten itu"


def test_a_short_enumeration_with_dan_is_not_a_clause_break() -> None:
    text = "Pelaku usaha mikro, kecil, dan menengah kini 20 juta."
    doc = _doc(text)
    pos = text.index("20")
    sentence, _ = doc.sentence(pos, pos + 2)
    assert doc.clause(sentence, pos) == sentence


def test_a_table_cell_label_and_its_value_are_one_clause() -> None:
    text = "Provinsi: Papua; Jumlah BTS: 1.200"
    doc = _doc(text)
    pos = text.index("1.200")
    sentence, _ = doc.sentence(pos, pos + 5)
    a, b = doc.clause(sentence, pos)
    assert text[a:b].strip() == "Jumlah BTS: 1.200"


def test_clamp_bounds_a_scope_around_the_number() -> None:
    assert clamp((0, 10_000), 5_000, 5_010, SENTENCE_REACH) == (5_000 - SENTENCE_REACH, 5_010 + SENTENCE_REACH)
    assert clamp((4_900, 5_100), 5_000, 5_010, SENTENCE_REACH) == (4_900, 5_100)


# --- structure ----------------------------------------------------------------------------------

def test_list_items_take_their_introduction_as_context() -> None:
    text = "Berikut capaian beasiswa talenta digital:\n- Peserta 100.000 orang.\n- Lulusan 80.000 orang."
    doc = _doc(text)
    pos = text.index("80.000")
    sentence, paragraph = doc.sentence(pos, pos + 6)
    assert doc.context_paragraph(sentence, paragraph)[0] == 0


def test_a_paragraph_that_points_back_reads_the_one_before() -> None:
    text = "Pemerintah membangun BTS di perbatasan.\nPembangunan tersebut menyasar 700 desa."
    doc = _doc(text)
    pos = text.index("700")
    sentence, paragraph = doc.sentence(pos, pos + 3)
    assert doc.context_paragraph(sentence, paragraph)[0] == 0
    other = "Pemerintah membangun BTS di perbatasan.\nWarga menanam 700 pohon."
    doc = _doc(other)
    pos = other.index("700")
    sentence, paragraph = doc.sentence(pos, pos + 3)
    assert doc.context_paragraph(sentence, paragraph) == paragraph


def test_related_story_links_are_skipped_when_looking_back() -> None:
    text = "Ada 40 desa blank spot.\nBaca juga: Harga Cabai Naik 12 Persen\nKemudian di Timur 9 desa."
    doc = _doc(text)
    last = text.index("Kemudian")
    assert doc.is_related_line(text.index("Baca"))
    assert doc.topic_paragraph_before(last) == 0


def test_continuations_and_the_previous_sentence() -> None:
    text = "Dinas melatih pelaku UMKM berjualan daring. Sebanyak 900 orang ikut.\nSelanjutnya, 300 orang lagi."
    doc = _doc(text)
    pos = text.index("900")
    sentence, paragraph = doc.sentence(pos, pos + 3)
    previous = doc.previous_sentence(sentence, paragraph)
    assert previous is not None and text[previous[0]:previous[1]].startswith("Dinas melatih")
    pos = text.index("300")
    sentence, paragraph = doc.sentence(pos, pos + 3)
    assert doc.opens_continuation(sentence)
    previous = doc.previous_sentence(sentence, paragraph)
    assert previous is not None and text[previous[0]:previous[1]].startswith("Sebanyak 900")
    # A paragraph that neither continues nor points back has no previous sentence.
    text = "Dinas melatih pelaku UMKM.\nWarga menanam 300 pohon."
    doc = _doc(text)
    pos = text.index("300")
    assert doc.previous_sentence(*doc.sentence(pos, pos + 3)) is None


def test_list_joints_between_two_figures() -> None:
    doc = _doc("")
    cases = {
        " di Papua dan ": True,                         # "1.200 BTS di Papua dan 800 BTS"
        ", Kalimantan ": True,                          # "Bali 80 %, Kalimantan 78 %"
        " jaringan laut dan ": True,                    # words describing the first item, then the joint
        " di tahun 2030 atau sekitar ": True,           # a restatement
        " masih mengalami blank spot, sedangkan di Papua mencapai ": True,
        " yang diusulkan untuk menerima bantuan, di antaranya di Kecamatan Barat ada ": False,
        " dan realisasinya mencapai ": False,          # a new predicate after the joint
        " ": False,                                     # no joint at all
    }
    for gap, expected in cases.items():
        text = "1" + gap + "2"
        doc = _doc(text)
        assert doc.list_joint(1, 1 + len(gap)) is expected, gap


# --- topic ----------------------------------------------------------------------------------------

def test_topic_remembers_the_last_figures_most_recent_first() -> None:
    topic = Topic()
    for i in range(30):
        topic.add(i, (i, i + 1), 0)
    recent = [m.figure for m in topic.recent()]
    assert recent[0] == 29 and len(recent) == 24 and recent[-1] == 6
