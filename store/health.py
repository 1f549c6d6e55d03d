"""Source health as people read it: the open problems, one list for `pantau status`, every digest
and Datasette's ``source_health`` query (all read ``health_problems`` where ``resolved_at`` is null).

A problem's ``detail`` is JSON (``{"url": …, "crawls": 3}``) so each reader can word it in its own
language; a plain-text detail (older stores, other writers) reads as ``{"message": text}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.core import Store

OPEN_PROBLEMS_SQL = (
    "select site, problem, detail, opened_at, last_seen_at, times_seen, finding_id from health_problems"
    " where resolved_at is null order by site, opened_at, id")


@dataclass(frozen=True)
class HealthProblem:
    site: str
    problem: str  # a code: feed_empty, feed_failing, errors, no_new_articles, …
    opened_at: str
    last_seen_at: str | None = None
    times_seen: int = 1
    finding_id: int | None = None  # the source_health finding that opened it
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The detail as one line, for readers with no wording of their own for ``problem``."""
        if "message" in self.fields:
            return str(self.fields["message"])
        return ", ".join(f"{key}: {value}" for key, value in self.fields.items())


def detail_fields(detail: str | dict[str, Any] | None) -> dict[str, Any]:
    if isinstance(detail, dict):
        return dict(detail)
    if not detail:
        return {}
    try:
        decoded = json.loads(detail)
    except ValueError:
        return {"message": detail}
    return decoded if isinstance(decoded, dict) else {"message": detail}


def open_problems(store: Store, sites: list[str] | None = None) -> list[HealthProblem]:
    """The problems open now, by site then age; only those of ``sites`` when given."""
    problems = []
    for row in store.db.query(OPEN_PROBLEMS_SQL):
        if sites and row["site"] not in sites:
            continue
        problems.append(HealthProblem(site=row["site"], problem=row["problem"], opened_at=row["opened_at"],
                                      last_seen_at=row["last_seen_at"], times_seen=row["times_seen"] or 1,
                                      finding_id=row["finding_id"], fields=detail_fields(row["detail"])))
    return problems
