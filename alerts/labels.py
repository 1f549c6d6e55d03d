"""The words of a digest in each language (data: ``labels.toml``): section titles, notes, months,
scale words. Metric and unit names come from ``kernel/metrics.toml``.

Templates get the words of the recipient's language as ``t``; a user who overrides a template can
still use them.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from kernel.metrics import metric_name

__all__ = ["LABELS", "LANGUAGES", "MONTHS", "SCALES", "labels", "metric_name"]

LANGUAGES = ("id", "en")
LABELS_FILE = Path(__file__).with_name("labels.toml")


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return tomllib.loads(LABELS_FILE.read_text(encoding="utf-8"))


LABELS: dict[str, dict[str, str]] = _data()["words"]
MONTHS: dict[str, list[str]] = _data()["months"]
# Large-number words, largest first: (threshold, Indonesian, English).
SCALES: list[tuple[float, str, str]] = [(float(s["threshold"]), s["id"], s["en"]) for s in _data()["scales"]]
# The same scales with their short words: (threshold, {language: short word}).
SHORT_SCALES: list[tuple[float, dict[str, str]]] = [
    (float(s["threshold"]), {"id": s["id_short"], "en": s["en_short"]}) for s in _data()["scales"]]


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["id"])
