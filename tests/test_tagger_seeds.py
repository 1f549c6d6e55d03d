"""The owner's sample articles: every gold mention reproduced exactly, no distractor touched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import tag_text

FIELDS = ["start", "end", "surface", "value", "value_max", "unit", "metric", "is_target", "approx", "year",
          "sentence"]


def _rows(seeds: Path, name: str) -> list[dict]:
    return [json.loads(line) for line in (seeds / name).read_text(encoding="utf-8").splitlines() if line]


def _articles(seeds: Path) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for path in sorted(seeds.glob("*.txt")):
        with open(path, encoding="utf-8") as fh:
            out[path.stem] = [f.to_record() for f in tag_text(fh.read())]
    return out


@pytest.fixture(scope="module")
def tagged(seeds_dir: Path) -> dict[str, list[dict]]:
    return _articles(seeds_dir)


def test_every_gold_mention_is_reproduced(seeds_dir: Path, tagged: dict[str, list[dict]]) -> None:
    gold = _rows(seeds_dir, "gold.jsonl")
    assert len(gold) == 18
    for row in gold:
        matches = [r for r in tagged[row["article"]] if (r["start"], r["end"]) == (row["start"], row["end"])]
        assert matches, f"missing {row['article']} {row['surface']!r}"
        got = matches[0]
        for key in FIELDS:
            if key in ("value", "value_max") and row[key] is not None:
                assert got[key] == pytest.approx(row[key], rel=1e-9), (row["surface"], key)
            else:
                assert got[key] == row[key], (row["article"], row["surface"], key, got[key], row[key])


def test_nothing_overlaps_a_distractor(seeds_dir: Path, tagged: dict[str, list[dict]]) -> None:
    for row in _rows(seeds_dir, "distractors.jsonl"):
        for got in tagged[row["article"]]:
            assert not (got["start"] < row["end"] and row["start"] < got["end"]), (row, got)


def test_no_extra_mentions(seeds_dir: Path, tagged: dict[str, list[dict]]) -> None:
    gold = {(r["article"], r["start"]) for r in _rows(seeds_dir, "gold.jsonl")}
    extra = [(a, r["surface"]) for a, rows in tagged.items() for r in rows if (a, r["start"]) not in gold]
    assert extra == []


def test_records_are_ordered_and_consistent(seeds_dir: Path, tagged: dict[str, list[dict]]) -> None:
    for article, rows in tagged.items():
        with open(seeds_dir / f"{article}.txt", encoding="utf-8") as fh:
            text = fh.read()
        assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
        for r in rows:
            assert text[r["start"]:r["end"]] == r["surface"]
