"""Komdigi pages: the www.komdigi.go.id Next.js article page (``.custom-body``), the JSON API item
(``render_api_item``, sites.md 4.3) and the portal.komdigi.go.id Bootstrap page."""

from __future__ import annotations

import json
from datetime import datetime

from ._common import MONTHS_LONG, esc, hhmm, weekday, wib, wib_iso


def _long_date(dt: datetime) -> str:
    d = wib(dt)
    return f"{weekday(d)}, {d.day} {MONTHS_LONG[d.month - 1]} {d.year}"


def _slug(view) -> str:
    return view.url.rstrip("/").rsplit("/", 1)[-1]


def _category_title(view) -> str:
    return " ".join(w.capitalize() for w in view.channel.split("-"))


def _body_html(view) -> str:
    """Paragraphs; the dateline goes on the first prose paragraph (after a "Siaran Pers No." line)."""
    dateline_at = 1 if view.paragraphs[0].startswith("Siaran Pers") and len(view.paragraphs) > 1 else 0
    paragraphs = []
    for i, text in enumerate(view.paragraphs):
        para = esc(text)
        if i == dateline_at:
            para = f"<strong>{esc(view.dateline)}, Komdigi</strong> - {para}"
        paragraphs.append(f"<p>{para}</p>")
    return "".join(paragraphs)


def render_api_item(view) -> dict:
    """One item of ``response.data`` in the web.komdigi.go.id contents API."""
    body_html = _body_html(view)
    body_text = "\n".join(view.paragraphs)
    return {
        "id": view.api_id, "slug": _slug(view), "title": view.title,
        "published_at": wib(view.published_at).strftime("%Y-%m-%d %H:%M:%S"),
        "updated_at": wib(view.modified_at).strftime("%Y-%m-%d %H:%M:%S"),
        "view_count": 100 + (view.api_id or 0) % 900, "excerpt": view.summary,
        "body_html": body_html, "body_text": body_text,
        "main_image_url": f"https://web.komdigi.go.id/resource/images/{_slug(view)}.jpg",
        "category": {"title": _category_title(view)}, "tags": [{"name": t} for t in view.tags],
        "topic": {"title": "Transformasi Digital"},
    }


def render(view, *, page: int | None = None, single: bool = False, mobile: bool = False) -> str:
    """www.komdigi.go.id article page: server-rendered HTML plus the Next.js flight payload."""
    payload = json.dumps(["$", "article", None, {"title": view.title, "published_at": wib_iso(view.published_at)}],
                         ensure_ascii=False)
    tags = "".join(f'<a class="tag" href="https://www.komdigi.go.id/berita?tag={esc(t)}">{esc(t)}</a>' for t in view.tags)
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>{esc(view.title)} | Komdigi</title>
<meta property="og:title" content="{esc(view.title)}">
<meta name="description" content="{esc(view.summary)}">
<meta name="author" content="{esc(view.author)}">
<meta property="article:published_time" content="{wib_iso(view.published_at)}">
<meta property="article:modified_time" content="{wib_iso(view.modified_at)}">
<link rel="canonical" href="{view.url}">
</head>
<body>
<nav class="navbar"><a href="https://www.komdigi.go.id/">Komdigi</a><a href="https://www.komdigi.go.id/berita/{esc(view.channel)}">{esc(_category_title(view))}</a></nav>
<main class="container mx-auto">
<div class="text-sm breadcrumbs"><a href="https://www.komdigi.go.id/berita/{esc(view.channel)}">{esc(_category_title(view))}</a></div>
<h1 class="text-3xl font-bold">{esc(view.title)}</h1>
<div class="font-medium"><span>{_long_date(view.published_at)}</span> <time datetime="{wib_iso(view.published_at)}">{hhmm(view.published_at)} WIB</time></div>
<div class="custom-body">{_body_html(view)}</div>
<div class="tags">{tags}</div>
<section class="grid lg:grid-cols-3"><h2>Berita Terkait</h2>
<div class="flex flex-col"><a href="https://www.komdigi.go.id/berita/siaran-pers/detail/lainnya-1">Komdigi Blokir 1,2 Juta Konten Judi Online</a><div class="font-medium"><span>15 jam lalu</span></div></div>
<div class="flex flex-col"><a href="https://www.komdigi.go.id/berita/siaran-pers/detail/lainnya-2">Pendaftaran 25 PSE Lingkup Privat Diperpanjang 30 Hari</a><div class="font-medium"><span>2 hari lalu</span></div></div>
</section>
</main>
<footer>Kementerian Komunikasi dan Digital Republik Indonesia © 2026</footer>
<script>self.__next_f.push([1,{json.dumps(payload)}])</script>
</body>
</html>
"""


def render_portal_page(view) -> str:
    """portal.komdigi.go.id/kanal-publik/berita-kini/<id>: a plain Bootstrap page."""
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(view.title)} - Portal Komdigi</title>
<link rel="stylesheet" href="https://portal.komdigi.go.id/css/bootstrap.min.css">
<link rel="canonical" href="https://portal.komdigi.go.id/kanal-publik/berita-kini/{view.portal_id}">
</head>
<body>
<nav class="navbar navbar-expand-lg"><a class="navbar-brand" href="https://portal.komdigi.go.id/">Portal Komdigi</a></nav>
<div class="container my-4">
<div class="row"><div class="col-lg-8">
<span class="badge bg-primary">{esc(_category_title(view))}</span>
<h3 class="fw-bold mt-2">{esc(view.title)}</h3>
<p class="text-muted small">{_long_date(view.published_at)} {hhmm(view.published_at)} WIB</p>
<div class="content">{_body_html(view)}</div>
</div>
<div class="col-lg-4"><div class="card"><div class="card-header">Berita Lainnya</div>
<ul class="list-group"><li class="list-group-item">Komdigi Gelar Literasi Digital di 100 Kabupaten</li>
<li class="list-group-item">Sinyal 4G Kini Hadir di 3 Pulau Terluar</li></ul></div></div>
</div></div>
<footer class="footer text-center">© 2026 Kementerian Komunikasi dan Digital</footer>
</body>
</html>
"""
