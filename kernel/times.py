"""Times, in one place: the store keeps UTC ISO 8601 strings, people read WIB.

One zone for every stored time means string order is time order, so SQL (and Datasette) can sort
and compare the text columns directly: ``2020-08-16T18:30:00+07:00`` is stored as
``2020-08-16T11:30:00+00:00``. A value without an offset is taken as UTC (the crawler and the
scheduler pass aware datetimes; naive ones only come from hand-written calls).

Page dates (a publication time printed on a page, naive = WIB) are extraction's business:
``extract.dates``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import overload

__all__ = ["DISPLAY_ZONE", "UTC", "WIB", "display_zone", "in_zone", "local_text", "parse_iso", "to_utc_iso",
           "utc_now", "utc_now_iso", "wib_iso", "zone_name"]

# Western Indonesian Time: a fixed UTC+7, no daylight saving, so no tz database is needed.
WIB = timezone(timedelta(hours=7), "WIB")
# The zone people read times in unless [display] timezone says otherwise.
DISPLAY_ZONE = "Asia/Jakarta"


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc_now_iso() -> str:
    return utc_now().isoformat(timespec="seconds")


@overload
def to_utc_iso(value: datetime) -> str: ...
@overload
def to_utc_iso(value: datetime | str | None) -> str | None: ...
def to_utc_iso(value: datetime | str | None) -> str | None:
    """A datetime or ISO 8601 string as a UTC ISO string to the second; None (or "") stays None.

    Raises ValueError for a string that is not ISO 8601.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        parsed = parse_iso(value)
        if parsed is None:
            raise ValueError(f"not an ISO 8601 timestamp: {value!r}")
    elif isinstance(value, datetime):
        parsed = value if value.tzinfo else value.replace(tzinfo=UTC)
    else:
        raise TypeError(f"expected a datetime or ISO 8601 string, got {type(value).__name__}")
    return parsed.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str | None) -> datetime | None:
    """An aware datetime from an ISO 8601 string (``Z`` accepted, naive = UTC); None when empty or
    unreadable."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def wib_iso(moment: datetime) -> str:
    """``2026-11-24T10:20:00+07:00``: an aware datetime in WIB, to the second."""
    return moment.astimezone(WIB).replace(microsecond=0).isoformat()


@lru_cache(maxsize=16)
def display_zone(name: str = DISPLAY_ZONE) -> tzinfo:
    """The time zone called ``name`` (IANA, e.g. "Asia/Makassar"); WIB needs no tz database.

    Raises ValueError for a name the tz database (the ``tzdata`` package where the OS has none)
    does not know.
    """
    if name in (DISPLAY_ZONE, "WIB"):
        return WIB
    if name in ("UTC", "Etc/UTC"):
        return UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{name}'") from None


def in_zone(value: datetime | str | None, zone: tzinfo | str = WIB) -> datetime | None:
    """An aware datetime (or ISO 8601 string, naive = UTC) in ``zone``; None when empty or unreadable."""
    moment = parse_iso(value) if isinstance(value, str) or value is None else value
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(display_zone(zone) if isinstance(zone, str) else zone)


def zone_name(moment: datetime) -> str:
    """'WIB', 'WITA', 'UTC': the zone's own abbreviation (tz database), else its offset ('UTC+05:30')."""
    name = moment.tzname() or ""
    if not name or name.startswith(("+", "-")):
        offset = moment.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        name = f"UTC{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return name


def local_text(value: datetime | str | None, zone: tzinfo | str = WIB) -> str:
    """'2026-11-24 14:00 WIB': a time for CLI tables and logs people read; "" when empty, the text
    itself when it is not ISO 8601."""
    moment = in_zone(value, zone)
    if moment is None:
        return str(value or "")
    return f"{moment:%Y-%m-%d %H:%M} {zone_name(moment)}"
