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
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from extract.discourse import BULLET, CELL_LABEL_CHARS, PARAGRAPH_REACH, SENTENCE_REACH, Discourse, Topic, clamp
from extract.grammar import Grammar, grammar_of
from extract.keyword_index import KeywordIndex, KeywordTable, keyword_table
from extract.modality import Cues, clause_cues, decide_is_target
from extract.numbers import NumberMatch, find_numbers
from extract.placing import with_time_and_scope
from extract.taxonomy import (
    GENERIC_UNIT,
    MONEY_UNIT,
    PERCENT_UNIT,
    KeywordPattern,
    Metric,
    Rule,
    Taxonomy,
    default_taxonomy,
)
from extract.years import decide_year
from kernel.records import Figure

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
# Items of a list a phrase after the list may describe ("97 desa dan 3 kelurahan yang ada di …").
LIST_PHRASE_ITEMS = 3
# Added to the distance of a predicate after the number (one before binds first).
PREDICATE_AFTER_PENALTY = 1000
# Characters around a list item searched for the word the next bare item repeats.
PARALLEL_CHARS = 30
# Characters before a number searched for a length word ("sepanjang 2.275"), and the unit it implies.
LENGTH_CHARS = 30
LENGTH_UNIT = "km"
# Characters before a number searched for a population word of its phrase ("dari total populasi …").
POPULATION_CHARS = 50
# A whole after "dari" follows the part's number within this many characters ("7 juta dari 62 juta").
DENOMINATOR_CHARS = 50
# Characters before a number searched for the programme word it names ("program 10.000 Desa …").
PROGRAMME_CHARS = 24
# A year at most this far after a number may be introduced by it ("30 juta UMKM yang onboarding pada 2023").
YEAR_OWNER_CHARS = 40
# … with at most this many words of its noun phrase between.
YEAR_OWNER_WORDS = 4
# Figures of one list that a cue after the list reaches back over (a long regional breakdown).
LIST_NUMBERS = 12
# Characters before a number searched for "3 dari" (a proportion "3 dari 5 UMKM").
RATIO_CHARS = 12
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]*")
_WORD_AT = re.compile(r"[^\W\d_][\w-]*")


def _skip_spaces(text: str, pos: int) -> int:
    """The offset after the spaces (not newlines) at ``pos``."""
    m = _SPACES.match(text, pos)
    return m.end() if m is not None else pos




@dataclass
class _Scopes:
    sentence: tuple[int, int]
    clause: tuple[int, int]
    paragraph: tuple[int, int]
    # The paragraph together with the one before it (metrics with `topic = true`).
    topic: tuple[int, int] | None = None


class _Tagger:
    """The state of tagging one text: its discourse layout, keyword index and rule pre-checks."""

    def __init__(self, text: str, tax: Taxonomy, numbers: list[NumberMatch]) -> None:
        self.text = text
        # Every number of the text, in order (a goal noun binds to the first after it).
        self.numbers = numbers
        self.number_starts = [m.start for m in numbers]
        self.tax = tax
        self.grammar: Grammar = grammar_of(tax)
        self.doc = Discourse(text, self.grammar)
        self.index = KeywordIndex(text, self.doc.line_bounds, keyword_table(tax))
        self.topic = Topic()
        # Numbers left out as out of scope, in order (a restatement of one is left out too), and
        # every number that is no figure (out of scope or matching no metric).
        self.excluded: list[NumberMatch] = []
        self.untagged: list[NumberMatch] = []
        self._rules: dict[tuple[int, tuple[int, int]], list] = {}
        # Per sentence: table slot -> whether that keyword group matches in it (asked by rules).
        self._groups_in: dict[tuple[int, int], dict[int, bool]] = {}
        # One string per sentence, shared by its figures (a text without full stops is one
        # sentence per paragraph: copying it per figure would be quadratic).
        self._sentence_text: dict[tuple[int, int], str] = {}

    def listed_with(self, first: NumberMatch, a: int, b: int) -> bool:
        """Whether the numbers between offsets ``a`` and ``b`` continue one list that starts at
        ``first`` (each joined to the one before by a list joint)."""
        i = bisect_left(self.number_starts, a)
        previous_end = a
        while i < len(self.numbers) and self.numbers[i].start < b:
            m = self.numbers[i]
            if m.start >= previous_end and not self.doc.list_joint(previous_end, m.start):
                return False
            previous_end = max(previous_end, m.end)
            i += 1
            if i - bisect_left(self.number_starts, a) > LIST_NUMBERS:
                return False
        return True

    def is_denominator(self, start: int, clause_start: int) -> bool:
        """Whether the number at ``start`` is the whole another number of its clause is part of
        ("7 juta dari 62 juta UMKM", "9.000 desa dari total 12.000 desa")."""
        i = bisect_left(self.number_starts, start)
        if not i:
            return False
        previous = self.numbers[i - 1]
        if previous.end < clause_start or start - previous.end > DENOMINATOR_CHARS:
            return False
        link = self.grammar.denominator_between.match(self.text, previous.end, start)
        # "dari target 2 juta UMKM" names a target, not the whole.
        return link is not None and not self.tax.cues["target_nominal"].search(self.text, link.start(), start)

    def year_blocked(self, n: NumberMatch, a: int, b: int) -> bool:
        """Whether the numbers between a year and the number ``n`` keep the year from ``n``: before
        ``n`` (``b == n.start``) any number that is not an item of one list with it ("pada 2020
        ada 7 desa …, di antaranya … 4 desa"); after it (``a`` is its end) a number it is a part
        of ("60 persen dari target 30 juta … pada 2023"). Programme names do not count."""
        i = bisect_left(self.number_starts, a)
        between = []
        while i < len(self.numbers) and self.number_starts[i] < b:
            if self.numbers[i].end <= b and not self.names_a_programme(self.numbers[i]):
                between.append(self.numbers[i])
            i += 1
        if not between:
            return False
        if b == n.start:
            ends = [m.end for m in between]
            starts = [m.start for m in between[1:]] + [n.start]
            # Items of a list, a restatement ("atau"), or the whole after "dari total" keep the year.
            g = self.grammar
            return not all(self.doc.list_joint(e, s) or g.apposition.search(self.text, e, s)
                           or g.denominator_between.match(self.text, e, s) for e, s in zip(ends, starts, strict=True))
        # After it: a number between that is a whole or a target of its own ("12 juta UMKM …, atau 40
        # persen dari target 30 juta UMKM pada 2025": the year is the target's).
        previous_end = a
        for m in between:
            if self.grammar.denominator_between.match(self.text, previous_end, m.start):
                return True
            previous_end = m.end
        return False

    def names_a_programme(self, m: NumberMatch) -> bool:
        """"program 10.000 Desa Digital": the number names a programme, it states no figure of its own."""
        lo = max(0, m.start - PROGRAMME_CHARS)
        return any(e == m.start or not self.text[e:m.start].strip()
                   for _, e in self.index.spans(self.tax.cues["program_name"], lo, m.start))

    def year_owned_by_number(self, ys: int, ye: int) -> bool:
        """Whether the year at ``[ys, ye)`` is introduced right after another number ("30 juta UMKM
        pada 2023"): it is that number's year."""
        i = bisect_left(self.number_starts, ys) - 1
        if i < 0:
            return False
        m = self.numbers[i]
        if ys - m.end > YEAR_OWNER_CHARS:
            return False
        gap = self.text[m.end:ys]
        if "\n" in gap or any(c in gap for c in ".!?;"):
            return False                # another sentence
        words = gap.split()
        for k in range(min(len(words), YEAR_OWNER_WORDS) + 1):
            rest = gap.split(None, k)[-1] if k else gap
            if self.grammar.year_introduced.fullmatch(" " + rest if k else rest):
                return True
        return False

    def numbers_between(self, a: int, b: int) -> bool:
        i = bisect_left(self.number_starts, a)
        return i < len(self.numbers) and self.number_starts[i] < b and self.numbers[i].end <= b

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
            # The groups whose literals the sentence holds, once (a set of table slots): a rule
            # with a group outside it is out with one subset test, before any regex runs; whether
            # a group matches is then asked once per sentence, not once per rule that names it.
            sa, sb = sentence
            has = self.index.has
            possible = self.index.may_have(sa, sb)
            if possible is None:
                found = [c for c in candidates if all(has(group, sa, sb) for group in c[2].all)]
            else:
                table = keyword_table(self.tax)
                matched = self._groups_in.setdefault(sentence, {})
                found = []
                for c, slots in zip(candidates, _rule_slots(self.tax, table, candidates), strict=True):
                    if slots is None:
                        if all(has(group, sa, sb) for group in c[2].all):
                            found.append(c)
                        continue
                    if not slots <= possible:
                        continue
                    for slot in slots:
                        hit = matched.get(slot)
                        if hit is None:
                            hit = matched[slot] = has(table.patterns[slot], sa, sb)
                        if not hit:
                            break
                    else:
                        found.append(c)
            self._rules[key] = found
        return found


