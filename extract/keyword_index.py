"""Where the taxonomy's keyword groups occur in one text: found once per group, looked up by range.

Each keyword group is matched over the whole text the first time it is asked about, and every
question about a range is then answered by binary search: the cost of a text is one pass per group
used, however many numbers ask about overlapping sentences and paragraphs.

A pass does not run the group's (large) alternation at every position. Every match of a group
starts at a word start with one of the group's literal prefixes (``KeywordPattern.word_literals``),
and the regular expression is only tried, anchored, where one of those literals stands. The
literals of all the taxonomy's groups are arranged once per taxonomy (``KeywordTable``: by their
first three or two letters), so one walk over a text's word starts finds the places to try for
every group at once, instead of one search of the text per literal of each group. Groups without
literals (and texts where lower-casing disagrees with the regex's case folding) are scanned whole.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable

from extract.taxonomy import KeywordPattern, Taxonomy, folds_like_regex

Spans = list[tuple[int, int]]
# A word as the keyword regexes see one begin: a letter or digit not inside another word.
_WORD_START = re.compile(r"(?<![\w-])[^\W_]")
# Marks a two-letter key (a three-letter key never ends with it).
_TWO = "\x00"


class KeywordTable:
    """The word literals of a set of keyword groups, arranged for one walk over a text.

    All literals that start a word go into one regular expression shaped as their trie
    (``(?:pe(?:n(?:duduk)?|...)|...)``, each optional tail greedy), so one ``finditer`` over the
    lower-cased text stops at every word start that carries a literal and gives the longest one
    there. Every literal standing at that place is a prefix of that longest one, so its
    ``closure`` (the slots of the groups of all its prefixes that are literals, computed here)
    says which groups to try there. Symbol literals ("±") start no word and are found with
    ``str.find``. Each group has a slot, its place in ``patterns``."""

    def __init__(self, patterns: Iterable[KeywordPattern]) -> None:
        self.patterns: list[KeywordPattern] = []
        self.slots: dict[int, int] = {}
        owners: dict[str, set[int]] = {}
        symbols: list[tuple[str, int]] = []
        for pattern in patterns:
            if pattern.word_literals is None or id(pattern) in self.slots:
                continue
            slot = self.slots[id(pattern)] = len(self.patterns)
            self.patterns.append(pattern)
            for literal in pattern.word_literals:
                if literal[0].isalnum():
                    owners.setdefault(literal, set()).add(slot)
                else:
                    symbols.append((literal, slot))
        self.symbols = tuple(symbols)
        self.closure: dict[str, tuple[int, ...]] = {
            literal: tuple(sorted({slot for k in range(1, len(literal) + 1) for slot in owners.get(literal[:k], ())}))
            for literal in owners}
        self.walk = re.compile(r"(?<![\w-])" + _trie_regex(owners) if owners else r"(?!x)x")


def _trie_regex(literals: Iterable[str]) -> str:
    """A regular expression matching the longest of ``literals`` that starts at a position."""
    trie: dict[str, dict] = {}
    for literal in literals:
        node = trie
        for ch in literal:
            node = node.setdefault(ch, {})
        node[""] = {}                   # a literal ends here

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Where a literal ends, what follows is optional; greedy, so the longest literal wins.
        return "(?:" + body + ")?" if "" in node else body

    return build(trie)


def keyword_table(tax: Taxonomy) -> KeywordTable:
    """The ``KeywordTable`` of every keyword group of ``tax`` (built on first use, then kept on it)."""
    if tax.keyword_table_cache is None:
        tax.keyword_table_cache = KeywordTable(tax.keyword_patterns())
    table: KeywordTable = tax.keyword_table_cache
    return table


class KeywordIndex:
    def __init__(self, text: str, line_bounds: Callable[[int, int], tuple[int, int]] | None = None,
                 table: KeywordTable | None = None) -> None:
        self.text = text
        lowered = text.lower()
        # The literal pre-check needs offsets that agree with the text; lower() keeps the length
        # except for a few rare characters, and then the pre-check is skipped.
        self.lowered = lowered if len(lowered) == len(text) else None
        # The finer literal pre-check is exact only where lower() agrees with the regex folding.
        self.word_literals = self.lowered is not None and folds_like_regex(lowered)
        self._found: dict[int, tuple[Spans, list[int], list[int]]] = {}
        self._starts: dict[str, list[int]] | None = None
        self.table = table
        # Where each slot's literals stand (sorted word starts), found for all slots in one walk,
        # and the walk itself: each place in text order with the slots whose literals stand there.
        self._places: dict[int, list[int]] | None = None
        self._walk_starts: list[int] = []
        self._walk_slots: list[tuple[int, ...]] = []
        self._may_have: dict[tuple[int, int], frozenset[int]] = {}
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

    def nearest(self, pattern: KeywordPattern, start: int, end: int, a: int, b: int) -> int | None:
        """Distance from ``[start, end)`` to the nearest match inside ``[a, b)`` (0 when one
        overlaps it), or None when there is none."""
        found = self._found.get(id(pattern))
        if found is None:
            found = self._found[id(pattern)] = self._scan(pattern)
        _, starts, ends = found
        lo = bisect_left(starts, a)
        hi = bisect_right(ends, b)
        if lo >= hi:
            return None
        best: int | None = None
        # The last match starting before ``end`` and the first starting at or after it are the
        # nearest on either side (matches do not overlap).
        i = bisect_left(starts, end, lo, hi)
        if i < hi:
            best = starts[i] - end
        if i > lo:
            j = i - 1
            distance = start - ends[j] if ends[j] <= start else 0
            best = distance if best is None else min(best, distance)
        return best

    def may_have(self, a: int, b: int) -> frozenset[int] | None:
        """The slots of the table whose literals stand inside ``[a, b)``: a group outside this set
        has no match there (cached per range; no regex runs). None when the text cannot be
        walked (no table, or lower-casing that disagrees with the regexes): ask ``has``."""
        if self.table is None or not self.word_literals:
            return None
        found = self._may_have.get((a, b))
        if found is None:
            if self._places is None:
                self._places = self._find_places()
            lo, hi = bisect_left(self._walk_starts, a), bisect_left(self._walk_starts, b)
            found = self._may_have[(a, b)] = frozenset().union(
                *self._walk_slots[lo:hi], (slot for _, slot in self.table.symbols))
        return found

    def has(self, pattern: KeywordPattern, a: int, b: int) -> bool:
        """Whether ``pattern`` matches inside ``[a, b)`` (``spans`` without building the list)."""
        found = self._found.get(id(pattern))
        if found is None:
            found = self._found[id(pattern)] = self._scan(pattern)
        _, starts, ends = found
        i = bisect_left(starts, a)
        return i < len(starts) and ends[i] <= b

    def _scan(self, pattern: KeywordPattern) -> tuple[Spans, list[int], list[int]]:
        text = self.text
        slot = self.table.slots.get(id(pattern)) if self.table is not None and self.word_literals else None
        if slot is not None:
            if self._places is None:
                self._places = self._find_places()
            found = self._match_at(pattern, self._places.get(slot, ()))
        elif self.word_literals and pattern.word_literals is not None:
            found = self._match_at_word_starts(pattern, pattern.word_literals)
        elif self.lowered is not None:
            found = pattern.spans(text, self.lowered, 0, len(text), window=self.lowered)
        else:
            found = [m.span() for m in pattern.regex.finditer(text)]
        # A keyword never runs over a paragraph break (a space in a keyword matches any whitespace).
        spans = [s for s in found if "\n" not in text[s[0]:s[1]]]
        return spans, [s for s, _ in spans], [e for _, e in spans]

    def _match_at_word_starts(self, pattern: KeywordPattern, literals: tuple[str, ...]) -> Spans:
        """The spans ``pattern.regex.finditer`` would give, trying the regex only at word starts
        that begin with one of ``literals`` (which start every match of the pattern)."""
        lowered = self.lowered
        assert lowered is not None
        if self._starts is None:
            # Word starts by their first three letters (and by two, for two-letter literals).
            starts: dict[str, list[int]] = {}
            for m in _WORD_START.finditer(lowered):
                i = m.start()
                starts.setdefault(lowered[i:i + 3], []).append(i)
                starts.setdefault(lowered[i:i + 2] + _TWO, []).append(i)
            self._starts = starts
        # Most literals of most groups are absent from a text: ``in`` (C speed) skips them first.
        literals = tuple(lit for lit in literals if lit in lowered)
        if not literals:
            return []
        candidates: set[int] = set()
        for literal in literals:
            if not literal[0].isalnum():
                # A symbol literal ("±") starts no word: every place it stands is a candidate.
                i = lowered.find(literal)
                while i != -1:
                    candidates.add(i)
                    i = lowered.find(literal, i + 1)
                continue
            bucket = self._starts.get(literal[:3] if len(literal) >= 3 else literal + _TWO, ())
            if len(literal) <= 3:
                candidates.update(bucket)
                continue
            for i in bucket:
                if lowered.startswith(literal, i):
                    candidates.add(i)
        return self._match_at(pattern, sorted(candidates))

    def _find_places(self) -> dict[int, list[int]]:
        """slot -> the sorted offsets where one of its literals starts a word (or, for a symbol
        literal, stands anywhere): one walk over the text for every group of the table."""
        lowered = self.lowered
        table = self.table
        assert lowered is not None and table is not None
        places: defaultdict[int, list[int]] = defaultdict(list)
        closure = table.closure
        walk_starts, walk_slots = self._walk_starts, self._walk_slots
        for m in table.walk.finditer(lowered):
            i = m.start()
            slots = closure[m.group()]
            walk_starts.append(i)
            walk_slots.append(slots)
            for slot in slots:
                places[slot].append(i)
        for literal, slot in table.symbols:
            i = lowered.find(literal)
            if i == -1:
                continue
            found = places.setdefault(slot, [])
            while i != -1:
                found.append(i)
                i = lowered.find(literal, i + 1)
            places[slot] = sorted(set(found))
        return places

    def _match_at(self, pattern: KeywordPattern, candidates: Iterable[int]) -> Spans:
        """The spans ``pattern.regex.finditer`` would give, given every offset where one may start."""
        out: Spans = []
        end = 0
        match = pattern.regex.match
        for i in candidates:
            if i < end:
                continue                # inside the previous match, as finditer would skip it
            found = match(self.text, i)
            if found is not None and found.end() > found.start():
                out.append(found.span())
                end = found.end()
        return out
