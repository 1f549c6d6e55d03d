"""Gate: the tagger's score on the shared dev set of real news excerpts may not drop below the
recorded floor (tests/data/tagger_devset_floor.json).

The dev set lives outside the repository (``../shared/devset/figures``, third-party texts kept for
evaluation only) and is read at run time; on a clone without it the test is skipped. It is
scored by the set's own ``score.py`` through ``bench/eval_tagger.py``. The set has been tuned on,
so this is a regression gate, not a measure of accuracy on unseen articles.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEVSET = REPO.parent / "shared" / "devset" / "figures"
FLOOR = REPO / "tests" / "data" / "tagger_devset_floor.json"

pytestmark = pytest.mark.skipif(not (DEVSET / "score.py").is_file(),
                                reason=f"the shared dev set is not here ({DEVSET}): it is kept outside the repository")


def _eval_tagger():
    spec = importlib.util.spec_from_file_location("eval_tagger_devset", REPO / "bench" / "eval_tagger.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_tagger_devset"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result() -> dict:
    return _eval_tagger().evaluate_devset(DEVSET, "all")


def test_dev_set_scores_do_not_drop_below_the_floor(result: dict) -> None:
    floor = json.loads(FLOOR.read_text(encoding="utf-8"))
    dev = result["summaries"]["dev"]
    got = {
        "detection_f1": dev["detection"]["f1"],
        "detection_precision": dev["detection"]["precision"],
        "detection_recall": dev["detection"]["recall"],
        "core_f1": dev["detection_core"]["f1"],
        "end_to_end_recall": dev["end_to_end"]["recall"],
        "metric_acc": dev["on_matched"]["metric"]["acc"],
        "is_target_acc": dev["on_matched"]["is_target"]["acc"],
        "year_acc": dev["on_matched"]["year"]["acc"],
    }
    drops = [f"{key}: {got[key]:.3f} < floor {floor[key]:.2f}" for key in got if got[key] < floor[key]]
    hit = dev["distractors"]["spans_hit"]
    if hit > floor["max_distractors_hit"]:
        drops.append(f"distractor spans hit: {hit} > {floor['max_distractors_hit']}")
    assert not drops, ("tagger scores dropped on the dev set (bench/eval_tagger.py --data "
                       "../shared/devset/figures lists every error):\n" + "\n".join(drops))


def test_the_owner_seeds_stay_exact(result: dict) -> None:
    seeds = result["summaries"]["seeds"]
    assert seeds["detection"]["f1"] == 1.0
    assert seeds["end_to_end"]["recall"] == 1.0
    assert seeds["distractors"]["spans_hit"] == 0
    assert all(v["acc"] == 1.0 for v in seeds["on_matched"].values()), seeds["on_matched"]


def test_the_report_names_every_error_kind(result: dict) -> None:
    kinds = result["error_kinds"]["dev"]
    assert set(kinds) == {"missed", "wrong_metric", "wrong_target", "wrong_year", "spurious", "on_distractor"}
    assert kinds["missed"] == result["summaries"]["dev"]["detection"]["fn"]
