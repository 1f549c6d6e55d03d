"""Where the story is on a page no profile selector knows: one walk over the page scores every block
by the prose it holds, and the body is the block holding the most prose, widened to the ancestor
that also holds its lead, headings and sibling blocks, but not the page's sidebars and lists.

Prose is non-link text in runs (text between line breaks and block boundaries) of at least
``PROSE_RUN_CHARS``: menus, sidebars and related-article lists are links and short labels, so they
score about nothing. A paragraph's prose is credited to the element holding the paragraphs, so the
best element is the one whose own paragraphs say the most. Comment lists, sidebars and ``noscript``
copies are never scored (``GUARD_PARTS``, ``SKIP_TAGS``). The same walk measures text and link text
of every subtree, which gives the link density of the body (the evidence that a page is a listing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

# Text runs (a <p>, or text between <br>s) shorter than this are labels and links, not story prose.
PROSE_RUN_CHARS = 40
# A run counts as a full prose paragraph (listing evidence) from this many characters.
PROSE_PARAGRAPH_CHARS = 80
# Inline elements whose text belongs to the run around them.
INLINE_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var",
    "label", "big", "del", "ins", "nobr", "wbr", "img", "picture", "math", "ruby", "rb",
})
# Never the body, and nothing inside them is scored: code, styling, media, form controls, ruby
# readings, image captions, and the <noscript> copy some pages put next to the real content.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "head", "title", "option", "textarea", "svg", "iframe",
    "object", "embed", "canvas", "video", "audio", "map", "rt", "rp", "figcaption",
})
# Page furniture: not scored, and its text counts like link text against widening the body over it.
# A <form> is a comment or search form, unless it holds the headline (ASP.NET wraps whole pages in one).
CHROME_TAGS = frozenset({"nav", "footer", "aside", "form", "select", "button"})
# Paragraph-like blocks: their prose is credited to the element that holds them.
PARAGRAPH_TAGS = frozenset({"p", "blockquote", "pre", "dd"})
# Headlines are not the body, though their text counts for the element holding them.
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Word parts of class/id values (split at "-", "_" and spaces, never substrings: "has-commentary"
# is not caught). Comment lists are never the body and are not scored at all.
COMMENT_PARTS = frozenset({"comment", "comments", "commentlist", "comentarios", "kommentare", "disqus", "respond"})
# Sidebars and cookie or consent dialogs (whose notices read like prose) are scored but not chosen,
# unless the rest of the page holds almost no prose: then the element so named is a wrapper named
# after its layout ("sidebar-and-content", a theme that puts the post in its sidebar).
# A sidebar-named element is a wrapper when the rest of the page holds less than this share of the
# page's prose.
NAMED_WRAPPER_MAX_REST = 0.2
SIDEBAR_PARTS = frozenset({"sidebar", "sidebars", "widgetarea", "cookie", "cookies", "consent", "gdpr", "modal",
                           "popup"})
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _word_parts(words: frozenset[str]) -> re.Pattern:
    """Matches a class or id value containing one of ``words`` as a whole part, outside a "--"
    modifier ("item-content__row--sidebar" is a row that has a sidebar beside it) and not after
    "has-", "with-" or "no-" (a wrapper's layout: "main-content has-double-sidebar" is not caught,
    "has-sidebar" is not either)."""
    return re.compile(r"(?:^|[\s_]|(?<!-)-)(?<!\bhas-)(?<!\bwith-)(?<!\bno-)(?:" + "|".join(sorted(words))
                      + r")(?=$|[\s_-])", re.I)


COMMENT_NAME = _word_parts(COMMENT_PARTS)
SIDEBAR_NAME = _word_parts(SIDEBAR_PARTS)
# CJK, kana and hangul carry about three Latin letters' worth of text each: a 30-character Chinese
# sentence is a paragraph.
WIDE_SCRIPT = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
WIDE_WEIGHT = 3
# The body is the ancestor of the best element (or that element) whose prose most outweighs its
# link text (menus, share bars, related lists, page chrome): prose - LINK_COST * links. Short
# labels (captions, bylines, ingredient lines) cost nothing here; the reader sorts them out.
LINK_COST = 1.0
# A sibling of the body with more link text than this share of its text ends the story there.
SIBLING_MAX_LINK_SHARE = 0.3
# A sibling joins the story when it holds a full prose paragraph and this share of its text is
# prose; short text (a heading, a caption, a credit, a date line) neither joins nor ends it, and is
# kept when it lies between joined siblings.
SIBLING_MIN_PROSE_SHARE = 0.5
# A wrapper around the body adding at most this share of its text is the body too (sibling span).
WRAPPER_SLACK = 0.05
# A body holding less prose than this is no body: the page is read whole.
MIN_BODY_PROSE = 2 * PROSE_PARAGRAPH_CHARS


@dataclass
class Stats:
    """Characters in one element: its own runs (``direct_*``) and its whole subtree."""

    direct_prose: int = 0  # own runs plus the runs of its paragraph children (ranks the best element)
    prose: int = 0  # own runs and every descendant's
    # Text of page chrome inside (nav, footer, aside, forms, comment lists, sidebars): counted as
    # link text, since like a menu it is never story.
    text: int = 0
    links: int = 0
    paragraphs: int = 0


@dataclass(frozen=True)
class Body:
    """The chosen body element (None: read the whole page), the element with the most prose of
    its own (``best``, kept from every prune selector), and what the body holds."""

    element: etree._Element | None
    best: etree._Element | None
    text_chars: int
    link_chars: int
    prose_paragraphs: int
    page_prose: int
    # When set, only these children of ``element`` (consecutive siblings) are the story.
    span: tuple = ()

    @property
    def link_density(self) -> float:
        return self.link_chars / self.text_chars if self.text_chars else 0.0


def weighted_len(text: str) -> int:
    n = len(text)
    if n and max(text) >= "\u2e80":
        n += (WIDE_WEIGHT - 1) * len(WIDE_SCRIPT.findall(text))
    return n


def _named(el, pattern: re.Pattern) -> bool:
    """Whether a class token or the id of ``el`` names what ``pattern`` matches; a token that also
    says "layout" describes a page layout ("c-fixed-sidebar-layout"), not the block itself."""
    for value in (el.get("class"), el.get("id")):
        if value and pattern.search(value):
            if any(pattern.search(token) and "layout" not in token.lower() for token in value.split()):
                return True
    return False


def _hidden(el) -> bool:
    """Not shown: the ``hidden`` attribute, ``aria-hidden``, or an inline ``display: none``."""
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style) and "none" in style and HIDDEN_STYLE.search(style) is not None


def _holds_headline(el) -> bool:
    return el.find(".//h1") is not None or el.find(".//main") is not None


def is_comment_list(el) -> bool:
    """A comment list or comment form by its class or id (not a page wrapper holding the headline)."""
    return _named(el, COMMENT_NAME) and not _holds_headline(el)


def side_block_kind(el) -> str | None:
    """"tag" for page chrome by its tag (nav, footer, aside), "name" for a sidebar or dialog by its
    class or id, None otherwise (or when it holds the headline: a page wrapper)."""
    kind = "tag" if el.tag in CHROME_TAGS else "name" if _named(el, SIDEBAR_NAME) else None
    if kind is None or _holds_headline(el):
        return None
    return kind


def _piece(text: str) -> int:
    """Weighted length of one text node, whitespace at its ends not counted."""
    text = text.strip()
    n = len(text)
    if n and max(text) >= "\u2e80":
        n += (WIDE_WEIGHT - 1) * len(WIDE_SCRIPT.findall(text))
    return n


def _read_block(el, skip: frozenset[str], in_link: bool = False) -> tuple[list[tuple[int, int]], int, list]:
    """``el``'s own text runs as (weighted non-link chars, link chars), the text of comment lists
    inside it (chrome), and the block descendants reached through inline content (scored on their
    own). Runs end at <br> and at block boundaries."""
    runs: list[tuple[int, int]] = []
    blocks: list = []
    prose = link = 0
    chrome = 0

    def inline(node, in_link: bool) -> None:
        nonlocal prose, link, chrome
        for child in node:
            tag = child.tag
            if isinstance(tag, str):
                if tag in INLINE_TAGS:
                    inner = in_link or tag == "a"
                    if child.text:
                        if inner:
                            link += _piece(child.text)
                        else:
                            prose += _piece(child.text)
                    if len(child):
                        inline(child, inner)
                else:
                    if prose or link:
                        runs.append((prose, link))
                        prose = link = 0
                    if tag == "br" or tag in skip or _hidden(child):
                        pass
                    elif is_comment_list(child):
                        chrome += sum(len(t.strip()) for t in child.itertext())
                    else:
                        blocks.append((child, in_link))
            if child.tail:
                if in_link:
                    link += _piece(child.tail)
                else:
                    prose += _piece(child.tail)

    own_link = in_link or el.tag == "a"
    if el.text:
        if own_link:
            link += _piece(el.text)
        else:
            prose += _piece(el.text)
    inline(el, own_link)
    if prose or link:
        runs.append((prose, link))
    return runs, chrome, blocks


@dataclass
class Measure:
    """Every scored element under a root in document order, its ``Stats``, its nearest scored
    ancestor (a block reached through an inline element skips that element) and scored children,
    and the elements that are never the body (inside a sidebar, dialog or page-chrome element).
    The stats of an element do not count the prose of such blocks inside it, and count their text
    as link text."""

    order: list
    stats: dict
    parents: dict
    kids: dict
    excluded: set


def measure(root, skip: frozenset[str] = SKIP_TAGS) -> Measure:
    """The ``Measure`` of ``root``'s subtree, in one walk."""
    stats: dict = {}
    order: list = []
    parents: dict = {}
    kids: dict = {}
    side: list = []
    stack = [(root, False)]
    while stack:
        el, linked = stack.pop()
        order.append(el)
        if el is not root and (kind := side_block_kind(el)) is not None:
            side.append((el, kind))
        runs, chrome, blocks = _read_block(el, skip, linked)
        s = Stats(text=chrome, links=chrome)
        for prose, link in runs:
            s.text += prose + link
            s.links += link
            if prose >= PROSE_RUN_CHARS:
                s.direct_prose += prose
                s.prose += prose
                if prose >= PROSE_PARAGRAPH_CHARS:
                    s.paragraphs += 1
        stats[el] = s
        kids[el] = [child for child, _ in blocks]
        for child, link in reversed(blocks):
            parents[child] = el
            stack.append((child, link))
    # Subtree sums, children before parents; a paragraph's prose also goes to its holder.
    for el in reversed(order):
        s = stats[el]
        parent = parents.get(el)
        if parent is None:
            continue
        p = stats[parent]
        p.prose += s.prose
        p.text += s.text
        p.links += s.links
        p.paragraphs += s.paragraphs
        if el.tag in PARAGRAPH_TAGS:
            p.direct_prose += s.direct_prose
    excluded: set = set()
    page_prose = stats[root].prose
    for block, kind in side:
        if kind == "name" and page_prose - stats[block].prose < NAMED_WRAPPER_MAX_REST * page_prose:
            continue  # a wrapper named after its layout
        ancestor = parents.get(block)
        while ancestor is not None and ancestor not in excluded:
            ancestor = parents.get(ancestor)
        if ancestor is not None:
            continue  # inside a sidebar already taken out
        b = stats[block]
        prose, paragraphs, plain = b.prose, b.paragraphs, b.text - b.links
        ancestor = parents.get(block)
        while ancestor is not None:
            a = stats[ancestor]
            a.prose -= prose
            a.paragraphs -= paragraphs
            a.links += plain
            ancestor = parents.get(ancestor)
        excluded.add(block)
    if excluded:
        inside: set = set()
        for el in order:  # document order: a parent is decided before its children
            parent = parents.get(el)
            if el in excluded or (parent is not None and parent in inside):
                inside.add(el)
        excluded = inside
    return Measure(order, stats, parents, kids, excluded)


