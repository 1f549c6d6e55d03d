"""Regenerate tests/data/tagger_snapshot.jsonl after a deliberate change of the tagger's output.

    .venv/bin/python tests/data/regen_tagger_snapshot.py            # print what would change
    .venv/bin/python tests/data/regen_tagger_snapshot.py --write    # … and write the new snapshot
    .venv/bin/python tests/data/regen_tagger_snapshot.py --show 20  # … with up to 20 changed figures

The snapshot pins ``tag_text`` on a fixed set of texts (each entry keeps its ``id`` and ``text``):
this script re-tags exactly those texts with the current tagger and compares. The summary counts
entries changed per source and figures added, removed and changed per field, so a reviewer can see
that only the intended kind of change happened before writing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from extract import tag_text  # noqa: E402

SNAPSHOT = REPO / "tests" / "data" / "tagger_snapshot.jsonl"
FIELDS = ("surface", "value", "value_max", "unit", "metric", "is_target", "approx", "year", "sentence")


def _key(figure: dict) -> tuple[int, int]:
    return figure["start"], figure["end"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the regenerated snapshot")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="print up to N changed figures")
    args = parser.parse_args(argv)
    with open(SNAPSHOT, encoding="utf-8") as fh:
        entries = [json.loads(line) for line in fh if line.strip()]
    changed_entries: Counter[str] = Counter()
    figures: Counter[str] = Counter()
    examples: list[str] = []
    new_entries = []
    for entry in entries:
        got = json.loads(json.dumps([f.to_record() for f in tag_text(entry["text"])], ensure_ascii=False))
        new_entries.append({"id": entry["id"], "text": entry["text"], "figures": got})
        if got == entry["figures"]:
            continue
        changed_entries[entry["id"].split(":", 1)[0]] += 1
        old = {_key(f): f for f in entry["figures"]}
        new = {_key(f): f for f in got}
        for key in old.keys() - new.keys():
            figures["removed"] += 1
            examples.append(f"- {entry['id']}: {old[key]['surface']!r} {old[key]['metric']}")
        for key in new.keys() - old.keys():
            figures["added"] += 1
            examples.append(f"+ {entry['id']}: {new[key]['surface']!r} {new[key]['metric']}")
        for key in old.keys() & new.keys():
            for name in FIELDS:
                if old[key].get(name) != new[key].get(name):
                    figures[f"changed {name}"] += 1
                    examples.append(f"~ {entry['id']}: {old[key]['surface']!r} {name} "
                                    f"{old[key].get(name)!r} -> {new[key].get(name)!r}")
    total = sum(len(e["figures"]) for e in new_entries)
    print(f"{len(entries)} texts, {total} figures now; texts changed per source: {dict(changed_entries) or 'none'}")
    print(f"figures: {dict(figures) or 'no change'}")
    for line in examples[:args.show]:
        print(line)
    if args.write:
        with open(SNAPSHOT, "w", encoding="utf-8") as fh:
            for entry in new_entries:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        print(f"wrote {SNAPSHOT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
