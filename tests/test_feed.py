"""The Atom feed of findings: written by every digest run, served by `pantau browse`, read by
feedparser (what feed readers use); and one list of health problems for status and digests."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import feedparser
from click.testing import CliRunner
from test_alerts_support import make_config
from test_store_support import article, figure

from alerts import run_digests
from alerts.feed import atom_feed, feed_findings
from alerts.render import health_line, health_note
from store.health import open_problems

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
UMKM = "https://republika.co.id/berita/a1/umkm-online"
BTS = "https://www.komdigi.go.id/berita/siaran-pers/detail/bts-4g-desa"


def _fill(store) -> None:
    t1 = "Pemerintah mencatat 4,6 juta UMKM sudah berjualan secara online."
    store.record_article(article(UMKM, t1, published_at="2024-03-01T10:00:00+07:00"),
                         [figure(t1, "4,6 juta UMKM", 4.6e6)], fetched_at=NOW)
    t2 = "Kementerian telah membangun 7.000 BTS 4G di desa terpencil."
    store.record_article(article(BTS, t2, published_at="2024-05-01T10:00:00+07:00"),
                         [figure(t2, "7.000 BTS", 7000, metric="bts_towers", unit="bts")], fetched_at=NOW)
    store.record_health("komdigi", "feed_empty", {"url": "https://www.komdigi.go.id/rss", "crawls": 3}, at=NOW)


def test_digest_run_writes_feeds_that_feedparser_reads(tmp_path, store):
    _fill(store)
    config = make_config(tmp_path, recipients=[{"name": "umkm desk", "files": True, "families": ["umkm"]}],
                         alerts={"datasette_url": "http://127.0.0.1:8001"})
    run_digests(store, config, NOW)
    overall = feedparser.parse((tmp_path / "outbox" / "findings.atom").read_bytes())
    assert not overall.bozo, overall.bozo_exception
    assert overall.version == "atom10" and overall.feed.title == "Temuan pantau"
    titles = [entry.title for entry in overall.entries]
    assert titles[0].startswith("Kesehatan sumber · komdigi: https://www.komdigi.go.id/rss tidak memuat")
    assert "Menara BTS: 7.000 BTS" in titles and "UMKM online: 4,6 juta UMKM" in titles
    umkm = next(e for e in overall.entries if e.title.startswith("UMKM online"))
    assert umkm.link == UMKM and umkm.published == "2024-03-01T10:00:00+07:00"
    assert umkm.updated.endswith("+07:00")  # the display zone, with its offset
    assert {t.term for t in umkm.tags} >= {"new_value", "umkm_online", "umkm"}
    assert any(link.href == "http://127.0.0.1:8001/pantau/metric_history?metric=umkm_online" for link in umkm.links)
    assert len({e.id for e in overall.entries}) == len(overall.entries)
    desk = feedparser.parse((tmp_path / "outbox" / "findings-umkm-desk.atom").read_bytes())
    assert not desk.bozo and desk.feed.title == "Temuan pantau untuk umkm desk"
    # The recipient's filters: UMKM only (health passes every filter but the site one).
    assert [e.title.split(":")[0] for e in desk.entries] == ["Kesehatan sumber · komdigi", "UMKM online"]


def test_entry_ids_are_stable_across_runs(tmp_path, store):
    _fill(store)
    config = make_config(tmp_path)
    first = atom_feed(feed_findings(store.db.conn, config, None, frozenset()), title="x", self_url="file:///x")
    again = atom_feed(feed_findings(store.db.conn, config, None, frozenset()), title="x", self_url="file:///x")
    assert [e.id for e in feedparser.parse(first).entries] == [e.id for e in feedparser.parse(again).entries]


def test_browse_serves_the_feed(tmp_path, store):
    from datasette.app import Datasette

    from store.commands import DATASETTE_DIR, browse_metadata

    _fill(store)
    config_file = tmp_path / "pantau.toml"
    config_file.write_text('[[recipients]]\nname = "desk"\nfamilies = ["connectivity"]\nlanguage = "en"\n',
                           encoding="utf-8")
    from pantau_config import load_config

    config = load_config(config_file)

    async def fetch(url):
        ds = Datasette([str(store.path)], metadata=browse_metadata(store.path, config),
                       plugins_dir=str(DATASETTE_DIR / "plugins"), template_dir=str(DATASETTE_DIR / "templates"))
        await ds.invoke_startup()
        return await ds.client.get(url)

    response = asyncio.run(fetch("/-/pantau/findings.atom?recipient=desk"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.feed.title == "pantau findings for desk"
    assert [e.title for e in feed.entries][1:] == ["BTS towers: 7,000 BTS"]
    assert asyncio.run(fetch("/-/pantau/findings.atom?recipient=nobody")).status_code == 404


def test_status_and_digest_report_the_same_open_problems(tmp_path, store):
    from cli import main

    _fill(store)
    store.record_health("detik", "errors", {"errors": 9, "fetched": 2}, at=NOW)
    config = make_config(tmp_path, recipients=[{"name": "desk", "files": True, "language": "en"}])
    built, _ = run_digests(store, config, NOW)
    digest_lines = [line[2:].split(" [new]")[0] + line.split(" [new]")[1]
                    for line in _text(built[0].payload, config).splitlines() if line.startswith("! ")]
    result = CliRunner().invoke(main, ["status", "--store", str(store.path)])
    assert result.exit_code == 0, result.output
    status_lines = [line.strip().split(" (seen")[0] for line in result.output.splitlines()
                    if line.startswith("  ") and " · since " in line]
    assert digest_lines == status_lines and len(status_lines) == 2
    assert status_lines[0] == ("detik: 9 errors against 2 pages fetched · since 24 Nov 2026 14:00 WIB")
    problems = open_problems(store)
    assert [health_line(health_note({"site": p.site, "problem": p.problem, "fields": p.fields,
                                     "detail": p.message, "opened_at": p.opened_at}, "en")) for p in problems] \
        == status_lines
    store.resolve_health("detik", "errors", at=NOW)
    later = CliRunner().invoke(main, ["status", "--store", str(store.path)])
    assert "detik: 9 errors" not in later.output and "komdigi: https://www.komdigi.go.id/rss" in later.output


def _text(payload, config):
    from alerts import render_text

    return render_text(payload, config)
