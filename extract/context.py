"""Where each tagged figure stands in its sentence: the clause and opening clause that
``extract.timeref`` (*when* the value holds) and ``extract.regions`` (*where*) read, and their
shared data helpers. Clause boundaries are data: ``taxonomy/context.toml``.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kernel.records import Figure

DATA_DIR = Path(__file__).with_name("taxonomy")
_DIGIT_COMMA = re.compile(r"(?<=[0-9]),(?=[0-9])")


def read_data(name: str) -> dict[str, Any]:
    """One of the TOML data files next to the taxonomy (``context``, ``timeref``, ``regions``)."""
    with open(DATA_DIR / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


def phrase_regex(phrases: list[str], *, ignore_case: bool = True, word_start: bool = True) -> str:
    """Whole-word alternatives, longest first; a space matches any run of whitespace.
    ``word_start=False`` leaves out the check before the phrase (for one glued to a prefix)."""
    alternatives = sorted({p.replace(" ", r"\s+") for p in phrases}, key=len, reverse=True)
    body = "|".join(alternatives) if alternatives else r"(?!x)x"
    flags = "(?i:" if ignore_case else "(?:"
    start = r"(?<![\w-])" if word_start else ""
    return rf"{start}{flags}{body})(?![\w])"


@dataclass(frozen=True)
class _ClauseRules:
    breaks: re.Pattern[str]
    lead_max_words: int


@lru_cache(maxsize=1)
def _clause_rules() -> _ClauseRules:
    data = read_data("context")["clause"]
    punctuation = "|".join(re.escape(p) for p in sorted(data["punctuation"], key=len, reverse=True))
    words = phrase_regex(data["words"])
    return _ClauseRules(re.compile(rf"{punctuation}|\s(?={words})"), int(data["lead_max_words"]))


@dataclass(frozen=True)
class FigureContext:
    """A figure's place in its sentence (offsets into ``sentence``) and in the whole text."""

    text: str
    sentence: str
    offset: int                     # where ``sentence`` starts in ``text``
    start: int                      # the figure's span in ``sentence``
    end: int
    clause: tuple[int, int]         # the figure's clause in ``sentence``
    lead: tuple[int, int] | None    # an opening clause that describes the whole sentence
    spans: list[tuple[int, int]]    # the spans of all the sentence's figures, sorted (shared)

    def figure_between(self, a: int, b: int) -> bool:
        """Whether another figure of the sentence lies within ``[a, b)``."""
        # Spans are sorted by start: only those starting at or after ``a`` can lie inside, and
        # the first that ends within ``b`` and is not this figure answers (no scan of the sentence).
        for s, e in self.spans[bisect_left(self.spans, (a, -1)):]:
            if s >= b:
                return False
            if e <= b and (s, e) != (self.start, self.end):
                return True
        return False


def clause_breaks(sentence: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of the clause separators of ``sentence``; a decimal comma is none."""
    out = []
    for m in _clause_rules().breaks.finditer(sentence):
        if m.group() == "," and _DIGIT_COMMA.match(sentence, m.start()):
            continue
        out.append(m.span())
    return out


def _clause_of(breaks: list[tuple[int, int]], length: int, start: int, end: int) -> tuple[int, int]:
    """The clause of ``[start, end)``: from the last separator ending by ``start`` to the first one
    starting at or after ``end``. Separators are sorted and do not overlap, so a binary search finds
    both (a sentence can be huge: a text without full stops)."""
    i = bisect_right(breaks, (start, start))  # separators starting before the figure
    while i > 0 and breaks[i - 1][1] > start:
        i -= 1
    j = bisect_left(breaks, (end, -1))
    return (breaks[i - 1][1] if i else 0), (breaks[j][0] if j < len(breaks) else length)


def _lead(breaks: list[tuple[int, int]], sentence: str, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The sentence's opening clause when it is short and holds no figure."""
    if not breaks:
        return None
    end = breaks[0][0]
    if any(s < end for s, _ in spans) or len(sentence[:end].split()) > _clause_rules().lead_max_words:
        return None
    return 0, end


def contexts(text: str, figures: list[Figure]) -> list[FigureContext]:
    """The context of each figure (same order); figures of one sentence share its cuts."""
    located: list[tuple[int, Figure]] = []
    # Where each distinct sentence was last found: the figures of one sentence come together, so a
    # long sentence is searched for once, not once per figure.
    found_at: dict[str, int] = {}
    for figure in figures:
        sentence = figure.sentence
        offset = found_at.get(sentence, -1)
        if not (0 <= offset <= figure.start and figure.end <= offset + len(sentence)):
            offset = text.find(sentence, max(0, figure.end - len(sentence)), figure.start + len(sentence)) \
                if sentence else -1
            found_at[sentence] = offset
        if offset < 0 or offset > figure.start:
            # Not a verbatim piece of the text around the figure (a hand-made record): the sentence
            # alone, with the surface where it first appears in it.
            inside = sentence.find(figure.surface)
            offset = figure.start - max(inside, 0)
        located.append((offset, figure))
    by_sentence: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for offset, figure in located:
        by_sentence.setdefault((offset, figure.sentence), []).append(
            (figure.start - offset, figure.end - offset))
    for spans in by_sentence.values():
        spans.sort()
    out = []
    # Per sentence (figures of one sentence share them): its separators and its opening clause.
    cuts: dict[tuple[int, str], tuple[list[tuple[int, int]], tuple[int, int] | None]] = {}
    for offset, figure in located:
        key = (offset, figure.sentence)
        sentence = figure.sentence
        spans = by_sentence[key]
        if key not in cuts:
            breaks = clause_breaks(sentence)
            cuts[key] = (breaks, _lead(breaks, sentence, spans))
        breaks, lead = cuts[key]
        start, end = figure.start - offset, figure.end - offset
        clause = _clause_of(breaks, len(sentence), start, end)
        out.append(FigureContext(text, sentence, offset, start, end, clause, lead, spans))
    return out
