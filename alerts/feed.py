"""An Atom feed (RFC 4287) of findings, overall or through one recipient's filters.

Every digest run writes ``<outbox_dir>/findings.atom`` (all findings) and
``<outbox_dir>/findings-<recipient>.atom`` (what that recipient's filters let through), and
`pantau browse` serves the same feeds at ``/-/pantau/findings.atom[?recipient=NAME]``, so feed
readers and other tools can subscribe. Entries are the newest findings, newest first; an entry's id
is stable (the store and the finding), so a reader shows each finding once.
"""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime, tzinfo
from pathlib import Path
from xml.etree import ElementTree as ET

from alerts.channels.files import write_atomically
from alerts.formatting import format_change, format_date, format_value
from alerts.labels import labels
from alerts.render import health_note, zone_of
from alerts.selection import wants
from kernel.errors import PantauError
from kernel.metrics import metric_name
from kernel.times import in_zone, utc_now
from pantau_config import Config, RecipientConfig, load_config
from store.models import Finding
from store.queries import latest_findings

ATOM = "http://www.w3.org/2005/Atom"
# Entries per feed: feed readers keep what they have seen, so a day's findings are plenty.
FEED_ENTRIES = 100
# Findings read to fill one recipient's feed after its filters (most recipients want a subset).
FEED_SCAN = 2000


class FeedError(PantauError):
    """A feed that cannot be built (an unknown recipient)."""


def _rfc3339(value: str | datetime | None, zone: tzinfo) -> str | None:
    moment = in_zone(value, zone)
    return moment.replace(microsecond=0).isoformat() if moment is not None else None


def _entry_id(store_name: str, finding_id: int) -> str:
    # Stable per store and finding; a UUID keeps it a valid IRI without a domain of our own.
    return uuid.uuid5(uuid.NAMESPACE_URL, f"pantau:{store_name}:finding:{finding_id}").urn


def _title(finding: Finding, language: str, zone: tzinfo) -> str:
    t = labels(language)
    if finding.kind == "source_health":
        note = health_note(_health_payload(finding), language, zone)
        return f"{t['feed_health']} · {note['site']}: {note['problem']}"
    name = metric_name(finding.metric or "", language)
    value = format_value(finding.value, finding.unit, language, finding.value_max)
    if finding.kind == "revised":
        old = finding.detail.get("old_surface") or format_value(finding.old_value, finding.unit, language)
        return f"{name}: {t['was']} {old} → {t['now']} {value}"
    if finding.previous_value is not None:
        change = format_change(finding.abs_change, finding.pct_change, finding.unit, language)
        previous = format_value(finding.previous_value, finding.unit, language)
        return f"{name}: {value} ({t['previous']} {previous}, {change})"
    return f"{name}: {value}"


def _health_payload(finding: Finding) -> dict:
    detail = dict(finding.detail)
    problem = str(detail.pop("problem", finding.metric or "problem"))
    message = detail.get("message")
    return {"site": finding.site or "", "problem": problem, "fields": detail,
            "detail": str(message) if message else ", ".join(f"{k}: {v}" for k, v in detail.items()),
            "created_at": finding.created_at}


def _summary(finding: Finding, language: str, zone: tzinfo) -> str:
    t = labels(language)
    if finding.kind == "source_health":
        note = health_note(_health_payload(finding), language, zone)
        return note["detail"] or note["problem"]
    flag = t["target"] if finding.is_target else t["actual"]
    year = f" · {t['year']} {finding.year}" if finding.year else ""
    source = " · ".join(part for part in (finding.site or "", format_date(finding.published_at, language, zone)) if part)
    return f"“{finding.sentence or ''}”\n{flag}{year} · {t['source']}: {source}\n{finding.title or ''}".strip()


