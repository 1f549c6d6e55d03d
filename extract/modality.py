"""The ``is_target`` flag (figures.md §5.2): is a figure forward-looking (target, plan, need)?

Cues come in classes (the taxonomy's ``[cues]``), and each class reaches figures differently:

* ``target`` (verbs, modals, adverbs: "akan", "menargetkan", "harus", "mampu menjangkau") scope
  over their clause: a figure after them is a target unless an actual marker stands between
  ("ditargetkan 200 ribu peserta dan realisasinya 245 ribu"); a figure before them only when
  nothing but a list of figures stands between it and the cue;
* ``target_nominal`` ("target", "kebutuhan", "kuota") and ``program_name`` ("program 10.000
  Desa Digital") bind to the one figure right after them;
* ``purpose`` ("untuk membangun …") is a cue only after money, a plan or an agreement;
  ``preparation`` ("menyiapkan") never for money; ``goal`` verbs with a ``deadline``;
  ``conditional`` with a ``conditional_result`` ("kalau … bisa …").

``clause_cues`` finds them for one number; ``decide_is_target`` is the decision.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field

from extract.grammar import Grammar
from extract.keyword_index import KeywordIndex
from extract.taxonomy import Taxonomy

# A goal noun binds to a figure at most this many words after it ("Target pelatihan talenta
# digital tahun ini 200 ribu orang").
NOMINAL_GAP_WORDS = 8
# Characters after a goal noun searched for its figure.
NOMINAL_GAP_CHARS = 70
# Characters before a preparation verb searched for a tense marker ("telah menyiapkan").
PREPARATION_MARKER_CHARS = 12


@dataclass
class Cues:
    """The cues that concern one number."""

    scoped: list[int] = field(default_factory=list)   # starts of clause-scoped cues
    bound: bool = False                                 # a goal noun or programme name binds the number
    anywhere: bool = False                              # the clause has a cue of any class

    def __bool__(self) -> bool:
        return bool(self.scoped) or self.bound


def clause_cues(tax: Taxonomy, g: Grammar, index: KeywordIndex, clause: tuple[int, int], start: int, end: int,
                money: bool, number_starts: list[int]) -> Cues:
    """The cues of the clause ``clause`` for the number starting at ``start``; ``number_starts``
    are the starts of all numbers of the text (sorted), so a goal noun binds to the first after it."""
    text = index.text
    spans = index.spans
    cues = tax.cues
    out = Cues(scoped=[s for s, _ in spans(cues["target"], *clause)])
    if not money:
        # "tengah menyiapkan 150 UMKM" is ahead; "telah menyiapkan 7.634 titik" is done; the same
        # for capacity ("mampu menjangkau" ahead, "baru mampu" now).
        out.scoped += [s for s, _ in spans(cues["preparation"], *clause)
                       if not g.actual.search(text, max(clause[0], s - PREPARATION_MARKER_CHARS), s)]
    if spans(cues["deadline"], *clause):
        out.scoped += [s for s, _ in spans(cues["goal"], *clause)]
    if spans(cues["conditional"], *clause):
        out.scoped += [s for s, _ in spans(cues["conditional_result"], *clause)]
    for s, _ in spans(cues["purpose"], *clause):
        # "Rp 3 miliar untuk membangun …", "kerja sama … untuk membangun 5 BTS": a purpose ahead.
        before = (clause[0], s)
        if (g.money_before.search(text, *before) or spans(tax.cues["target"], *before)
                or g.plan_noun.search(text, *before)):
            out.scoped.append(s)
    out.scoped.sort()
    out.anywhere = bool(out.scoped) or bool(spans(cues["target_nominal"], *clause))
    # A goal noun right after the number is its modifier ("200.000 target peserta").
    after = _skip_spaces(text, end)
    if after > end and cues["target_nominal"].match(text, after):
        out.bound = True
    for s, e in (*spans(cues["target_nominal"], clause[0], start), *spans(cues["program_name"], clause[0], start)):
        if _first_number_after(e, number_starts) != start or g.points_back.match(text, _skip_spaces(text, e)):
            continue                    # not this figure's, or "target tersebut" pointing back
        gap = text[e:start]
        if cues["program_name"].regex.fullmatch(text, s, e) and gap.strip():
            continue                    # a programme named by its number: nothing between
        if len(gap) <= NOMINAL_GAP_CHARS and len(gap.split()) <= NOMINAL_GAP_WORDS and not any(c in gap for c in ".;"):
            out.bound = True
    return out


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _first_number_after(pos: int, number_starts: list[int]) -> int | None:
    i = bisect_left(number_starts, pos)
    return number_starts[i] if i < len(number_starts) else None


def decide_is_target(text: str, g: Grammar, mode: str, start: int, end: int, cues: Cues,
                     listed_with: Callable[[int, int], bool], numbers_between: Callable[[int, int], bool]) -> bool:
    """``mode`` is the metric's (or rule's) ``target`` setting. ``listed_with(a, b)``: whether every
    number between offsets ``a`` and ``b`` is an item of one list with this one (a cue after a list
    of figures reaches all of them); ``numbers_between(a, b)``: whether any number lies between."""
    if mode == "always":
        return True
    if mode == "never":
        return False
    if cues.bound:
        return True
    before = [pos for pos in cues.scoped if pos < start]
    if mode == "cue_before":
        return bool(before)
    # A cue before the number counts unless the count is then described as achieved or existing
    # ("5.000 BTS yang telah dibangun akan diresmikan") or an actual marker comes between
    # ("ditargetkan 200 ribu peserta dan realisasinya mencapai 245 ribu").
    if before and g.already_after.match(text, end) is None and not (
            numbers_between(before[-1], start) and g.actual_between.search(text, before[-1], start)):
        return True
    # A cue after the number counts unless a present state comes first, and only for the last
    # figure before it or a list of figures ending there ("5.000 BTS dan 300 titik akan dibangun").
    return any(not g.state_between.search(text, end, pos) and listed_with(end, pos)
               for pos in cues.scoped if pos > start)
