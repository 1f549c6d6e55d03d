"""Building digests: the findings after a recipient's last digest, filtered, grouped, stored once.

A digest's ``payload`` is plain JSON data (no markup): every channel renders it at send time, so a
retry sends exactly what was built, and `pantau digest --dry-run` shows the same thing as text.

Windows. Each digest job invocation has a *run window*: ``window_end`` (the daemon's scheduled fire
time, or ``now`` for a manual `pantau digest`), to the minute. A run with new findings builds, per
recipient, one digest over the findings after that recipient's last one (unique on the last
finding). A run with no new findings builds a "nothing new" digest for a recipient with
``send_when_empty``, once per run window: a re-run
of the same window (a crash, a second `pantau digest` in the same minute) builds nothing.

Comparisons. The store compares a new value with the latest value known *as of its own time*
when it was recorded; findings recorded in one crawl don't see each other. So the digest
compares again within itself: a new value gets as its previous value the latest value of the same
series (metric, unit, target flag, region) with an earlier as_of, in the store or in this digest.
Previous values for another year than the new one show their year; percentages change by points.

Conflicts (two sites, one series and period, different values) are lines of their metric with
both values, sources and links. What a ``pantau retag`` run computed is not listed figure by
figure: each run is one line ("N artikel dibaca ulang, M angka berubah").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from alerts.charts import series_points
from alerts.selection import wants
from kernel.times import parse_iso, to_utc_iso
from kernel.urls import site_of
from pantau_config import Config, RecipientConfig
from store import outbox
from store.core import Store
from store.health import HealthProblem, open_problems
from store.models import Finding
from store.queries import series_history
from store.series import change_between

log = logging.getLogger(__name__)

# 2: window_end / since, previous_year / previous_site / previous_in_digest on items.
# 3: per metric the "series" its chart and trend show; health = the problems open at build time;
#    figure_id on items.
# 4: conflict items (other_*), scope / as_of on items, retags (one line per pantau retag run).
PAYLOAD_VERSION = 4
# Finding kinds listed as lines of their metric.
LINE_KINDS = ("new_value", "revised", "conflict")
# Families in the order a reader expects them; other families follow alphabetically.
FAMILY_ORDER = ("umkm", "connectivity")
# A page sentence longer than this is cut around the number: a digest line, not an article.
MAX_SENTENCE_CHARS = 600
# A first digest over a long backfill could list thousands of lines: each metric shows its newest
# this many, then "N more" and the Datasette link.
MAX_LINES_PER_METRIC = 25
# The canned query in store/datasette/metadata.json listing every value stated for one metric.
HISTORY_QUERY = "metric_history"
# A chart shows a series' last this many values: enough for a trend over years, few enough that
# every point keeps a readable date label at 600 px.
CHART_POINTS = 12
# Rows read per series before equal neighbours are merged (the same value from several sources).
HISTORY_ROWS = 60


@dataclass
class Digest:
    id: int | None  # None for a digest planned by --dry-run (never stored)
    recipient: str
    first_finding_id: int | None  # both None: a digest of a run with no new findings
    last_finding_id: int | None
    created_at: str
    payload: dict
    channels: list[str] = field(default_factory=list)
    # The recipient's last covered finding this digest was planned from (its findings come after it).
    after_finding_id: int = 0
    window_end: str = ""  # the run window (UTC ISO, to the minute)

    @property
    def has_findings(self) -> bool:
        return self.last_finding_id is not None

    @property
    def quiet(self) -> bool:
        """Nothing for this recipient: stored only to move the window on, never sent."""
        return bool(self.payload.get("quiet"))


def window_end_of(moment: datetime) -> str:
    """The run window of a digest job invocation at ``moment``: UTC, to the minute."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return to_utc_iso(moment.astimezone(UTC).replace(second=0, microsecond=0))


