"""Fault switches of the mirror: each leaves the crawl finishing with the error counted, and nothing
stored before is lost. One mirror, one store: a clean crawl, a clock step, then one crawl per fault."""

from __future__ import annotations

import pytest
from test_crawl_e2e import crawl, db_rows, write_config

pytestmark = pytest.mark.e2e

FAULT_SITES = ["detik", "komdigi"]  # an HTML site and the JSON API keep the file fast


def snapshot(tmp_path) -> dict[str, tuple[str, int]]:
    return {url: (h, v) for url, h, v in db_rows(tmp_path, "select url, content_hash, version from articles")}


def nothing_lost(before: dict, after: dict) -> bool:
    """Every stored article is still there, at the same version and text or a newer version."""
    return all(url in after and (after[url] == old or after[url][1] > old[1]) for url, old in before.items())


@pytest.mark.parametrize("fault", ["500", "slow", "truncated", "malformed_xml", "429"])
def test_fault_is_counted_and_nothing_is_lost(tmp_path, fault):
    from mirror import Mirror

    with Mirror(slow_seconds=2.5) as mirror:
        config = write_config(tmp_path, mirror.roots, download_timeout=1.0)
        first = crawl(config, FAULT_SITES)
        assert all(s["errors"] == 0 for s in first.values())
        before = snapshot(tmp_path)
        mirror.step()
        mirror.set_fault(fault, True)
        stats = crawl(config, FAULT_SITES)
        assert sum(s["errors"] for s in stats.values()) > 0, stats
        after = snapshot(tmp_path)
        assert nothing_lost(before, after)
        if fault != "malformed_xml":  # every response broken: nothing may change
            assert after == before
        errors = db_rows(tmp_path, "select url, reason from crawl_errors")
        assert errors and all(reason for _, reason in errors)

        # The fault cleared, the next crawl catches up on what the faulty one missed.
        mirror.set_fault(fault, False)
        crawl(config, FAULT_SITES)
        assert len(snapshot(tmp_path)) > len(before)


def test_time_limit_closes_the_crawl_and_records_why(tmp_path):
    from mirror import Mirror

    with Mirror(slow_seconds=3.0) as mirror:
        config = write_config(tmp_path, mirror.roots, time_limit_seconds=1.0, download_timeout=10.0)
        mirror.set_fault("slow", True)
        stats = crawl(config, ["detik"])
    assert stats["detik"]["errors"] >= 1
    reasons = [r for (r,) in db_rows(tmp_path, "select reason from crawl_errors")]
    assert "crawl closed early: closespider_timeout" in reasons


def test_article_that_failed_is_fetched_next_time_even_though_its_feed_is_unchanged(tmp_path):
    from mirror import Mirror

    tekno = "https://tekno.republika.co.id/berita/t9kx2m5pq/kecepatan-internet-tetap-naik-jadi-50-mbps"
    with Mirror() as mirror:
        config = write_config(tmp_path, mirror.roots)
        # Republika's feeds and sitemap live on www./bare hosts: only the article hosts break.
        for host in ("ekonomi.republika.co.id", "tekno.republika.co.id"):
            mirror.set_fault("truncated", True, host=host)
        first = crawl(config, ["republika"])
        assert first["republika"]["errors"] > 0 and first["republika"]["new"] == 0
        mirror.set_fault("truncated", False)
        crawl(config, ["republika"])  # the tekno article is listed only in the (unchanged) tekno feed
        stored = {u for (u,) in db_rows(tmp_path, "select url from articles")}
    assert tekno in stored