def find_body(tree) -> Body:
    """The story's element on a page without a profile container (see the module docstring).
    A page with no body outside <noscript> (a script-rendered page's static copy) is read there."""
    root = tree.find("body")
    if root is None:
        root = tree
    body = _choose(root, SKIP_TAGS)
    if body.element is None and root.find(".//noscript") is not None:
        copy = _choose(root, SKIP_TAGS - {"noscript"})
        if copy.element is not None:
            return copy
    return body


def _choose(body, skip: frozenset[str]) -> Body:
    m = measure(body, skip)
    stats, parents = m.stats, m.parents
    page = stats[body]
    candidates = [el for el in m.order if el is not body and stats[el].direct_prose and el not in m.excluded
                  and el.tag not in HEADING_TAGS]
    if not candidates:
        return Body(None, None, page.text, page.links, page.paragraphs, page.prose)
    best = max(candidates, key=lambda el: stats[el].direct_prose)
    chosen, value = best, _value(stats[best])
    ancestor = parents.get(best)
    while ancestor is not None:
        if (v := _value(stats[ancestor])) > value:
            chosen, value = ancestor, v
        ancestor = parents.get(ancestor)
    if chosen is body or stats[chosen].prose < MIN_BODY_PROSE:
        return Body(None, best, page.text, page.links, page.paragraphs, page.prose)
    parent, span = _sibling_span(m, chosen, body)
    if span:
        total = Stats()
        for el in span:
            for field in ("text", "links", "paragraphs"):
                setattr(total, field, getattr(total, field) + getattr(stats[el], field))
        return Body(parent, best, total.text, total.links, total.paragraphs, page.prose, tuple(span))
    s = stats[chosen]
    return Body(chosen, best, s.text, s.links, s.paragraphs, page.prose)


