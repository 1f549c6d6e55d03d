"""Where each tagged figure stands in its sentence, and the post-pass that gives it ``when`` and
``scope`` (figures.md §1, second version of the record).

The tagger decides what a number counts; this pass reads the words around it for *when* the value
holds (``extract.timeref``) and *where* (``extract.regions``). Both look in the figure's clause
first, then in a short clause that opens the sentence ("Di Jawa Tengah, …", "Tahun lalu, …").
Clause boundaries are data: ``taxonomy/context.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
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
    others: tuple[tuple[int, int], ...]  # the spans of the sentence's other figures

    def figure_between(self, a: int, b: int) -> bool:
        """Whether another figure of the sentence lies within ``[a, b)``."""
        return any(a <= s and e <= b for s, e in self.others)


def clause_breaks(sentence: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of the clause separators of ``sentence``; a decimal comma is none."""
    out = []
    for m in _clause_rules().breaks.finditer(sentence):
        if m.group() == "," and _DIGIT_COMMA.match(sentence, m.start()):
            continue
        out.append(m.span())
    return out


def _clause_of(breaks: list[tuple[int, int]], length: int, start: int, end: int) -> tuple[int, int]:
    a, b = 0, length
    for sep_start, sep_end in breaks:
        if sep_end <= start:
            a = sep_end
        elif sep_start >= end:
            b = sep_start
            break
    return a, b


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
    for figure in figures:
        sentence = figure.sentence
        offset = text.find(sentence, max(0, figure.end - len(sentence)), figure.start + len(sentence)) \
            if sentence else -1
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
    out = []
    break_cache: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for offset, figure in located:
        key = (offset, figure.sentence)
        sentence = figure.sentence
        breaks = break_cache.get(key)
        if breaks is None:
            breaks = break_cache[key] = clause_breaks(sentence)
        start, end = figure.start - offset, figure.end - offset
        spans = by_sentence[key]
        clause = _clause_of(breaks, len(sentence), start, end)
        lead = _lead(breaks, sentence, spans)
        others = tuple(s for s in spans if s != (start, end))
        out.append(FigureContext(text, sentence, offset, start, end, clause, lead, others))
    return out


def with_time_and_scope(text: str, figures: list[Figure]) -> list[Figure]:
    """``figures`` with ``when`` and ``scope`` read from their sentences (the tagger's last step)."""
    from extract.regions import scope_of
    from extract.timeref import when_of

    out = []
    for figure, context in zip(figures, contexts(text, figures), strict=True):
        when = "planned" if figure.is_target else when_of(context)
        scope = scope_of(context)
        out.append(figure if (when, scope) == (figure.when, figure.scope)
                   else replace(figure, when=when, scope=scope))
    return out
