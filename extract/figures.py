"""The figure tagger: text → in-scope figure mentions (figures.md).

Pipeline per number found by ``extract.numbers``:

1. the **counted noun** right after it (``7.634 titik``, ``4,6 juta UMKM``) gives the unit and
   ends the surface; a noun the taxonomy lists as out of scope (``tujuh marketplace``) drops it;
2. the **clause** (``extract.sentences.clause_span``) scopes exclusions, target cues, hedges and
   years, so "target 8 juta hingga 2019, namun sekarang baru 4,6 juta" keeps 4,6 juta actual;
3. the **metric** is the taxonomy rule whose anchor keyword is nearest, in the clause first, then
   the sentence, then (for a number with a counted noun) the paragraph; a number no rule accepts
   is not a figure;
4. the flags ``is_target``, ``approx`` and ``year`` follow figures.md §5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.discourse import PARAGRAPH_REACH, SENTENCE_REACH, Discourse, clamp
from extract.grammar import Grammar, grammar_of
from extract.keyword_index import KeywordIndex
from extract.modality import decide_is_target, target_cues
from extract.numbers import NumberMatch, find_numbers
from extract.taxonomy import (
    GENERIC_UNIT, MONEY_UNIT, PERCENT_UNIT, KeywordPattern, Metric, Rule, Taxonomy, default_taxonomy,
)
from extract.years import decide_year

# Characters either side of a number searched for [exclude] near words: a short noun phrase.
EXCLUDE_NEAR_CHARS = 20
# How far before a number a `near` keyword is looked for (the gap itself is checked by near_gap).
NEAR_CHARS = 14
# An approximation qualifier must end at most this many characters before the number, which
# leaves room for one quantity verb ("setidaknya membutuhkan 9 juta").
APPROX_CHARS = 26
# Units whose symbol may be glued to the digits (12.000km, 150Gbps).
GLUEABLE_UNITS = frozenset({"km", "gbps", "mbps"})
# Rules with a priority below this are fallbacks, tried only when no other rule matches.
FALLBACK_PRIORITY = 5
# A bare count (no noun, Rp or %) this small is too ambiguous to be a figure ("Artikel 1").
MIN_BARE_VALUE = 1000
# Characters before a number searched for "3 dari" (a proportion "3 dari 5 UMKM").
RATIO_CHARS = 12
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]*")




@dataclass
class _Scopes:
    sentence: tuple[int, int]
    clause: tuple[int, int]
    paragraph: tuple[int, int]


class _Tagger:
    """The state of tagging one text: its discourse layout, keyword index and rule pre-checks."""

    def __init__(self, text: str, tax: Taxonomy) -> None:
        self.text = text
        self.tax = tax
        self.grammar: Grammar = grammar_of(tax)
        self.doc = Discourse(text, self.grammar)
        self.index = KeywordIndex(text, self.doc.line_bounds)
        self._rules: dict[tuple[int, tuple[int, int]], list] = {}
        # One string per sentence, shared by its figures (a text without full stops is one
        # sentence per paragraph: copying it per figure would be quadratic).
        self._sentence_text: dict[tuple[int, int], str] = {}

    def sentence_text(self, sentence: tuple[int, int]) -> str:
        found = self._sentence_text.get(sentence)
        if found is None:
            found = self._sentence_text[sentence] = self.text[sentence[0]:sentence[1]]
        return found

    def rules_in_sentence(self, candidates: list, sentence: tuple[int, int]) -> list:
        """The (index, metric, rule) of ``candidates`` whose every keyword group occurs in
        ``sentence`` (the current sentence), cached per sentence."""
        key = (id(candidates), sentence)
        found = self._rules.get(key)
        if found is None:
            sa, sb = sentence
            spans = self.index.spans
            found = self._rules[key] = [c for c in candidates
                                        if all(spans(group, sa, sb) for group in c[2].all)]
        return found


def tag_text(text: str, taxonomy: Taxonomy | None = None) -> list[Figure]:
    """Every in-scope figure mention in ``text``, ordered by start (figures.md)."""
    tagger = _Tagger(text, taxonomy or default_taxonomy())
    out: list[Figure] = []
    for number in find_numbers(text):
        figure = _tag_number(tagger, number, out[-1] if out else None)
        if figure is not None:
            out.append(figure)
    return out


def _share_metric(t: _Tagger, n: NumberMatch, sent: tuple[int, int], antecedent: Figure) -> tuple[Metric, str] | None:
    """The metric of a percentage about the figure just given: its previous value ("naik dari 82
    persen" after a percentage) keeps that metric; a share of a count takes the count's `share`
    metric unless the percentage is a change; anything else is the family's catch-all."""
    tax, g = t.tax, t.grammar
    source = tax.metrics.get(antecedent.metric)
    if source is None:
        return None
    before = t.text[max(sent[0], n.start - SENTENCE_REACH):n.start]
    if antecedent.unit == PERCENT_UNIT and g.previous_value_before.search(before):
        return source, PERCENT_UNIT
    name = source.share if source.share and not g.change_before.search(before) else "other_" + source.family
    metric = tax.metrics.get(name)
    return (metric, PERCENT_UNIT) if metric is not None and PERCENT_UNIT in metric.units else None


def _antecedent(t: _Tagger, n: NumberMatch, sent: tuple[int, int], paragraph: tuple[int, int],
                previous: Figure | None) -> Figure | None:
    """The earlier figure a bare count refers back to ("20,76 juta UMKM … Itu naik dari 8 juta"):
    the last figure of a counted unit in this or the preceding paragraph, when the sentence links
    the number to it (an anaphor or an increment) and names no counted noun of its own."""
    if previous is None:
        return None
    g, text = t.grammar, t.text
    if n.percent:
        # "Jumlah itu sekitar 30 persen dari …": a share of the count just given.
        if not g.share_anaphor.match(text, sent[0]):
            return None
    elif (previous.unit in (MONEY_UNIT, PERCENT_UNIT) or not n.scaled
          or not g.anaphor.search(text, *clamp(sent, n.start, n.end, SENTENCE_REACH))
          or not g.nothing_counted_after.match(text, n.end)):
        return None
    # An antecedent before the preceding paragraph is too far.
    return previous if previous.start >= t.doc.previous_paragraph_start(paragraph[0]) else None


def _tag_number(t: _Tagger, n: NumberMatch, previous: Figure | None = None) -> Figure | None:
    text, tax, g = t.text, t.tax, t.grammar
    noun_end, noun_unit = _counted_noun(t, n)
    if noun_unit is None:
        return None                     # counts something out of scope, or a price
    if noun_unit == "" and not (n.money or n.percent) and not n.scaled and n.value < MIN_BARE_VALUE:
        return None
    end = noun_end
    if g.ratio_before.search(text, max(0, n.start - RATIO_CHARS), n.start):
        return None                     # "3 dari 5 UMKM": a proportion, not a count
    sent, paragraph = t.doc.sentence(n.start, end)
    clause = t.doc.clause(sent, n.start)
    t.index.sentence = sent
    # Every scope is cut to a window around the number, so a text without full stops stays linear.
    sentence_w = clamp(sent, n.start, end, SENTENCE_REACH)
    clause_w = clamp(clause, n.start, end, SENTENCE_REACH)
    context = clamp(t.doc.context_paragraph(sent, paragraph), n.start, end, PARAGRAPH_REACH)
    scopes = _Scopes(sentence=sentence_w, clause=clause_w, paragraph=context)
    if _excluded(t, n.start, end, n.percent, scopes):
        return None
    fixed_unit = MONEY_UNIT if n.money else PERCENT_UNIT if n.percent else (
        noun_unit if noun_unit not in ("", GENERIC_UNIT) else None)
    cue_positions = target_cues(tax, t.index, clause_w)
    choice = _choose_metric(t, n.start, end, fixed_unit, bool(noun_unit), scopes, sent, bool(cue_positions))
    if choice is None and n.percent:
        # A percentage about the figure just given ("Jumlah itu 30 persen dari …"): its share
        # metric, its previous value, or the family's catch-all (figures.md 3.1).
        antecedent = _antecedent(t, n, sent, paragraph, previous)
        if antecedent is not None:
            choice = _share_metric(t, n, sent, antecedent)
    elif choice is None and noun_unit == "" and not n.money:
        # A bare count with no noun in its sentence may count the noun of the figure it refers
        # back to; its cues then come from the paragraphs of both (figures.md 1.1, "baru 4,6 juta").
        antecedent = _antecedent(t, n, sent, paragraph, previous)
        if antecedent is not None:
            linked_start = min(scopes.paragraph[0], t.doc.line_bounds(antecedent.start, antecedent.end)[0])
            linked = _Scopes(sentence=sentence_w, clause=clause_w,
                             paragraph=(max(linked_start, n.start - PARAGRAPH_REACH), scopes.paragraph[1]))
            choice = _choose_metric(t, n.start, end, antecedent.unit, True, linked, sent, bool(cue_positions))
    if choice is None:
        return None
    metric, unit = choice
    breakdown = (previous is not None and previous.metric == metric.name and previous.is_target
                 and not cue_positions and metric.target in ("cue", "cue_before")
                 and g.breakdown.match(text, sent[0]) is not None)
    return Figure(
        start=n.start, end=end, surface=text[n.start:end], value=n.value, value_max=n.value_max,
        unit=unit, metric=metric.name,
        is_target=decide_is_target(text, g, metric.target, n.start, end, cue_positions, breakdown),
        approx=_is_approx(t, n, end, clause_w),
        year=decide_year(text, g, n.start, end, clause_w, sentence_w),
        sentence=t.sentence_text(sent),
    )


def _counted_noun(t: _Tagger, n: NumberMatch) -> tuple[int, str | None]:
    """(surface end, unit of the counted noun): unit "" when there is no noun, None when the noun
    is out of scope."""
    text, tax = t.text, t.tax
    gap = _SPACES.match(text, n.end).end()
    if n.money:
        if t.grammar.per_unit.match(text, n.end):
            return n.end, None          # a price or a per-head amount, not a budget
        return n.end, ""
    if n.percent:
        if gap > n.end and tax.exclude["percent_nouns"].match(text, gap):
            return n.end, None
        return n.end, ""
    m = tax.noun_pattern.match(text, gap)
    if m:
        unit = tax.unit_of_noun(m.group())
        if gap > n.end or unit in GLUEABLE_UNITS:
            return m.end(), unit
    if gap > n.end and tax.exclude["nouns"].match(text, gap):
        return n.end, None
    return n.end, ""


def _excluded(t: _Tagger, start: int, end: int, percent: bool, scopes: _Scopes) -> bool:
    text, tax, spans = t.text, t.tax, t.index.spans
    ca, cb = scopes.clause
    # A veto concerns the number's own phrase: what follows a comma after the number is another
    # phrase ("baru 24 Mbps, jauh di bawah Singapura"; "11 Ribu Titik Wifi, Hoaks … 1.401 Konten").
    comma = t.grammar.phrase_end.search(text, end, cb)
    phrase_end = comma.start() if comma else cb
    if spans(tax.exclude["clause"], ca, phrase_end):
        return True
    if percent and spans(tax.exclude["percent_clause"], ca, cb):
        return True
    lo, hi = max(ca, start - EXCLUDE_NEAR_CHARS), min(phrase_end, end + EXCLUDE_NEAR_CHARS)
    # Widen to whole words, so a phrase cut by the window ("kuota internet senilai Rp …") is seen.
    while lo > ca and not text[lo - 1].isspace():
        lo -= 1
    while hi < phrase_end and not text[hi].isspace():
        hi += 1
    for comma_before in t.grammar.phrase_end.finditer(text, lo, start):
        lo = comma_before.end()
    return bool(tax.exclude["near"].search(text, lo, hi))


def _distance(span: tuple[int, int], start: int, end: int) -> int:
    if span[1] <= start:
        return start - span[1]
    if span[0] >= end:
        return span[0] - end
    return 0


def _choose_metric(t: _Tagger, start: int, end: int, fixed_unit: str | None, has_noun: bool,
                   scopes: _Scopes, sentence: tuple[int, int], has_target_cue: bool) -> tuple[Metric, str] | None:
    """The metric and unit of the nearest-anchored matching rule: specific rules in the clause,
    then the sentence, then (with a counted noun) the paragraph, then fallback rules.
    ``sentence`` is the whole sentence (the scopes are windows of it)."""
    text, tax = t.text, t.tax
    spans = t.index.spans
    # (scope, fallback rules?, paragraph scope?)
    attempts = [(scopes.clause, False, False), (scopes.sentence, False, False)]
    if fixed_unit is not None:
        # "unconnected" known only from the paragraph; without a counted noun only a rule whose
        # `near` keyword binds the number ("menelan anggaran Rp 11 triliun") may look there.
        attempts.append((scopes.paragraph, False, True))
    attempts += [(scopes.clause, True, False), (scopes.sentence, True, False)]
    candidates = _candidate_rules(tax, fixed_unit)
    # In the clause and sentence attempts only rules with every keyword group in the sentence
    # can anchor: find those once instead of re-testing every rule in each attempt.
    in_sentence = (t.rules_in_sentence(candidates[0], sentence), t.rules_in_sentence(candidates[1], sentence))
    for scope, fallback, in_paragraph in attempts:
        best: tuple[tuple[int, int, int], Metric, str] | None = None
        for index, metric, rule in (candidates if in_paragraph else in_sentence)[fallback]:
            if metric.target == "always" and not has_target_cue:
                continue
            if in_paragraph and (not (metric.paragraph if rule.paragraph is None else rule.paragraph)
                                 or (not has_noun and rule.near is None)):
                continue
            if fixed_unit is None and not rule.all:
                continue                # a keyword-free rule ("homepass") needs the number's own noun
            # Every check here only rejects, so the most selective (the keywords) goes first.
            anchor = _rule_anchor(t, rule, start, end, scope)
            if anchor is None:
                continue
            unit = _rule_unit(t, rule, fixed_unit, scopes.sentence)
            if unit is None:
                continue
            if rule.none is not None and spans(rule.none, *scopes.clause):
                continue
            if rule.near is not None and not _near_before(t, rule.near, start, scopes.clause[0]):
                continue
            if rule.bare and not t.grammar.bare_end.match(text, end):
                continue
            if rule.purpose and not _purpose_fits(t, rule, end, scopes.clause):
                continue
            key = (anchor, -rule.priority, index)
            if best is None or key < best[0]:
                best = (key, metric, unit)
        if best is not None:
            return best[1], best[2]
    return None


def _purpose_fits(t: _Tagger, rule: Rule, end: int, clause: tuple[int, int]) -> bool:
    """False when the clause states what the amount is for ("Rp 2 miliar untuk seragam siswa")
    and that purpose names none of the rule's last keyword group and does not point back."""
    purpose = t.grammar.purpose.search(t.text, end, clause[1])
    if purpose is None:
        return True
    a = purpose.end()
    return bool(t.index.spans(rule.all[-1], a, clause[1]) or t.grammar.points_back.search(t.text, a, clause[1]))


def _candidate_rules(tax: Taxonomy, fixed_unit: str | None) -> tuple[list, list]:
    """(specific, fallback) lists of (index, metric, rule) that can take a number of ``fixed_unit``
    (None: a bare count), computed once per taxonomy and unit."""
    found = tax.rule_cache.get(fixed_unit)
    if found is None:
        specific: list = []
        fallback: list = []
        for index, metric in enumerate(tax.metrics.values()):
            if metric.noun_required and fixed_unit not in metric.units:
                continue
            for rule in metric.rules:
                if fixed_unit is not None and fixed_unit not in rule.units:
                    continue
                (fallback if rule.priority < FALLBACK_PRIORITY else specific).append((index, metric, rule))
        found = tax.rule_cache[fixed_unit] = (specific, fallback)
    return found


def _rule_unit(t: _Tagger, rule: Rule, fixed_unit: str | None, sentence: tuple[int, int]) -> str | None:
    if fixed_unit is not None:
        return fixed_unit if fixed_unit in rule.units else None
    # A bare count ("mencapai 3,79 juta") or a generic noun ("479.125 unit") counts a unit whose
    # noun the sentence names ("UKM go online …", "BTS …"); without one it is not a figure.
    for unit in rule.units:
        if unit in (MONEY_UNIT, PERCENT_UNIT):
            continue
        pattern = t.tax.unit_patterns.get(unit)
        if pattern is not None and t.index.spans(pattern, *sentence):
            return unit
    return None


def _rule_anchor(t: _Tagger, rule: Rule, start: int, end: int, scope: tuple[int, int]) -> int | None:
    """Distance to the rule's anchor keyword, or None when a keyword group is missing from scope."""
    anchor = 0
    for i, group in enumerate(rule.all):
        spans = t.index.spans(group, *scope)
        if not spans:
            return None
        if i == 0:
            anchor = min(_distance(s, start, end) for s in spans)
    return anchor


def _near_before(t: _Tagger, pattern: KeywordPattern, start: int, clause_start: int) -> bool:
    """A keyword of ``pattern`` right before the number, with at most qualifiers in between
    ("dari total 60 juta", "naik sekitar 30 persen"; not "naik dari 143 juta")."""
    lo = max(clause_start, start - NEAR_CHARS - 40)
    gap = t.grammar.near_gap
    return any(gap.fullmatch(t.text, e, start) for _, e in t.index.spans(pattern, lo, start))


def _is_approx(t: _Tagger, n: NumberMatch, end: int, clause: tuple[int, int]) -> bool:
    text, tax = t.text, t.tax
    if n.approx_suffix or t.grammar.lebih_after.match(text, end):
        return True
    ca = clause[0]
    if t.index.spans(tax.cues["hedge"], ca, n.start):
        return True
    lo = max(ca, n.start - APPROX_CHARS)
    return any(not any(ch.isdigit() for ch in text[e:n.start])
               for _, e in t.index.spans(tax.cues["approx"], lo, n.start))
