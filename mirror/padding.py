"""Real-size article pages for the mirror: the rendered page wrapped in the markup a news site
puts around an article (head scripts and styles, a navigation bar, related-article lists, ad and
tracking scripts, HTML comments, a footer), 100-300 KB per page as real article pages are.

The mirror's own pages average 6.6 KB, so a crawl bench on them understates what parsing and
extraction cost. ``pad_page(body, path, titles)`` is deterministic (the same page and path give
the same bytes, so ETags stay stable) and leaves the article's own markup untouched.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence

# Sizes of real article pages of the four sites (40-500 KB; most between these two).
PAD_MIN_BYTES = 100_000
PAD_MAX_BYTES = 300_000
# Share of the padding that goes in <head> (config and tracking scripts, inline styles): on the
# sites' pages about half of the bytes come before <body>.
HEAD_SHARE = 0.45
# Links in the navigation bar and items in each related-article list, as on the sites' pages.
NAV_LINKS = 60
RELATED_ITEMS = 12

# Section slugs of the chrome (neutral words: the article text around them is the corpus's own).
_WORDS = ("news", "latest", "finance", "tech", "national", "regional", "sport", "showbiz",
          "auto", "health", "lifestyle", "world", "photo", "video", "index")


def pad_page(body: bytes, path: str, titles: Sequence[str]) -> bytes:
    """``body`` grown to a real page's size with site chrome around the article."""
    head_end = body.find(b"</head>")
    body_start = body.find(b"<body")
    body_open_end = body.find(b">", body_start) + 1 if body_start != -1 else -1
    body_end = body.rfind(b"</body>")
    if head_end == -1 or body_open_end <= 0 or body_end == -1 or body_end < body_open_end:
        return body  # not a page we know how to wrap: served as rendered
    rng = random.Random(zlib.crc32(path.encode("utf-8")))
    target = rng.randint(PAD_MIN_BYTES, PAD_MAX_BYTES)
    room = max(0, target - len(body))
    head = _head_chrome(rng, int(room * HEAD_SHARE))
    top = _navigation(rng)
    bottom = _related_and_footer(rng, titles, room - len(head) - len(top))
    return b"".join((body[:head_end], head, body[head_end:body_open_end], top,
                     body[body_open_end:body_end], bottom, body[body_end:]))


def _head_chrome(rng: random.Random, size: int) -> bytes:
    parts: list[str] = []
    total = 0
    n = 0
    while total < size:
        n += 1
        if n % 3 == 0:
            chunk = "<style>" + "".join(
                f".c{n}-{i}{{margin:{rng.randint(0, 24)}px;padding:{rng.randint(0, 16)}px;"
                f"color:#{rng.randrange(0xFFFFFF):06x};font-size:{rng.randint(10, 22)}px}}" for i in range(40)
            ) + "</style>\n"
        elif n % 3 == 1:
            data = ",".join(f'"k{n}_{i}":"{rng.choice(_WORDS)}-{rng.randrange(10**6)}"' for i in range(60))
            chunk = f"<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{{data}}});</script>\n"
        else:
            body = ";".join(f"var v{n}_{i}=document.querySelectorAll('.c{n}-{i}');"
                            f"for(var j=0;j<v{n}_{i}.length;j++){{v{n}_{i}[j].dataset.seen={i}}}"
                            for i in range(30))
            chunk = f"<script>(function(){{{body}}})();</script>\n<!-- tag manager block {n} -->\n"
        parts.append(chunk)
        total += len(chunk)
    return "".join(parts).encode("utf-8")


def _navigation(rng: random.Random) -> bytes:
    links = "".join(f'<li class="nav__item"><a href="/{rng.choice(_WORDS)}/{i}" class="nav__link">'
                    f"{rng.choice(_WORDS).title()}</a></li>" for i in range(NAV_LINKS))
    return (f'<header class="header"><!-- header --><nav class="nav"><ul class="nav__list">{links}</ul></nav>'
            f'<div class="ads ads--top"><script>googletag.cmd.push(function(){{googletag.display("top")}});'
            f"</script></div></header>\n").encode()


def _related_and_footer(rng: random.Random, titles: Sequence[str], size: int) -> bytes:
    parts: list[str] = []
    total = 0
    n = 0
    pool = list(titles) or list(_WORDS)
    while total < size:
        n += 1
        items = "".join(
            f'<li class="list__item"><a href="/{rng.choice(_WORDS)}/d-{rng.randrange(10**7)}/'
            f'{rng.choice(_WORDS)}"><img src="/img/{rng.randrange(10**8)}.jpg" alt="" loading="lazy">'
            f'<span class="list__title">{rng.choice(pool)}</span></a>'
            f'<span class="list__date">{rng.randint(1, 59)} min</span></li>' for _ in range(RELATED_ITEMS))
        chunk = (f'<aside class="related related--{n}"><!-- related {n} --><h2>{rng.choice(_WORDS).title()}</h2>'
                 f'<ul class="list">{items}</ul></aside>\n'
                 f"<script>window.__ads=window.__ads||[];__ads.push({{slot:'s{n}',"
                 f"sizes:[[300,250],[728,90]],targeting:{{pos:'{n}',kw:'{rng.choice(_WORDS)}'}}}});</script>\n")
        parts.append(chunk)
        total += len(chunk)
    links = "".join(f'<a href="/{w}">{w.title()}</a>' for w in _WORDS)
    parts.append(f'<footer class="footer"><!-- footer --><div class="footer__links">{links}</div></footer>\n')
    return "".join(parts).encode("utf-8")
