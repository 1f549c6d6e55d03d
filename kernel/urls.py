"""Canonical article URLs and stable article keys for the four sites.

One article has many URLs: mobile (``m.liputan6.com``) and desktop, detik's page ``/2`` and
``?single=1``, tracking parameters (``?utm_source=``, ``?_ga=``), double slashes, ``http``. The
store keys articles on ``canonical_url``; the crawler de-duplicates discovered links with it before
fetching. ``article_key`` is the site's own stable id (detik ``d-<id>``, Liputan6 ``/read/<id>/``,
Republika's 9-character code, Komdigi's slug or portal id), useful when two canonical URLs of
one article still differ (a changed slug).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from kernel.sites import SITE_DOMAINS, registered_domain, site_of

__all__ = ["article_key", "canonical_url", "registered_domain", "site_of"]

# Query parameters that never identify content (tracking, device switches); dropped on unknown sites.
TRACKING_PARAMS = re.compile(r"^(utm_\w+|_ga|fbclid|gclid|ref|source|medium|sortby|device|single|amp|_)$", re.I)

DETIK_ARTICLE = re.compile(r"^(?P<base>/(?:[\w-]+/){1,3}d-(?P<id>\d+)/[\w-]+)(?:/\d+)?/?$")
LIPUTAN6_ARTICLE = re.compile(r"^(?P<base>/(?:[\w-]+/)?read/(?P<id>\d+)/[\w-]+)/?$")
REPUBLIKA_ARTICLE = re.compile(r"^(?P<base>/berita/(?P<code>[a-z0-9]{9})/[\w-]+)/?$")
REPUBLIKA_OLD_ARTICLE = re.compile(
    r"^(?P<base>/berita/(?:[\w-]+/){1,2}\d{2}/\d{2}/\d{2}/(?P<code>[a-z0-9]{6,9})-[\w-]+)/?$")
KOMDIGI_ARTICLE = re.compile(r"^(?P<base>/berita/[\w-]+/detail/(?P<slug>[\w-]+))/?$")
KOMDIGI_PORTAL_ARTICLE = re.compile(r"^(?P<base>/kanal-publik/berita-kini/(?P<id>\d+))/?$")
KOMINFO_DRUPAL_ARTICLE = re.compile(r"^(?P<base>/content/detail/(?P<id>\d+)/[^/]+/\d+/[\w-]+)/?$")


def _clean_path(path: str) -> str:
    return re.sub(r"/{2,}", "/", path) or "/"


def canonical_url(url: str) -> str:
    """The one URL under which an article is stored.

    https, no fragment, single slashes; on the four sites no query string at all, no page suffix
    (detik ``/2``) and the ``www`` host for Liputan6 (``m.`` is the mobile template). On other
    sites only tracking parameters are removed.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    path = _clean_path(parts.path)
    site = SITE_DOMAINS.get(registered_domain(host))
    if site is None:
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                           if not TRACKING_PARAMS.match(k)])
        netloc = host if not parts.port or parts.port in (80, 443) else f"{host}:{parts.port}"
        return urlunsplit((parts.scheme.lower() or "https", netloc, path, query, ""))
    if site == "detik":
        m = DETIK_ARTICLE.match(path)
        if m:
            path = m.group("base")
    elif site == "liputan6":
        if host in ("m.liputan6.com", "liputan6.com"):
            host = "www.liputan6.com"
        m = LIPUTAN6_ARTICLE.match(path)
        if m:
            path = m.group("base")
    elif site == "republika":
        m = REPUBLIKA_ARTICLE.match(path) or REPUBLIKA_OLD_ARTICLE.match(path)
        if m:
            path = m.group("base")
    elif site == "komdigi":
        m = KOMDIGI_ARTICLE.match(path) or KOMDIGI_PORTAL_ARTICLE.match(path) or KOMINFO_DRUPAL_ARTICLE.match(path)
        if m:
            path = m.group("base")
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit(("https", host, path, "", ""))


def article_key(url: str) -> str | None:
    """The site's own stable id for an article URL (``detik:d-7572645``), or None if not an article URL."""
    parts = urlsplit(url)
    path = _clean_path(parts.path)
    site = site_of(url)
    if site == "detik":
        m = DETIK_ARTICLE.match(path)
        return f"detik:d-{m.group('id')}" if m else None
    if site == "liputan6":
        m = LIPUTAN6_ARTICLE.match(path)
        return f"liputan6:{m.group('id')}" if m else None
    if site == "republika":
        m = REPUBLIKA_ARTICLE.match(path) or REPUBLIKA_OLD_ARTICLE.match(path)
        return f"republika:{m.group('code')}" if m else None
    if site == "komdigi":
        if m := KOMDIGI_ARTICLE.match(path):
            return f"komdigi:{m.group('slug')}"
        if m := KOMDIGI_PORTAL_ARTICLE.match(path):
            return f"komdigi-portal:{m.group('id')}"
        if m := KOMINFO_DRUPAL_ARTICLE.match(path):
            return f"kominfo:{m.group('id')}"
        return None
    return None
