"""The mirror's article corpus: hand-written articles for the four sites (data files under
``articles/``) plus cheap synthetic ones.

The same articles are the extraction test fixtures (rendered by ``mirror.render``) and the
pages the local mirror serves, so every field a template needs lives here.

API
---
``load_corpus() -> list[MirrorArticle]``
    The hand-written articles: per site at least 5 topical ones (with UMKM / connectivity figures)
    and 2 off-topic ones (sport, entertainment: numbers that must not be tagged); a multi-page
    detik and Liputan6 article; a Liputan6 article with an appended older story; per site one
    article that appears at clock step 1 and one whose figure is revised at step 1.
``synthetic_articles(n, seed=0) -> list[MirrorArticle]``
    ``n`` generated articles spread round-robin over the four sites (for the crawl benchmark);
    deterministic for a given seed, cheap (thousands per second). Ids never clash with the corpus.
``MirrorArticle``  (frozen dataclass, one article across all its versions)
    ``site`` (``detik`` | ``liputan6`` | ``republika`` | ``komdigi``), ``url`` (the real canonical
    URL, e.g. ``https://inet.detik.com/telecommunication/d-8671201/…``), ``channel`` (detik kanal,
    Liputan6 channel, Republika kanal, Komdigi category such as ``siaran-pers``), ``title``,
    ``summary``, ``author``, ``tags``, ``paragraphs`` (version 0 body, plain text, no dateline),
    ``dateline`` (city; each renderer writes it in its site's style), ``published`` (an absolute,
    aware publication time: the hand-written corpus spans 2017 to 2026), else ``age_minutes`` (how
    long before the mirror's start it was published; for step > 0 articles: minutes before that
    step's time), ``appears_at_step`` (0 = present at start, 1 = published at the first clock step …),
    ``revisions`` (clock step -> the complete new paragraph list from that step on, e.g. with a
    changed figure), ``page_breaks`` (paragraph indexes where page 2, 3 … start; empty = one page),
    ``page_titles`` (sub-heading of page 2, 3 … on Liputan6), ``topical``, ``caption`` (lead photo
    caption), ``appended`` (an older, different story appended below the body: Liputan6),
    ``reporter_initials`` (detik ``(abc/xyz)``), ``api_id`` / ``portal_id`` (Komdigi API item id and
    portal page id), ``key`` (``kernel.urls.article_key(url)``), ``portal_url``.
    ``visible_at(step)``, ``revision_at(step)`` (the revision step in force, 0 = original),
    ``view(step, published_at, modified_at) -> ArticleView``.
``ArticleView`` (frozen dataclass, one concrete version as served)
    every ``MirrorArticle`` field except ``revisions``, with ``paragraphs`` of that version, plus
    ``step``, ``revision`` and concrete aware ``published_at`` / ``modified_at`` datetimes;
    ``pages`` (paragraph lists per page), ``page_count``, ``key``, ``portal_url``, ``text`` (paragraphs joined by "\\n").
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from functools import cached_property, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from kernel.sites import SITES
from kernel.urls import article_key


@dataclass(frozen=True)
class AppendedStory:
    """An older, different story an editor appended below the article (Liputan6)."""

    title: str
    paragraphs: tuple[str, ...]
    caption: str = ""


class _Identity:
    """The site's own key and the Komdigi portal URL, for an article and for its served views."""

    url: str
    portal_id: int | None

    @property
    def key(self) -> str | None:
        return article_key(self.url)

    @property
    def portal_url(self) -> str | None:
        if self.portal_id is None:
            return None
        return f"https://portal.komdigi.go.id/kanal-publik/berita-kini/{self.portal_id}"


