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
from datetime import datetime
from urllib.parse import urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from extract.body import PROSE_RUN_CHARS, Body, find_body
from extract.cleaning import VIDEO_PROMO, clean_lines, cut_index
from extract.dates import date_from_url, parse_date_text, parse_iso, to_iso
from extract.profiles import Profile, Selector, load_profile
from extract.reader import BODY_MARK, read_lines
from extract.sanitize import clean_optional, clean_string
from extract.tables import flatten_tables
from kernel.errors import ExtractError, ExtractionError, NotAnArticle
from kernel.records import Article
from kernel.urls import canonical_url, site_of

__all__ = ["Article", "extract_article", "article_from_api_item", "ExtractError", "NotAnArticle", "ExtractionError"]

# lxml.html picks an element class per tag in Python for every element touched; one class for all
# (still lxml.html's HtmlElement, which trafilatura requires) is chosen in C, a tenth of the
# extraction time on large pages.
HTML_PARSER = etree.HTMLParser()
HTML_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment, pi=lxml_html.HtmlProcessingInstruction,
    entity=lxml_html.HtmlEntity))

# A character only a valid multi-byte UTF-8 sequence gives (not ASCII, not the replacement mark).
UTF8_LETTER = re.compile("[^\x00-\x7f\ufffd]")
# Binary files (images, archives, UTF-16 without a BOM) are full of NUL; a stray NUL in a page's
# text is only a control character (stripped like the others).
MAX_NUL_SHARE = 0.01
# Share of undecodable bytes tolerated in a UTF-8 page before it counts as binary or mis-declared.
MAX_BAD_BYTES_SHARE = 0.005
# A cleaned body shorter than this is not a usable article (a teaser, an error page, a stub).
MIN_BODY_CHARS = 80
# Marker paragraph inserted between page/section blocks so trafilatura's single text can be split
# back into blocks; made of letters only so no text normalisation touches it.
SECTION_MARK = "PANTAUSECTIONBREAKMARKER"
# A body with fewer prose paragraphs than this and mostly link text is a list of other pages.
LISTING_MAX_PROSE = 2
# ... when at least this share of its text is link text,
LISTING_MIN_LINK_SHARE = 0.5
# ... and it has at least this many characters of links (a stub with two links is not a listing),
LISTING_MIN_LINK_CHARS = 300
# ... and at most this many of other text (dates and labels of cards; a song's or poem's short
# lines beside a link-heavy page are more).
LISTING_MAX_PLAIN_CHARS = 400
ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                 "opinionnewsarticle", "backgroundnewsarticle", "report"}
LISTING_TYPES = {"collectionpage", "itemlist", "searchresultspage"}
# Field labels of a tabular byline ("Reporter : A", "Redaktur : B", "Rep: A/ Red: B", "Sumber : x").
BYLINE_LABEL = re.compile(r"(?:^|(?<=[\s/|,;]))(reporter|rep|penulis|oleh|redaktur|red|editor|sumber|source|foto)\s*:\s*", re.I)
# Which labelled field names the author: the reporter first, the editor when no reporter is named.
BYLINE_PERSON_ORDER = ("reporter", "rep", "penulis", "oleh", "redaktur", "red", "editor")
# A visible byline line: "Oleh Nama", "Penulis: Nama", "Reporter : Nama", "Redaktur : Nama".
BYLINE_START = re.compile(r"^(?:oleh|penulis|reporter|rep|redaktur|editor)\b\s*:?\s+(?=\S)", re.I)
# A byline is short; a longer element starting with "Oleh" is a sentence.
BYLINE_MAX_CHARS = 120
# Elements a visible byline may be, and the text nodes that can open one (BYLINE_START then checks
# the element's whole text).
BYLINE_TAGS = ("td", "div", "span", "p", "li")
BYLINE_NODE = re.compile(r"\s*(?:oleh|penulis|reporter|rep|redaktur|editor)\b", re.I)
# Every text node of the page body; filtering them with a regex in Python is faster than XPath's
# string functions.
BODY_TEXT_NODES = etree.XPath("//body//text()")
# The same as plain strings, three times cheaper: a first look whether any node can match at all.
BODY_TEXTS = etree.XPath("//body//text()", smart_strings=False)
TEXT_NODES_FROM = etree.XPath("descendant::text() | following::text()")
# A dateline shown under the headline is short and carries a time of day ("…, 10:45 WIB").
DATELINE_MAX_CHARS = 80
TIME_OF_DAY = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
# A text node that may hold a time of day.
TIMED_NODE = re.compile(r"\d[:.]\d\d")
# Feeds and sitemaps fetched as pages: their root element says they list other pages.
FEED_ROOT = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF|urlset|sitemapindex)\b", re.S | re.I)
# An image block (the image, its caption and photo credit) holds at most this much text and no
# paragraphs; more text than this next to an image is story, not a caption.
CAPTION_MAX_CHARS = 600
# The first line of a later section opening like this (after an optional heading line) marks an
# older story appended by the editors.
APPENDED_HEADING_CHARS = 120




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
    if m is None:
        # Undeclared and not UTF-8: without a single valid multi-byte sequence it is the web's
        # single-byte default (windows-1252, as browsers read it), not UTF-8 with broken bytes.
        text = html.decode("utf-8", errors="replace")
        if not UTF8_LETTER.search(text):
            return html.decode("cp1252", errors="replace")
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


