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

# figures.md §6 reference sentence splitter, verbatim semantics. Deliberately not imported from
# extract.sentences: the labels' sentences must not be computed by the code under test.
ABBREV = set("prof dr drs no jl st dkk ir sos si kom mpa sh vs kab kec mr h m s moh tbk pt tb sdr bpk".split())
_END = re.compile(r'[.!?]["”’)]*(?=\s)')


def _ends(line: str) -> list[int]:
    out = []
    for m in _END.finditer(line):
        j = m.start()
        while j > 0 and not line[j - 1].isspace() and line[j - 1] not in '("“':
            j -= 1
        tok = line[j:m.start()].strip('(“"').lower()
        if tok in ABBREV or (len(tok) == 1 and tok.isalpha()):
            continue
        k = m.end()
        while k < len(line) and line[k].isspace():
            k += 1
        if k < len(line) and line[k].islower():
            continue
        out.append(m.end())
    return out


def sentence_at(text: str, start: int, end: int) -> str:
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le == -1 else le
    line, s, e = text[ls:le], start - ls, end - ls
    cuts = [0] + _ends(line) + [len(line)]
    for a, b in pairwise(cuts):
        if a <= s < b or (a <= s and e <= b):
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