def _rule_slots(tax: Taxonomy, table: KeywordTable, candidates: list) -> list[frozenset[int] | None]:
    """Per (index, metric, rule) of ``candidates``: the table slots of the rule's ``all`` groups
    (None when one has none), computed once per candidate list."""
    key = ("slots", id(candidates))
    found = tax.rule_cache.get(key)
    if found is None:
        found = []
        for _, _, rule in candidates:
            slots = [table.slots.get(id(group)) for group in rule.all]
            found.append(None if None in slots else frozenset(slots))
        tax.rule_cache[key] = found
    return found


def tag_text(text: str, taxonomy: Taxonomy | None = None) -> list[Figure]:
    """Every in-scope figure mention in ``text``, ordered by start (figures.md)."""
    numbers = find_numbers(text)
    tagger = _Tagger(text, taxonomy or default_taxonomy(), numbers)
    out: list[Figure] = []
    for number in numbers:
        figure = _tag_number(tagger, number)
        if figure is not None:
            out.append(figure)
    return with_time_and_scope(text, out)  # when and scope of each figure (extract/placing.py)


@dataclass
class _Number:
    """One number being tagged, with the spans around it."""

    n: NumberMatch
    end: int                            # end of the surface (after the counted noun)
    noun_unit: str                      # unit of the counted noun, "" for none
    sentence: tuple[int, int]           # the whole sentence
    paragraph: tuple[int, int]
    clause: tuple[int, int]
    scopes: _Scopes                     # windows of clause, sentence, context paragraph
    cue_clause: tuple[int, int]         # where its target cues are looked for
    reaches: bool | None = None         # a cue reaches this number (computed on first use)
    # Target cues of the cue clause (``_cues``: computed on first use, as a number left out or
    # matching no metric never asks).
    found_cues: Cues | None = None

    @property
    def bare(self) -> bool:
        return self.noun_unit == "" and not (self.n.money or self.n.percent)


@dataclass
class _Choice:
    metric: Metric
    unit: str
    # The rule that matched (None: the metric was inherited).
    rule: Rule | None = None
    # The earlier figure this number continues (its metric or noun came from there), if any.
    antecedent: Figure | None = None
    # The number is what is left of the antecedent, a target.
    remainder: bool = False

    @property
    def target_mode(self) -> str:
        return self.rule.target if self.rule is not None and self.rule.target else self.metric.target