def _parse(html: bytes | str, url: str) -> etree._Element:
    text = _decode(html, url)
    if text[:4096].count("\x00") > MAX_NUL_SHARE * min(len(text), 4096):
        raise ExtractionError(url, "undecodable page: binary content")
    text = text.replace("\x00", "")  # the parser would turn it into U+FFFD
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        raise ExtractionError(url, "empty page")
    # No check for </body></html>: HTML5 lets a page omit both and a saved fragment has neither.
    # A body cut short is known where it was downloaded (``extract_article(truncated=True)``).
    try:
        return lxml_html.document_fromstring(text, parser=HTML_PARSER)
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
            if sel.attr or sel.css == "title":
                title = _strip_site_name(title, tree, profile)
            return title
    return " ".join(str((ld_article or {}).get("headline") or "").split())


def _strip_site_name(title: str, tree, profile: Profile) -> str:
    """``title`` without a trailing "| Site Name": the profile's pattern, then the page's own
    ``og:site_name`` (subsites and reposts carry a name no profile lists, e.g. "| ihram.co.id")."""
    if profile.title_suffix:
        title = profile.title_suffix.sub("", title)
    site_name = _meta(tree, "og:site_name")
    if site_name:
        suffix = re.compile(r"\s*[|–—-]\s*" + re.escape(site_name) + r"\s*$", re.I)
        stripped = suffix.sub("", title)
        if stripped.strip():
            title = stripped
    return title.strip()


def _labelled_byline(text: str) -> str | None:
    """The person in a byline of labelled fields ("Reporter : A  Redaktur : B  Sumber : x"): the
    reporter or writer first, else the editor; None when the text has no such labels."""
    fields: dict[str, str] = {}
    matches = list(BYLINE_LABEL.finditer(text))
    if not matches:
        return None
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end():end].strip(" /,;-|")
        if value:
            fields.setdefault(m.group(1).lower(), value)
    for label in BYLINE_PERSON_ORDER:
        if label in fields:
            return fields[label]
    return None


def _short_text(el, limit: int, sep: str = "") -> str | None:
    """``el``'s whitespace-normalised text, or None as soon as it is longer than ``limit``: reads only
    as much of the subtree as needed, so scanning every element of a large page stays linear."""
    parts: list[str] = []
    size = 0
    for piece in el.itertext():
        size += len(piece.strip())
        if size > limit:
            return None
        parts.append(piece)
    return " ".join(sep.join(parts).split())


