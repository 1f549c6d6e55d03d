"""Indonesian (and English) date strings of news pages -> timezone-aware datetimes.

A small own parser: dateparser returns None for "Jum'at", "Ags" and weekday + English month, and
htmldate reads "Diterbitkan 16 Agu 2020, 18:30 WIB" as 2020-01-01 (sites.md 5). Zones: WIB +07:00,
WITA +08:00, WIT +09:00; a string without a zone is WIB (all four sites publish in Jakarta time).

* ``parse_date_text(text, now=None)``: the first date in a visible string ("Kamis 16 Nov 2017 01:36
  WIB", "Jum'at, 26 Juni 2020 - 17:19 WIB", "Selasa, (23/6/2020)", "Diterbitkan 16 Agu 2020, 18:30
  WIB", "15 jam lalu" only when ``now`` is given).
* ``parse_iso(value)``: machine dates (ISO 8601, "2026/11/24 10:20:00", Unix epoch seconds).
* ``date_from_url(url)``: ``/2020/08/16/`` or detik's old ``/read/2015/11/05/100800/``.
* ``to_iso(dt)``: ``2020-08-16T18:30:00+07:00``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from kernel.times import WIB

ZONES = {"WIB": WIB, "WITA": timezone(timedelta(hours=8)), "WIT": timezone(timedelta(hours=9)),
         "UTC": UTC, "GMT": UTC}

# Month names and abbreviations -> month number; Indonesian and English, incl. "Ags" and "Sept".
MONTHS: dict[str, int] = {}
for number, names in enumerate((
        ("jan", "januari", "january"), ("feb", "februari", "february", "pebruari"),
        ("mar", "maret", "march"), ("apr", "april"), ("mei", "may"), ("jun", "juni", "june"),
        ("jul", "juli", "july"), ("agu", "ags", "agt", "agustus", "aug", "august"),
        ("sep", "sept", "september"), ("okt", "oktober", "oct", "october"),
        ("nov", "nopember", "november"), ("des", "desember", "dec", "december")), start=1):
    for name in names:
        MONTHS[name] = number

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_ZONE_RE = r"(?P<zone>WITA|WIB|WIT|UTC|GMT)"
_TIME_RE = r"(?:\s*(?:,|-|–|pukul|jam|at|\|)?\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*" + _ZONE_RE + "?)?"

# "16 Nov 2017 01:36 WIB", "26 Juni 2020 - 17:19 WIB", "10 Apr 2024, 06:16 WIB", "17 February 2017".
NAMED_DATE = re.compile(r"(?<!\d)(?P<day>\d{1,2})\s+(?P<month>" + _MONTH_RE + r")\.?,?\s+(?P<year>\d{4})\b" + _TIME_RE, re.I)
# "Selasa, (23/6/2020)", "05/11/2015 10:08 WIB", "17-03-2018": day first, as Indonesian pages write it.
NUMERIC_DATE = re.compile(r"(?<![\d/])\(?(?P<day>\d{1,2})[/-](?P<month>\d{1,2})[/-](?P<year>\d{4})\)?" + _TIME_RE)
# "15 jam lalu", "8 menit yang lalu", "2 hari lalu".
RELATIVE_DATE = re.compile(r"(?P<n>\d+)\s+(?P<unit>detik|menit|jam|hari|minggu|pekan|bulan)\s+(?:yang\s+)?lalu", re.I)
RELATIVE_UNITS = {"detik": timedelta(seconds=1), "menit": timedelta(minutes=1), "jam": timedelta(hours=1),
                  "hari": timedelta(days=1), "minggu": timedelta(weeks=1), "pekan": timedelta(weeks=1),
                  "bulan": timedelta(days=30)}

URL_DATE = re.compile(r"/(?P<year>(?:19|20)\d{2})/(?P<month>\d{2})/(?P<day>\d{2})(?:/(?P<hms>\d{6}))?/")
# Republika's old URLs: /berita/<kanal>/<sub>/YY/MM/DD/<code>-<slug>.
URL_SHORT_DATE = re.compile(r"/(?P<year>\d{2})/(?P<month>\d{2})/(?P<day>\d{2})/[a-z0-9]{6,9}-")


def _build(year: int, month: int, day: int, hour: str | None, minute: str | None,
           second: str | None, zone: str | None) -> datetime | None:
    try:
        return datetime(year, month, day, int(hour or 0), int(minute or 0), int(second or 0),
                        tzinfo=ZONES.get((zone or "WIB").upper(), WIB))
    except ValueError:
        return None


def parse_date_text(text: str, now: datetime | None = None) -> datetime | None:
    """The first absolute date in ``text``; a relative one ("15 jam lalu") only if ``now`` is given."""
    if not text:
        return None
    text = text.replace("\xa0", " ")
    for pattern, named in ((NAMED_DATE, True), (NUMERIC_DATE, False)):
        for m in pattern.finditer(text):
            month = MONTHS[m["month"].lower()] if named else int(m["month"])
            dt = _build(int(m["year"]), month, int(m["day"]), m["hour"], m["minute"], m["second"], m["zone"])
            if dt is not None:
                return dt
    if now is not None and (relative := RELATIVE_DATE.search(text)):
        if now.tzinfo is None:
            now = now.replace(tzinfo=WIB)
        ago = int(relative["n"]) * RELATIVE_UNITS[relative["unit"].lower()]
        return (now - ago).astimezone(WIB).replace(microsecond=0)
    return None


def parse_iso(value: str | int | float | None) -> datetime | None:
    """Machine-readable dates: ISO 8601 (naive = WIB), ``2026/11/24 10:20:00``, epoch seconds."""
    if value is None:
        return None
    if isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"\d{9,11}", value.strip())):
        return datetime.fromtimestamp(int(value), tz=UTC).astimezone(WIB)
    value = value.strip().replace("/", "-")
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return parse_date_text(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=WIB)


def date_from_url(url: str) -> datetime | None:
    """A date written in the URL path (last resort: no time of day, so midnight WIB)."""
    if m := URL_DATE.search(url):
        hms = m["hms"]
        return _build(int(m["year"]), int(m["month"]), int(m["day"]),
                      hms[:2] if hms else None, hms[2:4] if hms else None, hms[4:] if hms else None, None)
    if m := URL_SHORT_DATE.search(url):
        return _build(2000 + int(m["year"]), int(m["month"]), int(m["day"]), None, None, None, None)
    return None


# A date line may end in one short field after a bar: "… 09:15 WIT | 512 Views", "… | 3 menit baca".
DATE_LINE_FIELD = re.compile(r"^\s*\|\s*[^|]{1,24}$")


def is_date_line(line: str) -> bool:
    """True for a line that is nothing but a date ("Kamis 16 Nov 2017 01:36 WIB"), possibly with one
    short field after a bar ("… 09:15 WIT | 512 Views")."""
    stripped = re.sub(r"^\W*(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)?\W*", "", line.strip(), flags=re.I)
    m = NAMED_DATE.match(stripped) or NUMERIC_DATE.match(stripped)
    if not m:
        return False
    rest = stripped[m.end():]
    return not rest.strip(" ,.-|") or DATE_LINE_FIELD.match(rest) is not None


def to_iso(dt: datetime | None) -> str | None:
    """ISO 8601. A UTC time (JSON-LD "Z", epoch values) is given in WIB like the visible dates of
    the same pages; a page's own regional offset (WITA, WIT) is kept as written."""
    if dt is None:
        return None
    if dt.utcoffset() == timedelta(0):
        dt = dt.astimezone(WIB)
    return dt.replace(microsecond=0).isoformat()
