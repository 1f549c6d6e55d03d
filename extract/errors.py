"""Errors of the page -> Article step. Both name the URL and what was wrong."""

from __future__ import annotations


class ExtractError(Exception):
    """Base of every extraction failure: ``url`` and a human-readable ``reason``."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class NotAnArticle(ExtractError):
    """The page is an index, listing, tag or search page, not a single article."""


class ExtractionError(ExtractError):
    """The page is (meant to be) an article but has no usable body: empty, truncated, undecodable."""
