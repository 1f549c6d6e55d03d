"""A figure's series and its place in time (DESIGN.md "Findings", issue 12).

Series. Figures are compared, listed and reported per series: (metric, unit, target flag, scope).
A regional figure (scope "Jawa Barat") is never compared with a national one (scope None).

As of. Each figure gets two stored values, derived from its ``when``, its ``year``, the month
written with that year ("per Juni 2023") or a relative year ("tahun depan") and the article's
date (publication, else first seen):

* ``as_of``: a UTC time that orders a series' history. ``now``: the end of the stated month when
  one is given (never after the article's date), else the article's date. ``earlier``: the end of
  the stated year or month, and always strictly before the article's date ("unknown but earlier"
  without a year). ``planned``: the end of the target year or month, else the article's date.
* ``as_of_period``: the calendar period (WIB) the value is for: ``"2023"`` or ``"2023-06"``; for a
  current figure without a month, the article's month; None for an earlier figure without a year.
  Two values conflict only when their periods agree (the same year, or the same month where both
  give one: one period is a prefix of the other).

The latest value of a series is its live figure with the newest ``as_of`` (ties: the later
publication, then the later first-seen time), never an ``earlier`` figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from extract.taxonomy import Taxonomy
from extract.timeref import EARLIER, NOW, PLANNED, relative_year, stated_month
from kernel.records import Figure
from kernel.times import UTC, WIB, parse_iso, to_utc_iso

# (metric, unit, is_target as 0/1, scope or None)
SeriesKey = tuple[str, str, int, str | None]
# Percentages change by percentage points, never by a percent of a percent.
PERCENT_UNIT = "persen"
# The order of a series' values, newest first (the latest value is the first that is not earlier).
LATEST_ORDER = "as_of desc, published_at desc, first_seen_at desc, id desc"
# The live, not-earlier figure a series' latest value is: served by idx_figures_series_as_of.
LATEST_FIGURE_SQL = (
    "select id from figures where metric = :metric and unit = :unit and is_target = :target"
    " and scope is :scope and withdrawn_at is null and \"when\" != 'earlier'"
    f" order by {LATEST_ORDER} limit 1"
)


def series_key(metric: str, unit: str, is_target: bool | int, scope: str | None) -> SeriesKey:
    return (metric, unit, int(bool(is_target)), scope or None)


@dataclass(frozen=True)
class AsOf:
    at: str                 # UTC ISO: orders the series' history
    period: str | None      # "YYYY" or "YYYY-MM" (WIB calendar); None: unknown (earlier, no year)


def _end_of(year: int, month: int | None) -> datetime:
    """The last second of a WIB year or month."""
    if month is None:
        return datetime(year, 12, 31, 23, 59, 59, tzinfo=WIB)
    first_of_next = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=WIB)
    return first_of_next - timedelta(seconds=1)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def as_of(figure: Figure, dated: str) -> AsOf:
    """Where ``figure`` stands in time, given its article's date ``dated`` (UTC ISO)."""
    base = parse_iso(dated)
    if base is None:
        raise ValueError(f"not an ISO 8601 time: {dated!r}")
    base_wib = base.astimezone(WIB)
    month = stated_month(figure)
    year = figure.year
    if year is None:
        offset = relative_year(figure)
        year = None if offset is None else base_wib.year + offset
    own_month = f"{base_wib.year:04d}-{base_wib.month:02d}"
    if figure.when == EARLIER:
        before = base - timedelta(seconds=1)
        if year is None:
            return AsOf(_iso(before), None)
        return AsOf(_iso(min(_end_of(year, month), before)), _period(year, month))
    if figure.when == PLANNED:
        if year is None:
            return AsOf(_iso(base), own_month)
        return AsOf(_iso(_end_of(year, month)), _period(year, month))
    if figure.when != NOW:
        raise ValueError(f"unknown when {figure.when!r}")
    if year is not None and month is not None:
        return AsOf(_iso(min(_end_of(year, month), base)), _period(year, month))
    if year is not None and year < base_wib.year:
        return AsOf(_iso(min(_end_of(year, None), base)), _period(year, None))
    return AsOf(_iso(base), own_month)


def _period(year: int, month: int | None) -> str:
    return f"{year:04d}" if month is None else f"{year:04d}-{month:02d}"


def periods_agree(a: str | None, b: str | None) -> bool:
    """Same year, or the same month where both give one ("2024" agrees with "2024-03")."""
    if a is None or b is None:
        return False
    return a.startswith(b) or b.startswith(a)


def year_bounds(period: str) -> tuple[str, str]:
    """UTC ``as_of`` bounds of the WIB year a period lies in (where agreeing periods' as_of lie)."""
    year = int(period[:4])
    return _iso(datetime(year, 1, 1, tzinfo=WIB)), _iso(_end_of(year, None))


def change_between(value: float, previous: float | None, unit: str | None) -> tuple[float | None, float | None]:
    """(absolute change, relative change in %) from ``previous`` to ``value``. For a percentage the
    absolute change is in percentage points and there is no relative change."""
    if previous is None:
        return None, None
    change = value - previous
    if unit == PERCENT_UNIT:
        return change, None
    return change, (change / previous * 100 if previous else None)


def refresh_series(db: sqlite_utils.Database, taxonomy: Taxonomy, series: Iterable[SeriesKey] | None = None) -> None:
    """Recompute family, context flag and latest live figure of the given series (all if None).

    A metric the taxonomy no longer knows (a user removed it) keeps the family and context flag it
    was stored with.
    """
    if series is None:
        series = [(r[0], r[1], r[2], r[3]) for r in db.execute(
            "select metric, unit, is_target, scope from series").fetchall()]
    for metric, unit, is_target, scope in series:
        known = metric in taxonomy.metrics
        db.execute(
            "update series set family = coalesce(:family, family, (select family from figures"
            " where metric = :metric limit 1)), is_context = coalesce(:context, is_context, 0),"
            f" latest_figure_id = ({LATEST_FIGURE_SQL})"
            " where metric = :metric and unit = :unit and is_target = :target and scope is :scope",
            {"family": taxonomy.family_of(metric) if known else None,
             "context": int(taxonomy.is_context(metric)) if known else None, "metric": metric,
             "unit": unit, "target": int(is_target), "scope": scope})


def ensure_series(db: sqlite_utils.Database, series: Iterable[SeriesKey]) -> None:
    """A row in ``series`` for each key (unique on metric, unit, target flag and scope)."""
    db.conn.executemany("insert or ignore into series (metric, unit, is_target, scope) values (?, ?, ?, ?)",
                        list(series))


def dated(published_at: str | None, fallback: str) -> str:
    """An article's date for ``as_of``: its publication time, else ``fallback`` (first seen)."""
    return to_utc_iso(published_at) or fallback
