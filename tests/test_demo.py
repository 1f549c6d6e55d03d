"""`pantau demo`: its config is valid and polite-free only for the mirror; end to end it prints both
digests and says where the store, outbox and HTML digests are."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import tomli_w

import demo
from pantau_config import config_from_dict


def test_demo_config_is_valid_and_crawls_only_the_given_roots(tmp_path):
    roots = {"https://inet.detik.com": "http://127.0.0.1:8001"}
    settings = demo.demo_settings(roots, "en")
    config = config_from_dict(json.loads(json.dumps(settings)), base=tmp_path)
    assert config.crawl.roots == roots
    assert config.crawl.download_delay == 0 and not config.crawl.autothrottle
    assert config.store.path == tmp_path / "pantau.db"
    assert config.alerts.outbox_dir == tmp_path / "outbox"
    assert [(r.name, r.files, r.language) for r in config.recipients] == [("demo", True, "en")]
    tomli_w.dumps(settings)  # what the demo writes to its pantau.toml


def test_demo_refuses_a_folder_that_is_not_empty(tmp_path):
    from click.testing import CliRunner

    from cli import main

    (tmp_path / "something").write_text("x")
    result = CliRunner().invoke(main, ["demo", "--output-dir", str(tmp_path)])
    assert result.exit_code == 2 and "not empty" in result.output


@pytest.mark.e2e
def test_demo_prints_both_digests_and_where_things_are(tmp_path):
    out = tmp_path / "demo"
    result = subprocess.run([sys.executable, "-m", "cli", "demo", "--output-dir", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    text = result.stdout
    for heading in ("Round 1: crawling", "Round 1: digest", "Round 2: crawling", "Round 2: digest",
                    "Where everything is"):
        assert heading in text
    assert f"store  : {out / 'pantau.db'}" in text and "pantau browse --store" in text
    assert (out / "pantau.db").exists()
    html = sorted(out.glob("digest-*.html"))
    assert len(html) == 2, text[-2000:]
    files = sorted((out / "outbox").glob("*.json"))
    payloads = [json.loads(p.read_text(encoding="utf-8"))["payload"] for p in files]
    assert len(payloads) == 2
    # The first digest reports the figures found; the second the new and revised ones after the step.
    assert payloads[0]["counts"]["new_value"] > 0
    second = payloads[1]["counts"]
    assert second["new_value"] + second["revised"] > 0
    check_figures_over_time(out / "pantau.db")


def check_figures_over_time(path):
    """Issue 12 in the demo's store: each series' latest value is its newest as_of and never an
    earlier figure; earlier figures are no new value; new values, revisions and conflicts all occur."""
    import sqlite3

    from store.queries import canned_sql

    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    for row in db.execute(canned_sql("latest_values")):
        newest = db.execute(
            "select id from figures where metric = ? and unit = ? and is_target = ? and scope is ? and withdrawn_at"
            " is null and \"when\" != 'earlier' order by as_of desc, published_at desc, first_seen_at desc, id desc"
            " limit 1", [row["metric"], row["unit"], row["is_target"], row["scope"]]).fetchone()
        assert newest["id"] == row["figure_id"] and row["when"] != "earlier", dict(row)
    kinds = {r[0] for r in db.execute("select distinct kind from findings")}
    assert {"new_value", "revised", "conflict"} <= kinds
    assert db.execute("select count(*) from findings f join figures g on g.id = f.figure_id"
                      " where f.kind = 'new_value' and g.\"when\" = 'earlier'").fetchone()[0] == 0
    # the corpus' past reference, regional figure beside a national one, and cross-source conflict
    assert db.execute("select count(*) from figures where \"when\" = 'earlier'").fetchone()[0] >= 2
    scopes = {r[0] for r in db.execute("select scope from series where latest_figure_id is not null")}
    assert None in scopes and "Jawa Tengah" in scopes
    assert db.execute("select count(*) from findings where kind = 'conflict' and metric = 'bts_towers'"
                      " and period = '2026-06'").fetchone()[0] == 1
