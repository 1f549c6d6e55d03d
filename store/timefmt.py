"""Timestamps as the store keeps them: ISO 8601 strings in UTC with an explicit offset.

One zone for every stored time means string order is time order, so SQL (and Datasette) can sort
and compare the text columns directly. ``2020-08-16T18:30:00+07:00`` is stored as
``2020-08-16T11:30:00+00:00``.
"""

from __future__ import annotations

from datetime import datetime, timezone


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def to_utc_iso(value: datetime | str | None) -> str | None:
    """A datetime or ISO 8601 string as a UTC ISO string; None stays None.

    A value without an offset is taken as UTC (the crawler and scheduler pass aware datetimes;
    naive ones only come from hand-written calls).
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"not an ISO 8601 timestamp: {value!r}") from None
    elif isinstance(value, datetime):
        parsed = value
    else:
        raise TypeError(f"expected a datetime or ISO 8601 string, got {type(value).__name__}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc).isoformat(timespec="seconds")