def _outermost_short(node, limit: int, sep: str, accept) -> tuple[etree._Element, str] | None:
    """For a text node of the page: the outermost element around it whose whole text stays within
    ``limit`` characters and satisfies ``accept(element, text)``, with that text; None if none does.
    Only elements whose text starts at or before the node are reachable, and an ancestor precedes
    its descendants in document order, so this is the element a document-order scan finds first."""
    el = node.getparent()
    if el is not None and node.is_tail:
        el = el.getparent()
    found = None
    while el is not None and isinstance(el.tag, str):
        text = _short_text(el, limit, sep)
        if text is None:
            break
        if accept(el, text):
            found = (el, text)
        el = el.getparent()
    return found


def _visible_byline(tree) -> str | None:
    """A byline no profile selector knows: the first short element reading "Oleh Nama" or
    "Reporter : Nama" (a byline table is read whole, so the reporter beats the editor row). Only
    text nodes that open with a byline word are looked at (an XPath filter, in C)."""
    def accept(el, text: str) -> bool:
        return el.tag in BYLINE_TAGS and BYLINE_START.match(text) is not None

    if not any(BYLINE_NODE.match(text) for text in BODY_TEXTS(tree)):
        return None
    for node in BODY_TEXT_NODES(tree):
        if not BYLINE_NODE.match(node):
            continue
        hit = _outermost_short(node, BYLINE_MAX_CHARS, " ", accept)  # cells and rows are separate fields
        if hit is None:
            continue
        el, text = hit
        table = next(el.iterancestors("table"), None)
        if table is not None:
            text = " ".join(" ".join(table.itertext()).split())  # cells are separate fields
        return _labelled_byline(text) or BYLINE_START.sub("", text).strip() or None
    return None


def _author(tree, ld_article: dict | None, profile: Profile) -> str | None:
    author = _first(tree, profile.author)
    if author:
        author = _labelled_byline(" ".join(author.split())) or author
    if not author:
        author = _visible_byline(tree)
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
        published = _dateline_after_headline(tree)
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


def _dateline_after_headline(tree) -> datetime | None:
    """The first short date-and-time line after the headline (outside links and lists), for
    templates no profile selector knows; sidebars list their own dated headlines, so only the
    text after the page's <h1> (or, without one, the whole page in order) is searched. Only text
    nodes holding a time of day are looked at (an XPath filter, in C)."""
    if not any(TIMED_NODE.search(text) for text in BODY_TEXTS(tree)):
        return None
    h1 = next(iter(tree.xpath("//h1")), None)
    before = set(h1.iterancestors()) if h1 is not None else set()

    def accept(el, text: str) -> bool:
        return (el not in before and el.tag not in ("script", "style", "a", "li", "title")
                and TIME_OF_DAY.search(text) is not None)

    for node in TEXT_NODES_FROM(h1) if h1 is not None else BODY_TEXT_NODES(tree):
        if not TIMED_NODE.search(node):
            continue
        hit = _outermost_short(node, DATELINE_MAX_CHARS, "", accept)
        if hit is None:
            continue
        el, text = hit
        if any(a.tag in ("a", "li", "head") for a in el.iterancestors()):
            continue
        if (dt := parse_date_text(text)) is not None:
            return dt
    return None


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
    """The profile's URL rule the page's path (and query) matches. A root URL or a query-keyed URL
    (WordPress ``/?p=123``) is no evidence by itself: small sites put a story on either; the four
    site profiles list their own home pages."""
    parts = urlsplit(url)
    target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    for pattern in profile.listing_url:
        if pattern.search(target):
            return f"an index or listing URL (matches {pattern.pattern!r})"
    return None


def _listing_evidence(tree, ld: list[dict], body: Body) -> str | None:
    """Why the page is a list of other pages, judged on its body (``body``: the element chosen as
    the story, or the whole page), or None if it may be an article. Comment lists, teaser
    ``<article>`` cards and a sidebar full of links are no evidence: only a body that is itself
    mostly links with almost no prose paragraphs is, or a JSON-LD collection type with such a body."""
    if _ld_article(ld) is not None or (_meta(tree, "og:type") or "").lower() == "article":
        return None
    if body.prose_paragraphs >= LISTING_MAX_PROSE:
        return None
    if any(_types(obj) & LISTING_TYPES for obj in ld):
        return f"JSON-LD says it is a collection or item list, and its body has {body.prose_paragraphs} prose paragraphs"
    plain = body.text_chars - body.link_chars
    if (body.link_chars >= LISTING_MIN_LINK_CHARS and body.link_density >= LISTING_MIN_LINK_SHARE
            and plain <= LISTING_MAX_PLAIN_CHARS):
        return (f"its body is {body.link_density:.0%} link text with {body.prose_paragraphs} prose paragraphs"
                " (a list of links)")
    return None


