"""Where the taxonomy's keyword groups occur in one text: found once per block, looked up by range.

A block is the sentence being tagged (``KeywordIndex.sentence``) or else the paragraph of the
range asked about; each keyword group is scanned once per block (with the group's literal
pre-check, ``KeywordPattern.spans``) and every later question about a range inside the block is
answered by binary search, so many numbers in one long sentence do not rescan it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from extract.taxonomy import KeywordPattern, folds_like_regex

Spans = list[tuple[int, int]]


class KeywordIndex:
    def __init__(self, text: str, line_bounds: Callable[[int, int], tuple[int, int]]) -> None:
        self.text = text
        # (start, end) -> the paragraph (line) span holding them (extract.discourse.Discourse.line_bounds).
        self._line_bounds = line_bounds
        lowered = text.lower()
        # The literal pre-check needs offsets that agree with the text; lower() keeps the length
        # except for a few rare characters, and then the pre-check is skipped.
        self.lowered = lowered if len(lowered) == len(text) else None
        # The finer literal pre-check is exact only where lower() agrees with the regex folding.
        self.word_literals = self.lowered is not None and folds_like_regex(lowered)
        self._cache: dict[tuple[int, int, int], tuple[Spans, list[int], list[int]]] = {}
        # The block of the number being tagged: its sentence (set by the tagger).
        self.sentence = (0, 0)
        self._window_block, self._window = (-1, -1), ""

    def spans(self, pattern: KeywordPattern, a: int, b: int) -> Spans:
        """Match spans of ``pattern`` lying inside ``[a, b)``."""
        la, lb = self.sentence
        if not (la <= a and b <= lb):
            la, lb = self._line_bounds(a, a)
            if b > lb:
                # A scope over several paragraphs (a count and its antecedent): rare, not cached.
                return [m.span() for m in pattern.regex.finditer(self.text, a, b)]
        key = (id(pattern), la, lb)
        found = self._cache.get(key)
        if found is None:
            if self.lowered is not None:
                if self._window_block != (la, lb):
                    # Every group tried on a block checks its literals in the same slice.
                    self._window_block, self._window = (la, lb), self.lowered[la:lb]
                spans = pattern.spans(self.text, self.lowered, la, lb, word_literals=self.word_literals,
                                      window=self._window)
            else:
                spans = [m.span() for m in pattern.regex.finditer(self.text, la, lb)]
            found = self._cache[key] = (spans, [s for s, _ in spans], [e for _, e in spans])
        spans, starts, ends = found
        if a <= la and b >= lb:
            return spans
        # Matches of one pattern do not overlap, so both their starts and their ends ascend.
        return spans[bisect_left(starts, a):bisect_right(ends, b)]

