"""The repository's copy of the owner's sample articles must match the owner's folder when it is there."""

from __future__ import annotations

import pytest
from conftest import OWNER_SEEDS, SEEDS_COPY


def test_seed_copy_matches_the_owners_folder():
    if not OWNER_SEEDS.exists():
        pytest.skip(f"owner's seeds folder not present at {OWNER_SEEDS}")
    owner = {p.name: p.read_bytes() for p in OWNER_SEEDS.iterdir() if p.is_file()}
    copy = {p.name: p.read_bytes() for p in SEEDS_COPY.iterdir() if p.is_file()}
    assert copy == owner, "tests/data/seeds differs from ../shared/seeds: copy the owner's files again"


def test_every_gold_span_matches_its_text():
    import json

    for name in ("gold.jsonl", "distractors.jsonl"):
        for line in (SEEDS_COPY / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            text = (SEEDS_COPY / f"{row['article']}.txt").read_text(encoding="utf-8")
            assert text[row["start"]:row["end"]] == row["surface"], row
