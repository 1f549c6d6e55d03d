"""Reading the chosen body element as paragraphs: one line per text run of a block.

A run is a block's own text with its inline descendants, ending at a ``<br>`` or a child block, so a
story written as paragraphs, as text directly in ``<div>``s separated by line breaks, as list
items, headings or ``<pre>`` lines comes out one paragraph per line. What a body element still holds
besides its story is dropped structurally, in any language:

* elements never read (scripts, forms' controls, media, ruby readings ``<rt>``/``<rp>``, hidden
  elements) and furniture named by its class or id (share bars, related lists, tag lists, bylines
  and captions: ``JUNK_PARTS``, matched as whole word parts of the name);
* lines that are mostly link text (menus, teaser headlines, "read more" links);
* headings left with nothing under them once their links are gone ("Related articles" over a list).

The element marked as the story's own (``BODY_MARK``) and its ancestors are never dropped by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.body import INLINE_TAGS
from extract.cleaning import DATELINE_ALONE, MAX_TRAILING_HEADLINE_CHARS, SENTENCE_END, WIDE_SCRIPT

# Set on the element holding most of the story's prose (see extract.article): never dropped.
BODY_MARK = "data-pantau-body"
# Never read: code, styling, media, form controls, ruby readings, page furniture by tag.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "head", "title", "button", "select", "option", "textarea",
    "input", "svg", "iframe", "object", "embed", "canvas", "video", "audio", "map", "rt", "rp", "nav",
    "aside", "footer", "figcaption", "menu", "dialog",
})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Furniture inside a body, by the name in its class or id. A class token (or the id) equal to one of
# JUNK_TOKENS, or with one of JUNK_PARTS among its "-"/"_" parts, names furniture; parts after a
# "--" are a modifier ("section--ads" is a section that has ads in it) and do not count.
JUNK_TOKENS = frozenset({
    "advert", "adverts", "advertisement", "author-box", "authorbox", "wp-caption-text", "tags", "post-tags",
    "tag-list", "sr-only", "visually-hidden", "screen-reader-text", "noprint", "print-only", "d-none",
})
JUNK_PARTS = frozenset({
    "share", "sharing", "shares", "social", "socials", "sharebar", "sharedaddy", "related", "relatedposts",
    "recommended", "recommendations", "newsletter", "subscribe", "subscription", "breadcrumb",
    "breadcrumbs", "tagcloud", "taglist", "pagination", "pager", "paging", "promo", "teaser", "teasers",
    "sponsor", "sponsored", "comment", "comments", "sidebar", "cookie", "cookies", "consent",
    "modal", "popup", "toolbar", "rating", "ratings", "author", "authors", "caption", "byline", "credit",
    "credits", "copyright", "meta", "postmeta", "entrymeta", "ads", "ad", "disclaimer", "disclosure", "cta",
    "buybox", "kommentar", "kommentare", "embed", "notice",
})
_PART_SPLIT = re.compile(r"[-_]+")
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# A line whose text is at least this share link text is a menu item, a teaser headline or a
# "read more" link, not story.
LINK_LINE_SHARE = 0.8
# A heading this long is a deck or a lead written as a heading, never the title of a furniture block.
TITLE_LABEL_MAX_CHARS = 80
# Blocks that hold paragraphs of a story written in markup (not loose text in <div>s or <span>s).
PARAGRAPH_TAGS = frozenset({"p", "li", "dd", "dt", "blockquote", "pre", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"})
# Lines of a list, definition list or table: items of the story even when short and unpunctuated.
ITEM_TAGS = frozenset({"li", "dd", "dt", "td", "th"})
# When paragraphs hold this share of a body's text, loose text beside them is dropped.
LOOSE_TEXT_MIN_SHARE = 0.8
# ... except a dateline before the first paragraph ("<strong>Jakarta</strong> - <p>…") and a loose
# line this long that ends like a sentence (a lead written in a <div>).
LOOSE_PROSE_CHARS = 80
# Teasers: a linked headline and a summary of at most this many characters, this many in a row.
TEASER_SUMMARY_MAX_CHARS = 300
TEASER_MIN_RUN = 2
# A line this short ending in ":" announces what follows, like a heading of the lowest rank.
LABEL_MAX_CHARS = 60
LABEL_LEVEL = 7


@dataclass
class Line:
    text: str
    links: int
    level: int = 0  # 1-6 for <h1>-<h6>, 0 for other lines
    keep: bool = False  # <pre> lines are kept whatever their links
    tag: str = "p"  # the block element the line is text of


def junk_name(value: str) -> bool:
    """Whether a class or id value names furniture (see JUNK_TOKENS)."""
    for token in value.lower().split():
        if token in JUNK_TOKENS:
            return True
        if not JUNK_PARTS.isdisjoint(_PART_SPLIT.split(token.split("--", 1)[0])):
            return True
    return False


def _junk_named(el) -> bool:
    cls, ident = el.get("class"), el.get("id")
    if not ((cls and junk_name(cls)) or (ident and junk_name(ident))):
        return False
    return el.get(BODY_MARK) is None and el.find(f".//*[@{BODY_MARK}]") is None


def _hidden(el) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style) and "none" in style and HIDDEN_STYLE.search(style) is not None


def _skipped(el) -> bool:
    """Not read at all: by tag, hidden, or furniture by name (never the story's own element)."""
    tag = el.tag
    if not isinstance(tag, str):
        return True
    if tag in SKIP_TAGS:
        return el.get(BODY_MARK) is None and el.find(f".//*[@{BODY_MARK}]") is None
    return _hidden(el) or _junk_named(el)


class _Reader:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.pieces: list[str] = []
        self.links = 0
        self.level = 0
        self.tag = "p"

    def flush(self) -> None:
        if self.pieces:
            text = " ".join("".join(self.pieces).split())
            if text:
                self.lines.append(Line(text, min(self.links, len(text)), self.level, tag=self.tag))
        self.pieces = []
        self.links = 0

    def text(self, value: str | None, in_link: bool) -> None:
        if value:
            self.pieces.append(value)
            if in_link:
                self.links += len(value.strip())

    def block(self, el, in_link: bool = False) -> None:
        """Read a block element: its runs, and its child blocks in order (``in_link``: the block is
        inside a link, a card whose whole text links to another page)."""
        self.flush()
        outer_level, outer_tag = self.level, self.tag
        self.tag = el.tag
        if el.tag in HEADING_TAGS:
            self.level = int(el.tag[1])
        if el.tag == "pre":
            for raw in "".join(t for t in _texts(el)).splitlines():
                if raw.strip():
                    self.lines.append(Line(raw.rstrip(), 0, keep=True, tag="pre"))
        else:
            link = in_link or el.tag == "a"
            self.text(el.text, link)
            self.inline(el, link)
        self.flush()
        self.level, self.tag = outer_level, outer_tag

    def inline(self, node, in_link: bool) -> None:
        for child in node:
            tag = child.tag
            if isinstance(tag, str) and not _skipped(child):
                if tag == "br":
                    self.flush()
                elif tag in INLINE_TAGS:
                    link = in_link or tag == "a"
                    self.text(child.text, link)
                    self.inline(child, link)
                else:
                    self.block(child, in_link)
            self.text(child.tail, in_link)


def _texts(el):
    """Text of ``el`` without the elements never read (a <pre> may hold a <script>)."""
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str) and not _skipped(child):
            yield from _texts(child)
        if child.tail:
            yield child.tail


