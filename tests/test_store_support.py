"""Builders shared by the store tests: articles and figures from own Indonesian sentences.

Builds real ``extract.Article`` / ``extract.Figure`` values, so the store is tested on what the
crawler hands it.
"""

from __future__ import annotations

import hashlib

from kernel.records import Article, Figure
from kernel.urls import canonical_url, site_of


def article(url: str, text: str, *, published_at: str | None = "2024-03-01T10:00:00+07:00",
            modified_at: str | None = None, title: str = "Berita UMKM digital") -> Article:
    return Article(url=canonical_url(url), site=site_of(url), title=title, text=text, published_at=published_at,
                   modified_at=modified_at, author=None,
                   content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(), sections=[])


def figure(text: str, surface: str, value: float, *, metric: str = "umkm_online", unit: str = "umkm",
           is_target: bool = False, year: int | None = None, value_max: float | None = None,
           occurrence: int = 0, approx: bool = False) -> Figure:
    """The figure for the ``occurrence``-th appearance of ``surface`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    end = start + len(surface)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    sentence = text[line_start: len(text) if line_end == -1 else line_end]
    return Figure(start=start, end=end, surface=surface, value=value, value_max=value_max, unit=unit,
                  metric=metric, is_target=is_target, approx=approx, year=year, sentence=sentence)
