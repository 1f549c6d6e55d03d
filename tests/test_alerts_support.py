"""Fixtures shared by the alerts tests (findings written straight into a real store)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pantau_config import Config, RecipientConfig, config_from_dict

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)

# Seed 004 (Republika, 2017): the target and the current figure, in the article's own words.
SENTENCE_004 = ("REPUBLIKA.CO.ID, JAKARTA -- Kementerian Komunikasi dan Informatika menyebutkan terdapat "
                "4,6 juta UMKM yang telah mengakses online.")


def open_store(path: Path) -> Any:
    from store import Store

    return Store.open(path)


def add_finding(store: Any, **fields: Any) -> int:
    row = {
        "kind": "new_value", "created_at": "2026-11-24T06:00:00+00:00", "site": "republika",
        "metric": "umkm_online", "family": "umkm", "unit": "umkm", "value": 4_600_000.0,
        "surface": "4,6 juta UMKM", "is_target": 0, "year": None,
        "previous_value": 3_790_000.0, "abs_change": 810_000.0, "pct_change": 21.37,
        "sentence": SENTENCE_004,
        "url": "https://republika.co.id/berita/oz1abc/delapan-juta-umkm",
        "title": "Delapan Juta UMKM Ditargetkan Melek Internet 2019",
        "published_at": "2017-11-16T01:36:00+07:00", "detail": "{}",
    }
    row.update(fields)
    return int(store.db["findings"].insert(row).last_pk)


def make_config(tmp_path: Path, recipients: list[dict] | None = None, **sections: dict) -> Config:
    data: dict = {"store": {"path": "pantau.db"}, "alerts": {"outbox_dir": "outbox", "retry_base_seconds": 60.0}}
    for name, values in sections.items():
        data.setdefault(name, {}).update(values)
    if recipients is not None:
        data["recipients"] = recipients
    return config_from_dict(data, base=tmp_path)


def later(minutes: float) -> datetime:
    return NOW + timedelta(minutes=minutes)


def recipient(**fields: Any) -> RecipientConfig:
    return RecipientConfig(**{"name": "tim", **fields})


REPO_ROOT = Path(__file__).resolve().parent.parent
