"""When two figures state "the same" value (DESIGN.md "Findings").

Same = metric, unit, is_target agree, the years agree (an unknown year agrees with any year: a
headline that leaves out the year restates the body's figure), and the values differ by no more
than the rounding of the coarser surface: "4,6 juta" stands for 4 550 000 … 4 650 000, so it is
the same as "4.612.345" but not as "4,7 juta". A range matches only a range with both ends within
rounding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A written number: digits with "." / "," separators.
NUMBER_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")
# Relative slack for float noise in normalised values (figures.md: compare with 1e-9).
FLOAT_SLACK = 1e-9


def _token_value_and_place(token: str) -> tuple[float, float]:
    """'4,6' -> (4.6, 0.1); '7.634' -> (7634, 1); '3.5' -> (3.5, 0.1) (English decimal, figures.md 4)."""
    if "," in token:
        whole, _, frac = token.rpartition(",")
        whole = whole.replace(".", "").replace(",", "")
        return float(f"{whole or 0}.{frac}"), 10.0 ** -len(frac)
    groups = token.split(".")
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        return float("".join(groups)), 1.0
    if len(groups) == 2 and len(groups[1]) in (1, 2):
        return float(token), 10.0 ** -len(groups[1])
    return float(token.replace(".", "")), 1.0


def rounding_tolerance(surface: str, value: float) -> float:
    """Half the place value of the last digit the surface writes, in the unit of ``value``."""
    if not value:
        return 0.0
    token = NUMBER_TOKEN.search(surface or "")
    if token is None:
        # Spelled number ("delapan juta"): precise to its scale word, else to one.
        for word, scale in (("triliun", 1e12), ("trilyun", 1e12), ("miliar", 1e9), ("milyar", 1e9),
                            ("juta", 1e6), ("ribu", 1e3)):
            if word in (surface or "").lower():
                return min(scale, abs(value)) / 2
        return 0.5
    written, place = _token_value_and_place(token.group())
    if not written:
        return 0.0
    scale = abs(value) / written  # the scale word's factor: value = written × scale
    return float(f"{place * scale / 2:.12g}")  # drop float noise: 0.1 × 1e6 is 100000.00000000001


@dataclass(frozen=True)
class ValueKey:
    """What decides sameness, for one figure."""

    metric: str
    unit: str
    is_target: bool
    year: int | None
    value: float
    value_max: float | None
    tolerance: float

    def series(self) -> tuple[str, str, bool]:
        return (self.metric, self.unit, self.is_target)


def _close(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance + FLOAT_SLACK * max(abs(a), abs(b), 1.0)


def same_value(a: ValueKey, b: ValueKey) -> bool:
    if a.series() != b.series():
        return False
    if a.year is not None and b.year is not None and a.year != b.year:
        return False
    tolerance = max(a.tolerance, b.tolerance)
    if not _close(a.value, b.value, tolerance):
        return False
    if (a.value_max is None) != (b.value_max is None):
        return False
    return a.value_max is None or _close(a.value_max, b.value_max, tolerance)  # type: ignore[arg-type]

