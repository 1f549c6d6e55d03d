"""pantau's generic extraction on trafilatura's own evaluation set, scored by trafilatura's own code.

    .venv/bin/python bench/peer_trafilatura.py --data DIR [--rounds 3] [--limit N] [--json OUT]

DIR is a checkout of the adbar/trafilatura repository (its ``tests/evaldata.json`` with the pages in
``tests/eval/`` and ``tests/cache/``). Nothing of it is copied here: its scoring module
(``tests/eval_common.py``, which ``tests/evaluate.py`` also uses) is imported from DIR at run
time, and the *installed* trafilatura does the extraction (the checkout serves data and scoring).

Three extractors run on the same pages in one process: trafilatura as its evaluation runs it
(``fast=False``, tables kept, comments dropped), trafilatura ``fast=True`` with the same options,
and pantau's ``extract_article`` (on these foreign URLs: the generic profile). Each round runs
every page through every extractor, rotating which goes first, and times each call in CPU seconds
(``time.process_time``); docs/s is the page count over an extractor's median round. Scores come from
the first round (extraction is deterministic). Prints precision, recall, F1 and accuracy per
extractor, pantau's speed ratio, and every page pantau refused with the reason and how many snippets
trafilatura found there. ``--json OUT`` writes the per-page counts for diffing two runs.

A benchmark, not a test: CI has no copy of the data.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402  (the installed library, imported before DIR joins sys.path)

from extract import ExtractError, extract_article  # noqa: E402

PANTAU = "pantau extract_article"
DEFAULT = "trafilatura default"
FAST = "trafilatura fast"
# Options of trafilatura's own evaluation runs, used when the peer's module does not export them.
FALLBACK_OPTS: dict[str, Any] = {"include_comments": False, "include_tables": True, "include_formatting": False}


# What this bench uses from the peer's scoring module; a checkout without them is refused clearly.
SCORING_API = ("load_evaldata", "read_corpus", "count_item", "ConfusionMatrix")


def load_scoring(data: Path) -> ModuleType:
    """The peer's scoring module ``DIR/tests/eval_common.py``, imported from the checkout (never
    copied here). It imports only ``trafilatura.extract``, which the installed 2.3.1 has."""
    tests = data / "tests"
    if not (tests / "evaldata.json").is_file():
        sys.exit(f"peer_trafilatura: {tests / 'evaldata.json'} not found; --data must be a trafilatura checkout")
    installed = Path(trafilatura.__file__).resolve()
    if data.resolve() in installed.parents:
        sys.exit(f"peer_trafilatura: trafilatura is imported from the checkout ({installed}); use the installed one")
    sys.path.insert(0, str(tests))
    try:
        module = importlib.import_module("eval_common")
    except ImportError as exc:
        sys.exit(f"peer_trafilatura: cannot import {tests / 'eval_common.py'}: {exc}")
    missing = [name for name in SCORING_API if not hasattr(module, name)]
    if missing:
        sys.exit(f"peer_trafilatura: {module.__file__} lacks {', '.join(missing)}; this bench follows the 2025+ layout")
    return module


class Scoring:
    """The peer module's corpus loading, per-page counting and scores."""

    def __init__(self, module: ModuleType, data: Path) -> None:
        self.module = module
        self.here = str(data / "tests")
        self.evaldata: dict[str, dict[str, Any]] = module.load_evaldata(str(data / "tests" / "evaldata.json"))
        if hasattr(module, "validate"):
            module.validate(self.evaldata)
        self.opts: dict[str, Any] = dict(getattr(module, "EXTRACT_OPTS", FALLBACK_OPTS))

    def pages(self) -> dict[str, bytes]:
        return {url: doc[1] for url, doc in self.module.read_corpus(self.here, self.evaldata).items()}

    def count(self, item: dict[str, Any], result: str | None) -> tuple[int, int, int, int]:
        """(tp, fp, fn, tn) for one page as the peer counts them."""
        tp, fp, fn, tn = self.module.count_item(item, result)
        return tp, fp, fn, tn

    def scores(self, counts: list[tuple[int, int, int, int]]) -> dict[str, float]:
        tp, fp, fn, tn = (sum(c[i] for c in counts) for i in range(4))
        precision, recall, accuracy, f1 = self.module.ConfusionMatrix(tp=tp, fp=fp, fn=fn, tn=tn).scores()
        return {"precision": precision, "recall": recall, "f1": f1, "accuracy": accuracy}


