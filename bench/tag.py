"""Benchmark the figure tagger: articles/s, and tagging time as a share of trafilatura extraction.

    .venv/bin/python bench/tag.py [--articles 200] [--rounds 3]

Texts: the owner's seed articles (when ../shared/seeds exists) plus synthetic articles assembled
from our own test sentences and filler paragraphs, so the mix has the density of figures and
numbers of real news copy. Each text is also wrapped in simple article HTML of the same content,
and ``trafilatura.bare_extraction`` is timed on that HTML. Goal: tagging <= 10 % of extraction.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from extract import tag_text  # noqa: E402
from extract.taxonomy import default_taxonomy  # noqa: E402

SEEDS = Path(os.environ.get("PANTAU_SEEDS", REPO.parent / "shared" / "seeds"))
# Fixed seed: every run benchmarks the same texts, so numbers compare across runs.
RANDOM_SEED = 20260
FILLER = [
    "Menurut dia, pemerintah terus berkoordinasi dengan pemerintah daerah dan pelaku usaha.",
    "Acara tersebut digelar secara hibrida di Jakarta pada Kamis (12/5/2022) pukul 09.30 WIB.",
    "Ia menambahkan bahwa kolaborasi menjadi kunci agar program berjalan sesuai rencana.",
    "Dalam kesempatan itu hadir pula perwakilan dari 12 kementerian dan lembaga.",
    "Pandemi COVID-19 mempercepat perubahan perilaku belanja masyarakat ke kanal daring.",
    "Baca juga: Menkominfo Resmikan Program Literasi Digital di 5 Provinsi",
    "Perpres No. 95 Tahun 2018 menjadi dasar penerapan sistem pemerintahan berbasis elektronik.",
    "Jaringan 4G dan 5G disebut akan memperkuat layanan publik di daerah 3T.",
]


def _sentences() -> list[str]:
    sys.path.insert(0, str(REPO / "tests"))
    from test_tagger import CASES, NEGATIVES  # our own made-up sentences

    return [c[0] for c in CASES] + [n[0] for n in NEGATIVES]


def build_texts(count: int) -> list[str]:
    texts = []
    if SEEDS.is_dir():
        for path in sorted(SEEDS.glob("*.txt")):
            with open(path, encoding="utf-8") as fh:
                texts.append(fh.read())
    rng = random.Random(RANDOM_SEED)
    sentences = _sentences()
    while len(texts) < count:
        paragraphs = []
        for _ in range(rng.randint(8, 14)):
            # About one figure-bearing sentence per paragraph, as in the seed articles.
            picked = rng.sample(sentences, 1) + rng.sample(FILLER, 3)
            rng.shuffle(picked)
            paragraphs.append(" ".join(picked))
        texts.append("Judul Berita Tentang UMKM dan Konektivitas Digital\n" + "\n".join(paragraphs))
    return texts[:count]


def to_html(text: str) -> str:
    title, *paragraphs = text.split("\n")
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p.strip())
    return (f"<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"</head><body><header><nav><a href=\"/\">Beranda</a></nav></header><main><article>"
            f"<h1>{html.escape(title)}</h1>{body}</article></main><footer>Hak cipta</footer></body></html>")


def best_of(rounds: int, work) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import trafilatura

    texts = build_texts(args.articles)
    pages = [to_html(t) for t in texts]
    default_taxonomy()                    # compile once, as a long-running crawler does
    tag_text(texts[0])
    trafilatura.bare_extraction(pages[0])

    figures = sum(len(tag_text(t)) for t in texts)
    tag_seconds = best_of(args.rounds, lambda: [tag_text(t) for t in texts])
    extract_seconds = best_of(args.rounds, lambda: [trafilatura.bare_extraction(p) for p in pages])
    chars = sum(len(t) for t in texts)
    print(f"texts: {len(texts)} ({chars / len(texts):.0f} chars on average), figures tagged: {figures}")
    print(f"tagging:    {tag_seconds:.3f} s  = {len(texts) / tag_seconds:.0f} articles/s")
    print(f"extraction: {extract_seconds:.3f} s  = {len(texts) / extract_seconds:.0f} articles/s "
          f"(trafilatura.bare_extraction on HTML of the same text)")
    print(f"tagging / extraction time: {tag_seconds / extract_seconds:.1%} (goal <= 10%)")
    seeds = [t for t in texts if not t.startswith("Judul Berita")]
    if seeds:
        seed_pages = [to_html(t) for t in seeds]
        rounds = max(args.rounds, 20)   # five short texts: more rounds for a stable minimum
        seed_tag = best_of(rounds, lambda: [tag_text(t) for t in seeds])
        seed_extract = best_of(rounds, lambda: [trafilatura.bare_extraction(p) for p in seed_pages])
        print(f"seed articles only ({len(seeds)}): tagging / extraction time: {seed_tag / seed_extract:.1%}")


if __name__ == "__main__":
    main()