def atom_feed(findings: list[Finding], *, title: str, self_url: str, language: str = "id",
              zone: tzinfo | None = None, store_name: str = "pantau", datasette_url: str = "",
              now: datetime | None = None) -> bytes:
    """The Atom document of ``findings`` (newest first)."""
    zone = zone or zone_of(None)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    ET.SubElement(feed, f"{{{ATOM}}}id").text = uuid.uuid5(uuid.NAMESPACE_URL, f"pantau:{store_name}:{title}").urn
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}subtitle").text = labels(language)["feed_subtitle"]
    newest = max((f.created_at for f in findings), default=None)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _rfc3339(newest or now or utc_now(), zone)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": self_url})
    if datasette_url:
        ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": datasette_url})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "pantau"
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "pantau"
    for finding in findings:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = _entry_id(store_name, finding.id)
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _title(finding, language, zone)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _rfc3339(finding.created_at, zone)
        if finding.published_at and finding.kind != "source_health":
            ET.SubElement(entry, f"{{{ATOM}}}published").text = _rfc3339(finding.published_at, zone)
        if finding.url:
            ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": finding.url})
        if datasette_url and finding.metric:
            ET.SubElement(entry, f"{{{ATOM}}}link", {
                "rel": "related", "href": f"{datasette_url}/metric_history?metric={finding.metric}"})
        if finding.site:
            site_author = ET.SubElement(entry, f"{{{ATOM}}}author")
            ET.SubElement(site_author, f"{{{ATOM}}}name").text = finding.site
        for term in (finding.kind, finding.metric, finding.family):
            if term:
                attributes = {"term": term}
                if term == finding.metric:
                    attributes["label"] = metric_name(term, language)
                ET.SubElement(entry, f"{{{ATOM}}}category", attributes)
        ET.SubElement(entry, f"{{{ATOM}}}summary", {"type": "text"}).text = _summary(finding, language, zone)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def feed_findings(conn: sqlite3.Connection, config: Config, recipient: RecipientConfig | None,
                  context: frozenset[str]) -> list[Finding]:
    """The newest FEED_ENTRIES findings, through ``recipient``'s filters when given."""
    if recipient is None:
        return latest_findings(conn, FEED_ENTRIES)
    chosen = [f for f in latest_findings(conn, FEED_SCAN) if wants(f, recipient, context)]
    return chosen[:FEED_ENTRIES]


def _recipient(config: Config, name: str | None) -> RecipientConfig | None:
    if name is None:
        return None
    for recipient in config.effective_recipients():
        if recipient.name == name:
            return recipient
    raise FeedError(f"no recipient named {name!r} in the configuration")


def _context(config: Config) -> frozenset[str]:
    from extract.taxonomy import load_taxonomy

    return load_taxonomy(config.taxonomy.files, replace=config.taxonomy.replace).context_metrics()


def feed_title(language: str, recipient: RecipientConfig | None) -> str:
    t = labels(language)
    return t["feed_title_recipient"].format(recipient=recipient.name) if recipient else t["feed_title"]


def feed_from_connection(conn: sqlite3.Connection, config_path: str | None, recipient_name: str | None, *,
                         self_url: str, datasette_url: str = "", store_name: str = "pantau") -> bytes:
    """The feed `pantau browse` serves (Datasette's read-only connection, the config it started with)."""
    config = load_config(config_path) if config_path else load_config(None)
    recipient = _recipient(config, recipient_name)
    language = recipient.language if recipient else config.display.language
    findings = feed_findings(conn, config, recipient, _context(config))
    return atom_feed(findings, title=feed_title(language, recipient), self_url=self_url, language=language,
                     zone=zone_of(config), store_name=store_name, datasette_url=datasette_url)


def feed_path(config: Config, recipient: RecipientConfig | None) -> Path:
    from alerts.channels.files import recipient_slug

    if recipient is None:
        return config.alerts.outbox_dir / "findings.atom"
    return config.alerts.outbox_dir / f"findings-{recipient_slug(recipient.name)}.atom"


def write_feeds(conn: sqlite3.Connection, config: Config, *, store_name: str = "pantau",
                now: datetime | None = None) -> list[Path]:
    """Write the overall feed and one per recipient into the outbox folder (atomically)."""
    folder = config.alerts.outbox_dir
    folder.mkdir(parents=True, exist_ok=True)
    context = _context(config)
    base = config.alerts.datasette_url.rstrip("/")
    datasette_url = f"{base}/{store_name}" if base else ""
    written = []
    for recipient in [None, *config.effective_recipients()]:
        language = recipient.language if recipient else config.display.language
        path = feed_path(config, recipient)
        document = atom_feed(feed_findings(conn, config, recipient, context), title=feed_title(language, recipient),
                             self_url=path.resolve().as_uri(), language=language, zone=zone_of(config),
                             store_name=store_name, datasette_url=datasette_url, now=now)
        write_atomically(path, document)
        written.append(path)
    return written
