"""The metric taxonomy: metrics, keyword groups, unit nouns and exclusions, loaded from TOML.

The bundled ``default.toml`` covers the 22 metrics of figures.md; user files extend or override
it (``[taxonomy] files`` in pantau.toml). Everything here is compiled once: ``default_taxonomy()``
is cached, so repeated ``tag_text`` calls pay only for matching.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kernel.errors import ConfigError

DEFAULT_PATH = Path(__file__).with_name("default.toml")
FAMILIES = ("umkm", "connectivity")
TARGET_MODES = ("always", "never", "cue", "cue_before")
# Cue groups the tagger reads by name; a taxonomy without them gets empty ones.
CUE_NAMES = ("target", "target_nominal", "program_name", "purpose", "preparation", "conditional",
             "conditional_result", "goal", "deadline", "approx", "hedge")
EXCLUDE_NAMES = ("nouns", "percent_nouns", "percent_clause", "near", "clause", "breakdown_by", "breakdown_intro",
                 "population_before", "population_nouns", "population_unless",
                 "population_unless_connected",
                 "percent_nouns_unless")
# The units a number can have without a noun: Rp/rupiah and %/persen.
MONEY_UNIT = "rupiah"
PERCENT_UNIT = "persen"
GENERIC_UNIT = "generic"


def _spaces(fragment: str) -> str:
    """A space in a keyword matches any run of whitespace (no-break spaces too); `` ?`` any or none."""
    return fragment.replace(" ?", r"\s*").replace(" ", r"\s+")


# Enclitics a keyword may carry and stay the same word (penetrasinya, targetnya, sisanya, -lah, -pun).
ENCLITICS = r"(?:nya|lah|pun|kah)?"


def _words_regex(alternatives: Iterable[str]) -> str:
    alts = sorted({_spaces(a) for a in alternatives}, key=len, reverse=True)
    return r"(?<![\w-])(?:" + "|".join(alts) + r")" + ENCLITICS + r"(?![\w])" if alts else r"(?!x)x"


class KeywordPattern:
    """A compiled keyword group plus the literal words that any of its matches must start with.

    ``spans`` first checks those literals with ``in`` on the lower-cased text (C speed) and
    runs the regular expression only when one is present: most groups are absent from most
    sentences. ``literals`` are the plain leading letters of every alternative (None when one
    alternative has none); ``word_literals`` also look through a leading lookbehind and a leading
    ``(?:a|b)`` group, so groups like ``(?<!dari\\s)target\\w*`` get a literal too. The tagger uses
    ``word_literals`` only for texts in which lower-casing agrees with the regex's case folding
    (``folds_like_regex``), and ``literals`` otherwise, so the pre-check never hides a match the
    regular expression alone would find.
    """

    __slots__ = ("regex", "literals", "word_literals")

    def __init__(self, regex: re.Pattern[str], literals: tuple[str, ...] | None,
                 word_literals: tuple[str, ...] | None = None) -> None:
        self.regex = regex
        self.literals = literals    # None: some alternative has no literal prefix, always run
        self.word_literals = word_literals    # None likewise

    def spans(self, text: str, lowered: str, a: int, b: int, *, word_literals: bool = False,
              window: str | None = None) -> list[tuple[int, int]]:
        """Match spans in ``text[a:b]``; ``window`` is ``lowered[a:b]`` when the caller has it."""
        literals = self.word_literals if word_literals else self.literals
        if literals is not None:
            if window is None:
                window = lowered[a:b]
            for lit in literals:
                if lit in window:
                    break
            else:
                return []
        return [m.span() for m in self.regex.finditer(text, a, b)]

    def search(self, text: str, a: int, b: int) -> re.Match[str] | None:
        return self.regex.search(text, a, b)

    def match(self, text: str, pos: int) -> re.Match[str] | None:
        return self.regex.match(text, pos)


# Characters that re.IGNORECASE matches to an ASCII letter although str.lower() does not give that
# letter (dotless ı ~ i, long ſ ~ s; İ changes the length and is handled by the caller): in a text
# holding one, a literal pre-check on lower-cased text could miss a regex match.
_FOLD_SURPRISES = ("\u0131", "\u017f")


def folds_like_regex(lowered: str) -> bool:
    """Whether ``word_literals`` pre-checks are exact on this lower-cased text."""
    return not any(ch in lowered for ch in _FOLD_SURPRISES)


# A hyphen outside a class is a literal too ("e-katalog" starts with "e-katalog", not just "e").
_LITERAL_PREFIX = re.compile(r"[a-z0-9][a-z0-9-]*")
# A group that opens an alternative: plain "(?:" or with inline flags ("(?-i:Dari)"); the flags
# change case folding only, and literals are compared with lower-cased text anyway.
_GROUP_OPEN = re.compile(r"\(\?[aiLmsux-]*:")
# Keyword patterns by source text: a group used by ten rules is compiled and scanned once.
_PATTERN_CACHE: dict[str, KeywordPattern] = {}


def _literal_prefix(alternative: str) -> str | None:
    """The leading literal letters of a keyword regex ("anggaran\\w*" → "anggaran"), if any."""
    m = _LITERAL_PREFIX.match(alternative.lower())
    if not m:
        return None
    lit = m.group()
    rest = alternative[m.end():]
    # "?", "*" or "{0,…}" right after the prefix make its last letter optional ("+" keeps it).
    if rest[:1] in ("?", "*", "{"):
        lit = lit[:-1]
    return lit if len(lit) >= 2 else None


def _structure(pattern: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """``(index, char, depth after it)`` for each regex character outside escapes and ``[...]``
    classes, where depth counts open parentheses: the two scanners below share this walk."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        else:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            yield i, ch, depth
        i += 1


