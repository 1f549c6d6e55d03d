"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# The owner's sample articles live beside the repository (../shared/seeds); tests that need them skip
# with a clear reason when the folder is absent.
SEEDS = Path(__import__("os").environ.get("PANTAU_SEEDS", REPO.parent / "shared" / "seeds"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not (SEEDS / "gold.jsonl").exists():
        pytest.skip(f"sample articles not found at {SEEDS} (set PANTAU_SEEDS)")
    return SEEDS
