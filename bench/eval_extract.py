"""Extraction regression gate: body recall and boilerplate leaks on a folder of saved pages.

    .venv/bin/python bench/eval_extract.py [DIR] [--min-recall 1.0] [--max-leaks 0] [--json]

DIR (default ``tests/data/extract_eval``) holds, per page:

* ``<name>.html``: the saved page;
* ``<name>.expected.txt``: header lines ``# url: <real URL>`` (required), optionally ``# title: …``,
  ``# author: …``, ``# date: <published_at ISO>`` or ``# not-an-article``; then one body paragraph
  (or a distinctive part of one) per line, each of which must appear in ``Article.text``;
* ``<name>.absent.txt`` (optional): one string per line that must NOT appear in ``Article.text``
  (captions, "Baca juga" headlines, sidebar titles, credits).

Prints one row per page (recall, leaks, metadata mismatches) and an overall score; exits 1 when
mean recall is below ``--min-recall``, leaks exceed ``--max-leaks`` or any metadata is wrong.
Comparison ignores case and collapses whitespace, so a paragraph split or re-joined by the
extractor still counts when its words are in order.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract import ExtractError, NotAnArticle, extract_article  # noqa: E402

DEFAULT_DIR = ROOT / "tests" / "data" / "extract_eval"
# Header keys an expected file may set; anything else after "#" is a comment.
HEADER_KEYS = ("url", "title", "author", "date")


@dataclass
class PageResult:
    name: str
    expected: int = 0
    found: int = 0
    missing: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    metadata_errors: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    def to_dict(self) -> dict:
        return {**asdict(self), "recall": self.recall}


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _read_expected(path: Path) -> tuple[dict[str, str], bool, list[str]]:
    header: dict[str, str] = {}
    not_article = False
    paragraphs: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            body = line.lstrip("#").strip()
            if body == "not-an-article":
                not_article = True
            key, sep, value = body.partition(":")
            if sep and key.strip() in HEADER_KEYS:
                header[key.strip()] = value.strip()
            continue
        paragraphs.append(line)
    if "url" not in header:
        raise ValueError(f"{path}: missing '# url: <real URL of the page>' header line")
    return header, not_article, paragraphs


def evaluate_page(html_path: Path) -> PageResult:
    name = html_path.name.removesuffix(".html")
    expected_path = html_path.with_name(f"{name}.expected.txt")
    absent_path = html_path.with_name(f"{name}.absent.txt")
    header, not_article, paragraphs = _read_expected(expected_path)
    absent = [line.strip() for line in absent_path.read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")] if absent_path.exists() else []
    result = PageResult(name=name, expected=len(paragraphs) or (1 if not_article else 0))
    try:
        article = extract_article(html_path.read_bytes(), header["url"])
    except NotAnArticle as exc:
        if not_article:
            result.found = result.expected
        else:
            result.error = f"NotAnArticle: {exc.reason}"
        return result
    except ExtractError as exc:
        result.error = f"{type(exc).__name__}: {exc.reason}"
        return result
    if not_article:
        result.error = "extracted as an article, expected NotAnArticle"
        return result
    text = _norm(article.text)
    for paragraph in paragraphs:
        if _norm(paragraph) in text:
            result.found += 1
        else:
            result.missing.append(paragraph)
    result.leaks = [s for s in absent if _norm(s) in text]
    for key, actual in (("title", article.title), ("author", article.author), ("date", article.published_at)):
        if key in header and (actual or "") != header[key]:
            result.metadata_errors.append(f"{key}: expected {header[key]!r}, got {actual!r}")
    return result


def evaluate(directory: Path) -> list[PageResult]:
    pages = sorted(directory.glob("*.html"))
    if not pages:
        raise SystemExit(f"no <name>.html pages in {directory}")
    return [evaluate_page(page) for page in pages]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--min-recall", type=float, default=1.0, help="mean paragraph recall required")
    parser.add_argument("--max-leaks", type=int, default=0, help="boilerplate strings tolerated in total")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    results = evaluate(args.directory)
    mean_recall = sum(r.recall for r in results) / len(results)
    leaks = sum(len(r.leaks) for r in results)
    meta_errors = sum(len(r.metadata_errors) for r in results)
    errors = sum(1 for r in results if r.error)
    if args.json:
        print(json.dumps({"pages": [r.to_dict() for r in results], "mean_recall": mean_recall,
                          "leaks": leaks, "metadata_errors": meta_errors, "errors": errors},
                         ensure_ascii=False, indent=1))
    else:
        print(f"{'page':32} {'recall':>8} {'leaks':>6} {'meta':>5}  notes")
        for r in results:
            notes = r.error or "; ".join([*(f"missing: {m[:50]!r}" for m in r.missing),
                                           *(f"leak: {s[:40]!r}" for s in r.leaks), *r.metadata_errors])
            print(f"{r.name:32} {r.found:>3}/{r.expected:<4} {len(r.leaks):>6} {len(r.metadata_errors):>5}  {notes}")
        print(f"\noverall: mean recall {mean_recall:.3f}, leaks {leaks}, metadata errors {meta_errors}, "
              f"errors {errors}, pages {len(results)}")
    ok = mean_recall >= args.min_recall and leaks <= args.max_leaks and not meta_errors and not errors
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
