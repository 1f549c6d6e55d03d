"""Compile the hand-labelled sources in labelled/*.lab into the eval set.

Why inline labels: the label sits next to the words it judges, so offsets are computed, never typed,
and a label cannot drift from its text. Markup (everything else is article text verbatim):

  [[surface|metric|value|opts|note]]   a gold figure; opts (space separated, optional):
        t = is_target, a = approx, y2030 = year, max=12e6 = value_max, u=orang = unit override
  {{surface|why|note}}                 a distractor; why in date, year, unrelated

Outputs <stem>.txt, gold.jsonl, distractors.jsonl next to this file and checks
text[start:end] == surface for every row.  Run: .venv/bin/python tests/data/tagger_eval/build.py [FOLDER]
(FOLDER: an eval set with a labelled/ folder, default this one; tests/data/tagger_eval2 uses it too).
"""

from __future__ import annotations

import json
import re
import sys
from itertools import pairwise
from pathlib import Path

HERE = Path(__file__).parent

# Default unit per metric (figures.md §2); other_* metrics must name their unit with u=.
DEFAULT_UNIT = {
    "umkm_online": "umkm", "umkm_online_target": "umkm", "umkm_online_added": "umkm",
    "umkm_online_pct": "persen", "umkm_digital_training": "umkm", "umkm_total": "umkm",
    "internet_access_points": "titik", "bts_towers": "bts", "villages_unconnected": "desa",
    "villages_4g_covered": "desa", "villages_total": "desa", "fiber_optic_km": "km",
    "regencies_connected": "kabupaten_kota", "satellite_capacity_gbps": "gbps", "internet_users": "orang",
    "internet_penetration_pct": "persen", "ict_budget_idr": "rupiah", "digital_talent": "orang",
    "digital_talent_target": "orang", "digital_talent_gap": "orang",
}
METRICS = set(DEFAULT_UNIT) | {"other_umkm", "other_connectivity"}
UNITS = set("umkm titik bts desa km persen rupiah orang gbps mbps kabupaten_kota homepass provinsi kali "
            "koperasi domain website satelit".split())
_MARK = re.compile(r"\[\[(.+?)\]\]|\{\{(.+?)\}\}")

# The labels' sentences come from an oracle of figures.md §6 written from its prose rules, not
# copied from extract.sentences (the code under test) nor from the spec's reference code: it works
# on whitespace-separated tokens instead of a regular expression over marks. The two must agree;
# tests/test_sentence_oracle.py checks that they do on every number of the eval sets, the seeds and
# the shared dev set.
ABBREVIATIONS = frozenset(["prof", "dr", "drs", "no", "jl", "st", "dkk", "ir", "sos", "si", "kom", "mpa", "sh",
                           "vs", "kab", "kec", "mr", "h", "m", "s", "moh", "tbk", "pt", "tb", "sdr", "bpk"])
MARKS = ".!?"
CLOSERS = "\"”’)"
OPENERS = "(\"“"


def _token_ends_sentence(token: str, following: str | None) -> bool:
    """Rule 1 and 2 of §6 for one whitespace-separated token and the token after it (None at the
    line's end, where the line ends anyway)."""
    core = token.rstrip(CLOSERS)
    if not core or core[-1] not in MARKS or following is None:
        return False
    word = core[:-1]
    for opener in OPENERS:                  # the word starts after the last opening bracket or quote
        word = word.rsplit(opener, 1)[-1]
    word = word.strip(OPENERS).lower()
    if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return False                        # an abbreviation or an initial
    return not following[:1].islower()      # the next sentence starts upper case (or not a letter)


def line_boundaries(line: str) -> list[int]:
    """Offsets in ``line`` right after each sentence-ending token."""
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", line)]
    words = [line[a:b] for a, b in tokens]
    return [end for i, (_, end) in enumerate(tokens)
            if _token_ends_sentence(words[i], words[i + 1] if i + 1 < len(words) else None)]