# ---------------------------------------------------------------------------------------------
# Body

# An image block never extends past these: they are the structure of the story itself.
BLOCK_STOP_TAGS = {"p", "article", "main", "section", "td", "li", "blockquote"}


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
        if el.get(BODY_MARK) is not None or el.find(f".//*[@{BODY_MARK}]") is not None:
            continue  # a selector naming the story's own block (``.widget`` around a blog post)
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


def _trafilatura_text(root) -> str:
    text = trafilatura.extract(root, fast=True, include_comments=False, include_tables=True,
                               include_images=False, include_links=False, deduplicate=False,
                               favor_recall=True)
    return text or ""


def _has_story_structure(el) -> bool:
    """Whether ``el`` holds paragraphs, headings, quotes, list items with prose or two runs of prose
    between line breaks: the structure of a story. Share-button lists (links and icons only) and a
    caption with its credit on a second line ("…<br>Foto © Nama") do not count."""
    if el.xpath(".//p[normalize-space()] | .//h1 | .//h2 | .//h3 | .//h4 | .//blockquote"):
        return True
    if el.find(".//br") is not None:
        runs = "".join(t if isinstance(t, str) else "\n" for t in _text_and_breaks(el)).split("\n")
        if sum(1 for run in runs if len(run.strip()) >= PROSE_RUN_CHARS) >= 2:
            return True
    for li in el.iter("li"):
        text = len(" ".join("".join(li.itertext()).split()))
        links = sum(len(" ".join("".join(a.itertext()).split())) for a in li.iter("a"))
        if text - links >= PROSE_RUN_CHARS:
            return True
    return False


def _text_and_breaks(el):
    """``el``'s text pieces in order, with None where a <br> is."""
    if el.text:
        yield el.text
    for child in el:
        if child.tag == "br":
            yield None
        elif isinstance(child.tag, str):
            yield from _text_and_breaks(child)
        if child.tail:
            yield child.tail


def _prune_image_blocks(root) -> None:
    """Drop each image together with its caption and photo credit: the largest block around an
    <img> that holds no paragraph, line break, list or heading and little text. Saved pages put the
    credit ("Republika/Nama Fotografer") and caption in <div>s beside the image, which generic
    extraction keeps as if they were the first lines of the story."""
    body = root.find("body")
    for img in list(root.iter("img")):
        if img.getparent() is None:
            continue  # already dropped with an earlier image's block
        block = None
        el = img.getparent()
        while el is not None and el is not body and el.tag not in ("body", "html") and el is not root:
            if el.tag in BLOCK_STOP_TAGS or _short_text(el, CAPTION_MAX_CHARS) is None:
                break
            if _has_story_structure(el) or el.get(BODY_MARK) is not None:
                break
            block = el
            el = el.getparent()
        if block is not None and block.getparent() is not None and block.getparent() is not root:
            block.drop_tree()


def _working_copy(tree, container, span: Sequence = ()):
    """A copy to prune: the container inside ``<html><body><article>``, or the whole page. With a
    ``span`` (consecutive children of the container), only those children and what lies between."""
    if container is None:
        return copy.deepcopy(tree)
    article = lxml_html.Element("article")
    if span:
        shell = copy.copy(container)  # the element with its attributes, without children
        for child in list(shell):
            shell.remove(child)
        shell.text = None
        siblings = list(container)
        first, last = siblings.index(span[0]), siblings.index(span[-1])
        for child in siblings[first:last + 1]:
            shell.append(copy.deepcopy(child))
        shell[-1].tail = None
        article.append(shell)
    else:
        article.append(copy.deepcopy(container))
    article[0].tail = None
    body = lxml_html.Element("body")
    body.append(article)
    root = lxml_html.Element("html")
    root.append(body)
    return root


