"""The values the store hands out: results, findings, known articles, feed state."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any, Literal

# Records the crawler reads and writes through the store live in the kernel (crawler ↔ store).
from kernel.records import FeedState, KnownArticle

__all__ = ["FeedState", "Finding", "KnownArticle", "RecordResult"]


@dataclass(frozen=True)
class Finding:
    """One row of the ``findings`` table (columns as in docs/architecture.md).

    ``previous_value`` is the value this one is compared with: the series' previous latest value
    for ``new_value``, the article's earlier value for ``revised`` (also in ``old_value``), the
    other source's value for ``conflict`` (its site, surface and sentence in ``detail``). A
    ``retag`` finding summarises a ``pantau retag`` run in ``detail`` (``articles``,
    ``figures_changed``); findings that run computed carry its ``retag_run_id``.
    ``detail`` is the decoded JSON of the column.
    """

    id: int
    kind: str
    created_at: str
    site: str | None = None
    metric: str | None = None
    family: str | None = None
    unit: str | None = None
    value: float | None = None
    value_max: float | None = None
    surface: str | None = None
    is_target: bool | None = None
    year: int | None = None
    previous_value: float | None = None
    abs_change: float | None = None
    pct_change: float | None = None
    old_value: float | None = None
    sentence: str | None = None
    url: str | None = None
    title: str | None = None
    article_id: int | None = None
    figure_id: int | None = None
    previous_figure_id: int | None = None
    article_version: int | None = None
    published_at: str | None = None
    previous_published_at: str | None = None
    previous_url: str | None = None
    is_context: bool = False
    detail: dict[str, Any] = field(default_factory=dict)
    scope: str | None = None        # the series' region (None: national)
    as_of: str | None = None        # the figure's as_of (store/series.py)
    period: str | None = None       # the as_of period ("2024", "2024-06")
    retag_run_id: int | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Finding:
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in row.items() if k in names}
        raw = values.get("detail")
        values["detail"] = json.loads(raw) if isinstance(raw, str) and raw else (raw or {})
        for flag in ("is_target", "is_context"):
            if values.get(flag) is not None:
                values[flag] = bool(values[flag])
        return cls(**values)


@dataclass(frozen=True)
class RecordResult:
    article_id: int
    status: Literal["new", "changed", "unchanged"]
    version: int
    findings: list[Finding]
