"""The mirror after its scripted steps: at every further clock step, new articles carrying
national series on (one per site, ``[[ongoing]]`` in ``articles/synthetic.toml``) and one edit of a
recently published article (a number in it changes), so `pantau mirror --step-every S` keeps giving
a crawler something new and something revised at every step.

Deterministic: step k always publishes the same articles with the same numbers.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from mirror.corpus import ARTICLES_DIR, MirrorArticle, _synthetic_url, _synthetic_words

# Ids of generated ongoing articles start here: clear of the corpus and of synthetic_articles(n).
ID_BASE = 800_000
# A number as articles write it: "26,5", "7.320", "221,6".
NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?")
# A year written as a number: never the figure an edit changes.
YEAR = re.compile(r"(?:19|20)\d{2}")

__all__ = ["ARTICLES_DIR", "last_scripted_step", "ongoing_articles", "edited"]


def last_scripted_step(articles: Sequence[MirrorArticle]) -> int:
    """The last step at which the corpus itself publishes or revises something."""
    steps = [a.appears_at_step for a in articles] + [s for a in articles for s in a.revisions]
    return max(steps, default=0)


def _format(value: float, decimals: int) -> str:
    if decimals:
        return f"{value:.{decimals}f}".replace(".", ",")
    return f"{int(round(value)):,}".replace(",", ".")


def ongoing_articles(step: int, first_step: int) -> list[MirrorArticle]:
    """The articles step ``step`` (>= ``first_step``) publishes, one per ``[[ongoing]]`` entry."""
    import random

    out = []
    for number, spec in enumerate(_synthetic_words().get("ongoing", [])):
        value = _format(spec["start"] + (step - first_step) * spec["per_step"], int(spec.get("decimals", 0)))
        title = spec["title"].format(value=value)
        index = ID_BASE + step * 10 + number
        slug = "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())[:70]
        site = spec["site"]
        url = _synthetic_url(site, index, slug, random.Random(index))
        paragraphs = tuple(p.format(value=value) for p in spec["paragraphs"])
        from mirror.corpus import _CHANNELS

        out.append(MirrorArticle(
            site=site, url=url, channel=_CHANNELS[site][1], title=title, summary=paragraphs[0],
            author="Redaksi", paragraphs=paragraphs, tags=("digital",), age_minutes=5 + number * 7,
            appears_at_step=step, reporter_initials="red/ong",
            api_id=ID_BASE + step * 10 + number if site == "komdigi" else None,
            portal_id=ID_BASE + step * 10 + number if site == "komdigi" else None))
    return out


def bump_number(paragraphs: Sequence[str]) -> list[str] | None:
    """The paragraphs with the first figure of the first paragraph that has one changed in its
    last digit (26,5 → 26,6; 7.320 → 7.321); None when no paragraph has one. Years ("per Juni
    2026") are dates, not figures: an editor correcting a number leaves them alone."""
    out = list(paragraphs)
    for i, text in enumerate(out):
        match = next((m for m in NUMBER.finditer(text) if not YEAR.fullmatch(m.group(0))), None)
        if match is None:
            continue
        digits = match.group(0)
        last = int(digits[-1])
        changed = digits[:-1] + str(last + 1 if last < 9 else last - 1)
        out[i] = text[:match.start()] + changed + text[match.end():]
        return out
    return None


def edited(article: MirrorArticle, step: int, current: Sequence[str]) -> MirrorArticle | None:
    """``article`` with a revision at ``step`` (a number of its ``current`` text changed)."""
    revised = bump_number(current)
    if revised is None:
        return None
    return dataclasses.replace(article, revisions={**article.revisions, step: revised})