def _tag_number(t: _Tagger, n: NumberMatch) -> Figure | None:
    text, g = t.text, t.grammar
    noun_end, noun_unit = _counted_noun(t, n)
    if noun_unit is None:
        return None                     # counts something out of scope, or a price
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
    before = t.doc.topic_paragraph_before(paragraph[0])
    topic = (max(before, n.start - PARAGRAPH_REACH), context[1]) if before is not None else context
    scopes = _Scopes(sentence=sentence_w, clause=clause_w, paragraph=context,
                     topic=(min(topic[0], context[0]), context[1]))
    # A clause that restates the one before ("…, yakni membangun BTS di 628 titik") is in its scope.
    cue_clause = clause_w
    if clause[0] > sent[0] and g.restates.match(text, clause[0]):
        cue_clause = (max(t.doc.clause(sent, _before_break(text, clause[0]))[0], n.start - SENTENCE_REACH), clause_w[1])
    num = _Number(n=n, end=end, noun_unit=noun_unit, sentence=sent, paragraph=paragraph, clause=clause,
                  scopes=scopes, cue_clause=cue_clause)
    if _excluded(t, num) or _restates_excluded(t, num):
        t.excluded.append(n)
        t.untagged.append(n)
        return None
    choice = _choose(t, num)
    if choice is None:
        t.untagged.append(n)
        return None
    figure = Figure(
        start=n.start, end=end, surface=text[n.start:end], value=n.value, value_max=n.value_max,
        unit=choice.unit, metric=choice.metric.name,
        is_target=_is_target(t, num, choice),
        approx=_is_approx(t, n, end, clause_w),
        year=_year(t, num),
        sentence=t.sentence_text(sent),
    )
    if not t.doc.is_related_line(paragraph[0]):
        t.topic.add(figure, sent, paragraph[0])
    return figure


def _year(t: _Tagger, num: _Number) -> int | None:
    """figures.md 5.3 (extract.years); a figure restating the one before ("9 juta … hingga 2030
    atau rata-rata 600 ribu per tahun") shares its year."""
    n = num.n
    if t.names_a_programme(n):
        return None                     # "program 10.000 Desa Digital": a name has no year
    year = decide_year(t.text, t.grammar, n.start, num.end, num.scopes.clause, num.scopes.sentence,
                       lambda a, b: t.year_blocked(n, a, b), t.year_owned_by_number)
    if year is None:
        previous = t.topic.recent()[:1]
        if (previous and previous[0].sentence == num.sentence and previous[0].figure.year is not None
                and t.grammar.apposition.search(t.text, previous[0].figure.end, n.start)
                and t.doc.list_joint(previous[0].figure.end, n.start)):
            return previous[0].figure.year
    return year


def _before_break(text: str, clause_start: int) -> int:
    """An offset inside the clause before the break that ends at ``clause_start``."""
    pos = clause_start - 1
    while pos > 0 and (text[pos].isspace() or text[pos] in ",;:-–—\"”’"):
        pos -= 1
    return max(pos, 0)


def _choose(t: _Tagger, num: _Number) -> _Choice | None:
    """The metric and unit of a number: from its own clause and sentence first, then as an item
    of a list with the figure before it, then from the paragraph's topic, then from an earlier
    figure it continues (figures.md 3.1; the discourse layer, extract/discourse.py)."""
    n = num.n
    fixed_unit = MONEY_UNIT if n.money else PERCENT_UNIT if n.percent else (
        num.noun_unit if num.noun_unit not in ("", GENERIC_UNIT) else None)
    # A bare count this small is too ambiguous to be a figure on its own ("Artikel 1"); it can
    # only be an item of a list or continue a figure ("bupati minta satu lagi").
    small_bare = num.bare and not n.scaled and n.value < MIN_BARE_VALUE

    def has_cue() -> bool:
        return _target_reaches(t, num)

    if not small_bare:
        choice = _choose_metric(t, n.start, num.end, fixed_unit, bool(num.noun_unit), num.scopes, num.sentence,
                                has_cue, stage="clause")
        if choice is not None:
            return _Choice(*choice)
    # An item of a list with the figure before it, when its own clause does not decide
    # ("1.524 desa masih blank spot, sedangkan di Papua 3.500 desa").
    sibling = _sibling(t, num)
    if sibling is not None:
        inherited = _inherit(t, num, sibling, fixed_unit)
        if inherited is not None:
            return inherited
    if not small_bare:
        choice = _choose_metric(t, n.start, num.end, fixed_unit, bool(num.noun_unit), num.scopes, num.sentence,
                                has_cue, stage="sentence")
        if choice is not None:
            return _Choice(*choice)
    # What is left of a target ("Tinggal 1.500 sisanya", "masih tersisa 120.000 lebih peserta"):
    # the target's metric, a target too (figures.md 5.2).
    plan = _remainder_of(t, num)
    if plan is not None:
        inherited = _inherit(t, num, plan, fixed_unit)
        if inherited is not None:
            inherited.remainder = True
            return inherited
    # The same value stated again ("… 150 UMKM …. Minggu ini ada 150 UMKM yang …"): the same figure.
    repeated = _repeated(t, num, small_bare)
    if repeated is not None:
        inherited = _inherit(t, num, repeated, fixed_unit)
        if inherited is not None:
            return inherited
    if not small_bare:
        choice = _choose_metric(t, n.start, num.end, fixed_unit, bool(num.noun_unit), num.scopes, num.sentence,
                                has_cue, stage="context")
        if choice is not None:
            return _Choice(*choice)
        choice = _choose_metric(t, n.start, num.end, fixed_unit, bool(num.noun_unit), num.scopes, num.sentence,
                                has_cue, stage="topic")
        if choice is not None:
            return _Choice(*choice)
    if not num.bare:
        # The sentence before states what this one counts ("… pelatihan jualan daring bagi pelaku
        # UMKM. Sebanyak 1.200 orang mendaftar."): read both as one.
        before = t.doc.previous_sentence(num.sentence, num.paragraph)
        if before is not None:
            joined = (max(before[0], n.start - SENTENCE_REACH), num.scopes.sentence[1])
            scopes = _Scopes(sentence=joined, clause=joined, paragraph=num.scopes.paragraph, topic=num.scopes.topic)
            choice = _choose_metric(t, n.start, num.end, fixed_unit, True, scopes, num.sentence, has_cue,
                                    stage="sentence", rules_scope=(before[0], num.sentence[1]))
            if choice is not None:
                return _Choice(*choice)
    if n.percent and t.grammar.share_anaphor.match(t.text, num.sentence[0]):
        # A percentage about the figure just given ("Jumlah itu 30 persen dari …"): its share
        # metric, its previous value, or the family's catch-all (figures.md 3.1).
        previous = _previous_figure(t, num)
        if previous is not None and previous.unit != MONEY_UNIT:
            share = _share_metric(t, n, num.sentence, previous)
            return None if share is None else _Choice(*share, antecedent=previous)
    antecedent = _antecedent(t, num, small_bare)
    if antecedent is None:
        return None
    if num.bare and not small_bare:
        # A bare count with no noun in its sentence counts the noun of the figure it refers back
        # to; its cues then come from the paragraphs of both (figures.md 1.1, "baru 4,6 juta").
        linked_start = min(num.scopes.paragraph[0], t.doc.line_bounds(antecedent.start, antecedent.end)[0])
        linked = _Scopes(sentence=num.scopes.sentence, clause=num.scopes.clause,
                         paragraph=(max(linked_start, n.start - PARAGRAPH_REACH), num.scopes.paragraph[1]))
        choice = _choose_metric(t, n.start, num.end, antecedent.unit, True, linked, num.sentence, has_cue,
                                stage="context")
        if choice is not None:
            return _Choice(*choice, antecedent=antecedent)
    return _inherit(t, num, antecedent, fixed_unit)


