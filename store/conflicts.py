"""Conflicts: two sources stating different values for one series and one period (issue 12).

A statement conflicts with a live figure when both are of the same series (metric, unit, target
flag, scope), come from different sites, have ``as_of_period`` values that agree (the same year,
or the same month where both give one: ``store.series.periods_agree``) and their values differ by
more than the rounding of the coarser surface ("64,2 juta" and "64 juta" agree: ``store.sameness``).
A statement gives one ``conflict`` finding, against the newest conflicting figure (the finding's
``previous_*``): a value stated by five sources in one month is one disagreement to report per new
statement, not ten pairs. Both figures stay in the store. A conflict is *open* while both figures
are live (the ``open_conflicts`` canned query).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Any

import sqlite_utils

from store.sameness import ValueKey, same_value
from store.schema import dict_rows
from store.series import LATEST_ORDER, periods_agree, year_bounds

# A statement that disagrees with several sources is reported once, against the newest of them:
# a digest line per disagreement, not per pair.
MAX_CONFLICTS_PER_STATEMENT = 1
# Live figures of a series from other sites whose as_of lies in one WIB year (where every period
# that can agree with one of that year lies), newest first: served by idx_figures_series_as_of.
CONFLICT_CANDIDATES_SQL = (
    "select * from figures where metric = :metric and unit = :unit and is_target = :target"
    " and scope is :scope and withdrawn_at is null and as_of between :low and :high"
    " and site != :site and article_id != :article and as_of_period is not null"
    f" order by {LATEST_ORDER}"
)
# The same for one period: a month's statement agrees only with figures of that month and of its
# year, so it reads those two runs of idx_figures_series_period (merged newest first), not the
# whole year of the series; the year window on as_of stays, so both read the same rows.
PERIOD_CANDIDATES_SQL = CONFLICT_CANDIDATES_SQL.replace(
    "as_of_period is not null", "as_of_period = :period")
# An as_of_period that is a month ("2024-03"), not a year ("2024").
MONTH_PERIOD_LENGTH = len("YYYY-MM")


def _newest_first(row: dict[str, Any]) -> tuple[Any, ...]:
    """A row's place in LATEST_ORDER (descending; SQLite puts nulls last there)."""
    return (row["as_of"], row["published_at"] is not None, row["published_at"] or "",
            row["first_seen_at"] is not None, row["first_seen_at"] or "", row["id"])


def _candidates(db: sqlite_utils.Database, params: dict[str, Any], period: str) -> Iterator[dict[str, Any]]:
    """CONFLICT_CANDIDATES_SQL's rows whose period can agree with ``period``, in its order."""
    if len(period) != MONTH_PERIOD_LENGTH:
        return dict_rows(db.conn.execute(CONFLICT_CANDIDATES_SQL, params))
    runs = [dict_rows(db.conn.execute(PERIOD_CANDIDATES_SQL, {**params, "period": p})) for p in (period, period[:4])]
    return heapq.merge(*runs, key=_newest_first, reverse=True)


def _key_of_row(row: dict[str, Any]) -> ValueKey:
    return ValueKey(row["metric"], row["unit"], bool(row["is_target"]), row["year"], row["value"],
                    row["value_max"], row["tolerance"] or 0.0)


def conflicting_figures(db: sqlite_utils.Database, key: ValueKey, scope: str | None, period: str | None,
                        site: str, article_id: int) -> list[dict[str, Any]]:
    """The live figures a statement (``key`` in ``scope`` for ``period``, from ``site``) conflicts
    with: one per distinct value, newest first, at most MAX_CONFLICTS_PER_STATEMENT."""
    if period is None:
        return []           # an earlier value of unknown date agrees with no period
    low, high = year_bounds(period)
    out: list[dict[str, Any]] = []
    values: list[ValueKey] = []
    for row in _candidates(db, {
            "metric": key.metric, "unit": key.unit, "target": int(key.is_target), "scope": scope,
            "low": low, "high": high, "site": site, "article": article_id}, period):
        if not periods_agree(period, row["as_of_period"]):
            continue
        other = _key_of_row(row)
        if same_value(key, other) or any(same_value(other, seen) for seen in values):
            continue
        values.append(other)
        out.append(row)
        if len(out) == MAX_CONFLICTS_PER_STATEMENT:
            break
    return out
