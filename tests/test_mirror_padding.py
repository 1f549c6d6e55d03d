"""mirror.padding: real-size article pages (100-300 KB of site markup around the article), served
by ``Mirror(padded=True)``, the same bytes every time, and the same article once extracted."""

from __future__ import annotations

import urllib.request
from urllib.parse import urlsplit

from extract import extract_article
from mirror import Mirror
from mirror.padding import PAD_MAX_BYTES, PAD_MIN_BYTES


def fetch(mirror: Mirror, url: str) -> bytes:
    parts = urlsplit(url)
    origin = mirror.roots[f"https://{parts.hostname}"]
    with urllib.request.urlopen(f"{origin}{parts.path}", timeout=30) as response:  # loopback only
        return response.read()


def test_a_padded_mirror_serves_real_size_pages_with_the_same_article():
    with Mirror() as plain, Mirror(padded=True) as padded:
        urls = [s.article.url for s in plain.clock.served() if s.article.site != "komdigi"][:4]
        for url in urls:
            small, big = fetch(plain, url), fetch(padded, url)
            assert PAD_MIN_BYTES * 0.9 <= len(big) <= PAD_MAX_BYTES * 1.1, len(big)
            assert fetch(padded, url) == big  # deterministic: ETags stay stable
            assert extract_article(big, url).text == extract_article(small, url).text
