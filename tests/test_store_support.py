"""Builders shared by the store tests: articles and figures from own Indonesian sentences.

Uses ``extract.Article`` / ``extract.Figure`` when they exist, else local doubles with the
contract's fields (docs/architecture.md), so the store tests run before extract lands.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

try:
    from extract import Article, Figure  # type: ignore[attr-defined]
except ImportError:
    @dataclass(frozen=True)
    class Article:  # type: ignore[no-redef]
        url: str
        site: str
        title: str
        text: str
        published_at: str | None
        modified_at: str | None
        author: str | None
        content_hash: str
        sections: list[tuple[int, int]] = field(default_factory=list)

    @dataclass(frozen=True)
    class Figure:  # type: ignore[no-redef]
        start: int
        end: int
        surface: str
        value: float
        value_max: float | None
        unit: str
        metric: str
        is_target: bool
        approx: bool
        year: int | None
        sentence: str

        def to_record(self) -> dict[str, Any]:
            return {name: getattr(self, name) for name in self.__dataclass_fields__}

from extract.urls import canonical_url, site_of


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
