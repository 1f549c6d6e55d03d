"""Gate: the figure tagger must not score below the stored baseline on the second, blind eval set.

tests/data/tagger_eval2/ is 15 hand-labelled articles written after the tagger was tuned on the first
set (tests/data/tagger_eval/), labelled per figures.md without reading the first set's articles, so it
measures accuracy on unseen text. Same format and scorer (bench/eval_tagger.py, figures.md §8.1).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data" / "tagger_eval2"
# The set's size: a missing or extra source file means the set changed and the baseline needs review.
ARTICLE_COUNT = 15


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


eval_tagger = _load("eval_tagger", REPO / "bench" / "eval_tagger.py")
build = _load("tagger_eval2_build", DATA / "build.py")


@pytest.fixture(scope="module")
def result() -> dict:
    return eval_tagger.evaluate(DATA)


def _rows(name: str) -> list[dict]:
    return eval_tagger.read_jsonl(DATA / name)


def test_compiled_files_match_the_labelled_sources() -> None:
    """gold.jsonl, distractors.jsonl and the .txt files are build.py's output, never hand-edited."""
    gold: list[dict] = []
    distractors: list[dict] = []
    sources = sorted((DATA / "labelled").glob("*.lab"))
    assert len(sources) == ARTICLE_COUNT
    assert sorted(p.stem for p in DATA.glob("*.txt")) == [s.stem for s in sources], "stray or missing .txt"
    for src in sources:
        text, g, d = build.compile_source(src.stem, src.read_text(encoding="utf-8"))
        with open(DATA / f"{src.stem}.txt", encoding="utf-8") as fh:
            assert fh.read() == text, f"{src.stem}.txt is stale: run tests/data/tagger_eval2/build.py"
        gold += g
        distractors += d
    assert _rows("gold.jsonl") == gold, "gold.jsonl is stale: run tests/data/tagger_eval2/build.py"
    assert _rows("distractors.jsonl") == distractors, "distractors.jsonl is stale: run build.py"


def test_every_span_and_sentence_is_exact() -> None:
    texts = {p.stem: open(p, encoding="utf-8").read() for p in DATA.glob("*.txt")}
    for row in _rows("gold.jsonl") + _rows("distractors.jsonl"):
        text = texts[row["article"]]
        assert text[row["start"]:row["end"]] == row["surface"], row
        if "sentence" in row:
            assert build.sentence_at(text, row["start"], row["end"]) == row["sentence"], row


def test_eval_set_covers_every_metric_and_no_label_sits_on_a_distractor() -> None:
    from extract import load_taxonomy

    gold = _rows("gold.jsonl")
    assert {g["metric"] for g in gold} == set(load_taxonomy().metrics)
    distractors = _rows("distractors.jsonl")
    for g in gold:
        clash = [d for d in distractors if d["article"] == g["article"] and eval_tagger._overlap(d, g) > 0]
        assert not clash, (g["surface"], clash)


def test_scores_do_not_drop_below_the_baseline(result: dict) -> None:
    baseline = json.loads((DATA / "baseline.json").read_text(encoding="utf-8"))
    drops = [f"{view}.{key}: {result['views'][view][key]:.3f} < baseline {floor:.2f}"
             for view, floors in baseline.items() if not view.startswith("_")
             for key, floor in floors.items() if result["views"][view][key] < floor]
    assert not drops, ("tagger scores dropped on tagger_eval2 "
                       "(bench/eval_tagger.py --data tests/data/tagger_eval2 lists every error):\n" + "\n".join(drops))