def extractors(opts: dict[str, Any]) -> dict[str, Callable[[bytes, str], tuple[str | None, str | None]]]:
    """Each extractor returns (text, refusal reason)."""

    def default(html: bytes, url: str) -> tuple[str | None, str | None]:
        return trafilatura.extract(html, fast=False, **opts), None

    def fast(html: bytes, url: str) -> tuple[str | None, str | None]:
        return trafilatura.extract(html, fast=True, **opts), None

    def pantau(html: bytes, url: str) -> tuple[str | None, str | None]:
        try:
            return extract_article(html, url).text, None
        except ExtractError as exc:
            return None, exc.reason

    return {DEFAULT: default, FAST: fast, PANTAU: pantau}


def run(scoring: Scoring, pages: dict[str, bytes], rounds: int, only: list[str] | None) -> dict[str, Any]:
    runs = extractors(scoring.opts)
    if only:
        runs = {name: fn for name, fn in runs.items() if name in only}
    names = list(runs)
    seconds = {name: [0.0] * rounds for name in names}
    results: dict[str, dict[str, tuple[str | None, str | None]]] = {name: {} for name in names}
    for fn in runs.values():  # warm-up: lazy imports and one-time compilation are not page costs
        fn(b"<html><body><p>" + b"warm up text " * 20 + b"</p></body></html>", "https://example.org/a/b")
    for r in range(rounds):
        for i, (url, html) in enumerate(pages.items()):
            shift = (i + r) % len(names)
            for name in names[shift:] + names[:shift]:
                t0 = time.process_time()
                out = runs[name](html, url)
                seconds[name][r] += time.process_time() - t0
                if r == 0:
                    results[name][url] = out
        print(f"round {r + 1}/{rounds}: " + ", ".join(f"{n} {len(pages) / seconds[n][r]:.1f} docs/s" for n in names),
              file=sys.stderr)
    return {"names": names, "seconds": seconds, "results": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="a checkout of adbar/trafilatura")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (median reported)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (quick runs)")
    parser.add_argument("--only", action="append", choices=[DEFAULT, FAST, PANTAU],
                        help="run only this extractor (repeatable; default all three)")
    parser.add_argument("--json", type=Path, help="write per-page counts and refusals here")
    args = parser.parse_args()

    scoring = Scoring(load_scoring(args.data), args.data)
    pages = scoring.pages()
    if args.limit:
        pages = dict(list(pages.items())[:args.limit])
    snippets_with = sum(len(scoring.evaldata[u]["with"]) for u in pages)
    snippets_without = sum(len(scoring.evaldata[u]["without"]) for u in pages)
    print(f"trafilatura {trafilatura.__version__} (installed) · scoring from {scoring.module.__file__}")
    print(f"{len(pages)} pages, {snippets_with} snippets that must be in the text, {snippets_without} that must not; "
          f"{args.rounds} interleaved rounds, CPU time")
    out = run(scoring, pages, args.rounds, args.only)
    names, seconds, results = out["names"], out["seconds"], out["results"]

    per_page: dict[str, dict[str, tuple[int, int, int, int]]] = {
        name: {url: scoring.count(scoring.evaldata[url], results[name][url][0]) for url in pages} for name in names}
    rate = {name: len(pages) / statistics.median(seconds[name]) for name in names}
    print()
    print("| extractor | precision | recall | F1 | accuracy | docs/s (CPU) |")
    print("|---|---|---|---|---|---|")
    for name in names:
        s = scoring.scores(list(per_page[name].values()))
        print(f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['accuracy']:.3f} "
              f"| {rate[name]:.1f} |")
    if PANTAU in rate:
        for name in names:
            if name != PANTAU:
                print(f"speed: pantau / {name} = {rate[PANTAU] / rate[name]:.2f}x")

    if PANTAU in names:
        refused = {url: reason for url, (_, reason) in results[PANTAU].items() if reason is not None}
        reference = DEFAULT if DEFAULT in names else None
        print(f"\npantau refused {len(refused)} of {len(pages)} pages:")
        for url, reason in sorted(refused.items(), key=lambda kv: kv[1]):
            found = f"  (trafilatura: {per_page[reference][url][0]}/{len(scoring.evaldata[url]['with'])} snippets)" \
                if reference else ""
            print(f"  {url}\n      {reason}{found}")
        if reference:
            worse = [u for u in refused if per_page[reference][u][0] >= 2]
            print(f"refused pages on which trafilatura finds 2 or more snippets: {len(worse)}")

    if args.json:
        args.json.write_text(json.dumps({
            "pages": {url: {"file": scoring.evaldata[url]["file"],
                            **{name: {"counts": per_page[name][url], "refused": results[name][url][1]} for name in names}}
                      for url in pages},
            "docs_per_s": rate,
        }, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
