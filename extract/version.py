"""The tagger's version: what produced a stored figure, so ``pantau retag`` knows what to re-read.

``tagger_version(taxonomy)`` is ``<pantau version>+<12 hex digits>``: a digest of the tagger's code
and bundled data (every ``.py`` and ``.toml`` file under ``extract/`` except the site extraction
profiles, which decide the text, not its figures) and of the taxonomy actually in use (a user's
``[taxonomy] files`` included). Any change to either gives a new version; re-tagging an article
with the same output then only stamps the new version on its figures.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from extract.taxonomy import Taxonomy

EXTRACT_DIR = Path(__file__).resolve().parent
# Files that decide an article's text, not the figures in it.
_NOT_TAGGER = ("profiles",)
# One digest per taxonomy object: it is compiled once and never changed afterwards.
_CACHE: dict[int, tuple[Taxonomy, str]] = {}


def _code_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(EXTRACT_DIR.rglob("*")):
        relative = path.relative_to(EXTRACT_DIR)
        if path.suffix not in (".py", ".toml") or relative.parts[0] in _NOT_TAGGER or "__pycache__" in relative.parts:
            continue
        digest.update(str(relative).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _canonical(value: Any, depth: int = 0) -> Any:
    """A JSON-able form of a compiled taxonomy that changes exactly when its content does."""
    if depth > 12:
        return repr(type(value).__name__)
    if isinstance(value, re.Pattern):
        # The taxonomy joins keyword sets into alternations whose order of equal-length words
        # varies between processes: the multiset of characters is what stays (and what changes
        # when a keyword does).
        return ["re", "".join(sorted(value.pattern)), value.flags]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)
                if f.init and not f.name.startswith("_")}
    if isinstance(value, dict):
        return [[_canonical(k, depth + 1), _canonical(v, depth + 1)] for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return [_canonical(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(_canonical(v, depth + 1), sort_keys=True) for v in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    slots = getattr(type(value), "__slots__", None)
    if slots:
        return {name: _canonical(getattr(value, name, None), depth + 1) for name in slots}
    return repr(type(value).__name__)


def _pantau_version() -> str:
    try:
        return metadata.version("pantau")
    except metadata.PackageNotFoundError:
        return "0"


def tagger_version(taxonomy: Taxonomy) -> str:
    """The version of the tagger with ``taxonomy``, e.g. ``0.1.0+3fa2c9d81b02``."""
    cached = _CACHE.get(id(taxonomy))
    if cached is not None and cached[0] is taxonomy:
        return cached[1]
    digest = hashlib.sha256(_code_digest().encode())
    digest.update(json.dumps(_canonical(taxonomy), sort_keys=True, default=str).encode())
    version = f"{_pantau_version()}+{digest.hexdigest()[:12]}"
    _CACHE[id(taxonomy)] = (taxonomy, version)
    return version
