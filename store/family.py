"""Metric family and context flag, from the taxonomy when ``extract`` provides it.

The fallback (``"umkm"`` if the name contains "umkm", else ``"connectivity"``) keeps the store
usable while ``extract.load_taxonomy`` is missing or fails; it lives only here.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# The two context metrics of figures.md: denominators, not headline figures.
FALLBACK_CONTEXT_METRICS = frozenset({"umkm_total", "villages_total"})


@lru_cache(maxsize=1)
def _taxonomy() -> Any | None:
    try:
        from extract import load_taxonomy  # type: ignore[attr-defined]

        return load_taxonomy()
    except Exception:  # extract not there yet, or a broken taxonomy file: fall back, never fail a write
        return None


def family_of(metric: str) -> str:
    taxonomy = _taxonomy()
    if taxonomy is not None:
        try:
            family = taxonomy.family_of(metric)
            if family:
                return str(family)
        except Exception:  # unknown metric in the bundled taxonomy: use the name rule
            pass
    return "umkm" if "umkm" in metric else "connectivity"


def is_context_metric(metric: str) -> bool:
    taxonomy = _taxonomy()
    if taxonomy is not None:
        entry = getattr(taxonomy, "metrics", {}).get(metric)
        if entry is not None and hasattr(entry, "context"):
            return bool(entry.context)
    return metric in FALLBACK_CONTEXT_METRICS
