"""Store-writer benchmark: articles/s that ``pantau store-writer`` commits from a pre-filled stream,
against ``Store.record_article`` of the same articles in-process, in interleaved rounds (medians).

    .venv/bin/python bench/stream_writer.py [--articles 1000] [--rounds 5]

The articles are realistic: news-length texts (the owner's sample articles, each led by a generated
paragraph), tagged by the real tagger, so every one carries its figures and the store judges findings as in a
crawl. Each round starts a fresh store for each side. Printed, all measured in this one run:
  * direct: record_article per article (one transaction each), articles/s,
  * stream fill: what one crawl process's sink can XADD, articles/s (entry size too),
  * writer: entries/s committed from the stream (read, decode, apply, mirror, ack), and the
    ratio writer / direct.
A real redis-server is started on a free loopback port (Debian's package), without persistence.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kernel import store_stream as ss  # noqa: E402
from kernel.records import Article, Figure  # noqa: E402
from kernel.times import to_utc_iso  # noqa: E402
from store import Store  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "data" / "seeds"
# CPU seconds of the writer (this process) per round.
WRITER_CPU: list[float] = []
# The crawl's fetch time of every article: fixed, so both sides judge the same ages.
FETCHED_AT = "2026-11-20T03:00:00+00:00"


def realistic_articles(n: int) -> list[tuple[Article, list[Figure]]]:
    """``n`` articles of news length: the owner's sample articles (tests/data/seeds, 2-5 KB of
    real Indonesian news each) in turn, each led by a generated paragraph of the mirror's kind so
    every article has its own text, numbers and content hash; tagged by the real tagger."""
    from datetime import UTC, datetime, timedelta

    from extract import tag_text
    from extract.taxonomy import default_taxonomy
    from mirror.corpus import synthetic_articles

    taxonomy = default_taxonomy()
    bodies = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    start = datetime(2026, 11, 20, tzinfo=UTC)
    out = []
    for i, source in enumerate(synthetic_articles(n, seed=1)):
        text = source.paragraphs[0] + "\n\n" + bodies[i % len(bodies)]
        article = Article(url=source.url, site=source.site, title=source.title, text=text,
                          published_at=to_utc_iso(start - timedelta(minutes=source.age_minutes)), modified_at=None,
                          author=source.author, content_hash=hashlib.sha256(text.encode()).hexdigest(),
                          sections=[(0, len(text))])
        out.append((article, tag_text(text, taxonomy)))
    return out


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("bench: redis-server is not installed (apt-get install -y redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(500):
        try:
            redis.Redis.from_url(url).ping()
            return proc, url
        except redis.ConnectionError:
            time.sleep(0.01)
    proc.kill()
    sys.exit("bench: redis-server did not start")


def direct_round(articles: list[tuple[Article, list[Figure]]], path: Path) -> float:
    with Store.open(path) as store:
        started = time.perf_counter()
        for article, figures in articles:
            store.record_article(article, figures, fetched_at=FETCHED_AT)
        return time.perf_counter() - started


def fill_round(articles: list[tuple[Article, list[Figure]]], url: str) -> tuple[float, int]:
    from crawler.stream_store import StreamStore

    stream = StreamStore(url)
    stream.redis.flushdb()
    started = time.perf_counter()
    for article, figures in articles:
        stream.put_article(article, figures, fetched_at=FETCHED_AT, crawl_run_id=None)
    seconds = time.perf_counter() - started
    size = int(stream.redis.memory_usage(ss.STREAM_KEY) or 0)
    stream.close()
    return seconds, size


def tagging_ms(texts: list[str]) -> float:
    """Milliseconds of CPU to tag one of ``texts`` (the crawl's per-article tagging cost)."""
    from extract import tag_text
    from extract.taxonomy import default_taxonomy

    taxonomy = default_taxonomy()
    started = time.process_time()
    for text in texts:
        tag_text(text, taxonomy)
    return (time.process_time() - started) * 1000 / max(1, len(texts))


def writer_round(url: str, path: Path, expected: int) -> float:
    import redis

    from store.stream_writer import StreamWriter

    with Store.open(path) as store:
        writer = StreamWriter(store, redis.Redis.from_url(url), url=url, consumer="bench", log=lambda line: None)
        writer.prepare()
        started, cpu = time.perf_counter(), time.process_time()
        counts = writer.run(threading.Event(), until_empty=True)
        seconds = time.perf_counter() - started
        WRITER_CPU.append(time.process_time() - cpu)
    if counts.entries != expected:
        sys.exit(f"bench: the writer applied {counts.entries} entries, expected {expected}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    articles = realistic_articles(args.articles)
    n = len(articles)
    figures = sum(len(f) for _, f in articles)
    print(f"articles: {n} (sample-article bodies + generated leads), {figures} figures, "
          f"{statistics.mean(len(a.text) for a, _ in articles):.0f} characters of text on average")
    results: dict[str, list[float]] = {"direct": [], "fill": [], "writer": []}
    entry_bytes: list[int] = []
    with tempfile.TemporaryDirectory(prefix="pantau-bench-stream-") as tmp_name:
        tmp = Path(tmp_name)
        proc, url = start_redis(tmp)
        try:
            for r in range(args.rounds):
                results["direct"].append(direct_round(articles, tmp / f"direct-{r}.db"))
                fill_seconds, size = fill_round(articles, url)
                results["fill"].append(fill_seconds)
                entry_bytes.append(size // max(1, n))
                results["writer"].append(writer_round(url, tmp / f"writer-{r}.db", n))
                print(f"round {r + 1}: direct {n / results['direct'][-1]:.0f}/s, fill {n / fill_seconds:.0f}/s, "
                      f"writer {n / results['writer'][-1]:.0f}/s")
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    rate = {name: n / statistics.median(seconds) for name, seconds in results.items()}
    print(f"direct record_article: {rate['direct']:.0f} articles/s (median of {args.rounds})")
    print(f"stream fill (one sink, XADD): {rate['fill']:.0f} articles/s, ~{statistics.median(entry_bytes)} bytes "
          "of Redis memory per entry")
    print(f"store writer: {rate['writer']:.0f} articles/s committed from the stream")
    print(f"ratio writer / direct: {rate['writer'] / rate['direct']:.2f}")
    print(f"writer CPU: {statistics.median(WRITER_CPU) * 1000 / n:.1f} ms per article (this process; Redis apart)")
    from mirror.corpus import load_corpus

    mirror_texts = ["\n".join(a.paragraphs) for a in load_corpus()]
    print(f"tagging CPU per article: {tagging_ms([a.text for a, _ in articles]):.1f} ms on these "
          f"{statistics.mean(len(a.text) for a, _ in articles):.0f}-character texts, "
          f"{tagging_ms(mirror_texts * 10):.1f} ms on the mirror corpus's "
          f"{statistics.mean(len(t) for t in mirror_texts):.0f}-character texts")


if __name__ == "__main__":
    main()
