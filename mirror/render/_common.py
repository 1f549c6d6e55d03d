"""Helpers shared by the site templates: escaping, Indonesian date strings, JSON-LD, filler lists."""

from __future__ import annotations

import json
from datetime import datetime
from html import escape

from kernel.times import WIB, wib_iso

MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
MONTHS_LONG = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
               "Oktober", "November", "Desember")
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

# Headlines of other stories, with their own numbers: the sidebars, "Baca juga" boxes and related
# lists every template carries. None of these may survive extraction.
OTHER_HEADLINES = (
    "Harga Cabai Rawit Tembus Rp 90 Ribu per Kg di 5 Pasar",
    "Kereta Cepat Angkut 3 Juta Penumpang dalam 6 Bulan",
    "Gempa M 5,2 Guncang Pesisir Selatan, 17 Rumah Rusak",
    "Startup Lokal Raih Pendanaan Rp 450 Miliar dari Investor Asing",
    "Ojol Demo di 12 Kota, Tuntut Tarif Naik 15 Persen",
    "Kuota Internet Pelajar 10 GB Kembali Dibagikan Bulan Depan",
)


def esc(text: str) -> str:
    return escape(text, quote=True)


def wib(dt: datetime) -> datetime:
    return dt.astimezone(WIB)




def short_date(dt: datetime) -> str:
    """``24 Nov 2026`` (Indonesian short month)."""
    d = wib(dt)
    return f"{d.day:02d} {MONTHS_SHORT[d.month - 1]} {d.year}"


def weekday(dt: datetime) -> str:
    return WEEKDAYS[wib(dt).weekday()]


def hhmm(dt: datetime) -> str:
    return wib(dt).strftime("%H:%M")


def json_ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj, ensure_ascii=False)}</script>'


def news_article_ld(view, *, author: str, publisher: str, description: str | None = None) -> str:
    return json_ld({
        "@context": "https://schema.org", "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": view.url},
        "headline": view.title, "description": description or view.summary,
        "datePublished": wib_iso(view.published_at), "dateModified": wib_iso(view.modified_at),
        "author": {"@type": "Person", "name": author},
        "image": {"@type": "ImageObject", "url": ""},
        "publisher": {"@type": "Organization", "name": publisher},
    })


def headline_list(css: str, base: str, offset: int = 0, count: int = 5, numbered: bool = False) -> str:
    """A list of other stories' headlines linking into the site (``base`` is a real URL prefix)."""
    items = []
    for i in range(count):
        title = OTHER_HEADLINES[(i + offset) % len(OTHER_HEADLINES)]
        num = f'<span class="num">{i + 1}</span>' if numbered else ""
        items.append(f'<li>{num}<a href="{base}{7000 + offset * 10 + i}/lainnya">{esc(title)}</a></li>')
    return f'<ul class="{css}">{"".join(items)}</ul>'