def _group_end(fragment: str, start: int) -> int | None:
    """Index just after the group opened at ``fragment[start] == "("``, or None if unbalanced."""
    for i, ch, depth in _structure(fragment, start):
        if ch == ")" and depth == 0:
            return i + 1
    return None


def _top_level_branches(body: str) -> list[str] | None:
    """``a|b(?:c|d)|e`` → ``["a", "b(?:c|d)", "e"]``; None if the parentheses don't balance."""
    branches, last, depth = [], 0, 0
    for i, ch, depth in _structure(body):
        if ch == "|" and depth == 0:
            branches.append(body[last:i])
            last = i + 1
    branches.append(body[last:])
    return branches if depth == 0 else None


def _word_literals(alternative: str) -> tuple[str, ...] | None:
    """Literals one of which starts every match of ``alternative``: its plain leading letters,
    looking through leading lookbehinds (zero-width) and into a leading ``(?:…|…)`` group (one
    literal per branch; when the group is optional, the rest's literals too). None when some
    match may start otherwise."""
    while alternative.startswith(("(?<!", "(?<=")):
        end = _group_end(alternative, 0)
        if end is None:
            return None
        alternative = alternative[end:]
    opened = _GROUP_OPEN.match(alternative)
    if opened is not None:
        end = _group_end(alternative, 0)
        if end is None or alternative[end:end + 1] in ("*", "{"):
            return None
        branches = _top_level_branches(alternative[opened.end():end - 1])
        if branches is None:
            return None
        out: list[str] = []
        for branch in branches:
            found = _word_literals(branch)
            if found is None:
                return None
            out.extend(found)
        if alternative[end:end + 1] == "?":
            # An optional leading group ("(?:ber)?tanggung"): a match starts with it or with the rest.
            found = _word_literals(alternative[end + 1:])
            if found is None:
                return None
            out.extend(found)
        return tuple(out)
    prefix = _literal_prefix(alternative) or _symbol_prefix(alternative)
    return None if prefix is None else (prefix,)


