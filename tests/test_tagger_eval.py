"""Gate: the figure tagger must not score below the stored baseline on either held-out eval set.

tests/data/tagger_eval/ is 20 hand-labelled articles written for this purpose. tests/data/tagger_eval2/
is 15 more, written after the tagger was tuned on the first set and labelled per figures.md without
reading the first set's articles, so it measured accuracy on unseen text (its README records that
blind score). Both use the same format, compiler (tagger_eval/build.py) and scorer
(bench/eval_tagger.py, figures.md §8.1). Also checks that the labels are self-consistent and that the
scorer itself pairs, counts and names errors as documented.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data" / "tagger_eval"
# Eval set folder -> its number of articles: a missing or extra source means the set changed and
# its baseline needs review.
SETS = {"tagger_eval": 20, "tagger_eval2": 15}


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


eval_tagger = _load("eval_tagger", REPO / "bench" / "eval_tagger.py")
build = _load("tagger_eval_build", DATA / "build.py")


@pytest.fixture(scope="module", params=list(SETS))
def eval_set(request) -> Path:
    return REPO / "tests" / "data" / request.param


@pytest.fixture(scope="module")
def result() -> dict:
    return eval_tagger.evaluate(DATA)


def _rows(data: Path, name: str) -> list[dict]:
    return eval_tagger.read_jsonl(data / name)


# --- the labels -------------------------------------------------------------------------------------

def test_compiled_files_match_the_labelled_sources(eval_set: Path) -> None:
    """gold.jsonl, distractors.jsonl and the .txt files are build.py's output, never hand-edited."""
    rebuild = f"run tests/data/tagger_eval/build.py tests/data/{eval_set.name}"
    gold: list[dict] = []
    distractors: list[dict] = []
    sources = sorted((eval_set / "labelled").glob("*.lab"))
    assert len(sources) == SETS[eval_set.name]
    assert sorted(p.stem for p in eval_set.glob("*.txt")) == [s.stem for s in sources], "stray or missing .txt"
    for src in sources:
        text, g, d = build.compile_source(src.stem, src.read_text(encoding="utf-8"))
        with open(eval_set / f"{src.stem}.txt", encoding="utf-8") as fh:
            assert fh.read() == text, f"{src.stem}.txt is stale: {rebuild}"
        gold += g
        distractors += d
    assert _rows(eval_set, "gold.jsonl") == gold, f"gold.jsonl is stale: {rebuild}"
    assert _rows(eval_set, "distractors.jsonl") == distractors, f"distractors.jsonl is stale: {rebuild}"


def test_every_span_and_sentence_is_exact(eval_set: Path) -> None:
    texts = {p.stem: open(p, encoding="utf-8").read() for p in eval_set.glob("*.txt")}
    for row in _rows(eval_set, "gold.jsonl") + _rows(eval_set, "distractors.jsonl"):
        text = texts[row["article"]]
        assert text[row["start"]:row["end"]] == row["surface"], row
        if "sentence" in row:
            assert build.sentence_at(text, row["start"], row["end"]) == row["sentence"], row


def test_eval_set_covers_every_metric_and_no_label_sits_on_a_distractor(eval_set: Path) -> None:
    from extract import load_taxonomy

    gold = _rows(eval_set, "gold.jsonl")
    assert {g["metric"] for g in gold} == set(load_taxonomy().metrics)
    distractors = _rows(eval_set, "distractors.jsonl")
    for g in gold:
        clash = [d for d in distractors if d["article"] == g["article"] and eval_tagger._overlap(d, g) > 0]
        assert not clash, (g["surface"], clash)


# --- the gate ---------------------------------------------------------------------------------------

def test_scores_do_not_drop_below_the_baseline(eval_set: Path) -> None:
    scores = eval_tagger.evaluate(eval_set)
    baseline = json.loads((eval_set / "baseline.json").read_text(encoding="utf-8"))
    drops = [f"{view}.{key}: {scores['views'][view][key]:.3f} < baseline {floor:.2f}"
             for view, floors in baseline.items() if not view.startswith("_")
             for key, floor in floors.items() if scores["views"][view][key] < floor]
    assert not drops, (f"tagger scores dropped on {eval_set.name} (bench/eval_tagger.py --data "
                       f"tests/data/{eval_set.name} lists every error):\n" + "\n".join(drops))


# --- the scorer -------------------------------------------------------------------------------------

def _fig(start: int, end: int, metric: str = "bts_towers", value: float = 10, **extra) -> dict:
    row = {"start": start, "end": end, "surface": "x" * (end - start), "value": value, "value_max": None,
           "unit": "bts", "metric": metric, "is_target": False, "approx": False, "year": None, "sentence": "s"}
    return {**row, **extra}


def _family(metric: str) -> str:
    return "umkm" if metric.startswith("umkm") else "connectivity"


def test_scorer_pairs_by_overlap_then_fallback_and_flags_distractors() -> None:
    gold = [_fig(0, 9), _fig(20, 30, value=500), _fig(40, 45, metric="umkm_online", value=7)]
    preds = [_fig(0, 12, is_target=True),                    # overlaps label 1; wrong flag and span
             _fig(50, 55, value=501),                        # off-span, same family, within 0.5 %: fallback
             _fig(60, 64, metric="umkm_online", value=3)]    # on a distractor
    distractors = [{"article": "a", "start": 58, "end": 70, "surface": "x", "why": "date"}]
    m = eval_tagger.match_article(gold, preds, distractors, _family)
    assert [(p.gold["start"], p.pred["start"], p.how) for p in m.pairs] == [(0, 0, "overlap"), (20, 50, "fallback")]
    assert m.pairs[0].wrong_fields() == ["is_target", "span"]
    assert [g["start"] for g in m.missed] == [40]
    assert [(s["start"], s["_distractor"]) for s in m.spurious] == [(60, "date")]
    scores = eval_tagger.summarise({"a": m})
    assert (scores["precision"], scores["recall"]) == (pytest.approx(2 / 3), pytest.approx(2 / 3))
    assert scores["is_target_acc"] == 0.5 and scores["value_acc"] == 0.5  # fallback pair is 501 vs 500


def test_scorer_compares_values_numerically_including_range_ends() -> None:
    ok = eval_tagger.Pair(_fig(0, 5, value=4600000, value_max=None), _fig(0, 5, value=4.6e6), "overlap")
    bad = eval_tagger.Pair(_fig(0, 5, value=10, value_max=12), _fig(0, 5, value=10), "overlap")
    assert ok.wrong_fields() == [] and bad.wrong_fields() == ["value"]


def test_report_lists_every_error_with_its_sentence(result: dict, capsys) -> None:
    eval_tagger.report(result)
    out = capsys.readouterr().out
    errors = sum(len(m.missed) + len(m.spurious) + sum(1 for p in m.pairs if p.wrong_fields())
                 for m in result["matchings"].values())
    assert out.count("\n           | ") == errors
    assert "umkm_online_target" in out  # the per-metric table
