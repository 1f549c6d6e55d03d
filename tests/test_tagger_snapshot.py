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
        got = [figure.to_record() for figure in tag_text(entry["text"])]
        # Through JSON, as the snapshot was written (tuples, floats and None compare as stored).
        if json.loads(json.dumps(got, ensure_ascii=False)) != entry["figures"]:
            mismatches.append(entry["id"])
    assert not mismatches, f"tag_text output differs from {SNAPSHOT.name} for: {mismatches[:20]}"