# A leading run of literal symbols ("±", "\\+/-"): an escaped non-word character or one that is
# no regex operator. Such a literal starts no word, so the keyword index finds it with str.find.
_SYMBOL_PREFIX = re.compile(r"(?:\\[^\w\s]|[^\w\s\\.^$*+?{}\[\]|()])+")


def _symbol_prefix(alternative: str) -> str | None:
    m = _SYMBOL_PREFIX.match(alternative)
    if not m:
        return None
    lit = re.sub(r"\\(.)", r"\1", m.group())
    if alternative[m.end():m.end() + 1] in ("?", "*", "{"):
        lit = lit[:-1]
    return lit or None


def _compile(alternatives: Iterable[str], where: str) -> KeywordPattern:
    alternatives = list(alternatives)
    pattern = _words_regex(alternatives)
    cached = _PATTERN_CACHE.get(pattern)
    if cached is not None:
        return cached
    try:
        regex = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(where, f"invalid keyword regular expression: {exc}") from None
    prefixes = [_literal_prefix(a) for a in alternatives]
    known = [p for p in prefixes if p is not None]
    literals = tuple(sorted(set(known))) if len(known) == len(prefixes) else None
    options = [_word_literals(a) for a in alternatives]
    found = [o for o in options if o is not None]
    word_literals = (tuple(sorted({lit for o in found for lit in o}))
                     if options and len(found) == len(options) else None)
    compiled = KeywordPattern(regex, literals, word_literals)
    _PATTERN_CACHE[pattern] = compiled
    return compiled


@dataclass(frozen=True)
class Rule:
    """One way a metric can match: every ``all`` group in scope, no ``none`` keyword in the clause."""

    all: tuple[KeywordPattern, ...]
    none: KeywordPattern | None
    near: KeywordPattern | None
    units: tuple[str, ...]
    priority: int
    # May match in the paragraph (None: the metric's ``paragraph``); a rule without a counted
    # noun needs its ``near`` keyword bound to the number there ("menelan anggaran Rp 11 triliun").
    paragraph: bool | None = None
    # The number's noun phrase must end at a comma or the clause end ("Dari 65 juta UMKM, …").
    bare: bool = False
    # Money: a purpose stated after the amount ("… untuk seragam siswa") must name a keyword of
    # the rule's last ``all`` group or refer back ("untuk menuntaskan persoalan tersebut").
    purpose: bool = False
    # Groups that must occur in the number's own clause, whatever the scope of ``all`` (a
    # predicate bound to the number: "kebutuhan", "kekurangan", "penambahan").
    clause: tuple[KeywordPattern, ...] = ()
    # Groups that, when the sentence has them, must occur in the number's own phrase (between the
    # figures before and after it): "di 13 desa dari 23 titik blankspot" - the blank spot is the
    # points', not the villages'. Absent from the sentence, they may come from the scope.
    phrase: tuple[KeywordPattern, ...] = ()
    # Groups that must not occur in the number's own phrase ("masih ada total 640 desa yang belum
    # tersentuh 4G" is no total).
    phrase_none: tuple[KeywordPattern, ...] = ()
    # The rule's own target mode (None: the metric's), e.g. proposals counted but never planned.
    target: str | None = None
    # A group naming what the number's noun counts, right after the noun or right before the
    # number ("3.409 titik BTS", "BTS 4G di 628 titik"), and the unit it is then counted in.
    head: KeywordPattern | None = None
    count_as: str | None = None
    # The number is the whole another figure of its clause is part of ("7 juta dari 62 juta UMKM").
    denominator: bool = False


