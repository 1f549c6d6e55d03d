"""The tagger's last step: ``when`` and ``scope`` of every figure (figures.md §1, second version of
the record).

The tagger decides what a number counts; this pass reads the words around it for *when* the value
holds (``extract.timeref``) and *where* (``extract.regions``). Both look in the figure's clause
first, then in a short clause that opens the sentence ("Di Jawa Tengah, …", "Tahun lalu, …").
"""

from __future__ import annotations

from dataclasses import replace

from extract.context import contexts
from extract.regions import scope_of
from extract.timeref import when_of
from kernel.records import Figure


def with_time_and_scope(text: str, figures: list[Figure]) -> list[Figure]:
    """``figures`` with ``when`` and ``scope`` read from their sentences (the tagger's last step)."""
    out = []
    for figure, context in zip(figures, contexts(text, figures), strict=True):
        when = "planned" if figure.is_target else when_of(context)
        scope = scope_of(context)
        out.append(figure if (when, scope) == (figure.when, figure.scope)
                   else replace(figure, when=when, scope=scope))
    return out
