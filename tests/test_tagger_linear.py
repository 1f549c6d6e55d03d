"""Tagging cost is bounded on hostile input (issue 14, item 14; issue 11): huge texts without full
stops, thousands of numbers in one sentence, runs of cue words, list markers or blank lines.

Each case runs in a child process with a generous time limit (tagging grows linearly with the
text: these inputs take a few seconds; the tagger before issue 11 never finished the first one).
The limit only catches a return to quadratic cost: speed itself is measured by bench/tag.py.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Generous: the slowest case takes about 5 s on a loaded two-core machine.
TIME_LIMIT_SECONDS = 90
MEGABYTE = 1_000_000

_CHILD = """
import json, sys
sys.path.insert(0, {repo!r})
from extract import tag_text
text = sys.stdin.read()
figures = tag_text(text)
bad = [f.start for f in figures if text[f.start:f.end] != f.surface or f.surface not in f.sentence]
starts = [f.start for f in figures]
print(json.dumps({{"figures": len(figures), "bad": bad[:5], "ordered": starts == sorted(starts)}}))
"""


def _run(text: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD.format(repo=str(REPO))], input=text, capture_output=True,
                          text=True, encoding="utf-8", timeout=TIME_LIMIT_SECONDS)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _no_full_stops(size: int) -> str:
    unit = ("sebanyak 1.200 BTS di desa yang belum terjangkau sinyal dan 300 titik internet gratis akan "
            "dibangun untuk 5 ribu UMKM online serta 12 persen penetrasi ")
    return (unit * (size // len(unit) + 1))[:size]


def _random_tokens(size: int, newlines: bool) -> str:
    rng = random.Random(14)
    tokens = ["7.634", "4,6", "juta", "ribu", "Rp", "persen", "%", "UMKM", "desa", "titik", "internet", "akan",
              "target", "sudah", ",", ";", ":", "-", "(", ")", "2024", "tersebut", "itu", "di antaranya", "yaitu",
              "belum", "terjangkau", "BTS", "anggaran", "TIK", "talenta", "digital", "kebutuhan", "dari", "total",
              "sisanya", "lagi", "Dari", "sepanjang", "Jumlah BTS:", "- ", "1."]
    if newlines:
        tokens += ["\n", "\n- ", "\nBaca juga: "]
    out: list[str] = []
    length = 0
    while length < size:
        token = rng.choice(tokens)
        out.append(token)
        length += len(token) + 1
    return " ".join(out)[:size]


def _anaphors(size: int) -> str:
    unit = ("Pemerintah Provinsi Bengkulu menambah 40 BTS, dan Pemkab Sigi menyusul. Di provinsi itu 300 desa "
            "sudah tersambung internet, sedangkan di kabupaten tersebut ada 12 titik wifi.\n")
    return (unit * (size // len(unit) + 1))[:size]


CASES = {
    "1 MB without full stops": lambda: _no_full_stops(MEGABYTE),
    "5,000 numbers in one sentence": lambda: "Pemerintah membangun " + ", ".join(
        f"{(i % 900) + 100}.{i % 1000:03d} BTS" for i in range(5000)) + " di daerah 3T.",
    "5,000 bare numbers in one list": lambda: "Kominfo akan membangun " + " dan ".join(
        f"{(i % 900) + 100}.{i % 1000:03d}" for i in range(5000)) + " BTS.",
    "1 MB of random tokens in one line": lambda: _random_tokens(MEGABYTE, newlines=False),
    "1 MB of random tokens in many lines": lambda: _random_tokens(MEGABYTE, newlines=True),
    "cue words without end": lambda: "akan target " * 50_000 + "1.000 BTS",
    "percent series": lambda: "Penetrasi internet di " + ", ".join(
        f"Kota{i} {i % 90},{i % 10}%" for i in range(20_000)),
    "blank lines and list markers": lambda: "Berikut 12 desa:\n" + "\n\n- 5 desa\n" * 40_000,
    # Each "di provinsi itu" looks back for its place: the lookup once scanned the whole text before
    # it (128 KB took 5.5 s, so this 1 MB would take minutes); now it takes a few seconds.
    "1 MB with an anaphoric place in every sentence": lambda: _anaphors(MEGABYTE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_huge_inputs_finish_and_keep_the_invariants(name: str) -> None:
    result = _run(CASES[name]())
    assert result["bad"] == [] and result["ordered"], result
