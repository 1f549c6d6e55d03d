"""The ``year`` of a figure (figures.md §5.3): a year in its clause that the figure refers to.

``decide_year`` is the one decision; the words it reads (prepositions, months, "sejak", "tahun
sebelumnya", names before a year) come from the taxonomy's ``[grammar]`` (``extract.grammar``).
"""

from __future__ import annotations

import re

from extract.grammar import Grammar

_YEAR = re.compile(r"(?<![\w/.,-])((?:19|20)[0-9]{2})(?![\w/]|[.,][0-9])")
# Characters before a year searched for a date, a "sejak" or a name the year belongs to.
BEFORE_YEAR_CHARS = 30


def _distance(span: tuple[int, int], start: int, end: int) -> int:
    if span[1] <= start:
        return start - span[1]
    if span[0] >= end:
        return span[0] - end
    return 0


def decide_year(text: str, g: Grammar, start: int, end: int, clause: tuple[int, int],
                sentence: tuple[int, int]) -> int | None:
    """The year in the figure's clause that the figure ``[start, end)`` refers to, or None."""
    best: tuple[int, int] | None = None
    for m in _YEAR.finditer(text, clause[0], clause[1]):
        if start <= m.start() < end:
            continue
        before = text[max(clause[0], m.start() - BEFORE_YEAR_CHARS):m.start()]
        if g.full_date_before.search(before) or g.year_name_before.search(before):
            continue
        year = int(m.group(1))
        period = g.period_after.match(text, m.end(), clause[1])
        if period:
            year = int(period.group(1))
        elif g.since_before.search(before):
            continue                    # "Sejak 2018, … 560 ribu": an open period has no end year
        if m.end() <= start and g.now_between.search(text, m.end(), start):
            continue
        distance = _distance(m.span(), start, end)
        if m.start() >= end and g.year_introduced.fullmatch(text, end, m.start()):
            distance = 0                # "Rp 17 triliun pada 2022": the year that follows it
        if best is None or distance < best[0]:
            best = (distance, year)
    if g.previous_year_after.match(text, end, clause[1]):
        # "tahun sebelumnya" resolves against a year anywhere in the same sentence.
        if best is None and clause != sentence:
            return decide_year(text, g, start, end, sentence, sentence)
        return None if best is None else best[1] - 1
    if best is None and g.current.search(text, clause[0], start):
        # A figure marked as current takes the year of the sentence's own attribution date.
        date = g.attribution_date.search(text, sentence[0], sentence[1])
        if date:
            return int(date.group(1) or date.group(2))
    return None if best is None else best[1]
