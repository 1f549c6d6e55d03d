"""The SQL Datasette runs for the store's pages and canned queries, and what makes such a plan slow
on a big store (``EXPLAIN QUERY PLAN``): tests/test_query_plans.py and bench/store.py check both.

A table page is ``select … from t order by <sort> limit <size + 1>`` with the sort from the
metadata (``sort`` / ``sort_desc``, else the primary key or rowid), and its next pages add a
keyset condition on (sort value, primary key) and order by both (Datasette 0.65's
``views/table.py``). A view page has the same order and pages by offset. A canned query runs as
written; Datasette reads at most ``max_returned_rows`` of it.

A plan is slow at scale when it reads a big table whole: a ``SCAN`` of a table with no index
(except on a first page read in the order it shows, e.g. by rowid, which stops at its LIMIT), or
a temporary b-tree to order, group or deduplicate rows read from a big table. Tables that stay
small, and the plans accepted anyway, are listed with their reasons.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from store.queries import canned_names, canned_sql, datasette_metadata

# Tables whose rows stay few whatever the crawl does, so scanning or sorting them costs nothing.
SMALL_TABLES = {
    "metrics": "one row per metric of the taxonomy (tens)",
    "series": "one row per metric, unit, target flag and region (hundreds, a few thousand at most)",
    "retag_runs": "one row per `pantau retag` run (a few per tagger release)",
}
# Plans that walk more than they show, each with the reason it is accepted.
ACCEPTED_PLANS = {
    "findings next page": "Datasette's keyset for a sort by the integer primary key (id < :p or id is null or …)"
                          " is an OR SQLite does not turn into a rowid range: the walk goes down from the newest"
                          " finding through the rows of the pages before (one finding per new value)",
}
# Datasette's page size when the metadata gives none (its default_page_size setting).
DEFAULT_PAGE_SIZE = 100
# Plan lines that order, group or deduplicate rows in a temporary b-tree after reading them all.
# "RIGHT PART OF ORDER BY" / "LAST TERM OF ORDER BY" only sort rows that tie on an indexed prefix.
_TEMP_SORT = re.compile(r"^USE TEMP B-TREE FOR (ORDER BY|GROUP BY|DISTINCT)$")
_SCAN = re.compile(r"^SCAN (\w+)(.*)$")
_LOOP = re.compile(r"^(?:SCAN|SEARCH) (\w+)")
_ALIAS = re.compile(r"\b(?:from|join)\s+\[?(\w+)\]?(?:\s+(?:as\s+)?(?!on\b|where\b|order\b|join\b|left\b|inner\b"
                    r"|group\b|limit\b|using\b)(\w+))?", re.IGNORECASE)


@dataclass(frozen=True)
class PlannedQuery:
    """A query Datasette runs, with parameters for EXPLAIN."""

    name: str
    sql: str
    params: dict[str, Any] = field(default_factory=dict)
    # A first page (a LIMIT and no WHERE): a SCAN in the order asked for (no temporary sort) reads
    # only the rows it shows, so a plain SCAN is no problem there.
    first_page: bool = False


def _quoted(name: str) -> str:
    return f"[{name}]"


def _shown_tables(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(name, type) of the tables and views Datasette lists (no FTS or SQLite internals)."""
    rows = conn.execute("select name, type, coalesce(sql, '') from sqlite_master"
                        " where type in ('table', 'view') order by name").fetchall()
    virtual = [name for name, _, sql in rows if sql.upper().startswith("CREATE VIRTUAL TABLE")]
    return [(name, kind) for name, kind, _ in rows
            if not name.startswith("sqlite_") and not any(name == v or name.startswith(v + "_") for v in virtual)]


def _primary_key(conn: sqlite3.Connection, table: str) -> list[str]:
    rows = conn.execute(f"pragma table_info({_quoted(table)})").fetchall()
    return [row[1] for row in sorted(rows, key=lambda r: r[5]) if row[5]]