def _cues(t: _Tagger, num: _Number) -> Cues:
    """The target cues that concern ``num`` (extract.modality), found once."""
    if num.found_cues is None:
        num.found_cues = clause_cues(t.tax, t.grammar, t.index, num.cue_clause, num.n.start, num.end, num.n.money,
                                     t.number_starts)
    return num.found_cues


def _target_reaches(t: _Tagger, num: _Number) -> bool:
    """Whether a cue reaches this number (or the list item before it is a target): what a metric
    that is always a target needs before it can take the number."""
    if num.reaches is None:
        num.reaches = decide_is_target(t.text, t.grammar, "cue", num.n.start, num.end, _cues(t, num),
                                       lambda a, b: t.listed_with(num.n, a, b), t.numbers_between)
        if not num.reaches:
            previous = t.topic.recent()[:1]
            num.reaches = bool(previous and previous[0].sentence == num.sentence and previous[0].figure.is_target
                               and t.doc.list_joint(previous[0].figure.end, num.n.start))
    return num.reaches


def _remainder_of(t: _Tagger, num: _Number) -> Figure | None:
    """The target a remainder is left of: a remainder word bound to the number and a target of a
    compatible unit in this paragraph or the two before."""
    g, text, n = t.grammar, t.text, num.n
    lo = max(num.clause[0], n.start - REMAINDER_CHARS)
    before = g.remainder_before.search(text, lo, n.start)
    after = g.remainder_after.match(text, num.end)
    if before is None and after is None:
        return None
    paragraphs = {num.paragraph[0]}
    start = num.paragraph[0]
    for _ in range(REMAINDER_PARAGRAPHS):
        previous = t.doc.topic_paragraph_before(start)
        if previous is None:
            break
        paragraphs.add(previous)
        start = previous
    for mention in t.topic.recent():
        if mention.paragraph not in paragraphs:
            return None
        if mention.figure.is_target and _compatible(mention.figure, num):
            return mention.figure
    return None


def _repeated(t: _Tagger, num: _Number, small_bare: bool) -> Figure | None:
    """An earlier figure of the text with the same value and a compatible unit."""
    n = num.n
    if small_bare or (num.bare and n.value < MIN_BARE_VALUE):
        return None
    for mention in t.topic.recent():
        figure = mention.figure
        if figure.value == n.value and figure.value_max == n.value_max and _compatible(figure, num):
            return figure
    return None


def _inherit(t: _Tagger, num: _Number, antecedent: Figure, fixed_unit: str | None) -> _Choice | None:
    """The antecedent's metric for this number, when that metric can count this number's unit:
    a bare number takes the antecedent's unit; a change ("turun sekitar Rp 4,3 triliun" after a
    budget) is the family's catch-all."""
    metric = t.tax.metrics.get(antecedent.metric)
    if metric is None:
        return None
    unit = fixed_unit or (num.noun_unit if num.noun_unit and num.noun_unit != GENERIC_UNIT else antecedent.unit)
    if unit in (MONEY_UNIT, PERCENT_UNIT) and (num.n.money or num.n.percent) and _changes(t, num):
        other = t.tax.metrics.get("other_" + metric.family)
        if other is not None and unit in other.units and metric.name != other.name:
            metric = other
    if unit not in metric.units or any(r.count_as and unit in r.units for r in metric.rules):
        return None                     # not a unit of the metric, or one only its `head` rules count
    if metric.target == "always" and not antecedent.is_target and not _target_reaches(t, num):
        return None
    return _Choice(metric, unit, antecedent=antecedent)


def _changes(t: _Tagger, num: _Number) -> bool:
    """A change verb right before the amount ("turun sekitar Rp 4,3 triliun", "naik 3 persen")."""
    g = t.grammar
    lo = max(num.clause[0], num.n.start - NEAR_CHARS - 40)
    return any(g.near_gap.fullmatch(t.text, m.end(), num.n.start)
               for m in g.change_before.finditer(t.text, lo, num.n.start))


def _compatible(figure: Figure, num: _Number) -> bool:
    """Whether ``num`` can count what ``figure`` counts: both percentages, both money, the same
    counted noun, or a bare number after a count."""
    n = num.n
    if n.percent or figure.unit == PERCENT_UNIT:
        return n.percent and figure.unit == PERCENT_UNIT
    if n.money or figure.unit == MONEY_UNIT:
        return n.money and figure.unit == MONEY_UNIT
    return num.noun_unit in ("", GENERIC_UNIT) or num.noun_unit == figure.unit


