"""Numbers, changes and dates written the way a reader of each language expects.

Indonesian groups thousands with "." and writes decimals with ","; English the other way round.
Values from a million up are written with a scale word ("4,6 juta", "4.6 million").
"""

from __future__ import annotations

from datetime import UTC

from alerts.labels import MONTHS, POINTS, SCALES, UNIT_NAMES
from kernel.times import parse_iso

# Two decimals are enough for percentages and scaled values ("30,5 triliun", "45,25%").
MAX_DECIMALS = 2


def format_number(value: float | int | None, language: str = "id") -> str:
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    magnitude = abs(float(value))
    for threshold, word_id, word_en in SCALES:
        if magnitude >= threshold:
            return f"{sign}{_plain(magnitude / threshold, language)} {word_id if language == 'id' else word_en}"
    return sign + _plain(magnitude, language)


def _plain(number: float, language: str) -> str:
    text = f"{number:,.{MAX_DECIMALS}f}".rstrip("0").rstrip(".")
    if language == "id":  # swap separators: 1,234.5 -> 1.234,5
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
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
    unit_name = UNIT_NAMES.get(unit or "", {}).get(language, unit or "")
    return f"{number} {unit_name}".strip()


def format_change(abs_change: float | None, pct_change: float | None, unit: str | None,
                  language: str = "id") -> str:
    """'+3,4 juta UMKM (+73,9%)'; a percentage changes by points: '+5,8 poin', never a % of a %."""
    if abs_change is None:
        return ""
    sign = "+" if abs_change > 0 else ""
    if unit == "persen":
        return f"{sign}{format_number(abs_change, language)} {POINTS.get(language, POINTS['id'])}"
    text = sign + format_value(abs_change, unit, language)
    if pct_change is not None:
        pct_sign = "+" if pct_change > 0 else "-" if pct_change < 0 else ""
        text += f" ({pct_sign}{_plain(round(abs(pct_change), 1), language)}%)"
    return text


def format_datetime(iso: str | None, language: str = "id") -> str:
    """'24 Nov 2026 07.00 UTC' (Indonesian writes times with a dot), '24 Nov 2026 07:00 UTC'."""
    if not iso:
        return ""
    moment = parse_iso(iso)
    if moment is None:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    separator = "." if language == "id" else ":"
    return f"{format_date(moment.isoformat(), language)} {moment.hour:02d}{separator}{moment.minute:02d} UTC"


def format_date(iso: str | None, language: str = "id") -> str:
    """'16 Agu 2020' from an ISO 8601 date or time; the text itself when it can't be read."""
    if not iso:
        return ""
    moment = parse_iso(iso)
    if moment is None:
        return iso
    return f"{moment.day} {MONTHS.get(language, MONTHS['id'])[moment.month - 1]} {moment.year}"
