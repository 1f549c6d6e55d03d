"""Shared pytest fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from store import Store

REPO = Path(__file__).resolve().parent.parent
# The owner's five sample articles with their labels. The repository keeps a copy so the suite is
# self-contained; the owner's folder beside the repository (../shared/seeds) is the source of truth,
# and test_seed_copy.py fails when the two drift apart.
SEEDS_COPY = REPO / "tests" / "data" / "seeds"
OWNER_SEEDS = REPO.parent / "shared" / "seeds"
SEEDS = Path(os.environ.get("PANTAU_SEEDS", SEEDS_COPY))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not (SEEDS / "gold.jsonl").exists():
        pytest.fail(f"sample articles not found at {SEEDS} (PANTAU_SEEDS)")
    return SEEDS


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh store file in the test's own folder, closed afterwards."""
    from test_alerts_support import open_store

    opened = open_store(tmp_path / "pantau.db")
    yield opened
    opened.close()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[Any]:
    """A real redis-server of the test's own (tests/redis_server.py). Where the binary is missing the
    test is skipped with the reason, except in CI (``PANTAU_REQUIRE_REDIS=1``, set by .ci/run, which
    installs it): there it fails."""
    import shutil

    from redis_server import redis_server as start_redis

    if shutil.which("redis-server") is None and os.environ.get("PANTAU_REQUIRE_REDIS") != "1":
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server); .ci/run installs it")
    with start_redis(tmp_path / "redis") as server:
        yield server
