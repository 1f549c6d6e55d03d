"""How people read metrics: names per language, the unit, a description (data: ``metrics.toml``).

Shared by the digests (``alerts``), the Atom feed and the store's ``metrics`` table (Datasette).
A metric not in the file (a user's own) reads as its id.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["MetricInfo", "metric_info", "metric_name", "unit_name"]

METRICS_FILE = Path(__file__).with_name("metrics.toml")


@dataclass(frozen=True)
class MetricInfo:
    metric: str
    name_id: str
    name_en: str
    unit: str  # the unit a value is counted in ("" when it depends on the mention)
    description_id: str = ""
    description_en: str = ""

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_id

    def description(self, language: str) -> str:
        return self.description_en if language == "en" else self.description_id


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return tomllib.loads(METRICS_FILE.read_text(encoding="utf-8"))


def metric_info(metric: str, units: tuple[str, ...] = ()) -> MetricInfo:
    """What the file says about ``metric``; for an unknown one its id as name and the first of
    ``units`` (its taxonomy's units) as unit."""
    entry = _data()["metrics"].get(metric)
    if entry is None:
        return MetricInfo(metric, metric, metric, units[0] if len(units) == 1 else "")
    return MetricInfo(metric, entry["id"], entry["en"], entry.get("unit", ""),
                      entry.get("description_id", ""), entry.get("description_en", ""))


def metric_name(metric: str, language: str) -> str:
    return metric_info(metric).name(language)


def unit_name(unit: str | None, language: str) -> str:
    """How ``unit`` is written after a number ("desa", "villages"); the unit id when unknown."""
    names = _data()["units"].get(unit or "")
    if names is None:
        return unit or ""
    return str(names.get(language, names.get("id", unit)))