def _label_level(line: Line) -> int:
    """A heading's level; a short line announcing what follows ("More on this:", "Sources:") ranks
    below every heading; 0 for other lines."""
    if line.level:
        return line.level
    return LABEL_LEVEL if len(line.text) <= LABEL_MAX_CHARS and line.text.endswith(":") else 0


def _is_link_line(line: Line) -> bool:
    return not line.keep and line.links >= LINK_LINE_SHARE * len(line.text)


def _teaser_summaries(lines: list[Line]) -> set[int]:
    """Indexes of the summaries in a run of teasers: a linked headline, then a short text, at
    least TEASER_MIN_RUN times in a row ("More on this" cards whose text is not all link)."""
    out: set[int] = set()
    i = 0
    while i < len(lines):
        run: list[int] = []
        j = i
        while (j + 1 < len(lines) and _is_link_line(lines[j]) and not _is_link_line(lines[j + 1])
               and not lines[j + 1].level and len(lines[j + 1].text) <= TEASER_SUMMARY_MAX_CHARS):
            run.append(j + 1)
            j += 2
        if len(run) >= TEASER_MIN_RUN:
            out.update(run)
            i = j
        else:
            i += 1
    return out


def _drop_trailing_labels(lines: list[Line]) -> list[Line]:
    """extract.cleaning's trailing-headline rule, knowing the markup: short unpunctuated lines at
    the end go (headline lists, widget titles, a "follow us" line), but not the items of a list or
    table, nor <pre> lines (a story may end with its ingredients, specifications or a command)."""
    if not any(SENTENCE_END.search(line.text) for line in lines):
        return lines
    end = len(lines)
    while end > 1:
        line = lines[end - 1]
        if (line.keep or line.tag in ITEM_TAGS or len(line.text) > MAX_TRAILING_HEADLINE_CHARS
                or SENTENCE_END.search(line.text) or WIDE_SCRIPT.search(line.text)):
            break
        end -= 1
    return lines[:end]


def read_lines(root, *, trailing: bool = False) -> list[str]:
    """The paragraphs of ``root`` (a working copy of the body), furniture dropped; with
    ``trailing``, short unpunctuated lines ending the body too (see _drop_trailing_labels)."""
    reader = _Reader()
    start = root.find("body")
    reader.block(start if start is not None else root)
    lines = reader.lines
    paragraphs = sum(len(line.text) for line in lines if line.tag in PARAGRAPH_TAGS and not _is_link_line(line))
    total = sum(len(line.text) for line in lines if not _is_link_line(line))
    if total and paragraphs >= LOOSE_TEXT_MIN_SHARE * total:
        # A body written in paragraphs: text loose in <div>s and <span>s beside them is furniture
        # (dates, bylines, widget labels); a body written as text in <div>s keeps it.
        lines = [line for line in lines if line.tag in PARAGRAPH_TAGS or line.level or line.keep
                 or (len(line.text) >= LOOSE_PROSE_CHARS and SENTENCE_END.search(line.text))
                 or DATELINE_ALONE.match(line.text)]
    teasers = _teaser_summaries(lines)
    kept: list[Line] = []
    for i, line in enumerate(lines):
        if _is_link_line(line) or i in teasers:
            continue
        level = _label_level(line)
        if level and not line.keep and len(line.text) <= TITLE_LABEL_MAX_CHARS:
            # A heading or label over links (over nothing once they are gone), over a heading of
            # its own rank or higher, or ending the body titles furniture: "Related articles".
            after = lines[i + 1] if i + 1 < len(lines) else None
            if after is None or _is_link_line(after) or 0 < after.level <= level:
                continue
        kept.append(line)
    if trailing:
        kept = _drop_trailing_labels(kept)
    return [line.text for line in kept]
