"""`pantau retag`: the current tagger over stored texts; idempotent, resumable after SIGKILL."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_store_support import article

from cli import main
from extract import tag_text
from extract.taxonomy import load_taxonomy
from extract.version import tagger_version
from mirror.corpus import load_corpus, synthetic_articles
from store import Store
from store.retag import count_to_retag, retag

REPO = Path(__file__).resolve().parent.parent
OLD_VERSION = "0.0.9+older-tagger"
START = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


def as_an_older_tagger(figures):
    """What a tagger of the first record version gave: no when, no scope."""
    return [dataclasses.replace(f, when="now", scope=None) for f in figures]


def fill(store: Store, texts: list[tuple[str, str]]) -> None:
    """Record ``(url, text)`` pairs, one hour apart, as an older tagger had tagged them."""
    for i, (url, text) in enumerate(texts):
        published = (START + timedelta(hours=i)).isoformat()
        store.record_article(article(url, text, published_at=published), as_an_older_tagger(tag_text(text)),
                             fetched_at=published)
    store.db.execute("update articles set tagger_version = ?", [OLD_VERSION])
    store.db.execute("update figures set tagger_version = ?", [OLD_VERSION])
    store.db.conn.commit()


def corpus_texts() -> list[tuple[str, str]]:
    return [(a.url, "\n".join(a.paragraphs)) for a in load_corpus()]


def synthetic_texts(n: int) -> list[tuple[str, str]]:
    return [(a.url, "\n".join(a.paragraphs)) for a in synthetic_articles(n, seed=7)]


def live(store: Store) -> list[tuple]:
    return sorted(store.db.execute(
        'select url, start, "end", metric, value, unit, is_target, "when", ifnull(scope, \'\'), tagger_version'
        " from figures where withdrawn_at is null").fetchall())


@pytest.fixture
def old_store(tmp_path):
    with Store.open(tmp_path / "pantau.db") as store:
        fill(store, corpus_texts())
        yield store


def tagger(store):
    return lambda text: tag_text(text, store.taxonomy)


def test_a_retag_applies_the_current_tagger_to_stored_texts(old_store):
    store = old_store
    before = store.db.execute("select max(id) from findings").fetchone()[0]
    assert store.db.execute('select "when" from figures where surface = \'82 persen\'').fetchone()[0] == "now"
    report = retag(store, tagger(store), clock=lambda: "2026-07-01T00:00:00+00:00")
    assert report.articles == count_to_retag(store) + report.articles == len(load_corpus())
    assert report.figures_changed > 0
    # the past-reference figure is earlier now, and the series' latest value is the current one
    earlier = store.db.execute('select value, "when", tagger_version from figures where withdrawn_at is null'
                               " and surface = '82 persen'").fetchone()
    assert earlier == (82, "earlier", store.tagger_version)
    assert {r["metric"]: r["value"] for r in store.latest_values() if r["scope"] is None}[
        "internet_penetration_pct"] != 82
    # the replaced figures are kept, withdrawn with the reason "retag"
    replaced = store.db.execute("select count(*), min(withdrawn_at) from figures where withdrawn_reason = 'retag'"
                                ).fetchone()
    assert replaced == (report.figures_changed, "2026-07-01T00:00:00+00:00")
    # regional figures form their own series
    scopes = {r["scope"] for r in store.latest_values()}
    assert {"Nusa Tenggara Timur", "Jawa Barat", "wilayah 3T"} <= scopes
    # findings the retag computed carry its run; one retag finding sums it up
    new = store.findings_after(before)
    summary = [f for f in new if f.kind == "retag"]
    assert len(summary) == 1 and summary[0].detail["articles"] == report.articles
    assert summary[0].detail["figures_changed"] == report.figures_changed
    assert all(f.retag_run_id == report.run.id for f in new)
    # figures that did not change keep their row (id, first-seen time, sources)
    kept = store.db.execute("select count(*) from figures where withdrawn_at is null and tagger_version = ?"
                            " and first_seen_at < '2026-07-01'", [store.tagger_version]).fetchone()[0]
    assert kept > report.figures_changed


def test_a_second_retag_changes_nothing(old_store):
    store = old_store
    retag(store, tagger(store))
    figures, findings = live(store), store.db.execute("select count(*) from findings").fetchone()[0]
    second = retag(store, tagger(store))
    assert second.run is None and second.articles == 0
    assert live(store) == figures
    assert store.db.execute("select count(*) from findings").fetchone()[0] == findings
    assert store.db.execute("select count(*) from retag_runs").fetchone()[0] == 1


def test_articles_crawled_with_the_current_tagger_need_no_retag(store):
    for url, text in corpus_texts()[:5]:
        store.record_article(article(url, text), tag_text(text))
    assert count_to_retag(store) == 0


def test_a_new_taxonomy_gives_a_new_version_and_a_retag(tmp_path, old_store):
    store = old_store
    retag(store, tagger(store))
    extra = tmp_path / "bandara.toml"
    extra.write_text('[units]\nbandara = ["bandara"]\n\n[metrics.airport_wifi]\nfamily = "connectivity"\n'
                     'units = ["bandara"]\nrules = [{ all = [["wifi"]], priority = 20 }]\n', encoding="utf-8")
    taxonomy = load_taxonomy([extra])
    assert tagger_version(taxonomy) != store.tagger_version
    store.db.execute("insert into articles (url, site, title, first_seen_at, last_fetched_at, content_hash, text,"
                     " version, tagger_version, published_at) values (?, 'detik', 'Wifi bandara', ?, ?, 'h', ?, 1, ?, ?)",
                     ["https://inet.detik.com/berita/d-7400001/wifi-bandara", START.isoformat(), START.isoformat(),
                      "Layanan wifi gratis kini tersedia di 12 bandara di Indonesia.", store.tagger_version,
                      START.isoformat()])
    store.db.conn.commit()
    with Store.open(store.path, taxonomy=taxonomy) as custom:
        assert count_to_retag(custom) == len(load_corpus()) + 1
        retag(custom, tagger(custom))
        [row] = custom.db.execute("select metric, value from figures where unit = 'bandara'").fetchall()
        assert row == ("airport_wifi", 12)


def test_the_version_is_the_same_in_every_process():
    code = "from extract.taxonomy import default_taxonomy; from extract.version import tagger_version; " \
           "print(tagger_version(default_taxonomy()))"
    versions = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                               env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip() for seed in ("1", "2")}
    assert len(versions) == 1 and versions.pop().startswith("0.")


def test_since_and_site_choose_the_articles(old_store):
    store = old_store
    total = count_to_retag(store)
    detik = count_to_retag(store, sites=["detik"])
    assert 0 < detik < total
    late = count_to_retag(store, since=(START + timedelta(hours=20)).isoformat())
    assert late == total - 20
    retag(store, tagger(store), sites=["detik"])
    assert count_to_retag(store) == total - detik


# -- the command ------------------------------------------------------------------------------

def run_cli(args, env=None):
    return CliRunner().invoke(main, args, env=env)


def test_dry_run_prints_the_changes_and_writes_nothing(old_store):
    path = old_store.path
    figures = live(old_store)
    old_store.close()
    result = run_cli(["retag", "--store", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert '+ internet_penetration_pct 82 persen "82 persen" (earlier)' in result.output
    assert '- internet_penetration_pct 82 persen "82 persen" (now)' in result.output
    assert "nothing was written" in result.output
    with Store.open(path) as store:
        assert live(store) == figures
        assert store.db.execute("select count(*) from retag_runs").fetchone()[0] == 0


def test_the_command_reports_and_a_second_run_does_nothing(old_store):
    path = old_store.path
    old_store.close()
    first = run_cli(["retag", "--store", str(path), "--progress-every", "10"])
    assert first.exit_code == 0, first.output
    assert "article(s) read again with" in first.output
    assert "retag: 10 of " in first.stderr
    second = run_cli(["retag", "--store", str(path)])
    assert second.exit_code == 0 and "nothing to do" in second.output


@pytest.mark.parametrize("args, message", [
    (["--site", "kompas"], "unknown site 'kompas'"),
    (["--since", "kemarin"], "--since: not a date"),
])
def test_bad_input_is_one_line_and_exit_2(old_store, args, message):
    path = old_store.path
    old_store.close()
    result = run_cli(["retag", "--store", str(path), *args])
    assert result.exit_code == 2 and message in result.output
    assert len(result.output.strip().splitlines()) == 1


# -- resumable after SIGKILL ------------------------------------------------------------------

@pytest.mark.slow
def test_a_killed_retag_is_resumed_by_the_next_run(tmp_path):
    path = tmp_path / "pantau.db"
    with Store.open(path) as store:
        fill(store, corpus_texts() + synthetic_texts(1500))
        total = count_to_retag(store)
    reference = tmp_path / "reference.db"
    shutil.copy(path, reference)
    with Store.open(reference) as store:
        retag(store, tagger(store))
        expected = live(store)
        expected_changed = store.db.execute("select figures_changed from retag_runs").fetchone()[0]

    command = [sys.executable, "-m", "cli", "retag", "--store", str(path), "--progress-every", "100"]
    child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    line = child.stderr.readline()           # the first progress line: it is well under way
    assert line.startswith("retag: 100 of"), line + child.stderr.read()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    with Store.open(path) as store:
        version = store.tagger_version
        done = store.db.execute("select count(*) from articles where tagger_version = ?", [version]).fetchone()[0]
        assert 100 <= done < total
        # each article was replaced whole or not at all (one transaction per article)
        mixed = store.db.execute(
            "select count(*) from articles a where exists (select 1 from figures f where f.article_id = a.id"
            " and f.withdrawn_at is null and f.tagger_version is not a.tagger_version)").fetchone()[0]
        assert mixed == 0
        [(status, articles_done)] = store.db.execute("select status, articles_done from retag_runs").fetchall()
        assert status == "running" and articles_done == done

    resumed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "resumed a run that was cut short" in resumed.stdout
    with Store.open(path) as store:
        assert live(store) == expected
        [(status, articles_done, changed)] = store.db.execute(
            "select status, articles_done, figures_changed from retag_runs").fetchall()
        assert (status, articles_done, changed) == ("finished", total, expected_changed)
        summaries = [f for f in store.findings_after(0) if f.kind == "retag"]
        assert len(summaries) == 1 and summaries[0].detail["articles"] == total
