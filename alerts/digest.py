"""Building digests: the findings after a recipient's last digest, filtered, grouped, stored once.

A digest's ``payload`` is plain JSON data (no markup): every channel renders it at send time, so a
retry sends exactly what was built, and `pantau digest --dry-run` shows the same thing as text.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from alerts.selection import context_metrics, wants
from pantau_config import Config, RecipientConfig
from store import outbox

log = logging.getLogger(__name__)

PAYLOAD_VERSION = 1
# Families in the order a reader expects them; other families follow alphabetically.
FAMILY_ORDER = ("umkm", "connectivity")
# A page sentence longer than this is cut around the number: a digest line, not an article.
MAX_SENTENCE_CHARS = 600
# A first digest over a long backfill could list thousands of lines: each metric shows its newest
# this many, then "N more" and the Datasette link.
MAX_LINES_PER_METRIC = 25
# The canned query in store/datasette/metadata.json listing every value stated for one metric.
HISTORY_QUERY = "metric_history"


@dataclass
class Digest:
    id: int | None  # None for a digest planned by --dry-run (never stored)
    recipient: str
    first_finding_id: int
    last_finding_id: int
    created_at: str
    payload: dict
    channels: list[str] = field(default_factory=list)
    # The recipient's previous window end this digest was planned from (its window starts after it).
    after_finding_id: int = 0

    @property
    def quiet(self) -> bool:
        """Nothing for this recipient: stored only to move the window on, never sent."""
        return bool(self.payload.get("quiet"))


def iso_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


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


def plan_digests(store: Any, config: Config, now: datetime) -> list[Digest]:
    """The digest each recipient is due, without writing anything (also what --dry-run shows)."""
    context = context_metrics()
    digests = []
    for recipient in config.effective_recipients():
        digest = _plan_one(store, config, recipient, now, context)
        if digest is not None:
            digests.append(digest)
    return digests


def build_due_digests(store: Any, config: Config, now: datetime) -> list[Digest]:
    """Build and enqueue each recipient's due digest (one transaction each); sending comes later.

    Returns the digests built by this call that have something to deliver. A window already built
    (by an earlier run or another process) is skipped, so calling this twice builds nothing twice.
    """
    from alerts.staleness import check_stale_sites

    check_stale_sites(store, config, now)  # may add source_health findings to this window
    built = []
    for digest in plan_digests(store, config, now):
        digest_id = outbox.insert_digest(
            store, recipient=digest.recipient, first_finding_id=digest.first_finding_id,
            last_finding_id=digest.last_finding_id, created_at=digest.created_at,
            payload=digest.payload, channels=[] if digest.quiet else digest.channels,
            after_finding_id=digest.after_finding_id)
        if digest_id is None:
            log.info("digest for %s up to finding %s already built", digest.recipient, digest.last_finding_id)
            continue
        digest.id = digest_id
        digest.payload["digest_id"] = digest_id
        if not digest.quiet:
            built.append(digest)
    return built


def _plan_one(store: Any, config: Config, recipient: RecipientConfig, now: datetime,
              context: frozenset[str]) -> Digest | None:
    previous = outbox.last_digest(store, recipient.name)
    cursor = previous["last_finding_id"] if previous else 0
    findings = store.findings_after(cursor)
    if not findings and previous is not None:
        return None  # this window (recipient, cursor) is already built
    selected = [f for f in findings if wants(f, recipient, context)]
    # Deliveries given up since this recipient's previous digest: reported once, in this one.
    failures = outbox.failed_since(store, previous["created_at"] if previous else None)
    payload = build_payload(selected, findings, failures, recipient, config, now)
    if not selected and not failures and not recipient.send_when_empty:
        if not findings:
            return None
        payload["quiet"] = True
    last_id = max((f.id for f in findings), default=cursor)
    first_id = min((f.id for f in findings), default=cursor)
    return Digest(id=None, recipient=recipient.name, first_finding_id=first_id, last_finding_id=last_id,
                  created_at=iso_utc(now), payload=payload, channels=channels_for(recipient, config),
                  after_finding_id=cursor)


def build_payload(selected: list, window: list, failures: list[dict], recipient: RecipientConfig,
                  config: Config, now: datetime) -> dict:
    items = [_item(f) for f in selected if f.kind in ("new_value", "revised")]
    health = [_health(f) for f in selected if f.kind == "source_health"]
    groups: dict[str, dict[str, list[dict]]] = {}
    for item in items:
        groups.setdefault(item["family"] or "other", {}).setdefault(item["metric"], []).append(item)
    family_rank = {name: i for i, name in enumerate(FAMILY_ORDER)}
    ordered = []
    for family in sorted(groups, key=lambda name: (family_rank.get(name, len(FAMILY_ORDER)), name)):
        metrics = []
        for metric in sorted(groups[family]):
            lines = groups[family][metric]
            metrics.append({"metric": metric, "items": lines[-MAX_LINES_PER_METRIC:],
                            "more": max(0, len(lines) - MAX_LINES_PER_METRIC),
                            "history_url": history_url(config, metric)})
        ordered.append({"family": family, "metrics": metrics})
    return {
        "version": PAYLOAD_VERSION,
        "recipient": recipient.name,
        "language": recipient.language,
        "created_at": iso_utc(now),
        "groups": ordered,
        "health": health,
        "delivery_failures": [
            {"digest_id": row["digest_id"], "recipient": row["recipient"], "channel": row["channel"],
             "attempts": row["attempts"], "error": row["last_error"] or "", "failed_at": row["next_attempt_at"]}
            for row in failures],
        "counts": {
            "new_value": sum(1 for i in items if i["kind"] == "new_value"),
            "revised": sum(1 for i in items if i["kind"] == "revised"),
            "health": len(health) + len(failures),
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


def _detail(finding: Any) -> dict:
    raw = getattr(finding, "detail", None)
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw) if raw else {}
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


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


def _item(finding: Any) -> dict:
    detail = _detail(finding)
    sentence, hl_start, hl_end = _highlight(finding.sentence or "", finding.surface or "")
    return {
        "finding_id": finding.id,
        "kind": finding.kind,
        "metric": finding.metric,
        "family": finding.family,
        "unit": finding.unit,
        "surface": finding.surface,
        "value": finding.value,
        "value_max": getattr(finding, "value_max", None),
        "previous_value": getattr(finding, "previous_value", None),
        "abs_change": getattr(finding, "abs_change", None),
        "pct_change": getattr(finding, "pct_change", None),
        "old_value": getattr(finding, "old_value", None),
        "old_surface": detail.get("old_surface"),
        "is_target": bool(finding.is_target),
        "year": finding.year,
        "site": finding.site,
        "published_at": getattr(finding, "published_at", None),
        "previous_published_at": getattr(finding, "previous_published_at", None),
        "previous_url": getattr(finding, "previous_url", None),
        "sentence": sentence,
        "highlight": [hl_start, hl_end] if hl_start is not None else None,
        "url": finding.url,
        "title": getattr(finding, "title", None),
    }


def _health(finding: Any) -> dict:
    detail = _detail(finding)
    return {
        "finding_id": finding.id,
        "site": finding.site,
        "problem": detail.get("problem") or finding.metric or getattr(finding, "title", None) or "problem",
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
