"""Page (HTML bytes + real URL) -> ``Article``: clean body text and metadata. Pure: no network.

Steps: decode and parse; refuse index/listing pages (``NotAnArticle``); read title, dates and author
from metadata first (JSON-LD, meta tags, ``time[datetime]``, detik ``d-time``) and the site
profile's selectors second; take the profile's body container, prune its known non-body nodes
(ads, "Baca juga" boxes, captions, pagination), let trafilatura extract the text of what is left
(the whole pruned page on unknown sites), split it back into page/section blocks and clean each
block's lines (``extract.cleaning``). Separately fetched pages (detik ``/2``) are merged in order.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from extract.cleaning import VIDEO_PROMO, cut_index, clean_lines
from extract.dates import date_from_url, parse_date_text, parse_iso, to_iso
from extract.errors import ExtractError, ExtractionError, NotAnArticle
from extract.profiles import Profile, Selector, load_profile
from extract.urls import canonical_url, site_of

__all__ = ["Article", "extract_article", "article_from_api_item", "ExtractError", "NotAnArticle", "ExtractionError"]

# Share of undecodable bytes tolerated in a UTF-8 page before it counts as binary or mis-declared.
MAX_BAD_BYTES_SHARE = 0.005
CLOSING_TAG = re.compile(r"</(?:html|body)\s*>", re.I)
# A cleaned body shorter than this is not a usable article (a teaser, an error page, a stub).
MIN_BODY_CHARS = 80
# Marker paragraph inserted between page/section blocks so trafilatura's single text can be split
# back into blocks; made of letters only so no text normalisation touches it.
SECTION_MARK = "PANTAUSECTIONBREAKMARKER"
# Listing pages repeat cards: this many <article> elements (or link-only paragraphs) means a list.
LISTING_MIN_CARDS = 5
# A page whose paragraphs hold less than this much non-link prose is a list of links, not a story.
LISTING_MAX_PROSE = 2
LISTING_MIN_LINKS = 10
# A paragraph counts as prose from this many characters of non-link text.
PROSE_PARAGRAPH_CHARS = 80
ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                 "opinionnewsarticle", "backgroundnewsarticle", "report"}
LISTING_TYPES = {"collectionpage", "itemlist", "searchresultspage"}
# The first line of a later section opening like this (after an optional heading line) marks an
# older story appended by the editors.
APPENDED_HEADING_CHARS = 120


@dataclass(frozen=True)
class Article:
    url: str
    site: str
    title: str
    text: str
    published_at: str | None
    modified_at: str | None
    author: str | None
    content_hash: str
    sections: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The JSON object of ``pantau extract`` (without ``figures``): ``date`` is ``published_at``."""
        return {"text": self.text, "title": self.title, "date": self.published_at, "author": self.author,
                "site": self.site, "url": self.url, "modified_at": self.modified_at,
                "content_hash": self.content_hash, "sections": [list(s) for s in self.sections]}


# ---------------------------------------------------------------------------------------------
# Parsing

def _decode(html: bytes | str, url: str) -> str:
    if isinstance(html, str):
        return html
    if not html:
        raise ExtractionError(url, "empty page (0 bytes)")
    try:
        return html.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", html[:4096], re.I)
    declared = m.group(1).decode("ascii").lower() if m else "utf-8"
    if declared.replace("-", "") == "utf8":
        # A saved page with a few broken bytes (a cut multi-byte character) is still readable.
        text = html.decode("utf-8", errors="replace")
        if text.count("\ufffd") <= MAX_BAD_BYTES_SHARE * len(text):
            return text
    m = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", html[:4096], re.I)
    if m:
        try:
            return html.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    raise ExtractionError(url, "undecodable page: not UTF-8 and no usable <meta charset>")


def _parse(html: bytes | str, url: str, *, whole_page: bool = True) -> etree._Element:
    text = _decode(html, url)
    if "\x00" in text[:4096]:
        raise ExtractionError(url, "undecodable page: binary content")
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        raise ExtractionError(url, "empty page")
    # A page cut short (a dropped connection, a size cap) has lost its closing tags; trailing
    # scripts after </html> are common, so search the whole text rather than its end.
    if whole_page and not CLOSING_TAG.search(text):
        raise ExtractionError(url, "truncated page: no closing </body> or </html>")
    try:
        return lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(url, f"unparseable HTML: {exc}") from exc


def _json_ld(tree) -> list[dict]:
    """Every JSON-LD object of the page, @graph and lists flattened; broken blocks skipped."""
    found: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                if "@graph" in item:
                    stack.append(item["@graph"])
    return found


def _types(obj: dict) -> set[str]:
    t = obj.get("@type", [])
    return {str(x).lower() for x in (t if isinstance(t, list) else [t])}