def channels_for(recipient: RecipientConfig, config: Config) -> list[str]:
    channels = []
    if recipient.email:
        if config.smtp.configured:
            channels.append("email")
        else:
            log.warning("recipient %s has email addresses but [smtp] host is not set: writing files instead",
                        recipient.name)
    if recipient.slack_webhook_env:
        channels.append("slack")
    if recipient.files or not channels:
        channels.append("file")
    return channels


def plan_digests(store: Store, config: Config, now: datetime, window_end: datetime | None = None) -> list[Digest]:
    """The digest each recipient is due, without writing anything (also what --dry-run shows).

    ``window_end``: the run window (the daemon's scheduled fire time); ``now`` when None.
    """
    context = store.taxonomy.context_metrics()
    window = window_end_of(window_end or now)
    digests = []
    for recipient in config.effective_recipients():
        digest = _plan_one(store, config, recipient, now, window, context)
        if digest is not None:
            digests.append(digest)
    return digests


def build_due_digests(store: Store, config: Config, now: datetime,
                      window_end: datetime | None = None) -> list[Digest]:
    """Build and enqueue each recipient's due digest (one transaction each); sending comes later.

    ``window_end`` is the run window (the daemon passes the scheduled fire time; ``now`` when None).
    Returns the digests built by this call that have something to deliver. A window already built
    (by an earlier run or another process) is skipped, so calling this twice builds nothing twice.
    """
    from alerts.staleness import check_stale_sites

    check_stale_sites(store, config, now)  # may add source_health findings to this window
    built = []
    for digest in plan_digests(store, config, now, window_end):
        digest_id = outbox.insert_digest(
            store, recipient=digest.recipient, first_finding_id=digest.first_finding_id,
            last_finding_id=digest.last_finding_id, created_at=digest.created_at,
            payload=digest.payload, channels=[] if digest.quiet else digest.channels,
            after_finding_id=digest.after_finding_id, window_end=digest.window_end)
        if digest_id is None:
            log.info("digest for %s (findings up to %s, window %s) already built", digest.recipient,
                     digest.last_finding_id, digest.window_end)
            continue
        digest.id = digest_id
        digest.payload["digest_id"] = digest_id
        if not digest.quiet:
            built.append(digest)
    return built


def _plan_one(store: Store, config: Config, recipient: RecipientConfig, now: datetime, window_end: str,
              context: frozenset[str]) -> Digest | None:
    previous = outbox.last_digest(store, recipient.name)
    cursor = outbox.finding_cursor(store, recipient.name)
    findings = store.findings_after(cursor)
    # Deliveries given up since this recipient's previous digest: reported once, in the next one.
    failures = outbox.failed_since(store, previous["created_at"] if previous else None)
    since = previous["created_at"] if previous else None
    if not findings:
        # A run with nothing new: a "nothing new" digest (with the health section and any failures)
        # when the recipient wants one every run; once per run window (a re-run of it builds nothing).
        # Other recipients hear of failures in their next digest with findings: a channel that stays
        # broken should not turn every run into a message to everybody.
        if not recipient.send_when_empty or outbox.window_built(store, recipient.name, window_end):
            return None
        payload = build_payload([], [], failures, recipient, config, now, since=since, window_end=window_end,
                                health=open_problems(store, recipient.sites or None))
        return Digest(id=None, recipient=recipient.name, first_finding_id=None, last_finding_id=None,
                      created_at=to_utc_iso(now), payload=payload, channels=channels_for(recipient, config),
                      after_finding_id=cursor, window_end=window_end)
    selected = [f for f in findings if wants(f, recipient, context)]
    previous_years = outbox.figure_years(
        store, [f.previous_figure_id for f in selected if f.kind == "new_value" and f.previous_figure_id])
    histories = {key: series_history(store, *key, limit=HISTORY_ROWS) for key in _series_keys(selected)}
    payload = build_payload(selected, findings, failures, recipient, config, now, since=since,
                            window_end=window_end, previous_years=previous_years, histories=histories,
                            health=open_problems(store, recipient.sites or None))
    if not selected and not failures and not recipient.send_when_empty:
        payload["quiet"] = True  # stored to move the recipient's window on, never sent
    return Digest(id=None, recipient=recipient.name, first_finding_id=min(f.id for f in findings),
                  last_finding_id=max(f.id for f in findings), created_at=to_utc_iso(now), payload=payload,
                  channels=channels_for(recipient, config), after_finding_id=cursor, window_end=window_end)


