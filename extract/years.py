"""The ``year`` of a figure (figures.md §5.3): a year in its sentence that the figure refers to.

``decide_year`` is the one decision. A year attaches to the nearest figure it can belong to: one
in the figure's clause first, else (for a clause that restates or continues the one before, or a
title before a colon) a year earlier in the sentence. A year does not attach when

* it is bound to another number: introduced right after it ("30 juta UMKM pada 2023"), or another
  figure stands between it and this one ("pada 2020 ada 7 desa, di antaranya … 4 desa");
* it belongs to something else: a full date (unless it says "as of": "Hingga 29 Oktober 2024"),
  a name ("Disease 2019"), the start of an open period ("sejak … pada 2018"), a comparison
  ("dibandingkan 2022"), a relative clause about another thing ("yang dirancang pada 2016"), the
  date of a statement ("Pada 2023, Menko … menyebut"), an earlier verb ("diresmikan pada Mei 2022
  kini melayani …").

The words come from the taxonomy's ``[grammar]`` (``extract.grammar``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from extract.grammar import Grammar

_YEAR = re.compile(r"(?<![\w/.,-])((?:19|20)[0-9]{2})(?![\w/]|[.,][0-9])")
# Characters before a year searched for a date, a "sejak" or a name the year belongs to.
BEFORE_YEAR_CHARS = 30
# Characters before a year searched for the start of a relative clause or an open period.
YEAR_PHRASE_CHARS = 60


def _distance(span: tuple[int, int], start: int, end: int) -> int:
    if span[1] <= start:
        return start - span[1]
    if span[0] >= end:
        return span[0] - end
    return 0


def decide_year(text: str, g: Grammar, start: int, end: int, clause: tuple[int, int],
                sentence: tuple[int, int], other_between: Callable[[int, int], bool],
                owned_elsewhere: Callable[[int, int], bool]) -> int | None:
    """The year the figure ``[start, end)`` refers to, or None. ``other_between(a, b)``: another
    figure lies between offsets a and b; ``owned_elsewhere(a, b)``: the year at [a, b) is
    introduced right after another figure."""
    found = _year_in(text, g, start, end, clause, other_between, owned_elsewhere)
    if found is None and clause != sentence and _continues_sentence(text, g, clause, sentence):
        found = _year_in(text, g, start, end, (sentence[0], clause[1]), other_between, owned_elsewhere,
                         before_only=True)
    if found is None:
        # "Hingga akhir Juni 2021, …": an as-of date framing the sentence dates all its figures.
        frame = g.as_of_frame.match(text, sentence[0], start)
        if frame is not None and not _statement_date(text, g, frame.end(1), start):
            found = int(frame.group(1))
    if g.previous_year_after.match(text, end, clause[1]) or _previous_year_before(text, g, start, clause, sentence):
        # "tahun sebelumnya" resolves against a year anywhere in the same sentence.
        if found is None:
            found = _year_in(text, g, start, end, sentence, lambda a, b: False, lambda a, b: False)
        return None if found is None else found - 1
    if found is None and g.current.search(text, clause[0], start) and not g.per_year_after.match(text, end):
        # A figure marked as current takes the year of the sentence's own attribution date
        # (not a rate per year: "saat ini butuh 600 ribu setiap tahunnya").
        date = g.attribution_date.search(text, sentence[0], sentence[1])
        if date:
            year = date.group(1) or date.group(2) or date.group(3)
            return int(year) if len(year) == 4 else 2000 + int(year)
    return found


def _continues_sentence(text: str, g: Grammar, clause: tuple[int, int], sentence: tuple[int, int]) -> bool:
    """A clause that restates or continues the one before it ("…, yakni 77,02 %") or follows a
    title's colon ("Survei X 2023: Pengguna … 215 Juta")."""
    before = text[sentence[0]:clause[0]].rstrip()
    return before.endswith(":") or bool(g.restates.match(text, clause[0]))


def _previous_year_before(text: str, g: Grammar, start: int, clause: tuple[int, int],
                          sentence: tuple[int, int]) -> bool:
    """"dari persentase tahun sebelumnya, yakni 77,02 %": the previous year stated in the clause
    this one restates."""
    if not g.restates.match(text, clause[0]):
        return False
    lo = max(sentence[0], clause[0] - YEAR_PHRASE_CHARS)
    return bool(g.previous_year_phrase.search(text, lo, clause[0]))


def _year_in(text: str, g: Grammar, start: int, end: int, scope: tuple[int, int],
             other_between: Callable[[int, int], bool], owned_elsewhere: Callable[[int, int], bool],
             before_only: bool = False) -> int | None:
    best: tuple[int, int] | None = None
    for m in _YEAR.finditer(text, scope[0], scope[1]):
        if start <= m.start() < end or (before_only and m.start() >= start):
            continue
        year = _year_of(text, g, m, scope, start)
        if year is None:
            continue
        if m.end() <= start:
            if other_between(m.end(), start):
                continue                # the year belongs to a figure between
            if g.now_between.search(text, m.end(), start):
                continue                # "diluncurkan pada Juni 2023 kini melayani …"
            if _statement_date(text, g, m.end(), start):
                continue                # "Pada 2023, Menko … menyebut …"
        elif other_between(end, m.start()) or g.year_leads.match(text, m.end()):
            continue                    # a part's whole after it, or the year of the next item
        distance = _distance(m.span(), start, end)
        if m.start() >= end and g.year_introduced.fullmatch(text, end, m.start()):
            distance = 0                # "Rp 17 triliun pada 2022": the year that follows it
        if best is None or distance < best[0]:
            best = (distance, year)
    return None if best is None else best[1]


def _year_of(text: str, g: Grammar, m: re.Match[str], scope: tuple[int, int], start: int) -> int | None:
    """The year a year token stands for here (a period's end year), or None when it belongs to a
    date, a name, an open period's start, a comparison or a relative clause."""
    before = text[max(scope[0], m.start() - BEFORE_YEAR_CHARS):m.start()]
    if g.full_date_before.search(before) and not g.as_of_date_before.search(before):
        return None
    if g.year_name_before.search(before) or (m.start() >= start and g.compared_before.search(before)):
        return None                     # a name; a comparison's baseline after the figure
    year = int(m.group(1))
    period = g.period_after.match(text, m.end(), scope[1])
    if period:
        return int(period.group(1))
    phrase = text[max(scope[0], m.start() - YEAR_PHRASE_CHARS):m.start()]
    since = g.since_phrase.search(phrase)
    if g.since_before.search(before) or (since and not g.period_end_before.search(phrase, since.start())):
        return None                     # "Sejak 2018, … 560 ribu": an open period has no end year
    if m.end() <= start and g.relative_before.search(phrase):
        return None                     # "program yang dirancang pada 2016 …"
    return year


def _statement_date(text: str, g: Grammar, year_end: int, start: int) -> bool:
    """A year followed by a comma and a speaker's verb before the figure dates the statement."""
    gap = text[year_end:start]
    return gap.lstrip().startswith(",") and bool(g.reporting_verb.search(gap))
