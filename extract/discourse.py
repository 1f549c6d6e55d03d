"""The discourse layer: how an article's text is laid out around its numbers.

Built once per text and asked by the figure tagger for every number, so nothing here scans more
than a bounded window per question (tagging stays linear in the text's length):

* **segmentation**: paragraphs (lines), sentences (figures.md §6, ``extract.sentences``) and
  clauses (the ``clause_break`` pattern of ``extract.grammar``), found by binary search in
  offsets computed once per line or sentence;
* **structure**: list items and the paragraph that introduces them, paragraphs that point back
  at the one before ("Pembangunan tersebut …"), sentences that continue the previous one
  ("Selanjutnya, …"), links to other stories ("Baca juga: …") that belong to no topic;
* **topic**: the figures tagged so far (``Topic``), from which a number that states no noun,
  metric or plan of its own takes them (its *antecedent*), and whether two figures of one
  sentence are items of one list or series (``list_joint``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from extract.grammar import Grammar
from extract.sentences import line_cuts

# A scope never reaches further than this from its number: no real sentence is longer (the dev
# set's longest is about 420 characters), and the bound keeps a text without full stops linear.
SENTENCE_REACH = 600
# The same bound for a paragraph scope (the longest paragraph of the dev set is about 1,000 characters).
PARAGRAPH_REACH = 2500

# A list item line ("- Kuota …", "• 200 titik", "1. …"): its topic is the list's introduction.
BULLET = re.compile(r"[ \t]*(?:[-–•*·▪]|[0-9]{1,2}[.)])[ \t]")
_NEWLINE = re.compile("\n")


def clamp(span: tuple[int, int], start: int, end: int, reach: int) -> tuple[int, int]:
    """``span`` cut to at most ``reach`` characters either side of ``[start, end)``."""
    return max(span[0], start - reach), min(span[1], end + reach)


class Discourse:
    """Paragraphs, sentences and clauses of one text, computed lazily and cached."""

    def __init__(self, text: str, grammar: Grammar) -> None:
        self.text = text
        self.grammar = grammar
        self._newlines = [m.start() for m in _NEWLINE.finditer(text)]
        self._cuts: dict[int, tuple[int, ...]] = {}
        self._sentences: dict[tuple[int, int], tuple[int, int]] = {}
        self._breaks: dict[tuple[int, int], tuple[list[int], list[int]]] = {}
        self._previous_paragraph: dict[int, int] = {}
        self._bullet_intros: dict[int, int] = {}
        self._refers_back: dict[int, list[bool]] = {}
        self._related: dict[int, bool] = {}

    # --- paragraphs ---------------------------------------------------------------------------

    def line_bounds(self, start: int, end: int) -> tuple[int, int]:
        """``(line_start, line_end)``: from the line holding ``start`` to the end of the line
        holding ``end`` (a newline always ends a paragraph)."""
        nl = self._newlines
        i = bisect_left(nl, start)
        j = bisect_left(nl, end, i)
        return (nl[i - 1] + 1 if i else 0), (nl[j] if j < len(nl) else len(self.text))

    def previous_paragraph_start(self, paragraph_start: int) -> int:
        """Start of the non-empty paragraph before the one starting at ``paragraph_start`` (or 0)."""
        found = self._previous_paragraph.get(paragraph_start)
        if found is None:
            text, pos = self.text, paragraph_start - 1
            while pos > 0 and text[pos - 1] == "\n":
                pos -= 1
            i = bisect_left(self._newlines, max(pos, 0))
            found = self._previous_paragraph[paragraph_start] = self._newlines[i - 1] + 1 if i else 0
        return found

    def context_paragraph(self, sentence: tuple[int, int], paragraph: tuple[int, int]) -> tuple[int, int]:
        """The paragraph a figure may take its topic from: its own, plus the one before when the
        paragraph (up to the figure's sentence) refers back to it ("pembangunan tersebut menyasar
        7.904 desa"), or back to the list's introduction for a list item ("- Kuota peserta 200.000")."""
        start = paragraph[0]
        if start == 0:
            return paragraph
        if BULLET.match(self.text, start):
            return self._bullet_intro(start), paragraph[1]
        if self._refers_back_until(paragraph, sentence):
            return self.previous_paragraph_start(start), paragraph[1]
        return paragraph

    def _bullet_intro(self, start: int) -> int:
        """The paragraph before the run of list items that ``start`` belongs to."""
        found = self._bullet_intros.get(start)
        if found is not None:
            return found
        visited = []
        while start > 0 and BULLET.match(self.text, start) and start not in self._bullet_intros:
            visited.append(start)
            start = self.previous_paragraph_start(start)
        found = self._bullet_intros.get(start, start)
        # Every item of the run shares the introduction: remember it for all (a long list stays linear).
        for item in visited:
            self._bullet_intros[item] = found
        return found

    def _refers_back_until(self, paragraph: tuple[int, int], sentence: tuple[int, int]) -> bool:
        """Whether a sentence of the paragraph up to ``sentence`` points back at the paragraph before."""
        flags = self._refers_back.get(paragraph[0])
        cuts = self.cuts(paragraph)
        if flags is None:
            flags, seen = [], False
            for a, b in pairwise(cuts):
                seen = seen or bool(self.grammar.refers_back.search(self.text, paragraph[0] + a, paragraph[0] + b))
                flags.append(seen)
            self._refers_back[paragraph[0]] = flags
        index = max(0, bisect_left(cuts, sentence[1] - paragraph[0]) - 1)
        return flags[min(index, len(flags) - 1)]

    def is_related_line(self, paragraph_start: int) -> bool:
        """A "Baca juga: …" line: a link to another story, outside the article's topic."""
        found = self._related.get(paragraph_start)
        if found is None:
            found = self._related[paragraph_start] = bool(self.grammar.related_line.match(self.text, paragraph_start))
        return found

    def topic_paragraph_before(self, paragraph_start: int) -> int | None:
        """Start of the paragraph before, skipping blank lines and related-story links (None: none)."""
        start = paragraph_start
        for _ in range(_RELATED_LINES_SKIPPED + 1):
            if start == 0:
                return None
            start = self.previous_paragraph_start(start)
            if not self.is_related_line(start):
                return start
        return None

    def previous_sentence(self, sentence: tuple[int, int], paragraph: tuple[int, int]) -> tuple[int, int] | None:
        """The sentence before ``sentence``: in its paragraph, or for a paragraph's first sentence
        that continues the paragraph before ("Kemudian, …", "Dari jumlah itu, …", a list item),
        that paragraph's last sentence."""
        cuts = self.cuts(paragraph)
        i = bisect_right(cuts, sentence[0] - paragraph[0]) - 1
        if i > 0:
            return self._strip(paragraph[0] + cuts[i - 1], paragraph[0] + cuts[i])
        if not (self.opens_continuation(sentence) or self.refers_back_in(sentence, sentence[1])
                or BULLET.match(self.text, paragraph[0])):
            return None
        before = self.topic_paragraph_before(paragraph[0])
        if before is None:
            return None
        bounds = self.line_bounds(before, before)
        last = self.cuts(bounds)
        return self._strip(bounds[0] + last[-2], bounds[1])

    def opens_continuation(self, sentence: tuple[int, int]) -> bool:
        """Whether the sentence opens by continuing what came before ("Selanjutnya, …",
        "Rincian lainnya …", "Dari jumlah itu, …", "Titik-titik tersebut meliputi …")."""
        g, text = self.grammar, self.text
        return bool(g.continuation_opener.match(text, sentence[0]) or g.breakdown.match(text, sentence[0]))

    def refers_back_in(self, sentence: tuple[int, int], start: int) -> bool:
        """Whether the sentence points back (an anaphor) before ``start``."""
        lo = max(sentence[0], start - SENTENCE_REACH)
        return bool(self.grammar.refers_back.search(self.text, lo, start)
                    or self.grammar.anaphor.search(self.text, lo, start))

    def list_joint(self, first_end: int, second_start: int) -> bool:
        """Whether the text between two figures of one sentence only joins items of a list or
        series: at most a few words describing the first, then punctuation, conjunctions,
        qualifiers and capitalised names ("1.200 BTS di Papua dan 800 BTS di Maluku", "Bali
        80,88 %, Kalimantan 78,71 %", "2,7 juta di tahun 2030 atau sekitar 458 ribu orang")."""
        gap = self.text[first_end:second_start]
        if len(gap) > LIST_GAP_CHARS or "\n" in gap:
            return False
        joined = False
        modifiers = 0
        for token in _TOKEN.findall(gap):
            if not token[0].isalnum():
                if token in _LIST_MARKS:
                    joined = True       # a comma, semicolon, bracket or slash between items
                continue
            if self.grammar.list_joint_word.fullmatch(token):
                joined = True
            elif self.grammar.list_transparent_word.fullmatch(token):
                continue                # a preposition or a qualifier ("di Papua", "dan sekitar 800")
            elif token[:1].isupper() or token[:1].isdigit():
                continue                # a place or a name ("Kecamatan Batang Asai"), a year
            elif not joined and modifiers < LIST_MODIFIER_WORDS:
                modifiers += 1          # words describing the first item ("jaringan laut")
            else:
                return False
        return joined

    # --- sentences and clauses ----------------------------------------------------------------

    def cuts(self, paragraph: tuple[int, int]) -> tuple[int, ...]:
        """Sentence boundaries of a paragraph, relative to its start (``extract.sentences.line_cuts``)."""
        start, end = paragraph
        cuts = self._cuts.get(start)
        if cuts is None or cuts[-1] != end - start:
            cuts = self._cuts[start] = line_cuts(self.text[start:end])
        return cuts

    def sentence(self, start: int, end: int) -> tuple[tuple[int, int], tuple[int, int]]:
        """(sentence, paragraph) spans of the number ``[start, end)``; the sentence follows
        figures.md §6 and always contains the whole surface."""
        paragraph = self.line_bounds(start, end)
        line_start = paragraph[0]
        cuts = self.cuts(paragraph)
        s, e = start - line_start, end - line_start
        i = max(0, min(bisect_right(cuts, s) - 1, len(cuts) - 2))
        key = (line_start, i)
        span = self._sentences.get(key)
        if span is None:
            a, b = cuts[i], cuts[i + 1]
            span = self._sentences[key] = self._strip(line_start + a, line_start + b)
        if end > span[1]:
            # Beyond the reference rule: a surface that runs over a cut ("Rp. 17 triliun") keeps
            # the following pieces too.
            a = cuts[i]
            j = i + 1
            while j < len(cuts) - 1 and e > cuts[j]:
                j += 1
            span = self._strip(line_start + a, line_start + cuts[j])
        return span, paragraph

    def _strip(self, a: int, b: int) -> tuple[int, int]:
        text = self.text
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        return a, b

    def clause(self, sentence: tuple[int, int], pos: int) -> tuple[int, int]:
        """The clause of ``sentence`` holding ``pos``: between the clause breaks around it."""
        breaks = self._breaks.get(sentence)
        if breaks is None:
            breaks = self._breaks[sentence] = self._clause_breaks(*sentence)
        starts, ends = breaks
        # The last break ending at or before pos opens the clause; the first starting at or after pos ends it.
        i = bisect_right(ends, pos)
        a = ends[i - 1] if i else sentence[0]
        j = bisect_left(starts, pos, i)
        b = starts[j] if j < len(starts) else sentence[1]
        return a, b

    def _clause_breaks(self, sent_start: int, sent_end: int) -> tuple[list[int], list[int]]:
        g, text = self.grammar, self.text
        spans = [m.span() for m in g.clause_break.finditer(text, sent_start, sent_end)
                 if not (g.list_and.match(text, m.start()) and self._closes_list(sent_start, m.start()))
                 and not (text[m.start()] == ":" and self._cell_label(m.end()))]
        frame = g.frame.match(text, sent_start, sent_end)
        if (frame is None and spans and spans[0][0] - sent_start <= DATELINE_CHARS
                and text[spans[0][0]:spans[0][1]].strip() in _DASHES):
            # after a dateline ("KOTA, SITUS.CO – Dari 97 desa …, …")
            frame = g.frame.match(text, spans[0][1], sent_end)
        if frame is not None:
            # "Dari 97 desa dan 3 kelurahan yang ada di kabupaten itu, …": the frame is a clause.
            spans.append(frame.span(1))
            spans.sort()
        starts: list[int] = []
        ends: list[int] = []
        for a, b in spans:
            if not ends or a >= ends[-1]:
                starts.append(a)
                ends.append(b)
        return starts, ends

    def _cell_label(self, pos: int) -> bool:
        """Whether ``pos`` follows a table cell's label ("Jumlah BTS: ") and a number comes next:
        label and value are one clause."""
        text = self.text
        if not text[pos:pos + 1].isdigit():
            return False
        return self.grammar.cell_label.search(text, max(0, pos - CELL_LABEL_CHARS), pos) is not None

    def _closes_list(self, sent_start: int, comma: int) -> bool:
        """True when the ", dan" at ``comma`` ends an enumeration "A, B, dan C": the item before it
        is short and is itself preceded by a comma."""
        lo = max(sent_start, comma - LIST_ITEM_CHARS)
        previous = self.text.rfind(",", lo, comma)
        if previous == -1:
            return False
        return len(self.text[previous + 1:comma].split()) <= LIST_ITEM_WORDS


# A dateline before a sentence's first words is at most this long ("KUALA PEMBUANG, SITUS.CO –").
DATELINE_CHARS = 80
_DASHES = frozenset(["-", "–", "—", "--"])
# Related-story links skipped at most when looking for the paragraph before (a box of links).
_RELATED_LINES_SKIPPED = 3
# Two figures further apart than this are not items of one list (the dev set's items are within 60).
LIST_GAP_CHARS = 90
# Words that may describe the first item before the joint ("1.706 km jaringan laut dan 1.289 …").
LIST_MODIFIER_WORDS = 4
_TOKEN = re.compile(r"[^\W\d_][\w-]*|[0-9][\w.,-]*|[^\w\s]")
_LIST_MARKS = frozenset(",;(/")


@dataclass(frozen=True)
class Mention:
    """A tagged figure as the topic remembers it."""

    figure: Any                         # extract.figures.Figure
    sentence: tuple[int, int]
    paragraph: int                      # start of its paragraph


class Topic:
    """The figures tagged so far, most recent last; only the last few are ever looked at."""

    def __init__(self) -> None:
        self.mentions: list[Mention] = []

    def add(self, figure: Any, sentence: tuple[int, int], paragraph: int) -> None:
        self.mentions.append(Mention(figure, sentence, paragraph))

    def recent(self) -> list[Mention]:
        """The last ``TOPIC_MEMORY`` mentions, most recent first."""
        return self.mentions[:-TOPIC_MEMORY - 1:-1]


# How many earlier figures a number may continue: enough for a long regional breakdown.
TOPIC_MEMORY = 24


# A table cell's label ("Jumlah desa belum terjangkau 4G: 640") is at most this long.
CELL_LABEL_CHARS = 64
# A comma-separated item of at most this many words before ", dan" makes it a list, not a clause.
LIST_ITEM_WORDS = 2
# How far back the comma before such an item is looked for (two words are never longer).
LIST_ITEM_CHARS = 80
