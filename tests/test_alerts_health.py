"""The digest's health section: stale sites (no new article for stale_site_hours)."""

from __future__ import annotations

from datetime import timedelta

from test_alerts_support import NOW, make_config

from alerts import build_due_digests, render_text
from alerts.staleness import check_stale_sites

STATS = {"discovered": 5, "fetched": 5, "new": 0, "changed": 0, "unchanged": 5, "skipped": 0,
         "errors": 0, "requests": 6, "seconds": 3.0}


def _crawl(store, site, hours_ago, new):
    at = NOW - timedelta(hours=hours_ago)
    run_id = store.start_crawl_run(site, at=at)
    store.finish_crawl_run(run_id, {**STATS, "new": new}, at=at + timedelta(minutes=1))


def test_site_without_new_articles_is_reported_once_and_resolved(tmp_path, store):
    config = make_config(tmp_path, alerts={"stale_site_hours": 48.0})
    _crawl(store, "detik", 60, new=4)
    for hours_ago in (45, 30, 12, 3):
        _crawl(store, "detik", hours_ago, new=0)
    _crawl(store, "komdigi", 3, new=2)
    assert check_stale_sites(store, config, NOW) == ["detik"]
    digest = build_due_digests(store, config, NOW)[0]  # checks again: the problem is still open, no repeat
    assert [h["site"] for h in digest.payload["health"]] == ["detik"]
    assert "! detik: tidak ada artikel baru selama 60 jam" in render_text(digest.payload, config)
    _crawl(store, "detik", 0, new=1)
    assert check_stale_sites(store, config, NOW + timedelta(minutes=5)) == []
    assert store.open_health_problems() == []


def test_never_crawled_sites_are_not_stale(tmp_path, store):
    config = make_config(tmp_path)
    assert check_stale_sites(store, config, NOW) == []
