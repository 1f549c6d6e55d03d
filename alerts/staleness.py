"""Stale sources: a site whose crawls bring no new article for ``[alerts] stale_site_hours``.

Checked when digests are built, from the crawl runs the store keeps; the problem goes through
``store.record_health`` (one finding per stretch, closed again when a crawl finds something new), so
it appears once in the next digest's health section.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kernel.times import parse_iso, to_utc_iso
from pantau_config import Config
from store.core import Store

PROBLEM = "no_new_articles"
# Crawl runs looked at per site: 3-hourly crawls over a 48 h threshold need 16; 200 leaves room
# for hourly schedules and longer thresholds without reading a site's whole history.
RUNS_PER_SITE = 200


def check_stale_sites(store: Store, config: Config, now: datetime) -> list[str]:
    """Record (or resolve) the stale-site problem for each enabled site; the sites found stale."""
    if config.alerts.stale_site_hours <= 0:
        return []
    threshold = timedelta(hours=config.alerts.stale_site_hours)
    runs_by_site: dict[str, list[dict]] = {}
    for run in store.last_runs(per_site=RUNS_PER_SITE):
        runs_by_site.setdefault(run["site"], []).append(run)
    stale = []
    for site in config.crawl.enabled_sites():
        runs = [r for r in runs_by_site.get(site, []) if parse_iso(r.get("started_at"))]
        if not runs:
            continue  # never crawled: nothing to say yet
        with_new = [r for r in runs if (r.get("new") or 0) > 0]
        last_new = parse_iso(with_new[0]["started_at"]) if with_new else None
        since = last_new or parse_iso(runs[-1]["started_at"])  # no new article in any run we looked at
        assert since is not None
        if now - since >= threshold:
            hours = int((now - since).total_seconds() // 3600)
            store.record_health(site, PROBLEM, {"hours": hours, "since": to_utc_iso(since)}, at=now)
            stale.append(site)
        elif last_new is not None:
            store.resolve_health(site, PROBLEM, at=now)
    return stale
