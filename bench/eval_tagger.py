"""Score the figure tagger against hand labels (figures.md §8.1).

    .venv/bin/python bench/eval_tagger.py                         # the held-out eval set
    .venv/bin/python bench/eval_tagger.py --data tests/data/seeds  # the owner's samples
    .venv/bin/python bench/eval_tagger.py --json                  # scores only, as JSON
    .venv/bin/python bench/eval_tagger.py --data ../shared/devset/figures [--set dev|seeds|all]

A folder holding ``score.py`` and ``articles/`` is the shared dev set of real news excerpts: its texts
are third-party material, read here at run time and never copied. It is scored by that folder's own
``score.py`` (loaded at run time, so the numbers are exactly the ones its ``--cmd`` mode prints) on
predictions made in this process by ``extract.tag_text``, and the report adds the errors per kind.

A data folder holds ``<article>.txt`` files plus ``gold.jsonl`` (expected mentions) and
``distractors.jsonl`` (numbers that must not be tagged). Every text is tagged with ``extract.tag_text``.

Matching: a prediction pairs with a label of the same article whose span overlaps it (largest overlap
first, one-to-one); leftovers pair by the fallback of §8.1 (same metric family, value within 0.5 %).
Unpaired labels are misses, unpaired predictions false positives (those on a distractor span are named
as such). Precision/recall/F1 count mentions; field accuracies are over the paired mentions.
Two views: ``all`` metrics, and ``core`` = without the context metrics and the ``other_*`` catch-alls
(labels and predictions are filtered by their own metric, then matched again).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from extract import load_taxonomy, tag_text  # noqa: E402

DEFAULT_DATA = REPO / "tests" / "data" / "tagger_eval"
# Context metrics and catch-alls: left out of the "core" view (figures.md §8.1).
NON_CORE = {"umkm_total", "villages_total", "other_umkm", "other_connectivity"}
# Fallback pairing tolerance: same metric family and |value - label| <= 0.5 % (figures.md §8.1).
FALLBACK_REL_TOL = 0.005
# Values compare numerically; 1e-9 relative absorbs float noise from decimal commas (figures.md §4).
VALUE_REL_TOL = 1e-9
FIELDS = ("metric", "value", "unit", "is_target", "approx", "year", "span")


@dataclass
class Pair:
    gold: dict
    pred: dict
    how: str  # "overlap" or "fallback"

    def wrong_fields(self) -> list[str]:
        return [name for name in FIELDS if not field_ok(name, self.gold, self.pred)]


@dataclass
class Matching:
    pairs: list[Pair] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    spurious: list[dict] = field(default_factory=list)  # each prediction may carry "_distractor"


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=VALUE_REL_TOL, abs_tol=1e-12)


def field_ok(name: str, gold: dict, pred: dict) -> bool:
    if name == "value":
        return same_number(gold["value"], pred["value"]) and same_number(gold.get("value_max"), pred.get("value_max"))
    if name == "span":
        return (gold["start"], gold["end"]) == (pred["start"], pred["end"])
    return gold.get(name) == pred.get(name)


def _overlap(a: dict, b: dict) -> int:
    return min(a["end"], b["end"]) - max(a["start"], b["start"])


def match_article(gold: list[dict], preds: list[dict], distractors: list[dict], family_of) -> Matching:
    out = Matching()
    candidates = sorted(((_overlap(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(preds)
                         if _overlap(g, p) > 0), reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.pairs.append(Pair(gold[gi], preds[pi], "overlap"))
    # Fallback (§8.1): a span that drifted entirely off its label but carries the same value and family.
    for gi, g in enumerate(gold):
        if gi in used_g:
            continue
        for pi, p in enumerate(preds):
            if pi in used_p or family_of(g["metric"]) != family_of(p["metric"]):
                continue
            if abs(float(p["value"]) - float(g["value"])) <= FALLBACK_REL_TOL * abs(float(g["value"])):
                used_g.add(gi)
                used_p.add(pi)
                out.pairs.append(Pair(g, p, "fallback"))
                break
    out.missed = [g for gi, g in enumerate(gold) if gi not in used_g]
    for pi, p in enumerate(preds):
        if pi in used_p:
            continue
        hit = next((d for d in distractors if _overlap(d, p) > 0), None)
        out.spurious.append({**p, "_distractor": hit["why"] if hit else None})
    out.pairs.sort(key=lambda pair: pair.gold["start"])
    return out


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def summarise(matchings: dict[str, Matching]) -> dict:
    pairs = [p for m in matchings.values() for p in m.pairs]
    missed = sum(len(m.missed) for m in matchings.values())
    spurious = [s for m in matchings.values() for s in m.spurious]
    tp = len(pairs)
    precision, recall = _ratio(tp, tp + len(spurious)), _ratio(tp, tp + missed)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scores = {"gold": tp + missed, "predicted": tp + len(spurious), "matched": tp, "missed": missed,
              "spurious": len(spurious), "on_distractor": sum(1 for s in spurious if s["_distractor"]),
              "precision": precision, "recall": recall, "f1": f1}
    for name in FIELDS:
        scores[f"{name}_acc"] = _ratio(sum(field_ok(name, p.gold, p.pred) for p in pairs), tp)
    return scores


def evaluate(data_dir: Path = DEFAULT_DATA) -> dict:
    """Tag every article in data_dir and score it. Returns views, per-metric rows and matchings."""
    data_dir = Path(data_dir)
    texts = sorted(data_dir.glob("*.txt"))
    if not texts:
        raise FileNotFoundError(f"no <article>.txt files in {data_dir}")
    gold = read_jsonl(data_dir / "gold.jsonl")
    if not gold:
        raise FileNotFoundError(f"no labels: {data_dir / 'gold.jsonl'} is missing or empty")
    distractors = read_jsonl(data_dir / "distractors.jsonl")
    taxonomy = load_taxonomy()

    def family_of(metric: str) -> str | None:
        return taxonomy.family_of(metric) if metric in taxonomy.metrics else None

    predictions: dict[str, list[dict]] = {}
    for path in texts:
        with open(path, encoding="utf-8") as fh:
            predictions[path.stem] = [f.to_record() for f in tag_text(fh.read(), taxonomy)]
    unknown = {g["article"] for g in gold} - set(predictions)
    if unknown:
        raise FileNotFoundError(f"labels name articles with no text file in {data_dir}: {sorted(unknown)}")

    def run(keep) -> dict[str, Matching]:
        return {art: match_article([g for g in gold if g["article"] == art and keep(g["metric"])],
                                   [p for p in preds if keep(p["metric"])],
                                   [d for d in distractors if d["article"] == art], family_of)
                for art, preds in predictions.items()}

    matchings = run(lambda metric: True)
    core = run(lambda metric: metric not in NON_CORE)
    return {"data": str(data_dir), "articles": len(texts), "distractors": len(distractors),
            "views": {"all": summarise(matchings), "core": summarise(core)},
            "per_metric": per_metric(matchings), "matchings": matchings}


def per_metric(matchings: dict[str, Matching]) -> dict[str, dict]:
    rows: dict[str, dict] = {}

    def row(metric: str) -> dict:
        return rows.setdefault(metric, {"gold": 0, "predicted": 0, "correct": 0})

    for m in matchings.values():
        for p in m.pairs:
            row(p.gold["metric"])["gold"] += 1
            row(p.pred["metric"])["predicted"] += 1
            if p.gold["metric"] == p.pred["metric"]:
                row(p.gold["metric"])["correct"] += 1
        for g in m.missed:
            row(g["metric"])["gold"] += 1
        for s in m.spurious:
            row(s["metric"])["predicted"] += 1
    for r in rows.values():
        r["precision"], r["recall"] = _ratio(r["correct"], r["predicted"]), _ratio(r["correct"], r["gold"])
        total = r["precision"] + r["recall"]
        r["f1"] = 2 * r["precision"] * r["recall"] / total if total else 0.0
    return dict(sorted(rows.items()))


def _fmt_fig(r: dict) -> str:
    value = r["value"] if r.get("value_max") is None else f"{r['value']}-{r['value_max']}"
    flags = "".join(c for c, on in (("T", r["is_target"]), ("A", r["approx"])) if on) or "-"
    return f"{r['surface']!r} {value} {r['unit']} {r['metric']} {flags} y={r['year']}"


def report(result: dict, out=None) -> None:
    out = out or sys.stdout  # resolved per call, so redirected/captured stdout is honoured
    print(f"data: {result['data']}  articles: {result['articles']}  distractors: {result['distractors']}", file=out)
    cols = ["gold", "predicted", "matched", "missed", "spurious", "on_distractor", "precision", "recall", "f1"]
    cols += [f"{name}_acc" for name in FIELDS]
    print(f"\n{'score':<16}{'all':>10}{'core':>10}", file=out)
    for col in cols:
        vals = [result["views"][v][col] for v in ("all", "core")]
        print(f"{col:<16}" + "".join(f"{v:>10.3f}" if isinstance(v, float) else f"{v:>10}" for v in vals), file=out)
    print(f"\n{'metric':<28}{'gold':>6}{'pred':>6}{'ok':>5}{'P':>7}{'R':>7}{'F1':>7}", file=out)
    for metric, r in result["per_metric"].items():
        print(f"{metric:<28}{r['gold']:>6}{r['predicted']:>6}{r['correct']:>5}"
              f"{r['precision']:>7.2f}{r['recall']:>7.2f}{r['f1']:>7.2f}", file=out)
    print("\nerrors (gold -> predicted):", file=out)
    for art, m in result["matchings"].items():
        for g in m.missed:
            print(f"  MISSED   {art[:24]} @{g['start']} {_fmt_fig(g)}\n           | {g['sentence']}", file=out)
        for s in m.spurious:
            tag = f"DISTRACTOR({s['_distractor']})" if s["_distractor"] else "SPURIOUS"
            print(f"  {tag:<8} {art[:24]} @{s['start']} {_fmt_fig(s)}\n           | {s['sentence']}", file=out)
        for p in m.pairs:
            wrong = p.wrong_fields()
            if wrong:
                how = " (fallback)" if p.how == "fallback" else ""
                print(f"  WRONG {','.join(wrong)} {art[:24]} @{p.gold['start']}{how}"
                      f"\n           gold {_fmt_fig(p.gold)}\n           pred {_fmt_fig(p.pred)}"
                      f"\n           | {p.gold['sentence']}", file=out)


# ------------------------------------------------------------------------------------------------
# The shared dev set (../shared/devset/figures): scored by its own score.py, loaded at run time.

# The dev set's scorer module and folder layout: a folder with both is scored as the dev set.
DEVSET_SCORER = "score.py"
DEVSET_ARTICLES = "articles"
ERROR_KINDS = ("missed", "wrong_metric", "wrong_target", "wrong_year", "spurious", "on_distractor")


def is_devset(folder: Path) -> bool:
    return (Path(folder) / DEVSET_SCORER).is_file() and (Path(folder) / DEVSET_ARTICLES).is_dir()


def _load_scorer(folder: Path):
    spec = importlib.util.spec_from_file_location("devset_score", Path(folder) / DEVSET_SCORER)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"cannot load {Path(folder) / DEVSET_SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def error_kinds(details: list[dict]) -> dict[str, int]:
    """Errors per kind from the scorer's --details records: gold mentions not found; matched pairs
    with a wrong metric, a wrong is_target, a wrong year (a pair may count in several); predictions
    matching no gold mention, and those of them on a distractor span."""
    kinds = dict.fromkeys(ERROR_KINDS, 0)
    for rec in details:
        if rec["status"] == "missed":
            kinds["missed"] += 1
        elif rec["status"] == "matched":
            correct = rec["correct"]
            kinds["wrong_metric"] += not correct["metric"]
            kinds["wrong_target"] += not correct["is_target"]
            kinds["wrong_year"] += not correct["year"]
        else:
            kinds["spurious"] += 1
            kinds["on_distractor"] += bool(rec.get("on_distractor"))
    return kinds


def evaluate_devset(folder: Path, sets: str = "dev", taxonomy=None) -> dict:
    """Tag the dev set (and/or the owner's seeds) in-process and score it with the set's score.py.

    Returns ``summaries`` (set name -> the scorer's summary dict), ``error_kinds`` (set name ->
    counts), ``details`` (the scorer's per-mention records) and ``rows`` (per article)."""
    scorer = _load_scorer(folder)
    tax = taxonomy or load_taxonomy()
    names = ["dev", "seeds"] if sets == "all" else [sets]
    summaries, kinds, rows, all_details = {}, {}, [], []
    tallies = {}
    for name in names:
        tally = scorer.Tally()
        details: list[dict] = []
        for art in scorer.load_set(name, scorer.DEFAULT_SEEDS_DIR):
            t0 = time.perf_counter()
            records = [f.to_record() for f in tag_text(art["text"], tax)]
            tally.runtimes.append(time.perf_counter() - t0)
            out = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
            problems: dict[str, list] = defaultdict(list)
            preds = scorer.parse_output(out, art["text"], problems)
            for kind, items in problems.items():
                tally.problems[kind] += len(items)
            row = scorer.score_article(art, preds, tally, False, details)
            rows.append(dict(row, set=name, article=art["id"], secs=tally.runtimes[-1], status="ok"))
        tallies[name] = tally
        summaries[name] = scorer.summarize(tally, len({r["article"] for r in rows if r["set"] == name}))
        kinds[name] = error_kinds(details)
        all_details += details
    if len(names) > 1:
        total = scorer.Tally()
        for name in names:
            total.merge(tallies[name])
        summaries["all"] = scorer.summarize(total, len(rows))
        kinds["all"] = error_kinds(all_details)
    return {"scorer": scorer, "summaries": summaries, "error_kinds": kinds, "details": all_details,
            "rows": rows}


def report_devset(result: dict, per_article: bool = False) -> None:
    scorer = result["scorer"]
    args = argparse.Namespace(cmd="extract.tag_text (in this process; runtimes exclude process start)",
                              fallback=False, per_article=per_article)
    scorer.print_report(args, result["summaries"], result["rows"], {})
    names = list(result["error_kinds"])
    print("\nErrors per kind\n---------------")
    print(f"{'':<34}" + "".join(f"{n:>12}" for n in names))
    for kind in ERROR_KINDS:
        print(f"{kind:<34}" + "".join(f"{result['error_kinds'][n][kind]:>12}" for n in names))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="folder with <article>.txt, gold.jsonl, distractors.jsonl (default: the eval set), "
                             "or the shared dev set folder (with score.py and articles/)")
    parser.add_argument("--json", action="store_true", help="print only the scores as JSON")
    parser.add_argument("--set", choices=["dev", "seeds", "all"], default="dev",
                        help="dev set folder only: score the dev set, the owner's seeds, or both")
    parser.add_argument("--per-article", action="store_true", help="dev set folder only: a per-article table")
    parser.add_argument("--details", type=Path, metavar="FILE",
                        help="dev set folder only: write the scorer's per-mention records (JSON Lines)")
    args = parser.parse_args(argv)
    if is_devset(args.data):
        result = evaluate_devset(args.data, args.set)
        if args.details:
            with open(args.details, "w", encoding="utf-8") as fh:
                for rec in result["details"]:
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        if args.json:
            print(json.dumps({"summaries": result["summaries"], "error_kinds": result["error_kinds"]},
                             ensure_ascii=False, indent=2))
        else:
            report_devset(result, args.per_article)
        return 0
    try:
        result = evaluate(args.data)
    except FileNotFoundError as exc:
        print(f"eval_tagger: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result["views"], indent=2))
    else:
        report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
