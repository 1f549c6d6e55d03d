"""Where a figure holds: its ``scope`` (figures.md §1), None for a national figure.

Places are data (``taxonomy/regions.toml``: provinces with their common names and abbreviations,
island groups, the 3T regions, regency/city heads, anaphors such as "di provinsi itu"); its header
says which mention of a place counts. Pure functions over a figure's context (``extract.context``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from extract.context import FigureContext, phrase_regex, read_data

NATIONAL = ""          # a mention that keeps the figure national
_ANAPHOR = "\x00"      # prefix of an anaphor mention's scope: "\x00provinsi"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    scope: str          # a region, NATIONAL, or _ANAPHOR + kind


@dataclass(frozen=True)
class _Rules:
    named: re.Pattern[str]          # a province or island group after a `before` word
    bare: re.Pattern[str]           # a province abbreviation alone
    bare_names: re.Pattern[str]     # any province or island-group name (for anaphora)
    scope_of_name: dict[str, str]
    provinces: frozenset[str]
    regency: re.Pattern[str]
    head_kinds: dict[str, str]
    officials: frozenset[str]
    name_suffixes: frozenset[str]
    stop_words: frozenset[str]
    three_t: re.Pattern[str]
    three_t_scope: str
    national: re.Pattern[str]
    anaphora: re.Pattern[str]
    anaphor_kind: dict[str, str]
    unresolved: str
    reach: int                      # whitespace runs a match of bare_names or regency can look across


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = read_data("regions")
    scope_of_name: dict[str, str] = {}
    for group in ("island_groups", "provinces"):        # a province wins over an island group
        for scope, names in data[group].items():
            for name in names:
                scope_of_name[name] = scope
    names = phrase_regex(list(scope_of_name), ignore_case=False)
    glued_names = phrase_regex(list(scope_of_name), ignore_case=False, word_start=False)
    words = [w for w in data["before"] if not w.endswith("-")]
    glued = [w for w in data["before"] if w.endswith("-")]
    before = rf"(?:{phrase_regex(words)}\s+|(?<![\w-])(?i:{'|'.join(map(re.escape, glued))}))"
    heads = data["regencies"]["head_kinds"]
    head = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in sorted(heads, key=len, reverse=True))
    anaphora = data["anaphora"]
    kinds = {" ".join(p.lower().split()): kind for kind, phrases in anaphora.items() if isinstance(phrases, list)
             for p in phrases}
    return _Rules(
        named=re.compile(rf"{before}(?i:provinsi\s+)?(?P<name>{glued_names})"),
        bare=re.compile(phrase_regex(data["bare"], ignore_case=False)),
        bare_names=re.compile(names),
        scope_of_name=scope_of_name,
        provinces=frozenset(data["provinces"]),
        regency=re.compile(rf"(?<![\w-])(?P<head>{head})\s+(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){{0,2}})"),
        head_kinds={" ".join(h.split()): kind for h, kind in heads.items()},
        officials=frozenset(" ".join(o.split()) for o in data["regencies"]["officials"]),
        name_suffixes=frozenset(data["regencies"]["name_suffixes"]),
        stop_words=frozenset(data["regencies"]["stop_words"]),
        three_t=re.compile(phrase_regex(data["three_t"]["phrases"])),
        three_t_scope=data["three_t"]["scope"],
        national=re.compile(phrase_regex(data["national"])),
        anaphora=re.compile(phrase_regex(list(kinds))),
        anaphor_kind=kinds,
        unresolved=anaphora["unresolved"],
        reach=_reach(list(scope_of_name), list(heads)),
    )


# Characters of a name or head that can only match themselves and never whitespace (a "." in a
# phrase_regex name is unescaped and matches one character, possibly a space: counted apart).
_PLAIN_PHRASE = re.compile(r"[\w '’.-]+")
# Words of a regency name after its head (the pattern's `{0,2}` plus the first word).
_REGENCY_NAME_WORDS = 3
# Extra whitespace runs past the longest match: the lookahead's character, and a margin.
_REACH_MARGIN = 3


def _reach(names: list[str], heads: list[str]) -> int:
    """How many whitespace runs an attempt of ``bare_names`` or ``regency`` at one position can read
    across (the lookbehind reads only before it). 0 when a phrase is not plain words, which turns
    the windowed rescan of ``_resolve`` off (its proof needs the bound)."""
    if not all(_PLAIN_PHRASE.fullmatch(p) for p in names + heads):
        return 0
    def crossings(phrase: str) -> int:
        return len(phrase.split()) - 1 + phrase.count(".")
    longest_name = max(map(crossings, names), default=0)
    longest_head = max(map(crossings, heads), default=0) + 1 + (_REGENCY_NAME_WORDS - 1)
    return max(longest_name, longest_head) + _REACH_MARGIN


def _regency(m: re.Match[str], rules: _Rules) -> tuple[int, str] | None:
    """(end, "Kabupaten X" / "Kota X") of a regency or city mention, or None."""
    head = " ".join(m.group("head").split())
    words = m.group("name").split()
    kept: list[str] = []
    for word in words:
        if word in rules.stop_words:
            break
        if head in rules.officials and kept and word not in rules.name_suffixes:
            break               # "Bupati Sleman Kustini": the official's name follows the place
        kept.append(word)
    if not kept:
        return None
    name = " ".join(kept)
    end = m.start("name") + m.group("name").index(kept[-1]) + len(kept[-1])
    return end, f"{rules.head_kinds[head]} {name}"


@lru_cache(maxsize=4096)
def mentions(sentence: str) -> tuple[Mention, ...]:
    """The places a sentence names, in order; of overlapping mentions the longest is kept."""
    rules = _rules()
    found: list[Mention] = []
    for m in rules.regency.finditer(sentence):
        regency = _regency(m, rules)
        if regency is not None:
            found.append(Mention(m.start(), regency[0], regency[1]))
    for m in rules.named.finditer(sentence):
        found.append(Mention(m.start(), m.end(), rules.scope_of_name[m.group("name")]))
    for m in rules.bare.finditer(sentence):
        found.append(Mention(m.start(), m.end(), rules.scope_of_name[m.group()]))
    for m in rules.three_t.finditer(sentence):
        found.append(Mention(m.start(), m.end(), rules.three_t_scope))
    for m in rules.anaphora.finditer(sentence):
        found.append(Mention(m.start(), m.end(), _ANAPHOR + rules.anaphor_kind[" ".join(m.group().lower().split())]))
    for m in rules.national.finditer(sentence):
        found.append(Mention(m.start(), m.end(), NATIONAL))
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    kept: list[Mention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            if mention.end - mention.start > kept[-1].end - kept[-1].start:
                kept[-1] = mention
            continue
        kept.append(mention)
    return tuple(kept)


def scope_of(context: FigureContext) -> str | None:
    """The region the figure's clause (else the sentence's opening clause) names; None: national."""
    found = mentions(context.sentence)
    if not found:
        return None
    a, b = context.clause
    best: tuple[int, Mention] | None = None
    for mention in found:
        if mention.start < a or mention.end > b:
            continue
        if mention.start >= context.end:
            if context.figure_between(context.end, mention.start):
                continue        # it describes the figure before it
            distance = mention.start - context.end
        elif mention.end <= context.start:
            distance = context.start - mention.end
        else:
            distance = 0        # it runs into the surface: "9.113 desa 3T"
        if best is None or distance < best[0]:
            best = (distance, mention)
    if best is None and context.lead is not None:
        lead = [m for m in found if context.lead[0] <= m.start and m.end <= context.lead[1]]
        if lead:
            best = (0, lead[-1])
    if best is None:
        return None
    return _resolve(best[1], context)


def _resolve(mention: Mention, context: FigureContext) -> str | None:
    if mention.scope == NATIONAL:
        return None
    if not mention.scope.startswith(_ANAPHOR):
        return mention.scope
    kind = mention.scope[len(_ANAPHOR):]
    rules = _rules()
    found = _antecedent(kind, context.text, context.offset + mention.start, rules)
    if found is None:
        return rules.unresolved.format(kind="wilayah" if kind == "any" else kind)
    return found


# A match: (start, end, the scope it names or None when it names none of use).
_Match = tuple[int, int, str | None]


@dataclass(frozen=True)
class _TextPlaces:
    """Every match of ``bare_names`` and ``regency`` in one whole text, and its whitespace runs."""
    names: tuple[_Match, ...]
    name_starts: tuple[int, ...]
    regencies: tuple[_Match, ...]
    regency_starts: tuple[int, ...]
    runs: tuple[int, ...]           # where each whitespace run starts


@lru_cache(maxsize=4)
def _places(text: str) -> _TextPlaces:
    rules = _rules()
    names = tuple((m.start(), m.end(), rules.scope_of_name[m.group()]) for m in rules.bare_names.finditer(text))
    regencies = tuple((m.start(), m.end(), _regency_scope(m, rules)) for m in rules.regency.finditer(text))
    return _TextPlaces(names, tuple(m[0] for m in names), regencies, tuple(m[0] for m in regencies),
                       tuple(m.start() for m in _WHITESPACE.finditer(text)))


_WHITESPACE = re.compile(r"\s+")


def _regency_scope(m: re.Match[str], rules: _Rules) -> str | None:
    regency = _regency(m, rules)
    return None if regency is None else regency[1]


def _antecedent(kind: str, text: str, cut: int, rules: _Rules) -> str | None:
    """The region of the last place name of ``kind`` in ``text[:cut]`` (the latest start wins; on
    the same start, the larger scope string), or None.

    Scanning ``text[:cut]`` for every anaphor is quadratic in a long text. Instead, the whole
    text's matches are found once; an attempt at a position with at least ``reach`` whitespace runs
    before the cut reads nothing at or past the cut, so up to that point the whole-text scan and the
    scan of ``text[:cut]`` agree, and only the short window from there to the cut is scanned again
    (``endpos`` makes the pattern see the cut as the end of the text, as the slice did)."""
    places = _places(text)
    cut_run = bisect_left(places.runs, cut)
    safe = places.runs[cut_run - rules.reach - 1] if rules.reach and cut_run > rules.reach else 0
    wanted: list[tuple[re.Pattern[str], tuple[_Match, ...], tuple[int, ...], Callable[[str, str, _Rules], bool]]] = []
    if kind in ("provinsi", "any"):
        wanted.append((rules.bare_names, places.names, places.name_starts, _name_fits))
    if kind in ("kabupaten", "kota", "any"):
        wanted.append((rules.regency, places.regencies, places.regency_starts, _regency_fits))
    recent: list[tuple[int, str]] = []
    earlier: list[tuple[int, str]] = []
    for pattern, matches, starts, fits in wanted:
        kept = bisect_left(starts, safe) if safe else 0
        resume = max(safe, matches[kept - 1][1]) if kept else safe
        for m in pattern.finditer(text, resume, cut):
            scope = rules.scope_of_name[m.group()] if pattern is rules.bare_names else _regency_scope(m, rules)
            if scope is not None and fits(kind, scope, rules):
                recent.append((m.start(), scope))
        for index in range(kept - 1, -1, -1):
            start, _end, scope = matches[index]
            if scope is not None and fits(kind, scope, rules):
                earlier.append((start, scope))
                break
    chosen = recent or earlier
    return max(chosen)[1] if chosen else None


def _name_fits(kind: str, scope: str, rules: _Rules) -> bool:
    return kind == "any" or scope in rules.provinces


def _regency_fits(kind: str, scope: str, rules: _Rules) -> bool:
    return kind == "any" or scope.lower().startswith(kind)
