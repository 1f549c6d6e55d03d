"""What ``pantau status`` shows: last crawl runs per site, open health problems, unsent deliveries.

Read-only queries; the outbox's own statements live in ``store/outbox.py``. The open problems are
``store.health.open_problems``, the list every digest reports too; ``describe`` words each one
(`pantau status` passes the digests' own wording). Times are shown in the display zone (WIB).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from kernel.times import WIB, local_text
from store.core import Store
from store.health import HealthProblem, open_problems
from store.outbox import repeat_counts


def totals(store: Store) -> dict[str, int]:
    row = list(store.db.query("select (select count(*) from articles) as articles,"
                       " (select count(*) from figures where withdrawn_at is null) as figures,"
                       " (select count(*) from findings) as findings"))[0]
    return row


def unsent_deliveries(store: Store, limit: int = 20) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Delivery counts per status, and the newest deliveries not sent yet."""
    counts = {row["status"]: row["n"] for row in list(store.db.query("select status, count(*) as n from deliveries group by status order by status"))}
    pending = list(store.db.query("select recipient, channel, status, attempts, next_attempt_at, last_error, created_at"
                           " from deliveries where status != 'sent' order by id desc limit ?", [limit]))
    return counts, pending


def plain_problem(problem: HealthProblem, zone: tzinfo) -> str:
    """A problem without anyone's wording: its code, its detail and since when."""
    detail = f" ({problem.message})" if problem.message else ""
    return f"{problem.site}: {problem.problem}{detail} · since {local_text(problem.opened_at, zone)}"


def render_status(store: Store, *, zone: tzinfo = WIB,
                  describe: Callable[[HealthProblem], str] | None = None) -> str:
    lines = []
    t = totals(store)
    lines.append(f"Store {store.path}: {t['articles']} articles, {t['figures']} live figures, "
                 f"{t['findings']} findings")
    lines.append("")
    runs = store.last_runs(per_site=1)
    lines.append("Last crawl run per site:" if runs else "Last crawl run per site: none yet")
    for run in runs:
        counters = ", ".join(f"{key} {run[key]}" for key in ("fetched", "new", "changed", "errors")
                             if run[key] is not None)
        seconds = f" in {run['seconds']:.0f} s" if run["seconds"] is not None else ""
        lines.append(f"  {run['site']:<10} {local_text(run['started_at'], zone)}  {run['status']:<9} {counters}{seconds}")
    lines.append("")
    problems = open_problems(store)
    lines.append("Open health problems:" if problems else "Open health problems: none")
    for p in problems:
        text = describe(p) if describe is not None else plain_problem(p, zone)
        lines.append(f"  {text} (seen {p.times_seen}×, last {local_text(p.last_seen_at, zone)})")
    lines.append("")
    counts, unsent = unsent_deliveries(store)
    summary = ", ".join(f"{n} {status}" for status, n in counts.items()) or "none"
    lines.append(f"Deliveries: {summary}")
    repeats, in_doubt = repeat_counts(store)
    if repeats or in_doubt:
        lines.append(f"  {repeats} sent again marked as a repeat, {in_doubt} in doubt now (an attempt that may "
                     "have arrived unconfirmed: the next send says it is a repeat)")
    for d in unsent:
        error = f", last error: {d['last_error']}" if d["last_error"] else ""
        retry = (f", next attempt {local_text(d['next_attempt_at'], zone)}"
                 if d["next_attempt_at"] and d["status"] != "failed" else "")
        lines.append(f"  {d['status']:<8} {d['recipient']} via {d['channel']}, {d['attempts']} attempt(s)"
                     f"{retry}{error}")
    return "\n".join(lines)
