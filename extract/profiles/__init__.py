"""Per-site extraction profiles: data in ``<site>.toml``, compiled once into a ``Profile``.

Every site profile extends ``generic.toml`` (its lists are appended to the generic ones) unless it
sets ``inherit = false``. Unknown sites get the generic profile. Selectors are CSS; a trailing
``@attr`` reads that attribute instead of the element's text.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cssselect import GenericTranslator, SelectorError
from lxml import etree

PROFILE_DIR = Path(__file__).parent
LIST_KEYS = ("body", "sections", "prune", "title", "author", "author_strip", "date", "modified",
             "boilerplate", "end_markers", "listing_url", "captions")
# Site-specific selectors are more precise than the generic ones, so they come first.
SITE_FIRST = ("body", "title", "author", "date", "modified")
_translator = GenericTranslator()


@dataclass(frozen=True)
class Selector:
    """A compiled CSS selector; ``attr`` set means "read this attribute"."""

    css: str
    xpath: etree.XPath
    attr: str | None

    def values(self, tree) -> list[str]:
        found = []
        for el in self.xpath(tree):
            value = el.get(self.attr) if self.attr else " ".join(el.itertext())
            if value and value.strip():
                found.append(" ".join(value.split()))
        return found


@dataclass(frozen=True)
class Profile:
    site: str
    body: tuple[Selector, ...]
    sections: tuple[Selector, ...]
    prune: etree.XPath | None  # one union XPath: a single tree walk prunes every selector
    title: tuple[Selector, ...]
    title_suffix: re.Pattern | None
    author: tuple[Selector, ...]
    author_strip: tuple[re.Pattern, ...]
    date: tuple[Selector, ...]
    modified: tuple[Selector, ...]
    boilerplate: re.Pattern | None  # alternation of all boilerplate line patterns
    end_markers: re.Pattern | None
    cut_after_initials: bool
    appended_story_opening: re.Pattern | None
    listing_url: tuple[re.Pattern, ...]
    captions: etree.XPath | None = None  # photo captions, read as the body of a page without prose
    caption_credit: re.Pattern | None = None  # a photo credit ending a caption, cut from it


def _selector(spec: str, source: str) -> Selector:
    css, _, attr = spec.partition("@")
    try:
        xpath = etree.XPath(_translator.css_to_xpath(css.strip()))
    except (SelectorError, etree.XPathError) as exc:
        raise ValueError(f"profile {source}: invalid CSS selector {spec!r}: {exc}") from exc
    return Selector(css=css.strip(), xpath=xpath, attr=attr.strip() or None)


def _union_xpath(selectors: list[str], source: str, key: str) -> etree.XPath | None:
    """One XPath matching any of ``selectors`` (CSS), so a single evaluation finds them all."""
    if not selectors:
        return None
    try:
        return etree.XPath(" | ".join(_translator.css_to_xpath(c, prefix="descendant-or-self::") for c in selectors))
    except (SelectorError, etree.XPathError) as exc:
        raise ValueError(f"profile {source}: invalid {key} selector: {exc}") from exc


def _alternation(patterns: list[str], source: str) -> re.Pattern | None:
    if not patterns:
        return None
    for p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            raise ValueError(f"profile {source}: invalid pattern {p!r}: {exc}") from exc
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


def _read(name: str) -> dict:
    path = PROFILE_DIR / f"{name}.toml"
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"profile {path}: invalid TOML: {exc}") from exc


def _merged(site: str) -> dict:
    generic = _read("generic")
    if site == "generic" or not (PROFILE_DIR / f"{site}.toml").exists():
        return generic
    own = _read(site)
    if own.get("inherit", True) is False:
        return own
    merged = dict(generic)
    for key, value in own.items():
        if key in LIST_KEYS:
            merged[key] = list(value) + list(generic.get(key, [])) if key in SITE_FIRST else list(generic.get(key, [])) + list(value)
        else:
            merged[key] = value
    if own.get("body"):
        merged["body"] = list(own["body"])  # a known site never falls back to the generic containers
    return merged


# Sites with a profile of their own; every other name (a host name of an unknown site) is generic.
KNOWN_SITES = frozenset(path.stem for path in PROFILE_DIR.glob("*.toml"))


def load_profile(site: str) -> Profile:
    """The compiled profile for ``site`` (``detik``, ``liputan6``, ``republika``, ``komdigi``);
    any other site name (e.g. a host name) gets the generic profile."""
    # Unknown hosts share one cached generic profile: compiling it per host cost a tenth of the
    # extraction time on pages from many sites.
    return _compiled(site if site in KNOWN_SITES else "generic")


@cache
def _compiled(site: str) -> Profile:
    data = _merged(site)
    src = f"{site}.toml"
    prune = _union_xpath(list(data.get("prune", [])), src, "prune")
    captions = _union_xpath(list(data.get("captions", [])), src, "captions")
    suffix = data.get("title_suffix")
    opening = data.get("appended_story_opening")
    return Profile(
        site=data.get("site", site),
        body=tuple(_selector(s, src) for s in data.get("body", [])),
        sections=tuple(_selector(s, src) for s in data.get("sections", [])),
        prune=prune,
        title=tuple(_selector(s, src) for s in data.get("title", [])),
        title_suffix=re.compile(suffix, re.I) if suffix else None,
        author=tuple(_selector(s, src) for s in data.get("author", [])),
        author_strip=tuple(re.compile(p, re.I) for p in data.get("author_strip", [])),
        date=tuple(_selector(s, src) for s in data.get("date", [])),
        modified=tuple(_selector(s, src) for s in data.get("modified", [])),
        boilerplate=_alternation(data.get("boilerplate", []), src),
        end_markers=_alternation(data.get("end_markers", []), src),
        cut_after_initials=bool(data.get("cut_after_initials", True)),
        appended_story_opening=re.compile(opening, re.I) if opening else None,
        listing_url=tuple(re.compile(p, re.I) for p in data.get("listing_url", [])),
        captions=captions,
        caption_credit=re.compile(credit, re.I) if (credit := data.get("caption_credit")) else None,
    )