def sentence_at(text: str, start: int, end: int) -> str:
    """Rule 3 of §6: the piece of the surface's line that holds ``start``, whitespace stripped."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    line = text[line_start:line_end]
    cuts = [0, *line_boundaries(line), len(line)]
    offset = start - line_start
    for a, b in pairwise(cuts):
        if a <= offset < b or (a <= offset and end - line_start <= b):
            return line[a:b].strip()
    return line.strip()


def _num(raw: str) -> int | float:
    v = float(raw)
    return int(v) if v.is_integer() else v


def compile_source(stem: str, src: str) -> tuple[str, list[dict], list[dict]]:
    text_parts: list[str] = []
    pos = 0
    out_len = 0
    gold: list[dict] = []
    distractors: list[dict] = []
    for m in _MARK.finditer(src):
        plain = src[pos:m.start()]
        text_parts.append(plain)
        out_len += len(plain)
        body = m.group(1) or m.group(2)
        fields = body.split("|")
        surface = fields[0]
        start, end = out_len, out_len + len(surface)
        if m.group(1):
            metric, value = fields[1], _num(fields[2])
            opts = fields[3].split() if len(fields) > 3 else []
            if metric not in METRICS:
                raise ValueError(f"{stem}: unknown metric {metric!r} at {surface!r}")
            row = {"article": stem, "start": start, "end": end, "surface": surface, "value": value,
                   "value_max": None, "unit": DEFAULT_UNIT.get(metric), "metric": metric,
                   "is_target": "t" in opts, "approx": "a" in opts, "year": None, "sentence": None}
            for opt in opts:
                if opt.startswith("y"):
                    row["year"] = int(opt[1:])
                elif opt.startswith("max="):
                    row["value_max"] = _num(opt[4:])
                elif opt.startswith("u="):
                    row["unit"] = opt[2:]
                elif opt not in ("t", "a"):
                    raise ValueError(f"{stem}: bad option {opt!r} at {surface!r}")
            if row["unit"] not in UNITS:
                raise ValueError(f"{stem}: unit missing or unknown at {surface!r}")
            if len(fields) > 4:
                row["note"] = fields[4]
            gold.append(row)
        else:
            why = fields[1]
            if why not in ("date", "year", "unrelated"):
                raise ValueError(f"{stem}: bad distractor why {why!r}")
            row = {"article": stem, "start": start, "end": end, "surface": surface, "why": why}
            if len(fields) > 2:
                row["note"] = fields[2]
            distractors.append(row)
        text_parts.append(surface)
        out_len += len(surface)
        pos = m.end()
    text_parts.append(src[pos:])
    text = "".join(text_parts)
    for row in gold:
        row["sentence"] = sentence_at(text, row["start"], row["end"])
    return text, gold, distractors


def main(data_dir: Path = HERE) -> None:
    all_gold: list[dict] = []
    all_distractors: list[dict] = []
    for src_path in sorted((data_dir / "labelled").glob("*.lab")):
        stem = src_path.stem
        text, gold, distractors = compile_source(stem, src_path.read_text(encoding="utf-8"))
        (data_dir / f"{stem}.txt").write_text(text, encoding="utf-8")
        with open(data_dir / f"{stem}.txt", encoding="utf-8") as fh:
            reread = fh.read()
        for row in gold + distractors:
            assert reread[row["start"]:row["end"]] == row["surface"], (stem, row)
        all_gold += gold
        all_distractors += distractors
    with open(data_dir / "gold.jsonl", "w", encoding="utf-8") as fh:
        for row in all_gold:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(data_dir / "distractors.jsonl", "w", encoding="utf-8") as fh:
        for row in all_distractors:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    metrics = sorted({r["metric"] for r in all_gold})
    print(f"{len(all_gold)} gold, {len(all_distractors)} distractors, {len(metrics)} metrics: {metrics}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
