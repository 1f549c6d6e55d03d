"""Regression gate over tests/data/extract_eval (our own pages shaped like real saved templates):
every listed body paragraph extracted, no listed boilerplate string leaked, metadata exact."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "tests" / "data" / "extract_eval"


def _eval_module():
    spec = importlib.util.spec_from_file_location("eval_extract", ROOT / "bench" / "eval_extract.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_extract"] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


EVAL = _eval_module()
PAGES = sorted(EVAL_DIR.glob("*.html"))


def test_eval_folder_is_not_empty():
    assert len(PAGES) >= 5


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page_recall_leaks_and_metadata(page):
    result = EVAL.evaluate_page(page)
    assert result.error is None, result.error
    assert result.missing == [], f"body paragraphs not extracted: {result.missing}"
    assert result.leaks == [], f"boilerplate leaked into the text: {result.leaks}"
    assert result.metadata_errors == [], result.metadata_errors
    assert result.recall == 1.0


def test_cli_exit_code_and_summary(capsys):
    assert EVAL.main([str(EVAL_DIR)]) == 0
    out = capsys.readouterr().out
    assert "overall: mean recall 1.000, leaks 0, metadata errors 0, errors 0" in out


def test_gate_fails_on_a_leak(tmp_path):
    (tmp_path / "a.html").write_text(
        "<html><head><title>Judul Uji</title></head><body><h1>Judul Uji</h1><div class='isi'>"
        "<p>Kalimat pertama cerita ini cukup panjang untuk dihitung sebagai isi berita yang sebenarnya.</p>"
        "<p>Kalimat kedua menambah keterangan tentang 12 desa yang kini tersambung internet cepat.</p>"
        "</div></body></html>", encoding="utf-8")
    (tmp_path / "a.expected.txt").write_text("# url: https://contoh.example/berita/1/judul-uji\n"
                                             "Kalimat pertama cerita ini\n", encoding="utf-8")
    (tmp_path / "a.absent.txt").write_text("12 desa\n", encoding="utf-8")
    result = EVAL.evaluate_page(tmp_path / "a.html")
    assert result.recall == 1.0 and result.leaks == ["12 desa"]
    assert EVAL.main([str(tmp_path)]) == 1


def test_expected_file_needs_a_url(tmp_path):
    (tmp_path / "b.html").write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    (tmp_path / "b.expected.txt").write_text("isi\n", encoding="utf-8")
    with pytest.raises(ValueError, match="url"):
        EVAL.evaluate_page(tmp_path / "b.html")