@dataclass(frozen=True)
class Metric:
    name: str
    family: str
    units: tuple[str, ...]
    context: bool
    target: str
    rules: tuple[Rule, ...]
    # Only numbers followed by one of the metric's unit nouns ("12.000 km", not a bare 12.000).
    noun_required: bool = False
    # May take its cues from the paragraph when the sentence has none ("Dari jumlah itu, 9.113 desa").
    paragraph: bool = False
    # The keywords of the rules as written (after @group expansion), for display and tests.
    keywords: tuple[str, ...] = ()
    # The metric of a percentage that states this count as a share ("Jumlah itu 6 persen dari
    # total UMKM" after a count of online UMKM → umkm_online_pct); None: the family's catch-all.
    share: str | None = None
    # May take its keywords from the paragraph before as well (a length in km after a paragraph
    # about the cable it measures).
    topic: bool = False


@dataclass
class Taxonomy:
    metrics: dict[str, Metric]
    # unit noun phrase (as a regex fragment) -> unit name; GENERIC_UNIT takes the metric's unit.
    unit_nouns: dict[str, str]
    cues: dict[str, KeywordPattern]
    exclude: dict[str, KeywordPattern]
    # [grammar] entry -> its regex fragments ("@name" expanded): function words that
    # extract/grammar.py puts into the tagger's structural patterns.
    words: dict[str, list[str]] = field(default_factory=dict)
    noun_pattern: re.Pattern[str] = field(init=False)
    _noun_fragments: list[tuple[re.Pattern[str], str]] = field(init=False, repr=False)
    _noun_units: dict[str, str] = field(init=False, repr=False)
    unit_patterns: dict[str, KeywordPattern] = field(init=False, repr=False)
    # The tagger's per-unit lists of candidate rules (extract.figures), filled on first use.
    rule_cache: dict[Any, Any] = field(default_factory=dict, init=False, repr=False)
    # The compiled grammar (extract.grammar.grammar_of), built on first use.
    grammar_cache: Any = field(default=None, init=False, repr=False)
    # The keyword groups arranged for one pass over a text (extract.keyword_index.keyword_table).
    keyword_table_cache: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        fragments = sorted(self.unit_nouns, key=len, reverse=True)
        # Spaces in a noun match any run of spaces, including no-break spaces.
        self.noun_pattern = re.compile(
            r"(?:" + "|".join(_spaces(f) for f in fragments) + r")(?![\w])",
            re.IGNORECASE,
        )
        self._noun_units = {}
        by_unit: dict[str, list[str]] = {}
        for noun, unit in self.unit_nouns.items():
            by_unit.setdefault(unit, []).append(noun)
        # Per unit, its nouns as a keyword pattern: a bare number counts a unit named nearby.
        self.unit_patterns = {unit: _compile(nouns, f"[units] {unit}") for unit, nouns in by_unit.items()}
        self._noun_fragments = [
            (re.compile(_spaces(f), re.IGNORECASE), self.unit_nouns[f]) for f in fragments
        ]

    def keyword_patterns(self) -> list[KeywordPattern]:
        """Every keyword group of the taxonomy (cues, exclusions, unit nouns, rules), once each."""
        found: dict[int, KeywordPattern] = {}
        for pattern in (*self.cues.values(), *self.exclude.values(), *self.unit_patterns.values()):
            found.setdefault(id(pattern), pattern)
        for metric in self.metrics.values():
            for rule in metric.rules:
                for group in (*rule.all, rule.none, rule.near, *rule.clause, *rule.phrase, *rule.phrase_none,
                              rule.head):
                    if group is not None:
                        found.setdefault(id(group), group)
        return list(found.values())

    def family_of(self, metric: str) -> str:
        try:
            return self.metrics[metric].family
        except KeyError:
            raise KeyError(f"unknown metric {metric!r}") from None

    def is_context(self, metric: str) -> bool:
        """A denominator (``context = true``: umkm_total, villages_total), not a headline figure."""
        try:
            return self.metrics[metric].context
        except KeyError:
            raise KeyError(f"unknown metric {metric!r}") from None

    def context_metrics(self) -> frozenset[str]:
        return frozenset(name for name, metric in self.metrics.items() if metric.context)

    def unit_of_noun(self, noun: str) -> str:
        """The unit a matched noun phrase stands for (``talenta digital`` → ``orang``)."""
        key = " ".join(noun.lower().split())
        unit = self._noun_units.get(key)
        if unit is None:
            for fragment, candidate in self._noun_fragments:
                if fragment.fullmatch(noun):
                    unit = self._noun_units[key] = candidate
                    break
            else:
                raise KeyError(noun)
        return unit