def default_page_queries(conn: sqlite3.Connection) -> list[PlannedQuery]:
    """The first page of every table and view in its default order, and a next page of each
    table that has a sort (the keyset condition Datasette adds)."""
    tables_meta = datasette_metadata()["databases"]["pantau"]["tables"]
    out = []
    for name, kind in _shown_tables(conn):
        meta = tables_meta.get(name, {})
        limit = int(meta.get("size", DEFAULT_PAGE_SIZE)) + 1
        is_view = kind == "view"
        pks = [] if is_view else _primary_key(conn, name)
        keys = pks or ([] if is_view else ["rowid"])
        select = "*" if is_view or pks else "rowid, *"
        sort, descending = meta.get("sort_desc") or meta.get("sort"), "sort_desc" in meta
        if sort:
            order = f"{_quoted(sort)}{' desc' if descending else ''}"
        else:
            order = ", ".join(_quoted(k) if k != "rowid" else k for k in keys)
        out.append(PlannedQuery(f"{name} page 1", f"select {select} from {_quoted(name)}"
                                f"{' order by ' + order if order else ''} limit {limit}", {}, first_page=True))
        if sort and not is_view:
            key = keys[0] if keys[0] == "rowid" else _quoted(keys[0])
            column = _quoted(sort)
            if descending:
                where = f"({column} < :p0 or {column} is null or ({column} = :p0 and {key} > :p1))"
            else:
                where = f"({column} > :p0 or ({column} = :p0 and {key} > :p1))"
            # Page 2: the keyset of page 1's last row (a plan does not depend on it; a time does).
            last = conn.execute(f"select {column}, {key} from {_quoted(name)} order by {order}, {key}"
                                f" limit 1 offset {limit - 2}").fetchone() or (None, 0)
            out.append(PlannedQuery(f"{name} next page", f"select {select} from {_quoted(name)} where {where}"
                                    f" order by {order}, {key} limit {limit}", {"p0": last[0], "p1": last[1]}))
    return out


def canned_queries(params: dict[str, dict[str, Any]] | None = None) -> list[PlannedQuery]:
    """Every canned query of the metadata; ``params`` per query name (unset ones are null)."""
    params = params or {}
    out = []
    for name in canned_names():
        sql = canned_sql(name)
        values = {p: None for p in re.findall(r":(\w+)", sql)}
        values.update(params.get(name, {}))
        out.append(PlannedQuery(f"query {name}", sql, values))
    return out


def _aliases(conn: sqlite3.Connection, sql: str) -> dict[str, str]:
    """alias -> table for the query and every view it may read (plans name tables by alias)."""
    texts = [sql] + [row[0] for row in conn.execute("select sql from sqlite_master where type = 'view'")]
    out: dict[str, str] = {}
    for text in texts:
        for table, alias in _ALIAS.findall(text):
            out.setdefault(alias or table, table)
            out.setdefault(table, table)
    return out


def plan_problems(conn: sqlite3.Connection, query: PlannedQuery) -> list[str]:
    """What in the query's plan reads a big table whole (empty: every big table through an index)."""
    plan = conn.execute("explain query plan " + query.sql, query.params).fetchall()
    aliases = _aliases(conn, query.sql)
    in_order = not any(_TEMP_SORT.match(detail) for *_, detail in plan)
    problems = []
    for _, parent, _, detail in plan:
        scan = _SCAN.match(detail)
        if scan and " USING " not in scan.group(2) and "VIRTUAL TABLE" not in scan.group(2):
            table = aliases.get(scan.group(1), scan.group(1))
            if table not in SMALL_TABLES and not (query.first_page and in_order):
                problems.append(f"{detail} (a full scan of {table})")
        if _TEMP_SORT.match(detail):
            outer = next((_LOOP.match(d) for _, p, _, d in plan if p == parent and _LOOP.match(d)), None)
            table = aliases.get(outer.group(1), outer.group(1)) if outer else "?"
            if table not in SMALL_TABLES:
                problems.append(f"{detail} (rows of {table})")
    return problems