def _ld_article(ld: list[dict]) -> dict | None:
    return next((obj for obj in ld if _types(obj) & ARTICLE_TYPES), None)


def _meta(tree, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            values = tree.xpath(f'//meta[@{attr}="{name}"]/@content')
            if values and values[0].strip():
                return values[0].strip()
    return None


def _first(tree, selectors: Sequence[Selector]) -> str | None:
    for sel in selectors:
        values = sel.values(tree)
        if values:
            return values[0]
    return None


# ---------------------------------------------------------------------------------------------
# Metadata

def _title(tree, ld_article: dict | None, profile: Profile) -> str:
    """The headline; site-name suffixes are removed only from meta/<title> values, never from an h1."""
    for sel in profile.title:
        values = sel.values(tree)
        if values:
            title = values[0]
            if profile.title_suffix and (sel.attr or sel.css == "title"):
                title = profile.title_suffix.sub("", title)
            return title
    return " ".join(str((ld_article or {}).get("headline") or "").split())


def _author(tree, ld_article: dict | None, profile: Profile) -> str | None:
    author = _first(tree, profile.author)
    if not author and ld_article:
        value = ld_article.get("author")
        if isinstance(value, list):
            value = value[0] if value else None
        author = value.get("name") if isinstance(value, dict) else value
    if not author:
        return None
    author = " ".join(str(author).split())
    for pattern in profile.author_strip:
        author = pattern.sub("", author)
    return author.strip(" -,") or None


def _dates(tree, ld_article: dict | None, profile: Profile, url: str,
           now: datetime | None) -> tuple[datetime | None, datetime | None]:
    ld = ld_article or {}
    published = (parse_iso(ld.get("datePublished"))
                 or parse_iso(_meta(tree, "article:published_time", "datePublished", "publishdate",
                                    "pubdate", "dtk:createddate", "createdate", "og:published_time")))
    # In priority order: a sidebar's <time> must not beat the article's own (XPath unions would
    # return document order, so each query runs on its own).
    for query in ('//time[@itemprop="datePublished"]/@datetime', "//article//time/@datetime",
                  "//header//time/@datetime"):
        if published is not None:
            break
        published = next((dt for dt in map(parse_iso, tree.xpath(query)) if dt), None)
    if published is None:
        published = _visible_date(tree, profile.date, now=None)
    if published is None:
        published = next((dt for dt in map(parse_iso, tree.xpath("//time/@datetime | //*[@d-time]/@d-time")) if dt), None)
    if published is None:
        from_url = date_from_url(url)
        relative = _visible_date(tree, profile.date, now=now) if now is not None else None
        # A relative time ("15 jam lalu") is more precise than a URL's day, but only trusted when
        # it agrees with that day (a page saved long ago makes "15 jam lalu" meaningless).
        if relative is not None and (from_url is None or relative.date() == from_url.date()):
            published = relative
        else:
            published = from_url
    modified = (parse_iso(ld.get("dateModified"))
                or parse_iso(_meta(tree, "article:modified_time", "dateModified", "og:updated_time"))
                or _visible_date(tree, profile.modified, now=None))
    return published, modified


def _visible_date(tree, selectors: Sequence[Selector], now: datetime | None) -> datetime | None:
    for sel in selectors:
        for value in sel.values(tree):
            dt = parse_iso(value) if sel.attr else parse_date_text(value, now=now)
            if dt is not None:
                return dt
    return None


def _canonical(tree, url: str) -> str:
    """``link[rel=canonical]`` when it is on the same site (mirrors and reposts lie), else the URL."""
    for href in tree.xpath('//link[@rel="canonical"]/@href'):
        href = href.strip()
        if href.startswith("http") and site_of(href) == site_of(url):
            return canonical_url(href)
    return canonical_url(url)


# ---------------------------------------------------------------------------------------------
# Listing detection

def _is_listing_url(url: str, profile: Profile) -> str | None:
    parts = urlsplit(url)
    path = parts.path or "/"
    if path == "/":
        return "a home page"
    target = path + ("?" + parts.query if parts.query else "")
    for pattern in profile.listing_url:
        if pattern.search(target):
            return f"an index or listing URL (matches {pattern.pattern!r})"
    return None


def _listing_shape(tree, ld: list[dict]) -> str | None:
    """Why the page looks like a list of other pages, or None if it may be an article."""
    if _ld_article(ld) is not None or (_meta(tree, "og:type") or "").lower() == "article":
        return None
    if any(_types(obj) & LISTING_TYPES for obj in ld):
        return "JSON-LD says it is a collection or item list"
    cards = len(tree.xpath("//article"))
    if cards >= LISTING_MIN_CARDS:
        return f"{cards} <article> cards"
    prose = 0
    for p in tree.xpath("//p"):
        link_chars = sum(len("".join(a.itertext())) for a in p.xpath(".//a"))
        if len("".join(p.itertext())) - link_chars >= PROSE_PARAGRAPH_CHARS:
            prose += 1
    links = len(tree.xpath("//a[@href]"))
    if prose < LISTING_MAX_PROSE and links >= LISTING_MIN_LINKS:
        return f"{links} links and {prose} prose paragraphs"
    return None


# ---------------------------------------------------------------------------------------------
# Body

def _container(tree, profile: Profile):
    for sel in profile.body:
        found = sel.xpath(tree)
        if found:
            return found[0]
    return None


def _prune(root, profile: Profile) -> None:
    for comment in root.xpath("//comment()"):
        if comment.getparent() is not None:
            comment.drop_tree()
    if profile.prune is None:
        return
    for el in profile.prune(root):
        if el is root or el.getparent() is None:
            continue
        el.drop_tree()  # keeps the element's tail text, which belongs to the surrounding paragraph


def _blocks(root, profile: Profile) -> list:
    """Page/section blocks inside ``root`` in document order, or [] when it has none. Blocks may
    be siblings or (on some KLY pages) nested in the previous page: a marker before each start
    splits the text correctly either way."""
    for sel in profile.sections:
        found = sel.xpath(root)
        if found:
            return found
    return []


def _own_text(root) -> str:
    """Fallback text: one line per block element, when trafilatura returns nothing usable."""
    lines = []
    for el in root.iter("p", "h1", "h2", "h3", "h4", "li", "blockquote"):
        if el.xpath("ancestor::p|ancestor::li"):
            continue
        text = " ".join("".join(el.itertext()).split())
        if text:
            lines.append(text)
    return "\n".join(lines)


def _trafilatura_text(root) -> str:
    text = trafilatura.extract(root, fast=True, include_comments=False, include_tables=False,
                               include_images=False, include_links=False, deduplicate=False,
                               favor_recall=True)
    return text or ""


def _body_blocks(tree, profile: Profile) -> list[list[str]]:
    """The raw text lines of each page/section block of one page (before cleaning)."""
    container = _container(tree, profile)
    if container is not None:
        work = copy.deepcopy(container)
        body = lxml_html.Element("body")
        body.append(work)
        root = lxml_html.Element("html")
        root.append(body)
    else:
        root = copy.deepcopy(tree)
    _prune(root, profile)
    blocks = _blocks(root, profile)
    for block in blocks[1:]:
        mark = lxml_html.Element("p")
        mark.text = SECTION_MARK
        block.addprevious(mark)
    text = _trafilatura_text(root)
    own = _own_text(root)
    # trafilatura may judge a short article, or a block of short paragraphs, as boilerplate.
    if len(text) < 0.6 * len(own) or (blocks and SECTION_MARK not in text and SECTION_MARK in own):
        text = own
    out: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip() == SECTION_MARK:
            out.append([])
        else:
            out[-1].append(line)
    return out


def _is_appended_story(lines: list[str], profile: Profile) -> bool:
    if not profile.appended_story_opening or not lines:
        return False
    head = lines[:2] if len(lines[0]) <= APPENDED_HEADING_CHARS and not lines[0].endswith(".") else lines[:1]
    return any(profile.appended_story_opening.match(line) for line in head)


def _clean_blocks(blocks: list[list[str]], profile: Profile) -> list[list[str]]:
    """Clean each block; stop at the block where the story ends (footer, initials, appended story)."""
    kept: list[list[str]] = []
    promo_seen = False  # "Sebelumnya," opens an appended story only after a video promo
    for index, raw in enumerate(blocks):
        lines = [line.strip() for line in raw if line.strip()]
        if index > 0 and promo_seen and _is_appended_story(lines, profile):
            break
        promo_seen = promo_seen or any(VIDEO_PROMO.match(line) for line in lines)
        if index > 0 and lines and cut_index([""] + lines, profile) == 1:
            break  # the block opens with a footer header: nothing after it is story
        cleaned = clean_lines(lines, profile)
        ended = cut_index(lines, profile) < len(lines)
        if cleaned:
            kept.append(cleaned)
        if ended:
            break
    return kept


def _assemble(url: str, site: str, title: str, blocks: list[list[str]], published, modified,
              author: str | None) -> Article:
    parts: list[str] = []
    sections: list[tuple[int, int]] = []
    offset = 0
    for lines in blocks:
        block = "\n".join(lines)
        if parts:
            offset += 1  # the "\n" joining blocks
        sections.append((offset, offset + len(block)))
        parts.append(block)
        offset += len(block)
    text = "\n".join(parts)
    return Article(url=url, site=site, title=title, text=text, published_at=to_iso(published),
                   modified_at=to_iso(modified), author=author,
                   content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                   sections=sections if len(sections) > 1 else [])


def _dedupe_pages(blocks: list[list[str]]) -> list[list[str]]:
    """Drop a page block identical to an earlier one (a page fetched twice, ``/1`` and the base)."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for block in blocks:
        key = tuple(block)
        if key in seen:
            continue
        seen.add(key)
        out.append(block)
    return out


def extract_article(html: bytes | str, url: str, *, more_pages: Sequence[bytes | str] = (),
                    now: datetime | None = None) -> Article:
    """The article on a page. ``url`` is the page's real URL; ``more_pages`` are its further pages
    (detik ``/2``, ``/3`` fetched separately), merged in order; ``now`` lets a relative date
    ("15 jam lalu") stand in when the page has no absolute one.

    Raises ``NotAnArticle`` for index/listing pages, ``ExtractionError`` when there is no usable body.
    """
    site = site_of(url)
    profile = load_profile(site)
    if reason := _is_listing_url(url, profile):
        raise NotAnArticle(url, f"not an article: {reason}")
    tree = _parse(html, url)
    ld = _json_ld(tree)
    container_found = _container(tree, profile) is not None
    if not container_found or not profile.body:
        if reason := _listing_shape(tree, ld):
            raise NotAnArticle(url, f"not an article: {reason}")
    ld_article = _ld_article(ld)
    title = _title(tree, ld_article, profile)
    published, modified = _dates(tree, ld_article, profile, url, now)
    author = _author(tree, ld_article, profile)
    page_blocks = _body_blocks(tree, profile)
    for number, page in enumerate(more_pages, start=2):
        try:
            page_blocks += _body_blocks(_parse(page, f"{url} (page {number})"), profile)
        except ExtractionError as exc:
            raise ExtractionError(url, f"page {number} of the article: {exc.reason}") from exc
    blocks = _clean_blocks(_dedupe_pages([b for b in page_blocks if any(x.strip() for x in b)]), profile) \
        if not more_pages else _clean_pages(page_blocks, profile)
    if blocks and blocks[0] and title and blocks[0][0] == title:
        blocks[0] = blocks[0][1:]  # whole-page extraction may repeat the headline; it is not body text
    text_len = sum(len(line) for block in blocks for line in block)
    if text_len < MIN_BODY_CHARS:
        if container_found and (reason := _listing_shape(tree, ld)):
            raise NotAnArticle(url, f"not an article: {reason}")
        raise ExtractionError(url, f"no usable article body ({text_len} characters of text after cleaning)")
    return _assemble(_canonical(tree, url), site, title, blocks, published, modified, author)


def _clean_pages(page_blocks: list[list[str]], profile: Profile) -> list[list[str]]:
    """Separately fetched pages: every page but the last ends at its pagination, not at a footer,
    so each page is cleaned on its own and only the last one may end the story early."""
    pages = _dedupe_pages([b for b in page_blocks if any(x.strip() for x in b)])
    kept = []
    for block in pages:
        cleaned = clean_lines([line for line in block if line.strip()], profile)
        if cleaned:
            kept.append(cleaned)
    return kept


def article_from_api_item(item: dict, url: str) -> Article:
    """An Article from a Komdigi API item (``body_html``, else ``body_text``; ``published_at``)."""
    if not isinstance(item, dict):
        raise ExtractionError(url, f"API item is a {type(item).__name__}, not an object")
    profile = load_profile(site_of(url))
    body_html = item.get("body_html") or ""
    lines: list[str] = []
    if body_html.strip():
        try:
            fragment = lxml_html.document_fromstring(f"<html><body><div>{body_html}</div></body></html>")
        except (etree.ParserError, ValueError) as exc:
            raise ExtractionError(url, f"API item body_html is not parseable HTML: {exc}") from exc
        _prune(fragment, profile)
        lines = _own_text(fragment).splitlines()
    if not lines:
        lines = str(item.get("body_text") or "").splitlines()
    cleaned = clean_lines(lines, profile)
    if sum(len(line) for line in cleaned) < MIN_BODY_CHARS:
        raise ExtractionError(url, "API item has no usable body_html or body_text")
    title = " ".join(str(item.get("title") or "").split())
    published = parse_iso(item.get("published_at"))
    modified = parse_iso(item.get("updated_at")) if item.get("updated_at") else None
    author = item.get("author") if isinstance(item.get("author"), str) else None
    return _assemble(canonical_url(url), site_of(url), title, [cleaned], published, modified, author)
