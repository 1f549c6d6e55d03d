"""Page renderers for the mirror: pure functions from an ``ArticleView`` to the page a site serves.

``render_article(view, *, page=None, single=False, mobile=False) -> str`` dispatches on
``view.site`` to ``detik``, ``liputan6``, ``republika`` or ``komdigi``. ``page`` picks one page of a
multi-page detik article (1-based; None = page 1), ``single`` is detik's ``?single=1`` (whole
article), ``mobile`` is Liputan6's ``m.`` template. Komdigi also has ``render_api_item(view) -> dict``
and ``render_portal_page(view) -> str``. Every link and ``link[rel=canonical]`` is a real site URL.
"""

from __future__ import annotations

from . import detik, komdigi, liputan6, republika
from .komdigi import render_api_item, render_portal_page

RENDERERS = {"detik": detik.render, "liputan6": liputan6.render, "republika": republika.render,
             "komdigi": komdigi.render}


def render_article(view, *, page: int | None = None, single: bool = False, mobile: bool = False) -> str:
    try:
        renderer = RENDERERS[view.site]
    except KeyError:
        raise ValueError(f"no page renderer for site {view.site!r}; known: {sorted(RENDERERS)}") from None
    return renderer(view, page=page, single=single, mobile=mobile)


__all__ = ["render_article", "render_api_item", "render_portal_page", "RENDERERS"]
