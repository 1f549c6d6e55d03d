"""Pure discovery helpers: parse feeds, sitemaps, index pages; decide what is worth fetching.

No Scrapy and no store here, so every rule can be tested on bytes and values.
"""

from __future__ import annotations

import email.utils
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector

from crawler.profiles import IndexProfile
from kernel.errors import DiscoveryParseError
from kernel.times import WIB

# Index dates and feed dates without a zone are read in Western Indonesian Time.



@dataclass(frozen=True)
class Entry:
    """One discovered link with whatever the listing said about it."""

    url: str
    title: str = ""
    summary: str = ""
    published: datetime | None = None
    lastmod: datetime | None = None
    channel: str = ""


def parse_datetime(text: str | None) -> datetime | None:
    """ISO 8601 (sitemaps, JSON, time[datetime]) or RFC 822 (RSS pubDate); naive times are WIB."""
    if not text:
        return None
    text = text.strip()
    try:
        value = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text and len(text) > 10 else text)
    except ValueError:
        try:
            value = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=WIB)


def _xml_root(body: bytes) -> etree._Element:
    if not body.strip():
        raise DiscoveryParseError("empty body")
    try:
        parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryParseError(f"not well-formed XML: {exc}") from None


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(node: etree._Element, name: str) -> str:
    for child in node.iter():
        if _local(child.tag) == name and child.text:
            return child.text.strip()
    return ""


def parse_feed(body: bytes) -> list[Entry]:
    """RSS 2.0 items (link, title, description, pubDate) or Atom entries."""
    root = _xml_root(body)
    entries = []
    for node in root.iter():
        name = _local(node.tag)
        if name == "item":
            link = _child_text(node, "link")
            if link:
                entries.append(Entry(url=link, title=_child_text(node, "title"),
                                     summary=_child_text(node, "description"),
                                     published=parse_datetime(_child_text(node, "pubDate"))))
        elif name == "entry":
            link_el = next((c for c in node if _local(c.tag) == "link" and c.get("href")), None)
            if link_el is not None:
                entries.append(Entry(url=link_el.get("href"), title=_child_text(node, "title"),
                                     summary=_child_text(node, "summary"),
                                     published=parse_datetime(_child_text(node, "published")),
                                     lastmod=parse_datetime(_child_text(node, "updated"))))
    return entries


def parse_sitemap(body: bytes) -> tuple[list[Entry], list[str]]:
    """A urlset -> (entries with lastmod / news:publication_date / news:title, []);
    a sitemap index -> ([], child sitemap URLs)."""
    root = _xml_root(body)
    kind = _local(root.tag)
    if kind == "sitemapindex":
        return [], [_child_text(s, "loc") for s in root if _local(s.tag) == "sitemap" and _child_text(s, "loc")]
    if kind != "urlset":
        raise DiscoveryParseError(f"root element is <{kind}>, not <urlset> or <sitemapindex>")
    entries = []
    for node in root:
        if _local(node.tag) != "url":
            continue
        loc = _child_text(node, "loc")
        if loc:
            entries.append(Entry(url=loc, title=_child_text(node, "title"),
                                 published=parse_datetime(_child_text(node, "publication_date")),
                                 lastmod=parse_datetime(_child_text(node, "lastmod"))))
    return entries, []


def parse_index(html: str, base_url: str, spec: IndexProfile, channel_slugs: Sequence[str] = ()) -> list[Entry]:
    """Cards of an index page, per the profile's selectors (``[index]`` in the site TOML)."""
    sel = Selector(text=html)
    entries = []
    for card in sel.css(spec.item):
        href = card.css(spec.link).get()
        if not href:
            continue
        slug = card.attrib.get(spec.channel_attr, "") if spec.channel_attr else ""
        if channel_slugs and slug not in channel_slugs:
            continue
        published = None
        if spec.epoch and (epoch := card.css(spec.epoch).get()) and epoch.strip().isdigit():
            published = datetime.fromtimestamp(int(epoch), tz=UTC)
        elif spec.datetime:
            published = parse_datetime(card.css(spec.datetime).get())
        title = " ".join(t.strip() for t in card.css(spec.title).getall()).strip() if spec.title else ""
        summary = " ".join(card.css(spec.summary).getall()).strip() if spec.summary else ""
        entries.append(Entry(url=urljoin(base_url, href), title=title, summary=summary,
                             published=published, channel=slug))
    return entries


def matches_keywords(text: str, keywords: Iterable[str]) -> bool:
    """Case-insensitive substring match of any keyword (the config keeps them lower-case)."""
    low = text.lower()
    return any(k.lower() in low for k in keywords)


def due_for_check(published: datetime | None, last_fetched: datetime, hours: Sequence[float], now: datetime) -> bool:
    """True when the article crossed one of its revision-check ages since we last fetched it.

    Stateless: ages (hours after publication) already passed at the last fetch don't count again,
    so every age triggers at most one re-fetch.
    """
    if published is None:
        return False
    for h in hours:
        at = published + timedelta(hours=h)
        if last_fetched < at <= now:
            return True
    return False


def decide(entry: Entry, known: object | None, *, now: datetime, keywords: Sequence[str], fetch_all: bool,
           max_age_days: float, revision_hours: Sequence[float]) -> str | None:
    """Why to fetch a discovered article: ``"new"``, ``"modified"`` (a newer lastmod than our last
    fetch), ``"schedule"`` (a revision-check age passed), or None to skip it."""
    if known is None:
        if entry.published and now - entry.published > timedelta(days=max_age_days):
            return None
        if not fetch_all and (entry.title or entry.summary) and not matches_keywords(
                f"{entry.title} {entry.summary}", keywords):
            return None
        return "new"
    last_fetched = parse_datetime(getattr(known, "last_fetched_at", None))
    if last_fetched is None:
        return "new"
    signal = entry.lastmod
    if signal is not None and signal > last_fetched:
        return "modified"
    published = parse_datetime(getattr(known, "published_at", None)) or entry.published
    if due_for_check(published, last_fetched, revision_hours, now):
        return "schedule"
    return None
