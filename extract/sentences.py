"""Sentence and clause boundaries for figure provenance and scoping.

``sentence_at`` follows figures.md §6 exactly (its reference rule): a newline always ends a
sentence, ``.!?`` (plus closing quotes/brackets) followed by whitespace ends one unless the token
before is a listed abbreviation or an initial, or the next character is lower case.

Clauses, which the tagger uses to scope cues and years, are cut by ``extract.discourse`` with the
conjunctions of the taxonomy's ``[grammar]``.
"""

from __future__ import annotations

import re
from functools import lru_cache

ABBREVIATIONS = frozenset(
    "prof dr drs no jl st dkk ir sos si kom mpa sh vs kab kec mr h m s moh tbk pt tb sdr bpk".split()
)
_END = re.compile(r'[.!?]["”’)]*(?=\s)')


@lru_cache(maxsize=512)
def _ends(line: str) -> tuple[int, ...]:
    """Offsets in ``line`` where a sentence ends (cached: every figure of a paragraph asks)."""
    out = []
    for m in _END.finditer(line):
        j = m.start()
        while j > 0 and not line[j - 1].isspace() and line[j - 1] not in '("“':
            j -= 1
        token = line[j:m.start()].strip('(“"').lower()
        if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        k = m.end()
        while k < len(line) and line[k].isspace():
            k += 1
        if k < len(line) and line[k].islower():
            continue
        out.append(m.end())
    return tuple(out)


def line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """``(line_start, line_end)``: the line (paragraph) of ``text`` holding ``[start, end)``."""
    line_end = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if line_end == -1 else line_end


def line_cuts(line: str) -> tuple[int, ...]:
    """Sentence boundaries of one line, first (0) and last (``len(line)``) included."""
    return (0, *_ends(line), len(line))


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(a, b)`` offsets in ``text`` of the sentence holding ``[start, end)``, whitespace-stripped."""
    line_start, line_end = line_bounds(text, start, end)
    return sentence_span_in_line(text, line_start, line_cuts(text[line_start:line_end]), start, end)


def sentence_span_in_line(text: str, line_start: int, cuts: tuple[int, ...], start: int, end: int) -> tuple[int, int]:
    """``sentence_span`` given the line's start offset and its ``line_cuts`` (which a caller
    tagging many numbers of one text computes once per line)."""
    s, e = start - line_start, end - line_start
    a, b = 0, cuts[-1]
    for i in range(len(cuts) - 1):
        lo, hi = cuts[i], cuts[i + 1]
        if lo <= s < hi or (lo <= s and e <= hi):
            a, b = lo, hi
            # Beyond the reference rule: a surface that runs over a cut ("Rp. 17 triliun") keeps
            # the following piece too, so the sentence always contains the whole surface.
            for hi2 in cuts[i + 2:]:
                if e <= b:
                    break
                b = hi2
            break
    piece = text[line_start + a:line_start + b]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip())
    return line_start + a + lead, line_start + b - trail


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence containing the span ``[start, end)`` of ``text`` (figures.md §6)."""
    a, b = sentence_span(text, start, end)
    return text[a:b]