def _body_blocks(tree, profile: Profile, found: Body | None = None) -> list[list[str]]:
    """The raw text lines of each page/section block of one page (before cleaning). ``found`` is
    the structural body of a page no profile container matched."""
    container = _container(tree, profile)
    span: Sequence = ()
    if container is None:
        found = found or find_body(tree)
        container, span = found.element, found.span
    guard = found.best if found is not None and found.best is not None else None
    if guard is not None:
        guard.set(BODY_MARK, "")
    try:
        root = _working_copy(tree, container, span)
    finally:
        if guard is not None:
            del guard.attrib[BODY_MARK]
    _prune(root, profile)
    _prune_image_blocks(root)
    flatten_tables(root)
    blocks = _blocks(root, profile)
    for block in blocks[1:]:
        mark = lxml_html.Element("p")
        mark.text = SECTION_MARK
        block.addprevious(mark)
    if container is not None:
        # On a structurally found body the reader, knowing the markup, drops the trailing labels.
        lines = read_lines(root, trailing=found is not None)
    else:
        # A whole page: trafilatura tells the story from the furniture; the reader stands in when
        # it finds next to nothing (short lines it takes for labels).
        lines = _trafilatura_text(root).splitlines()
        if sum(map(len, lines)) < MIN_BODY_CHARS:
            lines = read_lines(root)
    out: list[list[str]] = [[]]
    for line in map(clean_string, lines):
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


def _clean_blocks(blocks: list[list[str]], profile: Profile, *, trailing: bool = True) -> list[list[str]]:
    """Clean each block; stop at the block where the story ends (footer, initials, appended story).
    ``trailing=False``: the reader already dropped the body's trailing labels."""
    kept: list[list[str]] = []
    promo_seen = False  # "Sebelumnya," opens an appended story only after a video promo
    for index, raw in enumerate(blocks):
        lines = [line.strip() for line in raw if line.strip()]
        if index > 0 and promo_seen and _is_appended_story(lines, profile):
            break
        promo_seen = promo_seen or any(VIDEO_PROMO.match(line) for line in lines)
        if index > 0 and lines and cut_index([""] + lines, profile) == 1:
            break  # the block opens with a footer header: nothing after it is story
        cleaned = clean_lines(lines, profile, trailing=trailing)
        ended = cut_index(lines, profile) < len(lines)
        if cleaned:
            kept.append(cleaned)
        if ended:
            break
    return kept


