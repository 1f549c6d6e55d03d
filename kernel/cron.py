"""Crontab expressions as APScheduler 3.x triggers: shared by config validation and the daemon."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apscheduler.triggers.cron import CronTrigger

__all__ = ["cron_trigger"]

# Cron numbers weekdays from Sunday (0 and 7); APScheduler 3 numbers them from Monday, so numeric
# weekdays are translated to names, which both read the same way.
_CRON_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _cron_weekdays(field_text: str) -> str:
    """A crontab day-of-week field in cron's numbering, rewritten with weekday names for APScheduler."""
    if field_text == "*" or any(ch.isalpha() for ch in field_text):
        return field_text  # names (mon-fri) mean the same to both
    days: set[int] = set()
    for part in field_text.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() else 1
        if step_text and not step_text.isdigit():
            raise ValueError(f"bad step '{step_text}' in weekday field '{field_text}'")
        if base == "*":
            low, high = 0, 6
        elif "-" in base:
            low_text, _, high_text = base.partition("-")
            if not (low_text.isdigit() and high_text.isdigit()):
                raise ValueError(f"bad weekday range '{base}'")
            low, high = int(low_text), int(high_text)
        elif base.isdigit():
            low = int(base)
            high = 6 if step_text else low
        else:
            raise ValueError(f"bad weekday '{base}'")
        if not (0 <= low <= 7 and 0 <= high <= 7 and low <= high):
            raise ValueError(f"weekday out of range in '{part}' (0-7, 0 and 7 = Sunday)")
        days.update(day % 7 for day in range(low, high + 1, step))
    return ",".join(_CRON_WEEKDAYS[d] for d in sorted(days))


def cron_trigger(expr: str, timezone: str) -> CronTrigger:
    """An APScheduler trigger for a crontab expression: 5 fields, or 6 with leading seconds.

    Raises ValueError naming what is wrong.
    """
    from apscheduler.triggers.cron import CronTrigger

    values = expr.split()
    if len(values) == 5:
        values = ["0", *values]
    elif len(values) != 6:
        raise ValueError(f"expected 5 fields (minute hour day month weekday) or 6 (with seconds first), "
                         f"got {len(values)}")
    second, minute, hour, day, month, weekday = values
    return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month,
                       day_of_week=_cron_weekdays(weekday), timezone=timezone)