# ------------------------------------------------------------------------------------------------
# Loading and merging


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError("[taxonomy] files", f"cannot read {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("[taxonomy] files", f"{path} is not valid TOML: {exc}") from None


SECTIONS = ("keywords", "cues", "units", "exclude", "metrics", "grammar")
# Sections whose entries are word lists a user file may extend by naming "@NAME" in entry NAME.
_EXTENDABLE = ("keywords", "cues", "exclude", "grammar")


def _merge(base: dict[str, Any], extra: dict[str, Any], path: Path) -> None:
    """Merge one parsed file into ``base``: named entries replace, metric tables merge key by key,
    and a word list that names itself ("online = ["@online", "platform qasir"]") extends the
    entry it replaces."""
    for section, value in extra.items():
        if section not in SECTIONS:
            raise ConfigError(f"{path}: [{section}]", f"unknown section (expected {', '.join(SECTIONS)})")
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: [{section}]", "must be a table")
        target = base.setdefault(section, {})
        if section == "metrics":
            for name, table in value.items():
                if not isinstance(table, dict):
                    raise ConfigError(f"{path}: [metrics.{name}]", "must be a table")
                target.setdefault(name, {}).update(table)
            continue
        for name, words in value.items():
            if section in _EXTENDABLE and isinstance(words, list) and f"@{name}" in words:
                previous = target.get(name)
                if not isinstance(previous, list):
                    raise ConfigError(f"{path}: [{section}] {name}", f"extends '@{name}', which is not defined before")
                words = [w for item in words for w in (previous if item == f"@{name}" else [item])]
            target[name] = words


def _string_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(where, f"must be a list of strings, got {value!r}")
    return value


def _expand(items: Sequence[str], groups: dict[str, list[str]], where: str,
            _seen: tuple[str, ...] = ()) -> list[str]:
    """``items`` with every "@name" replaced by the words of that group, itself expanded."""
    out: list[str] = []
    for item in items:
        if item.startswith("@"):
            name = item[1:]
            if name not in groups:
                raise ConfigError(where, f"unknown keyword group {item!r}")
            if name in _seen:
                raise ConfigError(where, f"keyword group {item!r} refers to itself through {' -> '.join(_seen)}")
            out.extend(_expand(groups[name], groups, where, (*_seen, name)))
        else:
            out.append(item)
    return out


def _group(spec: Any, groups: dict[str, list[str]], where: str) -> list[str]:
    items = [spec] if isinstance(spec, str) else _string_list(spec, where)
    return _expand(items, groups, where)


def _build(data: dict[str, Any]) -> Taxonomy:
    keyword_groups = {name: _string_list(v, f"[keywords] {name}") for name, v in data.get("keywords", {}).items()}
    grammar_raw = {name: _string_list(v, f"[grammar] {name}") for name, v in data.get("grammar", {}).items()}
    # Grammar entries may name keyword groups and each other (a grammar name shadows a keyword
    # group); rules, cues and exclusions may name grammar entries (a keyword group shadows them),
    # so a taxonomy that replaces the bundled metrics keeps the words the grammar defines.
    grammar_groups = {**keyword_groups, **grammar_raw}
    groups = {**grammar_raw, **keyword_groups}
    words = {name: _expand(grammar_groups[name], grammar_groups, f"[grammar] {name}")
             for name in data.get("grammar", {})}
    for name, fragments in words.items():
        for fragment in fragments:
            try:
                re.compile(fragment)
            except re.error as exc:
                raise ConfigError(f"[grammar] {name}", f"invalid regular expression {fragment!r}: {exc}") from None
    cues = {name: _compile(_expand(_string_list(v, f"[cues] {name}"), groups, f"[cues] {name}"),
                           f"[cues] {name}")
            for name, v in data.get("cues", {}).items()}
    for name in CUE_NAMES:
        cues.setdefault(name, _compile([], name))
    exclude = {name: _compile(_expand(_string_list(v, f"[exclude] {name}"), groups, f"[exclude] {name}"),
                              f"[exclude] {name}")
               for name, v in data.get("exclude", {}).items()}
    for name in EXCLUDE_NAMES:
        exclude.setdefault(name, _compile([], name))
    unit_nouns: dict[str, str] = {}
    for unit, nouns in data.get("units", {}).items():
        for noun in _string_list(nouns, f"[units] {unit}"):
            try:
                re.compile(noun)
            except re.error as exc:
                raise ConfigError(f"[units] {unit}", f"invalid noun pattern {noun!r}: {exc}") from None
            unit_nouns[noun.lower()] = unit
    metrics = {name: _build_metric(name, table, groups) for name, table in data.get("metrics", {}).items()}
    for name, metric in metrics.items():
        if metric.share is not None and (metric.share not in metrics or "persen" not in metrics[metric.share].units):
            raise ConfigError(f"[metrics.{name}] share", f"must name a metric with unit persen, got {metric.share!r}")
    return Taxonomy(metrics=metrics, unit_nouns=unit_nouns, cues=cues, exclude=exclude, words=words)


def _build_metric(name: str, table: dict[str, Any], groups: dict[str, list[str]]) -> Metric:
    where = f"[metrics.{name}]"
    family = table.get("family")
    if family not in FAMILIES:
        raise ConfigError(f"{where} family", f"must be one of {', '.join(FAMILIES)}, got {family!r}")
    units = tuple(_string_list(table.get("units"), f"{where} units"))
    if not units:
        raise ConfigError(f"{where} units", "must name at least one unit")
    target = table.get("target", "cue")
    if target not in TARGET_MODES:
        raise ConfigError(f"{where} target", f"must be one of {', '.join(TARGET_MODES)}, got {target!r}")
    context = table.get("context", False)
    noun_required = table.get("noun_required", False)
    paragraph = table.get("paragraph", False)
    topic = table.get("topic", False)
    for key, flag in (("context", context), ("noun_required", noun_required), ("paragraph", paragraph),
                      ("topic", topic)):
        if not isinstance(flag, bool):
            raise ConfigError(f"{where} {key}", f"must be true or false, got {flag!r}")
    unknown = set(table) - {"family", "units", "target", "context", "noun_required", "paragraph", "rules", "share",
                            "topic"}
    if unknown:
        raise ConfigError(where, f"unknown key(s) {', '.join(sorted(unknown))}")
    raw_rules = table.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise ConfigError(f"{where} rules", "must be a non-empty list of rule tables")
    rules = []
    keywords: list[str] = []
    for i, raw in enumerate(raw_rules):
        rwhere = f"{where} rules[{i}]"
        if not isinstance(raw, dict):
            raise ConfigError(rwhere, "must be a table")
        unknown = set(raw) - {"all", "none", "near", "units", "priority", "paragraph", "bare", "purpose", "clause",
                              "phrase", "target", "head", "count_as",
                              "denominator", "phrase_none"}
        if unknown:
            raise ConfigError(rwhere, f"unknown key(s) {', '.join(sorted(unknown))}")
        all_specs = raw.get("all", [])
        if not isinstance(all_specs, list):
            raise ConfigError(f"{rwhere} all", "must be a list of keyword groups")
        all_groups = []
        for j, spec in enumerate(all_specs):
            words = _group(spec, groups, f"{rwhere} all[{j}]")
            keywords.extend(words)
            all_groups.append(_compile(words, f"{rwhere} all[{j}]"))
        none = _compile(_group(raw["none"], groups, f"{rwhere} none"), f"{rwhere} none") if raw.get("none") else None
        near = _compile(_group(raw["near"], groups, f"{rwhere} near"), f"{rwhere} near") if raw.get("near") else None
        rule_units = tuple(_string_list(raw.get("units", list(units)), f"{rwhere} units"))
        if not set(rule_units) <= set(units):
            raise ConfigError(f"{rwhere} units", f"must be among the metric's units {list(units)}")
        priority = raw.get("priority", 10)
        if not isinstance(priority, int):
            raise ConfigError(f"{rwhere} priority", f"must be an integer, got {priority!r}")
        local = {}
        for key in ("clause", "phrase", "phrase_none"):
            specs = raw.get(key, [])
            if not isinstance(specs, list):
                raise ConfigError(f"{rwhere} {key}", "must be a list of keyword groups")
            local[key] = tuple(_compile(_group(spec, groups, f"{rwhere} {key}[{j}]"), f"{rwhere} {key}[{j}]")
                               for j, spec in enumerate(specs))
        head = _compile(_group(raw["head"], groups, f"{rwhere} head"), f"{rwhere} head") if raw.get("head") else None
        count_as = raw.get("count_as")
        if count_as is not None and (not isinstance(count_as, str) or count_as not in units):
            raise ConfigError(f"{rwhere} count_as", f"must be one of the metric's units {list(units)}")
        rule_target = raw.get("target")
        if rule_target is not None and rule_target not in TARGET_MODES:
            raise ConfigError(f"{rwhere} target", f"must be one of {', '.join(TARGET_MODES)}, got {rule_target!r}")
        rule_paragraph = raw.get("paragraph")
        if rule_paragraph is not None and not isinstance(rule_paragraph, bool):
            raise ConfigError(f"{rwhere} paragraph", f"must be true or false, got {rule_paragraph!r}")
        flags = {key: raw.get(key, False) for key in ("bare", "purpose", "denominator")}
        for key, flag in flags.items():
            if not isinstance(flag, bool):
                raise ConfigError(f"{rwhere} {key}", f"must be true or false, got {flag!r}")
        if flags["purpose"] and not all_groups:
            raise ConfigError(f"{rwhere} purpose", "needs an `all` group to check the purpose against")
        rules.append(Rule(all=tuple(all_groups), none=none, near=near, units=rule_units, priority=priority,
                          paragraph=rule_paragraph, target=rule_target, head=head, count_as=count_as,
                          clause=local["clause"], phrase=local["phrase"], phrase_none=local["phrase_none"],
                          bare=flags["bare"], purpose=flags["purpose"], denominator=flags["denominator"]))
    return Metric(name=name, family=family, units=units, context=context, target=target,
                  rules=tuple(rules), noun_required=noun_required, paragraph=paragraph,
                  keywords=tuple(dict.fromkeys(keywords)), share=_optional_name(table.get("share"), f"{where} share"),
                  topic=topic)


def _optional_name(value: Any, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ConfigError(where, f"must be a metric name, got {value!r}")
    return value


def load_taxonomy(files: Sequence[str | Path] = (), replace: bool = False) -> Taxonomy:
    """The bundled taxonomy merged with ``files`` in order (or only ``files`` when ``replace``).

    Raises ``kernel.errors.ConfigError`` naming the file and key for anything malformed.
    """
    if not files and not replace:
        return default_taxonomy()
    bundled = _read(DEFAULT_PATH)
    # [grammar] describes the language, not the metrics: it stays even when the metrics are replaced.
    data: dict[str, Any] = {"grammar": bundled.get("grammar", {})} if replace else bundled
    for path in files:
        _merge(data, _read(Path(path)), Path(path))
    if not data.get("metrics"):
        raise ConfigError("[taxonomy]", "the taxonomy defines no metrics")
    return _build(data)


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    """The bundled taxonomy, compiled once per process."""
    return _build(_read(DEFAULT_PATH))
