"""Site identity: which sites pantau knows by name and which domains belong to each
(``kernel/sites.toml``), and the site of a URL."""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["SITES", "SITE_DOMAINS", "registered_domain", "site_of"]

_SITES_FILE = Path(__file__).with_name("sites.toml")
_DATA = tomllib.loads(_SITES_FILE.read_text(encoding="utf-8"))["sites"]

# The known sites, in the order summaries and digests list them.
SITES: tuple[str, ...] = tuple(_DATA)
# Registered domain -> site name.
SITE_DOMAINS: dict[str, str] = {domain: name for name, site in _DATA.items() for domain in site["domains"]}
# Second-level labels under which a registered domain has three labels (co.id, go.id, ac.id …).
_TWO_LABEL_SUFFIXES = frozenset({"co", "go", "ac", "or", "web", "my", "sch", "net", "com"})


def registered_domain(host: str) -> str:
    """``inet.detik.com`` -> ``detik.com``; ``ekonomi.republika.co.id`` -> ``republika.co.id``."""
    host = host.lower().rstrip(".")
    for domain in SITE_DOMAINS:
        if host == domain or host.endswith("." + domain):
            return domain
    parts = host.split(".")
    if len(parts) >= 3 and parts[-2] in _TWO_LABEL_SUFFIXES:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def site_of(url: str) -> str:
    """The site name for a URL: one of ``SITES``, or the host name for any other site."""
    host = (urlsplit(url).hostname or "").lower()
    return SITE_DOMAINS.get(registered_domain(host), host)
