"""``pantau extract PATH --url URL``."""

from __future__ import annotations

import json
from datetime import datetime

from click.testing import CliRunner

from cli import main
from kernel.times import WIB
from mirror.corpus import load_corpus
from mirror.render import render_article

ARTICLE = next(a for a in load_corpus() if a.site == "detik")
PAGE = render_article(ARTICLE.view(0, datetime(2026, 11, 24, 10, 20, tzinfo=WIB)))


def _run(args, stdin=None):
    return CliRunner().invoke(main, ["extract", *args], input=stdin)


def test_extract_file(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    result = _run([str(path), "--url", ARTICLE.url])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("text", "title", "date", "author", "site", "url", "figures"):
        assert key in data
    assert data["title"] == ARTICLE.title and data["date"] == "2026-11-24T10:20:00+07:00"
    assert data["site"] == "detik" and data["url"] == ARTICLE.url
    assert isinstance(data["figures"], list)
    for fig in data["figures"]:  # figure offsets index the printed text
        assert data["text"][fig["start"]:fig["end"]] == fig["surface"]


def test_extract_stdin_and_canonical_default():
    result = _run(["-"], stdin=PAGE)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["url"] == ARTICLE.url


def test_errors_exit_2(tmp_path):
    missing = _run([str(tmp_path / "nope.html"), "--url", ARTICLE.url])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    empty = _run(["-", "--url", ARTICLE.url], stdin="")
    assert empty.exit_code == 2 and "empty" in empty.stderr
    index = _run(["-", "--url", "https://inet.detik.com/indeks"], stdin=PAGE)
    assert index.exit_code == 2 and "not an article" in index.stderr
