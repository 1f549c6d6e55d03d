"""Where the taxonomy's keyword groups occur in one text: found once per group, looked up by range.

Each keyword group is scanned over the whole text the first time it is asked about (after the
group's literal pre-check, ``KeywordPattern.spans``: most groups are absent from most texts), and
every question about a range is then answered by binary search. So the cost of a text is one scan
per group used, however many numbers ask about overlapping sentences and paragraphs.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from extract.taxonomy import KeywordPattern, folds_like_regex

Spans = list[tuple[int, int]]


class KeywordIndex:
    def __init__(self, text: str, line_bounds: Callable[[int, int], tuple[int, int]] | None = None) -> None:
        self.text = text
        lowered = text.lower()
        # The literal pre-check needs offsets that agree with the text; lower() keeps the length
        # except for a few rare characters, and then the pre-check is skipped.
        self.lowered = lowered if len(lowered) == len(text) else None
        # The finer literal pre-check is exact only where lower() agrees with the regex folding.
        self.word_literals = self.lowered is not None and folds_like_regex(lowered)
        self._found: dict[int, tuple[Spans, list[int], list[int]]] = {}
        # Kept for callers that set it (the sentence being tagged); lookups no longer depend on it.
        self.sentence = (0, 0)

    def spans(self, pattern: KeywordPattern, a: int, b: int) -> Spans:
        """Match spans of ``pattern`` lying inside ``[a, b)``."""
        found = self._found.get(id(pattern))
        if found is None:
            found = self._found[id(pattern)] = self._scan(pattern)
        spans, starts, ends = found
        # Matches of one pattern do not overlap, so both their starts and their ends ascend.
        return spans[bisect_left(starts, a):bisect_right(ends, b)]

    def _scan(self, pattern: KeywordPattern) -> tuple[Spans, list[int], list[int]]:
        text = self.text
        if self.lowered is not None:
            found = pattern.spans(text, self.lowered, 0, len(text), word_literals=self.word_literals,
                                  window=self.lowered)
        else:
            found = [m.span() for m in pattern.regex.finditer(text)]
        # A keyword never runs over a paragraph break (a space in a keyword matches any whitespace).
        spans = [s for s in found if "\n" not in text[s[0]:s[1]]]
        return spans, [s for s, _ in spans], [e for _, e in spans]
