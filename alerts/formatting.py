"""Numbers, changes, dates and times written the way a reader of each language expects.

Indonesian groups thousands with "." and writes decimals with ","; English the other way round.
Values from a million up are written with a scale word ("4,6 juta", "4.6 million"), or its short
form in trends and charts ("4,6 jt", "4.6M"). Times are shown in the reader's zone (WIB unless
``[display] timezone`` says otherwise) with its name: "24 Nov 2026 14.00 WIB".
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from alerts.labels import MONTHS, SCALES, SHORT_SCALES, labels
from kernel.metrics import unit_name as _unit_name
from kernel.times import WIB, in_zone, zone_name

# Two decimals are enough for percentages and scaled values ("30,5 triliun", "45,25%").
MAX_DECIMALS = 2
# Trends and chart labels are read at a glance: three significant digits ("3,79 jt", "26,1 jt").
COMPACT_DIGITS = 3


def format_number(value: float | int | None, language: str = "id") -> str:
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    magnitude = abs(float(value))
    for threshold, word_id, word_en in SCALES:
        if magnitude >= threshold:
            return f"{sign}{_plain(magnitude / threshold, language)} {word_id if language == 'id' else word_en}"
    return sign + _plain(magnitude, language)


def _plain(number: float, language: str, decimals: int = MAX_DECIMALS) -> str:
    text = f"{number:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    if language == "id":  # swap separators: 1,234.5 -> 1.234,5
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def plain_number(value: float | int | None, language: str = "id") -> str:
    """The whole number with thousands grouped ("4.600.000"), decimals only when it has them."""
    if value is None:
        return "–"
    return ("-" if value < 0 else "") + _plain(abs(float(value)), language)


def _significant(number: float, digits: int = COMPACT_DIGITS) -> int:
    """Decimals that leave ``digits`` significant digits (none for numbers of that many digits)."""
    whole = len(str(int(number))) if number >= 1 else 1
    return max(0, digits - whole)


def format_compact(value: float | int | None, unit: str | None = None, language: str = "id",
                   digits: int = COMPACT_DIGITS) -> str:
    """A value at a glance: '3,79 jt', '26,1 jt', 'Rp 30,5 T', '79,5%', '12.548' (``digits``
    significant digits, more where the scale word would hide them)."""
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    magnitude = abs(float(value))
    text = ""
    for threshold, words in SHORT_SCALES:
        if magnitude >= threshold:
            scaled = magnitude / threshold
            # At least one decimal: 221,5 and 221,6 jt must not both read "222 jt".
            text = f"{_plain(scaled, language, max(1, _significant(scaled, digits)))} {words.get(language, words['id'])}"
            break
    if not text:
        text = _plain(magnitude, language, min(MAX_DECIMALS, _significant(magnitude, digits)) if magnitude < 100 else 0)
    text = sign + text
    if unit == "rupiah":
        return f"Rp {text}"
    if unit == "persen":
        return f"{text}%"
    return text


def format_value(value: float | None, unit: str | None, language: str = "id",
                 value_max: float | None = None) -> str:
    """'4,6 juta UMKM', 'Rp 30,5 triliun', '45,5%', '10–12 juta UMKM'."""
    if value is None:
        return "–"
    number = format_number(value, language)
    if value_max is not None and value_max != value:
        number = f"{number}–{format_number(value_max, language)}"
    if unit == "rupiah":
        return f"Rp {number}"
    if unit == "persen":
        return f"{number}%"
    return f"{number} {unit_name(unit, language)}".strip()


def unit_name(unit: str | None, language: str = "id") -> str:
    return _unit_name(unit, language)


def format_change(abs_change: float | None, pct_change: float | None, unit: str | None,
                  language: str = "id") -> str:
    """'+3,4 juta UMKM (+73,9%)'; a percentage changes by points: '+5,8 poin', never a % of a %."""
    if abs_change is None:
        return ""
    sign = "+" if abs_change > 0 else ""
    if unit == "persen":
        return f"{sign}{format_number(abs_change, language)} {labels(language)['points']}"
    text = sign + format_value(abs_change, unit, language)
    if pct_change is not None:
        pct_sign = "+" if pct_change > 0 else "-" if pct_change < 0 else ""
        text += f" ({pct_sign}{_plain(round(abs(pct_change), 1), language)}%)"
    return text


def format_datetime(iso: str | datetime | None, language: str = "id", zone: tzinfo | str = WIB) -> str:
    """'24 Nov 2026 14.00 WIB' (Indonesian writes times with a dot), '24 Nov 2026 14:00 WIB'."""
    if not iso:
        return ""
    moment = in_zone(iso, zone)
    if moment is None:
        return str(iso)
    separator = "." if language == "id" else ":"
    return (f"{_date(moment, language)} {moment.hour:02d}{separator}{moment.minute:02d} "
            f"{zone_name(moment)}")


def format_date(iso: str | datetime | None, language: str = "id", zone: tzinfo | str = WIB) -> str:
    """'16 Agu 2020' from an ISO 8601 date or time (in the reader's zone); the text itself when it
    can't be read. A bare date ("2020-08-16") is that date, whatever the zone."""
    if not iso:
        return ""
    if isinstance(iso, str) and len(iso.strip()) == 10:
        moment = in_zone(iso, "UTC")
    else:
        moment = in_zone(iso, zone)
    if moment is None:
        return str(iso)
    return _date(moment, language)


def _date(moment: datetime, language: str) -> str:
    return f"{moment.day} {MONTHS.get(language, MONTHS['id'])[moment.month - 1]} {moment.year}"


def format_month(iso: str | datetime | None, language: str = "id", zone: tzinfo | str = WIB) -> str:
    """'Agu 2020': chart axis labels and trends that span years."""
    moment = in_zone(iso, zone) if iso else None
    if moment is None:
        return ""
    return f"{MONTHS.get(language, MONTHS['id'])[moment.month - 1]} {moment.year}"
