"""What ``pantau status`` shows: last crawl runs per site, open health problems, unsent deliveries.

Read-only queries; the outbox's own statements live in ``store/outbox.py``.
"""

from __future__ import annotations

from typing import Any

from store.core import Store
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


def render_status(store: Store) -> str:
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
        lines.append(f"  {run['site']:<10} {run['started_at']}  {run['status']:<9} {counters}{seconds}")
    lines.append("")
    problems = store.open_health_problems()
    lines.append("Open health problems:" if problems else "Open health problems: none")
    for p in problems:
        detail = f": {p['detail']}" if p["detail"] else ""
        lines.append(f"  {p['site']:<10} {p['problem']} since {p['opened_at']} "
                     f"(seen {p['times_seen']}×, last {p['last_seen_at']}){detail}")
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
        retry = f", next attempt {d['next_attempt_at']}" if d["next_attempt_at"] and d["status"] != "failed" else ""
        lines.append(f"  {d['status']:<8} {d['recipient']} via {d['channel']}, {d['attempts']} attempt(s)"
                     f"{retry}{error}")
    return "\n".join(lines)
