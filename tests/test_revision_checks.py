"""Revision checks by age: ``Store.articles_due_for_check`` with an explicit ``now``, and end to end
through the mirror with a schedule point set just past the first crawl."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from test_store_support import article

from store import Store
from store.queries import MISSED_CHECK_GRACE_HOURS

SCHEDULE = [6, 24, 72]
PUBLISHED = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
URL = "https://inet.detik.com/telecommunication/d-8000001/internet-desa-tembus"
TEXT = "Sebanyak 12 ribu desa kini terjangkau internet cepat."


def at(hours: float) -> datetime:
    """``hours`` after publication."""
    return PUBLISHED + timedelta(hours=hours)


@pytest.fixture()
def store(tmp_path):
    with Store.open(tmp_path / "pantau.db") as s:
        yield s


def record(store: Store, url: str = URL, text: str = TEXT, *, fetched: float, published: datetime | None = PUBLISHED):
    return store.record_article(article(url, text, published_at=published.isoformat() if published else None),
                                [], fetched_at=at(fetched))


def due_urls(store: Store, hours: float, schedule=SCHEDULE, site: str = "detik") -> list[str]:
    return [a.url for a in store.articles_due_for_check(site, at(hours), schedule)]


def test_each_schedule_point_is_due_once_and_none_after_the_last(store):
    record(store, fetched=1)
    assert due_urls(store, 5.9) == []
    assert due_urls(store, 6) == [URL]  # the 6-hour point reached
    store.mark_checked(URL, at(6.5))
    assert due_urls(store, 23) == []  # 6 h checked once; 24 h not reached
    assert due_urls(store, 30) == [URL]
    record(store, fetched=30)  # the check found the text unchanged: record_article advances the state too
    assert store.known_article(URL).checks_done == 2
    assert due_urls(store, 71) == []
    assert due_urls(store, 72.5) == [URL]
    record(store, text=TEXT + " Targetnya 20 ribu desa.", fetched=73)  # changed: also a check
    assert due_urls(store, 80) == [] and due_urls(store, 500) == []


def test_missed_points_collapse_into_one_check_and_old_articles_are_settled(store):
    record(store, fetched=1)
    assert due_urls(store, 50) == [URL]  # 6 h and 24 h both passed unchecked: one check
    store.mark_checked(URL, at(50))
    assert due_urls(store, 60) == []
    # A crawler down past the last point still checks it within the grace, then never again.
    assert due_urls(store, 72 + MISSED_CHECK_GRACE_HOURS - 1) == [URL]
    assert due_urls(store, 72 + MISSED_CHECK_GRACE_HOURS + 1) == []


def test_first_fetch_after_a_point_does_not_count_it_again(store):
    record(store, fetched=30)  # first seen at 30 h: the 6 h and 24 h ages are already behind it
    assert due_urls(store, 40) == []
    assert due_urls(store, 72) == [URL]


def test_age_counts_from_first_sight_without_a_publication_date_and_per_site(store):
    record(store, fetched=10, published=None)
    assert due_urls(store, 15) == []
    assert due_urls(store, 16) == [URL]  # 6 h after first_seen_at
    assert due_urls(store, 16, site="liputan6") == []
    assert store.articles_due_for_check("detik", at(16), []) == []


def test_the_query_uses_the_age_index_not_a_full_scan(store):
    from store.queries import ARTICLES_IN_AGE_WINDOW

    plan = " ".join(str(row[-1]) for row in store.db.execute(
        "explain query plan " + ARTICLES_IN_AGE_WINDOW, {"site": "detik", "oldest": "a", "youngest": "b"}))
    assert "idx_articles_site_age" in plan and "SCAN articles" not in plan, plan


# -- end to end ------------------------------------------------------------------------------


def test_a_due_article_is_fetched_again_once_through_the_mirror(tmp_path):
    from test_crawl_e2e import _is_article, crawl, db_rows, write_config

    from mirror import Mirror

    mirror = Mirror().start()
    try:
        config = write_config(tmp_path, mirror.roots)
        crawl(config, ["detik", "komdigi"])
        rows = db_rows(tmp_path, "select url, site, coalesce(published_at, first_seen_at), last_fetched_at"
                                 " from articles where site in ('detik', 'komdigi')")
        assert rows
        # One schedule point per site, just after the first crawl for that site's oldest article:
        # it becomes due about a second from now, younger ones minutes later.
        last_fetch = max(datetime.fromisoformat(r[3]) for r in rows)
        oldest = {site: min(datetime.fromisoformat(r[2]) for r in rows if r[1] == site) for site in ("detik", "komdigi")}
        points = [last_fetch + timedelta(seconds=1) - anchor for anchor in oldest.values()]
        # The second crawl runs on a clock two seconds past the last fetch: no waiting, and the due
        # set is exact (everything whose point passed by then and not before its fetch).
        later = last_fetch + timedelta(seconds=2)
        expected = {url for url, _, anchor, fetched in rows for point in points
                    if datetime.fromisoformat(fetched) < datetime.fromisoformat(anchor) + point <= later}
        config = write_config(tmp_path, mirror.roots, revision_check_hours=[p.total_seconds() / 3600 for p in points])

        mark = len(mirror.requests)
        stats = crawl(config, ["detik", "komdigi"], now=later)
        checked = {url for url, checks in db_rows(tmp_path, "select url, checks_done from articles") if checks}
        oldest_urls = {url for url, site, anchor, _ in rows if datetime.fromisoformat(anchor) == oldest[site]}
        assert oldest_urls <= checked == expected, (oldest_urls, checked, expected)
        pages = [(h, p) for h, p, status in mirror.requests[mark:] if _is_article(h, p) and status == 200]
        assert any(h.endswith(".detik.com") for h, _ in pages)  # the detik one by its page (finance: 2017)
        assert all(s["errors"] == 0 for s in stats.values()), stats

        # Checked once for that point: a crawl right after fetches no article page.
        mark = len(mirror.requests)
        stats = crawl(config, ["detik", "komdigi"], now=later + timedelta(seconds=1))
        assert [r for r in mirror.requests[mark:] if _is_article(r[0], r[1])] == []
        assert sum(s["fetched"] for s in stats.values()) == 0
    finally:
        mirror.stop()
