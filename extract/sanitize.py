"""Characters no extracted string may carry.

A page's title or text reaches the store, emails, Slack, Datasette and terminals. Control
characters there ring bells, clear screens (ESC sequences) or reorder what a reader sees (bidi
overrides), so every string extraction returns is stripped of:

* C0 controls except tab and newline (U+0000–U+0008, U+000B–U+001F, U+007F) and C1 controls
  (U+0080–U+009F); a carriage return goes too (lines are already split);
* bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069);
* invisible characters that split a word without showing anything: soft hyphen (U+00AD), zero
  width space (U+200B), word joiner (U+2060) and the zero width no-break space / BOM (U+FEFF).
  A soft hyphen inside "Vernatsch\u00adwein" would otherwise keep the word from being found.
"""

from __future__ import annotations

import re

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u00ad\u200b\u2060\ufeff]")


def clean_string(value: str) -> str:
    """``value`` without control, bidi-override and invisible word-splitting characters."""
    return UNSAFE.sub("", value) if UNSAFE.search(value) else value


def clean_optional(value: str | None) -> str | None:
    """``clean_string`` for a value that may be missing; an empty result is missing too."""
    if value is None:
        return None
    return clean_string(value).strip() or None