def _sibling(t: _Tagger, num: _Number) -> Figure | None:
    """The figure just before in the same sentence when both are items of one list or series."""
    for mention in t.topic.recent()[:1]:
        figure = mention.figure
        if mention.sentence != num.sentence or not _compatible(figure, num):
            return None
        if num.bare and not _counts_nothing_else(t, figure, num):
            return None                 # "satu tower dan satu power": the bare number counts a noun of its own
        if t.doc.list_joint(figure.end, num.n.start) or (num.bare and _apposition(t, figure, num)):
            return figure
    return None


def _counts_nothing_else(t: _Tagger, figure: Figure, num: _Number) -> bool:
    """A bare list item names no noun of its own after it, or the same word as the item before
    it ("1.706 km jaringan laut dan 1.289 jaringan darat")."""
    text = t.text
    if t.grammar.nothing_counted_after.match(text, num.n.end):
        return True
    word = _WORD_AT.match(text, _skip_spaces(text, num.n.end))
    if word is None:
        return False
    # The item before names the same word around it ("kabel laut sepanjang 820 km dan 410 kabel darat").
    around = text[max(0, figure.start - PARALLEL_CHARS):min(figure.end + PARALLEL_CHARS, num.n.start)].lower()
    return re.search(r"(?<![\w-])" + re.escape(word.group().lower()) + r"(?![\w-])", around) is not None


def _apposition(t: _Tagger, figure: Figure, num: _Number) -> bool:
    return bool(t.grammar.apposition.search(t.text, figure.end, num.n.start))


def _antecedent(t: _Tagger, num: _Number, small_bare: bool) -> Figure | None:
    """The earlier figure this number continues, if the text links them: the latest figure of a
    compatible unit in the same sentence, the paragraph, or the paragraph before when this
    sentence continues it (an opener, a pointer back, a list item). A bare number needs a word
    that continues a figure ("sisanya", "lagi", "di antaranya", "jumlahnya") or, when scaled, a
    pointer back ("Itu naik dari 8 juta")."""
    n, doc, g, text = num.n, t.doc, t.grammar, t.text
    if num.bare:
        lo, hi = max(num.sentence[0], n.start - CONTINUES_CHARS), min(num.sentence[1], num.end + CONTINUES_CHARS)
        continues = bool(g.continues_near.search(text, lo, hi) or g.remainder_before.search(text, lo, n.start))
        if small_bare and not continues:
            return None
        if not continues and not (n.scaled and g.anaphor.search(text, *num.scopes.sentence)
                                  and g.nothing_counted_after.match(text, n.end)):
            return None
    paragraph_start = num.paragraph[0]
    before = doc.topic_paragraph_before(paragraph_start)
    reaches_back = (doc.opens_continuation(num.sentence) or doc.refers_back_in(num.sentence, n.start)
                    or BULLET.match(text, paragraph_start) is not None
                    or (n.percent and not _names_a_subject(t, num)))
    for mention in t.topic.recent():
        figure = mention.figure
        if mention.paragraph != paragraph_start and not (reaches_back and mention.paragraph == before):
            return None
        if _compatible(figure, num) and (not num.bare or figure.unit not in (MONEY_UNIT, PERCENT_UNIT)):
            return figure
    return None


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


def _previous_figure(t: _Tagger, num: _Number) -> Figure | None:
    """The figure just before, in this paragraph or the one before."""
    for mention in t.topic.recent()[:1]:
        if mention.paragraph in (num.paragraph[0], t.doc.topic_paragraph_before(num.paragraph[0])):
            return mention.figure
    return None


def _names_a_subject(t: _Tagger, num: _Number) -> bool:
    """Whether the number's sentence names what a rule counts (any rule's anchor keyword)."""
    lo, hi = num.scopes.sentence
    return any(t.index.spans(rule.all[0], lo, hi) for _, _, rule in _anchor_rules(t.tax))


def _anchor_rules(tax: Taxonomy) -> list:
    found = tax.rule_cache.get("anchors")
    if found is None:
        seen: dict[int, tuple] = {}
        for index, metric in enumerate(tax.metrics.values()):
            for rule in metric.rules:
                if rule.all:
                    seen.setdefault(id(rule.all[0]), (index, metric, rule))
        found = tax.rule_cache["anchors"] = list(seen.values())
    return found


def _is_target(t: _Tagger, num: _Number, choice: _Choice) -> bool:
    """figures.md 5.2: the number's own cues, else the plan it is an item or a follow-on of."""
    metric, mode = choice.metric, choice.target_mode
    if choice.remainder and mode != "never":
        return True                     # what is left of a target is still to be reached
    own = decide_is_target(t.text, t.grammar, mode, num.n.start, num.end, _cues(t, num),
                           lambda a, b: t.listed_with(num.n, a, b), t.numbers_between)
    if own or mode != "cue":
        return own
    plan = _plan_before(t, num, metric)
    return plan is not None and not t.grammar.actual.search(t.text, *num.scopes.clause)


def _plan_before(t: _Tagger, num: _Number, metric: Metric) -> Figure | None:
    """The planned figure this one details: the latest figure of the same metric, in this sentence
    or the one before (or the paragraph before, when this sentence continues it), if it is a target."""
    doc = t.doc
    before = doc.topic_paragraph_before(num.paragraph[0])
    reaches_back = (doc.opens_continuation(num.sentence) or doc.refers_back_in(num.sentence, num.n.start)
                    or BULLET.match(t.text, num.paragraph[0]) is not None)
    sentences_seen: list[tuple[int, int]] = []
    for mention in t.topic.recent():
        if mention.sentence != num.sentence and mention.sentence not in sentences_seen:
            sentences_seen.append(mention.sentence)
        if len(sentences_seen) > PLAN_SENTENCES:
            return None
        if mention.paragraph != num.paragraph[0] and not (reaches_back and mention.paragraph == before):
            return None
        if mention.figure.metric == metric.name:
            return mention.figure if mention.figure.is_target else None
    return _repeated_plan(t, num, metric)


