"""The ``is_target`` flag (figures.md §5.2): is a figure forward-looking (target, plan, need)?

``target_cues`` finds the cues of a clause; ``decide_is_target`` binds them to one figure. The
cue words are the taxonomy's ``[cues]``; the words for a present state are its ``[grammar]``.
"""

from __future__ import annotations

from extract.grammar import Grammar
from extract.keyword_index import KeywordIndex
from extract.taxonomy import Taxonomy


def target_cues(tax: Taxonomy, index: KeywordIndex, clause: tuple[int, int]) -> list[int]:
    """Start offsets of the clause's target cues (a goal verb counts only with a deadline)."""
    positions = [s for s, _ in index.spans(tax.cues["target"], *clause)]
    if index.spans(tax.cues["deadline"], *clause):
        positions.extend(s for s, _ in index.spans(tax.cues["goal"], *clause))
    return sorted(positions)


def decide_is_target(text: str, g: Grammar, mode: str, start: int, end: int, cues: list[int],
                     breakdown_of_target: bool) -> bool:
    """``mode`` is the metric's ``target`` setting; ``cues`` the clause's cue offsets;
    ``breakdown_of_target``: the sentence breaks down a planned count given just before."""
    if breakdown_of_target:
        # "Titik-titik tersebut meliputi 93.900 sekolah, …": the parts of a planned count are planned.
        return True
    if mode == "always":
        return True
    if mode == "never":
        return False
    if mode == "cue_before":
        return any(pos < start for pos in cues)
    # A cue after the number counts unless the count is first described as achieved or as a
    # present state ("5.000 BTS yang telah dibangun akan diresmikan").
    already = g.already_after.match(text, end) is not None
    return any((pos < start and not already) or (pos > start and not g.state_between.search(text, end, pos))
               for pos in cues)