def _story_sibling(m: Measure, el) -> bool | None:
    """Whether a sibling of the body continues the story (a lead, more paragraphs): True; is
    neutral (a heading, an image, a caption): None; or ends it (links, a sidebar, a comment
    list): False."""
    if el in m.excluded:
        return False
    s = m.stats[el]
    if not s.text:
        return None
    if s.links > SIBLING_MAX_LINK_SHARE * s.text:
        return False
    if s.paragraphs and s.prose >= SIBLING_MIN_PROSE_SHARE * s.text:
        return True
    return None


def _sibling_span(m: Measure, chosen, body) -> tuple[object, list]:
    """The parent and the siblings of ``chosen`` (or of the wrapper around it) that continue its
    story, with it, in order; (None, []) when there are none (the body is ``chosen`` alone). Read
    outwards from ``chosen`` until a sibling that ends the story."""
    parent = m.parents.get(chosen)
    # Wrappers that add (almost) no text of their own ("div.group" around "div.longText", a wrapper
    # adding a tag line) are the body too: the story's siblings are theirs.
    while (parent is not None and parent is not body
           and m.stats[parent].text - m.stats[chosen].text <= WRAPPER_SLACK * m.stats[chosen].text):
        chosen, parent = parent, m.parents.get(parent)
    if parent is None or parent is body:
        return None, []
    siblings = m.kids[parent]
    if any(el.getparent() is not parent for el in siblings):
        return None, []  # a block inside an inline element: no clean cut between siblings
    at = siblings.index(chosen)
    first = last = at
    for step, stop in ((-1, -1), (1, len(siblings))):
        i = at + step
        while i != stop:
            verdict = _story_sibling(m, siblings[i])
            if verdict is False:
                break
            if verdict:
                first, last = min(first, i), max(last, i)
            i += step
    if first == last:
        return None, []
    return parent, siblings[first:last + 1]


def _value(s: Stats) -> float:
    """How much more story than furniture an element holds (see LINK_COST)."""
    return s.prose - LINK_COST * s.links