def _series_keys(findings: list[Finding]) -> list[tuple[str, str, bool]]:
    """(metric, unit, is_target) of each value finding, in first-seen order."""
    keys: dict[tuple[str, str, bool], None] = {}
    for f in findings:
        if f.kind in ("new_value", "revised") and f.metric and f.unit:
            keys.setdefault((f.metric, f.unit, bool(f.is_target)), None)
    return list(keys)


def build_payload(selected: list, window: list, failures: list[dict], recipient: RecipientConfig,
                  config: Config, now: datetime, *, since: str | None = None, window_end: str | None = None,
                  previous_years: dict[int, int | None] | None = None,
                  histories: dict[tuple[str, str, bool], list[dict]] | None = None,
                  health: list[HealthProblem] | None = None) -> dict:
    """The digest's JSON data. ``since``: when the recipient's previous digest was built (None for
    the first); ``previous_years``: the year of each previous figure (by id) new values compare with;
    ``histories``: the stored statements of each series (``store.queries.series_history``);
    ``health``: the problems open now (without it: the health findings among ``selected``)."""
    # Findings a retag computed are summed up by its retag line, not listed one by one.
    items = [_item(f, previous_years or {}) for f in selected if f.kind in LINE_KINDS and f.retag_run_id is None]
    compare_within_digest(items)
    window_health = {f.id for f in selected if f.kind == "source_health"}
    if health is not None:
        health_notes = [problem_payload(p, p.finding_id in window_health) for p in health]
    else:
        health_notes = [_health(f) for f in selected if f.kind == "source_health"]
    retags = [_retag(f) for f in selected if f.kind == "retag"]
    groups: dict[str, dict[str, list[dict]]] = {}
    for item in items:
        groups.setdefault(item["family"] or "other", {}).setdefault(item["metric"], []).append(item)
    family_rank = {name: i for i, name in enumerate(FAMILY_ORDER)}
    ordered = []
    for family in sorted(groups, key=lambda name: (family_rank.get(name, len(FAMILY_ORDER)), name)):
        metrics = []
        for metric in sorted(groups[family]):
            # Oldest publication first, so a value's previous one (often a line of this digest) comes
            # before it and "the newest N" are the newest published; undated lines last, by finding.
            lines = sorted(groups[family][metric], key=_chronological)
            metrics.append({"metric": metric, "items": lines[-MAX_LINES_PER_METRIC:],
                            "more": max(0, len(lines) - MAX_LINES_PER_METRIC),
                            "history_url": history_url(config, metric),
                            "series": chart_series(metric, lines, histories or {})})
        ordered.append({"family": family, "metrics": metrics})
    return {
        "version": PAYLOAD_VERSION,
        "recipient": recipient.name,
        "language": recipient.language,
        "created_at": to_utc_iso(now),
        "window_end": window_end or window_end_of(now),
        "since": since,
        "groups": ordered,
        "retags": retags,
        "health": health_notes,
        "delivery_failures": [
            {"digest_id": row["digest_id"], "recipient": row["recipient"], "channel": row["channel"],
             "attempts": row["attempts"], "error": row["last_error"] or "",
             "failed_at": row.get("failed_at") or row.get("next_attempt_at")}
            for row in failures],
        "counts": {
            "new_value": sum(1 for i in items if i["kind"] == "new_value"),
            "revised": sum(1 for i in items if i["kind"] == "revised"),
            "conflict": sum(1 for i in items if i["kind"] == "conflict"),
            "retag": len(retags),
            "health": len(health_notes) + len(failures),
            "filtered_out": len(window) - len(selected),
            "first_finding_id": min((f.id for f in window), default=None),
            "last_finding_id": max((f.id for f in window), default=None),
        },
    }


