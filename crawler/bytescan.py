"""Cheap looks at a page's bytes, for decisions the crawl process makes before (or instead of)
parsing it: the page is parsed once, by an extract worker.

``meta_content(body, name)`` is what ``response.css('meta[name="NAME"]::attr(content)').get()``
gives for an ordinary page, at a fraction of the cost: the bytes are searched for the name
(a memchr-speed scan) and only the one tag around it is read; no document is built
(lxml + parsel took 1.6-4.4 ms per real-size page, this takes about 0.1 ms).
"""

from __future__ import annotations

import functools
import re

# An attribute's value in a tag: double-quoted, single-quoted or bare.
_VALUE = rb"""(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"""
_CONTENT = re.compile(rb"\scontent\s*=\s*" + _VALUE, re.IGNORECASE)


@functools.lru_cache(maxsize=16)
def _name_pattern(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"""\s(?i:name)\s*=\s*(["']?)""" + re.escape(name) + rb"""\1(?=[\s/>])""")


def meta_content(body: bytes, name: str) -> str | None:
    """The ``content`` of the first ``<meta name="NAME">`` tag in ``body`` (the name matched
    exactly, as a CSS attribute selector does), or None when there is none."""
    needle = name.encode("ascii")
    at = body.find(needle)
    while at != -1:
        start = body.rfind(b"<", 0, at)
        end = body.find(b">", at)
        if start != -1 and end != -1:
            tag = body[start:end + 1]
            if tag[:5].lower() == b"<meta" and tag[5:6].isspace() and _name_pattern(needle).search(tag):
                found = _CONTENT.search(tag)
                if found is None:
                    return ""
                raw = next(group for group in found.groups() if group is not None)
                return raw.decode("utf-8", errors="replace")
        at = body.find(needle, at + len(needle))
    return None