@dataclass(frozen=True)
class MirrorArticle(_Identity):
    site: str
    url: str
    channel: str
    title: str
    summary: str
    author: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...] = ()
    dateline: str = "Jakarta"
    age_minutes: int = 60
    appears_at_step: int = 0
    revisions: dict[int, list[str]] = field(default_factory=dict)
    # An absolute publication time (aware); None: ``age_minutes`` before the step it appears at.
    published: datetime | None = None
    page_breaks: tuple[int, ...] = ()
    page_titles: tuple[str, ...] = ()
    topical: bool = True
    caption: str = ""
    appended: AppendedStory | None = None
    reporter_initials: str = "ara/fay"
    api_id: int | None = None
    portal_id: int | None = None

    def __post_init__(self) -> None:
        if self.site not in SITES:
            raise ValueError(f"MirrorArticle site must be one of {SITES}, got {self.site!r}")
        if not self.paragraphs:
            raise ValueError(f"MirrorArticle {self.url} has no paragraphs")
        if self.published is not None and self.published.tzinfo is None:
            raise ValueError(f"MirrorArticle {self.url}: published must have a UTC offset")

    __hash__ = object.__hash__  # dict field: identity hash keeps instances usable as keys

    def visible_at(self, step: int) -> bool:
        return step >= self.appears_at_step

    def revision_at(self, step: int) -> int:
        """The revision step in force at clock ``step`` (0 = the original text)."""
        done = [s for s in self.revisions if s <= step]
        return max(done) if done else 0

    def paragraphs_at(self, step: int) -> tuple[str, ...]:
        rev = self.revision_at(step)
        return tuple(self.revisions[rev]) if rev else self.paragraphs

    def view(self, step: int, published_at: datetime, modified_at: datetime | None = None) -> ArticleView:
        """The article as served at clock ``step``; datetimes must be timezone-aware."""
        if published_at.tzinfo is None:
            raise ValueError("ArticleView.published_at must be timezone-aware")
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "revisions"}
        values["paragraphs"] = self.paragraphs_at(step)
        return ArticleView(**values, step=step, revision=self.revision_at(step),
                           published_at=published_at, modified_at=modified_at or published_at)


@dataclass(frozen=True)
class ArticleView(_Identity):
    site: str
    url: str
    channel: str
    title: str
    summary: str
    author: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...]
    dateline: str
    age_minutes: int
    appears_at_step: int
    page_breaks: tuple[int, ...]
    page_titles: tuple[str, ...]
    topical: bool
    caption: str
    appended: AppendedStory | None
    reporter_initials: str
    api_id: int | None
    portal_id: int | None
    published: datetime | None
    step: int
    revision: int
    published_at: datetime
    modified_at: datetime

    @cached_property
    def pages(self) -> list[list[str]]:
        """Paragraphs per page; page breaks beyond the paragraph count are ignored."""
        bounds = [0] + [b for b in self.page_breaks if 0 < b < len(self.paragraphs)] + [len(self.paragraphs)]
        return [list(self.paragraphs[a:b]) for a, b in pairwise(bounds) if b > a]

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def at(minutes_ago: int, start: datetime) -> datetime:
    """Helper for servers and tests: the publication time ``minutes_ago`` before ``start``."""
    return start - timedelta(minutes=minutes_ago)


# ----------------------------------------------------------------------------------------------
# Hand-written articles live as data: one TOML file per article under ``articles/<site>/`` (file
# names sort in the order the sites list them). Bodies are original Indonesian text about UMKM going
# digital and about connectivity; off-topic ones carry numbers (scores, ages, minutes) that a tagger
# must ignore.

ARTICLES_DIR = Path(__file__).with_name("articles")


def _article_from_toml(site: str, path: Path) -> MirrorArticle:
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    try:
        appended = doc.pop("appended", None)
        revisions = {int(step): list(paras) for step, paras in doc.pop("revisions", {}).items()}
        for name in ("paragraphs", "tags", "page_breaks", "page_titles"):
            if name in doc:
                doc[name] = tuple(doc[name])
        if isinstance(doc.get("published"), str):  # "2019-03-04T10:00:00+07:00" (or a TOML datetime)
            doc["published"] = datetime.fromisoformat(doc["published"])
        return MirrorArticle(site=site, revisions=revisions,
                             appended=AppendedStory(**{**appended, "paragraphs": tuple(appended["paragraphs"])})
                             if appended else None, **doc)
    except (TypeError, ValueError, KeyError) as exc:
        raise ValueError(f"mirror article {path}: {exc}") from exc


@lru_cache(maxsize=1)
def _corpus_files() -> tuple[MirrorArticle, ...]:
    return tuple(_article_from_toml(site, path)
                 for site in SITES for path in sorted((ARTICLES_DIR / site).glob("*.toml")))