def _repeated_plan(t: _Tagger, num: _Number, metric: Metric) -> Figure | None:
    """A planned figure of the same metric and value stated earlier ("… akan menjangkau 150 ribu
    titik …. Adapun 150 ribu titik layanan publik itu …"): the same plan."""
    for mention in t.topic.recent():
        figure = mention.figure
        if figure.metric == metric.name and figure.value == num.n.value and figure.is_target:
            return figure
    return None


# Characters around a bare number searched for a word that continues a figure ("sisanya", "lagi").
CONTINUES_CHARS = 30
# Characters before a number searched for a remainder word ("masih tersisa 120.000"), and how many
# paragraphs back its target may stand.
REMAINDER_CHARS = 20
REMAINDER_PARAGRAPHS = 2
# How many sentences back a plan's details may follow it ("… akan membangun 2.000 BTS. Sebanyak 1.200 …").
PLAN_SENTENCES = 1


def _counted_noun(t: _Tagger, n: NumberMatch) -> tuple[int, str | None]:
    """(surface end, unit of the counted noun): unit "" when there is no noun, None when the noun
    is out of scope."""
    text, tax = t.text, t.tax
    gap = _skip_spaces(text, n.end)
    if n.money:
        if t.grammar.per_unit.match(text, n.end):
            return n.end, None          # a price or a per-head amount, not a budget
        return n.end, ""
    if n.percent:
        if gap > n.end and tax.exclude["percent_nouns"].match(text, gap):
            lo = max(0, n.start - SENTENCE_REACH)
            if not tax.exclude["percent_nouns_unless"].search(text, lo, n.start):
                return n.end, None      # "61 persen terhadap PDB" (not ICT spending as a share of GDP)
        return n.end, ""
    m = tax.noun_pattern.match(text, gap)
    if m:
        unit = tax.unit_of_noun(m.group())
        if gap > n.end or unit in GLUEABLE_UNITS:
            if text[m.end():m.end() + 1] == "/" and text[m.end() + 1:m.end() + 2].isalpha() \
                    and not tax.noun_pattern.match(text, m.end() + 1):
                return n.end, None      # "lima UMKM/artisan champion": a compound of something else
            return m.end(), unit
    if gap > n.end and tax.exclude["nouns"].match(text, gap):
        return n.end, None
    label = t.grammar.cell_label.search(text, max(0, n.start - CELL_LABEL_CHARS), n.start) if gap == n.end \
        or not tax.noun_pattern.match(text, gap) else None
    if label is not None:
        # "Jumlah BTS: 1.200" (a table cell): the value counts what its label names.
        nouns = list(tax.noun_pattern.finditer(text, label.start(label.lastindex or 0), n.start))
        if nouns:
            return n.end, tax.unit_of_noun(nouns[-1].group())
    if t.grammar.length_before.search(text, max(0, n.start - LENGTH_CHARS), n.start):
        # "Barat sepanjang 2.275, Tengah sepanjang 2.995": a length without its unit is in km.
        return n.end, LENGTH_UNIT
    if gap > n.end:
        # "120.000 lebih peserta", "200.000 target peserta": the noun after a postposed qualifier
        # or a goal word counts; the surface ends at the number (figures.md 1.1).
        skip = t.grammar.lebih_after.match(text, n.end) or tax.cues["target_nominal"].match(text, gap)
        if skip is not None:
            after = _skip_spaces(text, skip.end())
            noun = tax.noun_pattern.match(text, after)
            if noun is not None and after > skip.end():
                return n.end, tax.unit_of_noun(noun.group())
    return n.end, ""


def _excluded(t: _Tagger, num: _Number) -> bool:
    """figures.md 3.2: the number's own phrase puts it out of scope (a veto word before it or in
    its noun phrase, a foreign or corruption clause, a survey breakdown share, a population)."""
    text, tax, spans = t.text, t.tax, t.index.spans
    start, end, percent = num.n.start, num.end, num.n.percent
    ca, cb = num.scopes.clause
    # A veto concerns the number's own phrase: what follows a comma after the number is another
    # phrase ("baru 24 Mbps, jauh di bawah Singapura"; "11 Ribu Titik Wifi, Hoaks … 1.401 Konten").
    comma = t.grammar.phrase_end.search(text, end, cb)
    phrase_end = comma.start() if comma else cb
    if spans(tax.exclude["clause"], ca, phrase_end):
        return True
    if percent and (spans(tax.exclude["percent_clause"], ca, cb) or _demographic_breakdown(t, num)):
        return True
    lo, hi = max(ca, start - EXCLUDE_NEAR_CHARS), min(phrase_end, end + EXCLUDE_NEAR_CHARS)
    # After the number only its own noun phrase counts: not the denominator of a rate
    # ("50 website per relawan" counts websites).
    rate = t.grammar.rate_per.search(text, end, hi)
    if rate is not None:
        hi = rate.start()
    # Widen to whole words, so a phrase cut by the window ("kuota internet senilai Rp …") is seen.
    while lo > ca and not text[lo - 1].isspace():
        lo -= 1
    while hi < phrase_end and not text[hi].isspace() and rate is None:
        hi += 1
    for comma_before in t.grammar.phrase_end.finditer(text, lo, start):
        lo = comma_before.end()
    if tax.exclude["near"].search(text, lo, hi) and not (
            percent and tax.exclude["percent_nouns_unless"].search(text, max(ca, start - SENTENCE_REACH), start)):
        return True
    if t.grammar.list_label_after.match(text, end):
        return True                     # "Simak 6 provinsi berikut": a list's label
    return num.noun_unit == "orang" and _population(t, num)


