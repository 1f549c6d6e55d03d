"""The mirror's clock and article state: which articles are visible at the current step, their
publication, appearance and modification times, and a render cache.

Times are real wall-clock times: step 0 is the mirror's start, step k is when ``step()`` was
called for the k-th time, so the crawler (which uses real time) sees a consistent world.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from mirror.corpus import ArticleView, MirrorArticle


@dataclass(frozen=True)
class Served:
    """One visible article at the current step with its concrete times."""

    article: MirrorArticle
    view: ArticleView
    appeared_at: datetime  # when it showed up on the site (step time)
    lastmod: datetime  # sitemap <lastmod>: the later of appearance and last edit


class Clock:
    def __init__(self, articles: list[MirrorArticle], now: Callable[[], datetime] | None = None, *,
                 ongoing: bool = True) -> None:
        """``ongoing``: after the corpus's scripted steps, every step publishes and edits articles
        (``mirror.ongoing``)."""
        from mirror.ongoing import last_scripted_step

        self._now = now or (lambda: datetime.now(UTC))
        self.articles = list(articles)
        self.ongoing_after = last_scripted_step(self.articles) if ongoing else None
        self.step_no = 0
        self.step_times: dict[int, datetime] = {0: self._now()}
        self.lock = threading.RLock()
        self._served: list[Served] | None = None
        self._by_location: dict[tuple[str, str], Served] = {}
        self._by_portal: dict[int, Served] = {}
        self.render_cache: dict[tuple, str | bytes] = {}

    def step(self) -> int:
        """Advance the clock: publish the articles of the next step and apply its revisions."""
        with self.lock:
            self.step_no += 1
            # The next whole second: feeds and the store keep whole seconds, so a revision must be
            # stamped strictly after any fetch made before this step (and after the previous step).
            prev = self.step_times[self.step_no - 1]
            now = self._now().replace(microsecond=0) + timedelta(seconds=1)
            self.step_times[self.step_no] = max(now, prev + timedelta(seconds=1))
            if self.ongoing_after is not None and self.step_no > self.ongoing_after:
                self._publish_ongoing(self.step_no)
            self._served = None
            self.render_cache.clear()
            return self.step_no

    def _publish_ongoing(self, step: int) -> None:
        """Step ``step`` beyond the script: edit the newest article published before it, then
        publish this step's ongoing articles."""
        from mirror.ongoing import edited, ongoing_articles

        visible = [(i, a) for i, a in enumerate(self.articles) if a.visible_at(step - 1) and a.topical]
        if visible:
            index, newest = max(visible, key=lambda pair: (pair[1].appears_at_step, -pair[1].age_minutes
                                                           if pair[1].published is None else 0, pair[0]))
            revised = edited(newest, step, newest.paragraphs_at(step - 1))
            if revised is not None:
                self.articles[index] = revised
        self.articles.extend(ongoing_articles(step, self.ongoing_after + 1 if self.ongoing_after is not None else 1))

    def served(self) -> list[Served]:
        """Visible articles, newest appearance first (ties: newest publication first)."""
        with self.lock:
            if self._served is None:
                self._build()
            return self._served  # type: ignore[return-value]

    def find(self, host: str, path: str) -> Served | None:
        self.served()
        return self._by_location.get((host, path.rstrip("/")))

    def find_portal(self, portal_id: int) -> Served | None:
        self.served()
        return self._by_portal.get(portal_id)

    def _build(self) -> None:
        step = self.step_no
        out = []
        for art in self.articles:
            if not art.visible_at(step):
                continue
            appeared = self.step_times[art.appears_at_step]
            published = art.published or appeared - timedelta(minutes=art.age_minutes)
            rev = art.revision_at(step)
            modified = self.step_times[rev] if rev else published
            view = art.view(step, published, modified)
            out.append(Served(art, view, appeared, max(appeared if art.appears_at_step else published, modified)))
        out.sort(key=lambda s: (s.appeared_at, s.view.published_at), reverse=True)
        self._served = out
        self._by_location = {}
        self._by_portal = {}
        for s in out:
            parts = urlsplit(s.article.url)
            self._by_location[(parts.hostname or "", parts.path.rstrip("/"))] = s
            if s.article.portal_id is not None:
                self._by_portal[s.article.portal_id] = s