def load_corpus() -> list[MirrorArticle]:
    """The hand-written articles of all four sites (detik, liputan6, republika, komdigi in order)."""
    return list(_corpus_files())


def corpus_age_days(now: datetime | None = None) -> float:
    """Days back to the oldest hand-written article, plus one: the ``[crawl] max_age_days`` a first
    crawl needs to fetch the whole corpus (the demo and the crawl tests set it; live crawls keep 7)."""
    oldest = min((a.published for a in _corpus_files() if a.published is not None), default=None)
    if oldest is None:
        return 7.0
    return float((now or datetime.now(oldest.tzinfo)).astimezone(oldest.tzinfo).date().toordinal()
                 - oldest.date().toordinal() + 1)


# ----------------------------------------------------------------------------------------------
# Synthetic articles: sentence templates (``articles/synthetic.toml``) filled with random figures
# and places.

@lru_cache(maxsize=1)
def _synthetic_words() -> dict[str, Any]:
    return tomllib.loads((ARTICLES_DIR / "synthetic.toml").read_text(encoding="utf-8"))


_CHANNELS = {"detik": ("inet.detik.com", "telecommunication"), "liputan6": ("www.liputan6.com", "bisnis"),
             "republika": ("ekonomi.republika.co.id", "ekonomi"), "komdigi": ("www.komdigi.go.id", "siaran-pers")}
_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def _synthetic_url(site: str, index: int, slug: str, rng: random.Random) -> str:
    host, channel = _CHANNELS[site]
    if site == "detik":
        return f"https://{host}/{channel}/d-{9_000_000 + index}/{slug}"
    if site == "liputan6":
        return f"https://{host}/{channel}/read/{7_000_000 + index}/{slug}"
    if site == "republika":
        code = "s" + "".join(rng.choice(_CODE_ALPHABET) for _ in range(8))
        return f"https://{host}/berita/{code}/{slug}"
    return f"https://{host}/berita/{channel}/detail/{slug}-{index}"


def synthetic_articles(n: int, seed: int = 0) -> list[MirrorArticle]:
    """``n`` generated articles, round-robin over the four sites; about 1 in 5 off-topic,
    1 in 10 appearing at step 1, 1 in 10 revised at step 1."""
    rng = random.Random(seed)
    words = _synthetic_words()
    out: list[MirrorArticle] = []
    for i in range(n):
        site = SITES[i % len(SITES)]
        place = rng.choice(words["places"])
        topical = rng.random() >= 0.2
        fill = dict(place=place, subj=rng.choice(words["subjects"]), n=f"{rng.randint(2, 950)}.{rng.randint(0, 999):03d}",
                    m=f"{rng.randint(2, 900)},{rng.randint(1, 9)}", k=rng.randint(2, 90), n2=rng.randint(1, 34))
        pool = words["topical"] if topical else words["off_topic"]
        paragraphs = [t.format(**fill) for t in rng.sample(pool, k=min(len(pool), rng.randint(3, 5)))]
        title = f"{place}: {paragraphs[0].split(' ', 3)[-1][:60].rstrip('.')}".strip()
        slug = "-".join(w for w in "".join(c if c.isalnum() or c == " " else " " for c in title.lower()).split())[:70]
        url = _synthetic_url(site, i, slug, rng)
        revisions = {}
        if rng.random() < 0.1:
            revised = list(paragraphs)
            revised[0] = revised[0] + words["revision_note"]
            revisions = {1: revised}
        out.append(MirrorArticle(
            site=site, url=url, channel=_CHANNELS[site][1], title=title,
            summary=paragraphs[0], author=rng.choice(words["authors"]),
            paragraphs=tuple(paragraphs), tags=(place.lower(),), dateline=place,
            age_minutes=rng.randint(5, 60 * 24 * 3), appears_at_step=1 if rng.random() < 0.1 else 0,
            revisions=revisions, topical=topical, reporter_initials="red/syn",
            api_id=50_000 + i if site == "komdigi" else None,
            portal_id=20_000 + i if site == "komdigi" else None))
    return out
