"""Regression guard for tagger speed work: ``tag_text`` output on a fixed set of texts is unchanged.

``tests/data/tagger_snapshot.jsonl`` holds one JSON object per text: ``id`` (where the text came
from: a seed article, a test sentence, a mirror corpus or synthetic article, a random token mix),
the ``text`` itself (inline, so the test depends on nothing else that may change) and the
``figures`` records ``tag_text`` gave when the snapshot was written. A difference here means the
tagger's output changed: if that was intended (a rule fix), regenerate the snapshot and say why.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import tag_text

SNAPSHOT = Path(__file__).resolve().parent / "data" / "tagger_snapshot.jsonl"


def _entries() -> list[dict]:
    with open(SNAPSHOT, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


ENTRIES = _entries()
SNAPSHOT_KEYS = next(list(entry["figures"][0]) for entry in ENTRIES if entry["figures"])


def test_snapshot_is_broad() -> None:
    sources = {entry["id"].split(":", 1)[0] for entry in ENTRIES}
    assert {"seed", "test", "corpus", "synthetic", "fuzz"} <= sources
    assert sum(len(entry["figures"]) for entry in ENTRIES) > 500


@pytest.mark.parametrize("source", ["seed", "test", "corpus", "synthetic", "fuzz"])
def test_output_matches_snapshot(source: str) -> None:
    mismatches = []
    for entry in ENTRIES:
        if entry["id"].split(":", 1)[0] != source:
            continue
        # The keys the snapshot pins (the first version of the record): `when` and `scope`, added in
        # the second, have their own tests (test_timeref.py, test_regions.py).
        got = [{key: record[key] for key in SNAPSHOT_KEYS}
               for record in (figure.to_record() for figure in tag_text(entry["text"]))]
        # Through JSON, as the snapshot was written (tuples, floats and None compare as stored).
        if json.loads(json.dumps(got, ensure_ascii=False)) != entry["figures"]:
            mismatches.append(entry["id"])
    assert not mismatches, f"tag_text output differs from {SNAPSHOT.name} for: {mismatches[:20]}"


def _all_patterns(tax) -> list:
    patterns = {id(p): p for p in [*tax.cues.values(), *tax.exclude.values(), *tax.unit_patterns.values()]}
    for metric in tax.metrics.values():
        for rule in metric.rules:
            for group in (*rule.all, rule.none, rule.near):
                if group is not None:
                    patterns[id(group)] = group
    return list(patterns.values())


def test_literal_precheck_never_hides_a_match() -> None:
    """The speed-up rests on this: a keyword group's regex finds nothing in a block whose
    lower-cased text holds none of its (word) literals."""
    from extract.taxonomy import default_taxonomy, folds_like_regex

    patterns = _all_patterns(default_taxonomy())
    assert sum(p.word_literals is not None for p in patterns) > sum(p.literals is not None for p in patterns)
    texts = [e["text"] for e in ENTRIES if e["id"].startswith(("seed:", "test:", "corpus:"))]
    texts += ["Target 2024: sampai akhir tahun, Dari Seluruh desa", "TARGET\u00a0SAMPAI 2030 diperkirakan akan"]
    for text in texts:
        lowered = text.lower()
        if len(lowered) != len(text):
            continue
        for fast in (False, True) if folds_like_regex(lowered) else (False,):
            for pattern in patterns:
                expected = [m.span() for m in pattern.regex.finditer(text)]
                assert pattern.spans(text, lowered, 0, len(text), word_literals=fast) == expected, (
                    pattern.regex.pattern[:80], text[:80])
