"""The canned queries, read from the Datasette metadata that ships with the store.

One copy of each query: ``pantau browse`` shows it in Datasette and ``Store.latest_values`` /
``Store.metric_history`` run the same SQL.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

METADATA_PATH = Path(__file__).parent / "datasette" / "metadata.json"
# The database key in the shipped file; Datasette names a database after its file's stem.
TEMPLATE_DATABASE = "pantau"


@lru_cache(maxsize=1)
def _metadata() -> dict[str, Any]:
    return json.loads(METADATA_PATH.read_text(encoding="utf-8"))


def datasette_metadata(database_name: str = TEMPLATE_DATABASE) -> dict[str, Any]:
    """The metadata with its database section under ``database_name`` (the store file's stem)."""
    metadata = copy.deepcopy(_metadata())
    metadata["databases"] = {database_name: metadata["databases"][TEMPLATE_DATABASE]}
    return metadata


def canned_sql(name: str) -> str:
    return _metadata()["databases"][TEMPLATE_DATABASE]["queries"][name]["sql"]


LATEST_VALUES = canned_sql("latest_values")
METRIC_HISTORY = canned_sql("metric_history")
