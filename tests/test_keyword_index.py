"""extract/keyword_index.py: the one-walk index finds exactly what each keyword group's regex finds.

The tagger's speed rests on two shortcuts that must never hide a match: a group's regex is tried
only where the literal walk (``KeywordTable``) found one of its literals, and a rule is dropped when
``may_have`` says a sentence lacks one of its groups. Both are checked here against the plain
regex on the snapshot texts (seed articles, test sentences, mirror pages) and on made-up edge cases.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from extract.keyword_index import KeywordIndex, KeywordTable, keyword_table
from extract.taxonomy import _word_literals, default_taxonomy

SNAPSHOT = Path(__file__).resolve().parent / "data" / "tagger_snapshot.jsonl"
# Our own edge cases: symbols, hyphens, inline case flags, enclitics, text ends, paragraph breaks.
EDGE_TEXTS = [
    "Dari 97 desa, ±40 desa sudah terjangkau; +/- 12 ribu UMKM go-online dan e-katalog-nya.",
    "dari seluruh desa\nDari 5 provinsi, bertanggung jawab atas 3 juta UMKM",
    "e-katalog",
    "targetnya 2.000 BTS pada akhir tahun ini, tak kurang dari 700 titik",
    "PENETRASI INTERNET 78 PERSEN, TANGGUNG JAWAB KOMINFO",
]


def _texts() -> list[str]:
    with open(SNAPSHOT, encoding="utf-8") as fh:
        entries = [json.loads(line) for line in fh if line.strip()]
    return [e["text"] for e in entries if e["id"].startswith(("seed:", "test:", "corpus:"))] + EDGE_TEXTS


def _regex_spans(pattern, text: str) -> list[tuple[int, int]]:
    # What the index promises: the regex's matches, none running over a paragraph break.
    return [m.span() for m in pattern.regex.finditer(text) if "\n" not in m.group()]


def test_every_keyword_group_of_the_taxonomy_walks() -> None:
    tax = default_taxonomy()
    table = keyword_table(tax)
    never = [p for p in tax.keyword_patterns() if id(p) not in table.slots]
    # Only groups that cannot match at all (an empty cue list) are left out of the walk.
    assert all(p.regex.pattern == "(?!x)x" for p in never)
    assert len(table.patterns) > 80


def test_literals_look_through_optional_groups_flags_and_symbols() -> None:
    assert set(_word_literals(r"(?:ber)?tanggung\s+jawab") or ()) == {"ber", "tanggung"}
    assert _word_literals("(?-i:Dari)") == ("dari",)
    assert _word_literals("e-katalog") == ("e-katalog",)
    assert _word_literals("±") == ("±",)
    assert _word_literals(r"\+/-") == ("+/-",)
    assert _word_literals(r"(?:a|b)*x") is None          # a repeated group may start anywhere


def test_the_walk_finds_what_the_regex_finds() -> None:
    table = keyword_table(default_taxonomy())
    for text in _texts():
        index = KeywordIndex(text, table=table)
        for pattern in table.patterns:
            assert index.spans(pattern, 0, len(text)) == _regex_spans(pattern, text), (
                pattern.regex.pattern[:80], text[:80])


def test_may_have_never_leaves_out_a_group_that_matches() -> None:
    table = keyword_table(default_taxonomy())
    rng = random.Random(11)
    for text in _texts():
        index = KeywordIndex(text, table=table)
        for _ in range(5):
            a = rng.randrange(len(text) + 1)
            b = rng.randrange(a, len(text) + 1)
            possible = index.may_have(a, b)
            assert possible is not None
            for slot, pattern in enumerate(table.patterns):
                if index.has(pattern, a, b):
                    assert slot in possible, (pattern.regex.pattern[:80], text[a:b][:80])


def test_a_text_lower_casing_cannot_walk_falls_back_to_the_regex() -> None:
    # "İ" lower-cases to two characters: offsets would drift, so no walk (may_have says so).
    table = KeywordTable(default_taxonomy().keyword_patterns())
    text = "İstanbul: 1.200 UMKM sudah go online"
    index = KeywordIndex(text, table=table)
    assert index.may_have(0, len(text)) is None
    for pattern in table.patterns:
        assert index.spans(pattern, 0, len(text)) == _regex_spans(pattern, text)
