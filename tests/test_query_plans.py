"""Every Datasette page in its default sort, every canned query and record_article's lookups use an
index (``EXPLAIN QUERY PLAN``, store.query_plans): none reads a big table whole or sorts it.

pantau never runs ANALYZE, so SQLite plans a user's store of any size as it plans this small one;
bench/store.py checks the same plans (and times them) on 100 k articles / 1 M figures.
"""

from __future__ import annotations

import pytest
from test_store_support import article, figure

from store import Store
from store.conflicts import CONFLICT_CANDIDATES_SQL, PERIOD_CANDIDATES_SQL
from store.query_plans import (
    ACCEPTED_PLANS,
    SMALL_TABLES,
    PlannedQuery,
    canned_queries,
    default_page_queries,
    plan_problems,
)
from store.recording import NEWER_EXISTS_SQL, PREVIOUS_LATEST_SQL, SAME_VALUE_SQL
from store.series import LATEST_FIGURE_SQL

DETIK = "https://inet.detik.com/berita/d-7400001/umkm-go-online"

CANNED_PARAMS = {"metric_history": {"metric": "umkm_online"}, "article_figures": {"url": DETIK},
                 "findings_since": {"since": "2024-01-01"}}


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    path = tmp_path_factory.mktemp("plans") / "pantau.db"
    with Store.open(path) as store:
        text = "Terdapat 4,6 juta UMKM yang telah mengakses online."
        store.record_article(article(DETIK, text), [figure(text, "4,6 juta UMKM", 4.6e6)],
                             fetched_at="2024-03-01T04:00:00Z")
        store.record_health("detik", "http_errors", "403 lima kali", at="2024-03-02T00:00:00Z")
        store.finish_crawl_run(store.start_crawl_run("detik", at="2024-03-02T00:00:00Z"), {"fetched": 1})
    with Store.open(path) as store:
        yield store.db.conn


def queries(conn):
    return default_page_queries(conn) + canned_queries(CANNED_PARAMS)


def test_every_page_and_canned_query_uses_an_index(conn):
    planned = queries(conn)
    names = {q.name for q in planned}
    # the pages the issue names, and every canned query of the metadata
    assert {"articles page 1", "articles next page", "figure_list page 1", "figures page 1",
            "query source_health", "query recent_crawl_runs", "query latest_values"} <= names
    problems = {q.name: plan_problems(conn, q) for q in planned if q.name not in ACCEPTED_PLANS}
    assert {name: found for name, found in problems.items() if found} == {}


def test_accepted_plans_are_still_there(conn):
    # an accepted plan that became indexed (or disappeared) should leave the list
    planned = {q.name: q for q in queries(conn)}
    for name in ACCEPTED_PLANS:
        assert plan_problems(conn, planned[name]), name


@pytest.mark.parametrize(("name", "sql", "params"), [
    ("same value", SAME_VALUE_SQL, {"metric": "umkm_online", "unit": "umkm", "target": 0, "scope": None,
                                    "tol": 0.5, "slack": 1e-9, "value": 4.6e6, "article": 1, "year": None,
                                    "vmax": None}),
    ("previous latest", PREVIOUS_LATEST_SQL, ["umkm_online", "umkm", 0, None, "2024-03-01", 1]),
    ("newer exists", NEWER_EXISTS_SQL, ["umkm_online", "umkm", 0, None, "2024-03-01", 1]),
    ("conflicts in a year", CONFLICT_CANDIDATES_SQL, {"metric": "umkm_online", "unit": "umkm", "target": 0,
                                                      "scope": None, "low": "2023-12-31T17:00:00+00:00",
                                                      "high": "2024-12-31T16:59:59+00:00", "site": "detik",
                                                      "article": 1}),
    ("conflicts in a period", PERIOD_CANDIDATES_SQL, {"metric": "umkm_online", "unit": "umkm", "target": 0,
                                                      "scope": None, "low": "2023-12-31T17:00:00+00:00",
                                                      "high": "2024-12-31T16:59:59+00:00", "site": "detik",
                                                      "article": 1, "period": "2024-03"}),
    ("latest figure", LATEST_FIGURE_SQL, {"metric": "umkm_online", "unit": "umkm", "target": 0, "scope": None}),
])
def test_record_articles_lookups_search_an_index(conn, name, sql, params):
    plan = [row[-1] for row in conn.execute("explain query plan " + sql, params)]
    assert not [step for step in plan if step.startswith("SCAN figures")], (name, plan)
    assert any("USING INDEX idx_figures_" in step or "USING COVERING INDEX idx_figures_" in step
               for step in plan), (name, plan)


def test_the_check_finds_a_scan_and_a_sort_of_a_big_table(conn):
    scan = PlannedQuery("sorted by sentence", "select * from figures order by sentence limit 5")
    assert len(plan_problems(conn, scan)) == 2  # a full scan, and a temporary b-tree for its order
    small = PlannedQuery("metrics by name", "select * from metrics order by name_en")
    assert "metrics" in SMALL_TABLES and plan_problems(conn, small) == []