def _restates_excluded(t: _Tagger, num: _Number) -> bool:
    """"10 persen atau dua ribu orang adalah dari kelompok disabilitas": the same quantity restated
    (apposition) right after a number left out is left out, and so is a number of the next sentence
    that points back at it ("angka itu")."""
    i = bisect_left(t.number_starts, num.n.start)
    if not i or not t.untagged or t.numbers[i - 1] is not t.untagged[-1]:
        return False
    last = t.untagged[-1]
    if num.sentence[0] <= last.start:
        if not t.excluded or t.excluded[-1] is not last:
            return False
        return (t.grammar.apposition.search(t.text, last.end, num.n.start) is not None
                and t.doc.list_joint(last.end, num.n.start))
    # "Nilai transaksi … Rp 180 triliun. … angka itu tumbuh 15 persen": a change of the number left
    # out in the sentence before, pointed at by "angka itu".
    return (num.n.percent and t.grammar.share_anaphor.search(t.text, num.sentence[0], num.n.start) is not None
            and t.doc.previous_sentence(num.sentence, num.paragraph) is not None
            and last.start >= (t.doc.previous_sentence(num.sentence, num.paragraph) or (0, 0))[0])


def _demographic_breakdown(t: _Tagger, num: _Number) -> bool:
    """A percentage in a paragraph that breaks a survey down by gender, age, education …
    ("Berdasarkan usia, …"; "Kemudian, tingkat sarjana 97 %" after it)."""
    tax, text = t.tax, t.text
    lo = max(num.paragraph[0], num.n.start - PARAGRAPH_REACH)
    intros = t.index.spans(tax.exclude["breakdown_intro"], lo, num.n.start)
    # The last "berdasarkan …" before the number says what its percentages are by ("… menurut
    # wilayah" after "berdasarkan jenis kelamin" turns to a regional breakdown, which stays).
    return bool(intros) and tax.exclude["breakdown_by"].match(
        text, _skip_spaces(text, intros[-1][1])) is not None


def _population(t: _Tagger, num: _Number) -> bool:
    """A count of people that is a population: its noun says so ("278 juta jiwa penduduk"), or a
    population word stands right before it ("dari total populasi 275 juta jiwa")."""
    tax, text = t.tax, t.text
    if t.index.spans(tax.exclude["population_unless"], *num.scopes.clause):
        return False                    # "60 juta penduduk masih belum memiliki akses internet"
    gap = _skip_spaces(text, num.n.end)
    noun = t.tax.noun_pattern.match(text, gap)
    after = _skip_spaces(text, noun.end()) if noun else gap
    if tax.exclude["population_nouns"].match(text, gap) or tax.exclude["population_nouns"].match(text, after):
        return True
    # A population word before the number in its own phrase ("dari total populasi Indonesia yang
    # sebanyak 275 juta jiwa"), unless the words between say connected ("jumlah penduduk
    # terkoneksi internet mencapai 215 juta jiwa" counts users).
    i = bisect_left(t.number_starts, num.n.start)
    lo = max(num.clause[0], num.n.start - POPULATION_CHARS, t.numbers[i - 1].end if i else 0)
    for _, e in t.index.spans(tax.exclude["population_before"], lo, num.n.start):
        if not t.index.spans(tax.exclude["population_unless_connected"], e, num.n.start):
            return True
    return False


def _distance(span: tuple[int, int], start: int, end: int) -> int:
    if span[1] <= start:
        return start - span[1]
    if span[0] >= end:
        return span[0] - end
    return 0


def _choose_metric(t: _Tagger, start: int, end: int, fixed_unit: str | None, has_noun: bool,
                   scopes: _Scopes, sentence: tuple[int, int], has_target_cue: Callable[[], bool],
                   stage: str, rules_scope: tuple[int, int] | None = None) -> tuple[Metric, str, Rule] | None:
    """The metric and unit of the nearest-anchored matching rule. Stage "clause" and "sentence":
    specific rules in that scope; stage "context": specific rules in the paragraph (with a counted
    noun, or a rule's own `near` or `clause` keyword), then fallback rules in the clause and the
    sentence. ``sentence`` is the whole
    sentence (the scopes are windows of it)."""
    text, tax = t.text, t.tax
    spans = t.index.spans
    # (scope, fallback rules?, paragraph scope?)
    if stage == "clause":
        attempts = [(scopes.clause, False, False)]
    elif stage == "sentence":
        attempts = [(scopes.sentence, False, False)]
    elif stage == "topic":
        # The subject from the paragraph's topic, the rest of the rule in the number's own clause
        # ("… 7.500 UMKM berjualan daring. Tahun lalu baru 3,2 ribu yang masuk marketplace").
        attempts = [(scopes.topic or scopes.paragraph, False, True)]
    else:
        # "unconnected" known only from the paragraph; without a counted noun only a rule whose
        # `near` keyword binds the number ("menelan anggaran Rp 11 triliun") or whose `clause`
        # predicate is in its clause ("ketersediaannya mencapai 6 juta") may look there.
        attempts = [(scopes.paragraph, False, True)]
        attempts += [(scopes.clause, True, False), (scopes.sentence, True, False)]
    candidates = _candidate_rules(tax, fixed_unit)
    # In the clause and sentence attempts only rules with every keyword group in the sentence
    # can anchor: find those once instead of re-testing every rule in each attempt.
    if rules_scope is not None:
        # Two sentences read as one: pre-check the rules in both, not cached.
        spans = t.index.spans
        in_sentence = tuple([c for c in group if all(spans(g, *rules_scope) for g in c[2].all)]
                            for group in candidates)
    else:
        in_sentence = (t.rules_in_sentence(candidates[0], sentence), t.rules_in_sentence(candidates[1], sentence))
    for scope, fallback, in_paragraph in attempts:
        best: tuple[tuple[int, int, int, int, int], Metric, str, Rule] | None = None
        for index, metric, rule in (candidates if in_paragraph else in_sentence)[fallback]:
            if stage == "topic" and len(rule.all) < 2:
                continue
            if metric.target == "always" and rule.target is None and not has_target_cue():
                continue                # a target metric needs a cue that reaches the number
            if in_paragraph and (not (metric.paragraph if rule.paragraph is None else rule.paragraph)
                                 or (not has_noun and rule.near is None and not rule.clause and stage != "topic")):
                continue
            if fixed_unit is None and not rule.all:
                continue                # a keyword-free rule ("homepass") needs the number's own noun
            # Every check here only rejects, so the most selective (the keywords) goes first.
            if stage == "topic":
                anchor = _topic_anchor(t, rule, start, end, scope, scopes.clause)
            else:
                anchor = _rule_anchor(t, rule, start, end, scopes.topic if in_paragraph and metric.topic
                                      and scopes.topic else scope)
            if anchor is None:
                continue
            unit = _rule_unit(t, rule, fixed_unit, scope if in_paragraph else scopes.sentence)
            if unit is None:
                continue
            if rule.clause and not all(spans(group, *scopes.clause) for group in rule.clause):
                continue
            if rule.phrase and not _in_own_phrase(t, rule, start, end, scopes):
                continue
            if rule.phrase_none and any(spans(group, *_own_phrase(t, start, end, scopes))
                                        for group in rule.phrase_none):
                continue
            if rule.head is not None:
                if not _head_near(t, rule.head, start, end):
                    continue
                unit = rule.count_as or unit
            if rule.none is not None and spans(rule.none, *scopes.clause):
                continue
            if rule.near is not None and not _near_before(t, rule.near, start, scopes.clause[0]):
                continue
            if rule.bare and not t.grammar.bare_end.match(text, end):
                continue
            if rule.denominator and not t.is_denominator(start, scopes.clause[0]):
                continue
            if rule.purpose and not _purpose_fits(t, rule, end, scopes.clause):
                continue
            # At the same anchor, a rule whose clause predicate binds the number wins, the nearest
            # predicate first ("kebutuhan sebesar 12 juta … dengan kesenjangan 4 juta").
            predicate = _predicate_distance(t, rule, start, end, scopes.clause) if rule.clause else None
            key = (anchor, 0 if predicate is not None else 1, predicate or 0, -rule.priority, index)
            if best is None or key < best[0]:
                best = (key, metric, unit, rule)
        if best is not None:
            return best[1], best[2], best[3]
    return None