def _assemble(url: str, site: str, title: str, blocks: list[list[str]], published, modified,
              author: str | None, body_kind: str = "story") -> Article:
    """The Article; every string in it is stripped of control, bidi-override and invisible
    characters here, whichever path produced it (extract.sanitize)."""
    parts: list[str] = []
    sections: list[tuple[int, int]] = []
    offset = 0
    for raw_lines in blocks:
        lines = [line for line in (clean_string(x).strip() for x in raw_lines) if line]
        if not lines:
            continue
        block = "\n".join(lines)
        if parts:
            offset += 1  # the "\n" joining blocks
        sections.append((offset, offset + len(block)))
        parts.append(block)
        offset += len(block)
    text = "\n".join(parts)
    return Article(url=clean_string(url), site=site, title=" ".join(clean_string(title).split()), text=text,
                   published_at=to_iso(published), modified_at=to_iso(modified), author=clean_optional(author),
                   content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                   sections=sections if len(sections) > 1 else [], body_kind=body_kind)


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
                    now: datetime | None = None, truncated: bool = False) -> Article:
    """The article on a page. ``url`` is the page's real URL; ``more_pages`` are its further pages
    (detik ``/2``, ``/3`` fetched separately), merged in order; ``now`` lets a relative date
    ("15 jam lalu") stand in when the page has no absolute one. ``truncated=True`` says the body is
    known to be cut short (the HTTP layer saw a Content-Length mismatch, data loss or a cut gzip
    stream): such a page is refused rather than stored half.

    Raises ``NotAnArticle`` for index/listing pages, ``ExtractionError`` when there is no usable body.
    """
    if truncated:
        raise ExtractionError(url, "truncated page: the download was cut short")
    site = site_of(url)
    profile = load_profile(site)
    if reason := _is_listing_url(url, profile):
        raise NotAnArticle(url, f"not an article: {reason}")
    if FEED_ROOT.match(_decode(html, url)[:2048]):
        raise NotAnArticle(url, "not an article: a feed or sitemap document")
    tree = _parse(html, url)
    ld = _json_ld(tree)
    container_found = _container(tree, profile) is not None
    found = None
    if not container_found:
        found = find_body(tree)
        if reason := _listing_evidence(tree, ld, found):
            raise NotAnArticle(url, f"not an article: {reason}")
    ld_article = _ld_article(ld)
    title = _title(tree, ld_article, profile)
    published, modified = _dates(tree, ld_article, profile, url, now)
    author = _author(tree, ld_article, profile)
    canonical = _canonical(tree, url)
    page_blocks = _body_blocks(tree, profile, found)
    for number, page in enumerate(more_pages, start=2):
        try:
            page_blocks += _body_blocks(_parse(page, f"{url} (page {number})"), profile)
        except ExtractionError as exc:
            raise ExtractionError(url, f"page {number} of the article: {exc.reason}") from exc
    read_by_structure = found is not None and found.element is not None
    blocks = _clean_blocks(_dedupe_pages([b for b in page_blocks if any(x.strip() for x in b)]), profile,
                           trailing=not read_by_structure) \
        if not more_pages else _clean_pages(page_blocks, profile)
    if blocks and blocks[0] and title and blocks[0][0] == title:
        blocks[0] = blocks[0][1:]  # whole-page extraction may repeat the headline; it is not body text
    text_len = sum(len(line) for block in blocks for line in block)
    if text_len < MIN_BODY_CHARS:
        if container_found and (reason := _listing_evidence(tree, ld, find_body(tree))):
            raise NotAnArticle(url, f"not an article: {reason}")
        captions = _caption_lines(tree, profile, title)
        if sum(map(len, captions)) >= MIN_BODY_CHARS:
            return _assemble(canonical, site, title, [captions], published, modified, author, body_kind="captions")
        raise ExtractionError(url, f"no usable article body ({text_len} characters of text after cleaning)")
    return _assemble(canonical, site, title, blocks, published, modified, author)


def _caption_lines(tree, profile: Profile, title: str) -> list[str]:
    """The photo captions of a page in order, one per line (a caption nested in another is read
    once; a repeated caption or the headline once more is not), cleaned like body lines: the story
    of a photo or gallery page without prose."""
    if profile.captions is None:
        return []
    lines: list[str] = []
    taken: set = set()
    for el in profile.captions(tree):
        if any(a in taken for a in el.iterancestors()):
            continue
        taken.add(el)
        text = " ".join(" ".join(t for t in _visible_texts(el)).split())
        if profile.caption_credit is not None:
            text = profile.caption_credit.sub("", text).strip()
        if text and text != title and text not in lines:
            lines.append(text)
    return clean_lines(lines, profile, trailing=False)


def _visible_texts(el):
    """``el``'s text pieces without those of scripts and styles."""
    if el.text and el.tag not in ("script", "style"):
        yield el.text
    for child in el:
        if isinstance(child.tag, str) and child.tag not in ("script", "style"):
            yield from _visible_texts(child)
        if child.tail:
            yield child.tail


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
            fragment = lxml_html.document_fromstring(f"<html><body><div>{body_html}</div></body></html>",
                                                     parser=HTML_PARSER)
        except (etree.ParserError, ValueError) as exc:
            raise ExtractionError(url, f"API item body_html is not parseable HTML: {exc}") from exc
        _prune(fragment, profile)
        lines = read_lines(fragment)
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