def history_url(config: Config, metric: str) -> str | None:
    """The store's canned Datasette query ``metric_history`` for ``metric`` (when datasette_url is set)."""
    base = config.alerts.datasette_url.rstrip("/")
    if not base:
        return None
    database = quote(config.store.path.stem)  # Datasette names a database after its file
    return f"{base}/{database}/{HISTORY_QUERY}?metric={quote(metric)}"


def _highlight(sentence: str, surface: str) -> tuple[str, int | None, int | None]:
    """The sentence (cut to MAX_SENTENCE_CHARS around the number) and the number's span in it."""
    start = sentence.find(surface) if surface else -1
    if start < 0 and surface:
        start = sentence.lower().find(surface.lower())
    if len(sentence) > MAX_SENTENCE_CHARS:
        centre = start if start >= 0 else 0
        left = max(0, centre - MAX_SENTENCE_CHARS // 2)
        cut = sentence[left:left + MAX_SENTENCE_CHARS]
        prefix = "…" if left else ""
        suffix = "…" if left + MAX_SENTENCE_CHARS < len(sentence) else ""
        start = start - left + len(prefix) if start >= 0 else -1
        sentence = prefix + cut + suffix
    if start < 0:
        return sentence, None, None
    return sentence, start, start + len(surface)


def _chronological(item: dict) -> tuple:
    moment = parse_iso(item.get("as_of") or item.get("published_at"))
    return (moment is None, moment or datetime.min.replace(tzinfo=UTC), item["finding_id"])


def compare_within_digest(items: list[dict]) -> None:
    """Give each new value the latest value of its series stated before it, in the store or here.

    The store compared each finding with what it knew at recording time; two values recorded in one
    crawl (say 79,5 % published in 2022 and 87 % published in 2024) both said "no earlier value".
    Here the 2024 value gets the 2022 one as its previous value, with the change recomputed.
    """
    series: dict[tuple, list[tuple[datetime, dict]]] = {}
    for item in items:
        moment = parse_iso(item.get("as_of") or item.get("published_at"))
        if item["kind"] == "new_value" and moment is not None:
            key = (item["metric"], item["unit"], item["is_target"], item.get("scope"))
            series.setdefault(key, []).append((moment, item))
    for members in series.values():
        for moment, item in members:
            earlier = [(when, other) for when, other in members if when < moment]
            if not earlier:
                continue
            when, best = max(earlier, key=lambda pair: (pair[0], pair[1]["finding_id"]))
            known = parse_iso(item.get("previous_as_of") or item.get("previous_published_at"))
            if item.get("previous_value") is not None and (known is None or known >= when):
                continue  # the store's previous value is the later one (or can't be placed): keep it
            previous = best["value"]
            if previous is None or item.get("value") is None:
                continue
            change, pct = change_between(item["value"], previous, item["unit"])
            item.update(previous_value=previous, abs_change=change, pct_change=pct,
                        previous_published_at=best.get("published_at"), previous_url=best.get("url"),
                        previous_as_of=best.get("as_of"),
                        previous_site=best.get("site"), previous_year=best.get("year"),
                        previous_in_digest=True)


def _item(finding: Finding, previous_years: dict[int, int | None]) -> dict:
    detail = finding.detail
    sentence, hl_start, hl_end = _highlight(finding.sentence or "", finding.surface or "")
    previous_url = finding.previous_url
    previous_figure = finding.previous_figure_id
    extra: dict[str, Any] = {}
    if previous_figure in previous_years:  # absent: the previous value's year is not known
        extra["previous_year"] = previous_years[previous_figure]
    return {
        "finding_id": finding.id,
        "figure_id": finding.figure_id,
        "kind": finding.kind,
        "metric": finding.metric,
        "family": finding.family,
        "unit": finding.unit,
        "surface": finding.surface,
        "value": finding.value,
        "value_max": finding.value_max,
        "previous_value": finding.previous_value,
        "abs_change": finding.abs_change,
        "pct_change": finding.pct_change,
        "old_value": finding.old_value,
        "old_surface": detail.get("old_surface"),
        "is_target": bool(finding.is_target),
        "year": finding.year,
        "site": finding.site,
        "scope": finding.scope,
        "as_of": finding.as_of,
        "published_at": finding.published_at,
        "previous_published_at": finding.previous_published_at,
        "previous_as_of": detail.get("previous_as_of"),
        "previous_url": previous_url,
        "previous_site": _site(previous_url),
        "previous_in_digest": False,
        **extra,
        "sentence": sentence,
        "highlight": [hl_start, hl_end] if hl_start is not None else None,
        "url": finding.url,
        "title": finding.title,
        **(_conflict(finding) if finding.kind == "conflict" else {}),
    }


def _conflict(finding: Finding) -> dict[str, Any]:
    """The other side of a conflict: its value, source and link (the finding's previous_*)."""
    detail = finding.detail
    return {"period": finding.period, "other_value": finding.previous_value,
            "other_surface": detail.get("other_surface"), "other_site": detail.get("other_site"),
            "other_sentence": detail.get("other_sentence"), "other_url": finding.previous_url,
            "other_published_at": finding.previous_published_at}


def _retag(finding: Finding) -> dict[str, Any]:
    detail = finding.detail
    return {"finding_id": finding.id, "articles": int(detail.get("articles") or 0),
            "figures_changed": int(detail.get("figures_changed") or 0),
            "tagger_version": detail.get("tagger_version"), "created_at": finding.created_at}


def _site(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return site_of(url)
    except Exception:  # noqa: BLE001 - a malformed stored URL only loses the site name
        return None


def chart_series(metric: str, items: list[dict], histories: dict[tuple[str, str, bool], list[dict]]) -> list[dict]:
    """Per series of ``metric`` among ``items``: its last CHART_POINTS values (date, value), the
    digest's own values marked ``new``; equal neighbouring values (one value from several sources)
    count once, at their first date."""
    out = []
    keys = list(dict.fromkeys((item["unit"], bool(item["is_target"])) for item in items if item.get("unit")))
    for unit, is_target in keys:
        rows = histories.get((metric, unit, is_target))
        if not rows:
            continue
        new_ids = {item["figure_id"] for item in items if item.get("figure_id") is not None
                   and item["unit"] == unit and bool(item["is_target"]) == is_target}
        points = series_points(rows, new_ids)
        # The newest CHART_POINTS, but never without the digest's own values.
        keep = points[-CHART_POINTS:]
        older_new = [p for p in points[:-CHART_POINTS] if p["new"]]
        out.append({"unit": unit, "is_target": is_target, "points": older_new + keep})
    return out


def problem_payload(problem: HealthProblem, new: bool = False) -> dict:
    """An open health problem as the payload keeps it; ``new``: opened within this digest's window."""
    return {
        "finding_id": problem.finding_id,
        "site": problem.site,
        "problem": problem.problem,
        "detail": problem.message,
        "fields": problem.fields,
        "created_at": problem.opened_at,
        "opened_at": problem.opened_at,
        "last_seen_at": problem.last_seen_at,
        "times_seen": problem.times_seen,
        "new": new,
    }


def _health(finding: Finding) -> dict:
    detail = finding.detail
    return {
        "finding_id": finding.id,
        "site": finding.site,
        "problem": detail.get("problem") or finding.metric or finding.title or "problem",
        "detail": _health_text(detail) or finding.sentence or "",
        "fields": {key: value for key, value in detail.items() if key != "problem"},
        "created_at": finding.created_at,
    }


def _health_text(detail: dict) -> str:
    """The human part of a health finding's detail: its message, else its other keys."""
    message = detail.get("message") or detail.get("detail")
    if message:
        return str(message)
    return ", ".join(f"{key}: {value}" for key, value in detail.items() if key != "problem")
