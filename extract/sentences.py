"""Sentence and clause boundaries for figure provenance and scoping.

``sentence_at`` follows figures.md §6 exactly (its reference rule): a newline always ends a
sentence, ``.!?`` (plus closing quotes/brackets) followed by whitespace ends one unless the token
before is a listed abbreviation or an initial, or the next character is lower case.

Clauses are finer: the tagger scopes target cues, years and hedges to the clause of the figure so
that "target 8 juta hingga 2019, namun sekarang baru 4,6 juta" does not make 4,6 juta a target.
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


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(a, b)`` offsets in ``text`` of the sentence holding ``[start, end)``, whitespace-stripped."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    line = text[line_start:line_end]
    s, e = start - line_start, end - line_start
    cuts = [0, *_ends(line), len(line)]
    a, b = 0, len(line)
    for i, (lo, hi) in enumerate(zip(cuts, cuts[1:])):
        if lo <= s < hi or (lo <= s and e <= hi):
            a, b = lo, hi
            # Beyond the reference rule: a surface that runs over a cut ("Rp. 17 triliun") keeps
            # the following piece too, so the sentence always contains the whole surface.
            for hi2 in cuts[i + 2:]:
                if e <= b:
                    break
                b = hi2
            break
    piece = line[a:b]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip())
    return line_start + a + lead, line_start + b - trail


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence containing the span ``[start, end)`` of ``text`` (figures.md §6)."""
    a, b = sentence_span(text, start, end)
    return text[a:b]


# Clause breaks inside a sentence: semicolons; a comma before a contrasting or sequencing
# conjunction; the end of a quotation ('," kata …'); a spaced dash (datelines, asides).
_CLAUSE_BREAK = re.compile(
    r";|:\s"
    r"|,\s*(?=(?:namun|tetapi|tapi|sedangkan|sementara|sehingga|padahal|meski|meskipun|walau|"
    r"walaupun|kemudian|lalu|dan|serta|adapun|selain itu|sebaliknya|bahkan|sedang|yakni|yaitu|"
    r"termasuk|ditambah|hingga kini|sebelumnya|kini|saat ini|sekarang|naik|turun|meningkat|menurun|"
    r"bertambah|berkurang|dibandingkan|dibanding)\b)"
    r"|[,.!?]?[\"”’]\s*,?\s*(?=(?:kata|ujar|ucap|ungkap|jelas|tutur|sebut|tambah|imbuh|terang|papar|"
    r"pungkas|tegas|lanjut|katanya|ujarnya|ucapnya|ungkapnya|jelasnya|tuturnya|sebutnya|"
    r"tambahnya|imbuhnya|terangnya|paparnya|pungkasnya|tegasnya|lanjutnya)\b)"
    r"|\s[-–—]{1,2}\s"
    # "… 150 Gbps dan akan melayani …": a coordinated predicate with its own tense or modality.
    r"|\s(?=(?:dan|serta)\s+(?:akan|telah|sudah|baru|masih|kini|bakal|ditargetkan|direncanakan|"
    r"diharapkan)\b)"
    r"|\s(?=(?:sedangkan|namun|tetapi|sementara itu)\s)",
    re.IGNORECASE,
)


def clause_span(text: str, sent_start: int, sent_end: int, pos: int) -> tuple[int, int]:
    """``(a, b)`` offsets of the clause of the sentence ``text[sent_start:sent_end]`` holding ``pos``."""
    a, b = sent_start, sent_end
    for m in _CLAUSE_BREAK.finditer(text, sent_start, sent_end):
        if m.end() <= pos:
            a = m.end()
        elif m.start() >= pos:
            b = m.start()
            break
    return a, b