def _head_near(t: _Tagger, pattern: KeywordPattern, start: int, end: int) -> bool:
    """What the number's noun counts, named right after it ("3.409 titik BTS") or right before the
    number with only qualifiers, "di" and technology tokens between ("BTS 4G di 628 titik")."""
    text = t.text
    if pattern.match(text, _skip_spaces(text, end)):
        return True
    lo = max(0, start - NEAR_CHARS - 40)
    gap = t.grammar.head_gap
    return any(gap.fullmatch(text, e, start) for _, e in t.index.spans(pattern, lo, start))


def _predicate_distance(t: _Tagger, rule: Rule, start: int, end: int, clause: tuple[int, int]) -> int:
    """Distance to the rule's nearest clause predicate; one before the number binds first
    ("pelatihan … bagi 300 ribu pelaku usaha hingga akhir tahun" is training)."""
    return min((_distance(s, start, end) + (PREDICATE_AFTER_PENALTY if s[0] >= end else 0)
                for group in rule.clause for s in t.index.spans(group, *clause)
                if s[1] <= start or s[0] >= end), default=PREDICATE_AFTER_PENALTY * 2)


def _in_own_phrase(t: _Tagger, rule: Rule, start: int, end: int, scopes: _Scopes) -> bool:
    """Each ``phrase`` group the sentence has must be in the number's own phrase ("di 13 desa dari
    23 titik blankspot": the blank spot belongs to the points)."""
    lo, hi = _own_phrase(t, start, end, scopes)
    spans = t.index.spans
    return all(spans(group, lo, hi) or not spans(group, *scopes.sentence) for group in rule.phrase)


def _own_phrase(t: _Tagger, start: int, end: int, scopes: _Scopes) -> tuple[int, int]:
    """The number's own phrase: its clause between the numbers before and after it, over the
    items of a list it heads, up to a "dari (total)" that introduces the next number."""
    i = bisect_left(t.number_starts, start)
    lo = t.numbers[i - 1].end if i and t.numbers[i - 1].end > scopes.clause[0] else scopes.clause[0]
    hi = t.number_starts[i + 1] if i + 1 < len(t.numbers) and t.number_starts[i + 1] < scopes.clause[1] \
        else scopes.clause[1]
    # "97 desa dan 3 kelurahan yang ada di …": a phrase after a list describes all its items.
    j = i + 1
    while (j < len(t.numbers) and j - i <= LIST_PHRASE_ITEMS and t.number_starts[j] < scopes.clause[1]
           and t.doc.list_joint(t.numbers[j - 1].end, t.number_starts[j])):
        hi = t.number_starts[j + 1] if j + 1 < len(t.numbers) and t.number_starts[j + 1] < scopes.clause[1] \
            else scopes.clause[1]
        j += 1
    # "12 juta UMKM dari total 64 juta": "dari total" introduces the next number, it is not this one's.
    link = t.grammar.denominator_between.search(t.text, end, hi) if hi < scopes.clause[1] else None
    if link is not None and link.end() == hi:
        hi = link.start() + (len(link.group()) - len(link.group().lstrip()))
    return lo, hi


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
    has = t.index.has
    for group in rule.all[1:]:
        if not has(group, *scope):
            return None
    if not rule.all:
        return 0
    return t.index.nearest(rule.all[0], start, end, *scope)


def _topic_anchor(t: _Tagger, rule: Rule, start: int, end: int, topic: tuple[int, int],
                  clause: tuple[int, int]) -> int | None:
    """For a rule whose subject (first group) the topic names and whose other groups the number's
    own clause has: the distance to the nearest of those in the clause."""
    if not t.index.spans(rule.all[0], *topic) or t.index.spans(rule.all[0], *clause):
        return None                     # no topic subject, or the clause names its own (decided before)
    anchor = None
    for group in rule.all[1:]:
        spans = t.index.spans(group, *clause)
        if not spans:
            return None
        nearest = min(_distance(s, start, end) for s in spans)
        anchor = nearest if anchor is None else min(anchor, nearest)
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
