"""``pantau retag``: the current tagger and taxonomy over the stored article texts (issue 12).

A retag is not a revision. Per article, in one transaction: the new figures are compared with the
article's live figures record by record (``figures.md`` §1 fields); identical ones stay (same id,
first-seen time and sources) and get the new ``tagger_version``; the others are withdrawn with
``withdrawn_reason = 'retag'``; new ones are stored and judged like a crawl's (new values,
conflicts), their findings marked with the run's ``retag_run_id``; the touched series are
recomputed; the article gets the new ``tagger_version`` and the run its counters.

Which articles: those whose ``tagger_version`` is not the current one (optionally only some sites,
or published since a date). So a second run finds nothing to do, and a run killed at any point
(even SIGKILL) is resumed by the next one: every committed article is done, the others are not.
The run row (``retag_runs``) keeps the counts across the pieces; when it finishes, one ``retag``
finding ("N artikel dibaca ulang, M angka berubah") is what the next digest shows of it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from extract.timeref import settle_when
from kernel.records import Article, Figure
from kernel.times import to_utc_iso, utc_now_iso
from store.core import Store
from store.models import Finding
from store.recording import FIGURE_FIELDS, Mention, _group, _Writer, same_statement
from store.schema import inserted_id
from store.series import series_key

# Articles read per query: big enough that the query costs nothing per article, small enough that
# the texts of one batch are a few megabytes.
BATCH_ARTICLES = 500
# The columns of an article a retag needs (its text, and what places its figures in time).
ARTICLE_COLUMNS = ("id, url, site, title, author, text, published_at, modified_at, content_hash, first_seen_at,"
                   " version_seen_at, version, tagger_version")
AGE_ANCHOR = "coalesce(published_at, first_seen_at)"
# Tagging processes start only for a run this big: each is a fresh interpreter that imports the
# tagger (about a second), which a few hundred articles never pay back.
POOL_MIN_ARTICLES = 2000
# Texts per task sent to a tagging process: enough that pickling and the pipe cost little per text,
# few enough that both sides stay busy.
TEXTS_PER_TASK = 100

Tagger = Callable[[str], Sequence[Figure]]


def auto_workers(cpu_count: int | None = None) -> int:
    """Tagging processes for ``workers = -1``: every core but the one that writes the store."""
    cores = cpu_count if cpu_count is not None else (os.cpu_count() or 1)
    return max(0, cores - 1)


# -- tagging in worker processes ------------------------------------------------------------------

_worker_taxonomy: Any = None


def _init_tagger(taxonomy_files: list[str], replace: bool) -> None:
    """Pool initializer: the taxonomy once per process; stopping is the writer's business (a
    Ctrl-C reaches the whole process group, and the writer closes the pool)."""
    global _worker_taxonomy
    from extract.taxonomy import load_taxonomy

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_taxonomy = load_taxonomy(taxonomy_files, replace=replace)


def _tag_texts(texts: list[str]) -> list[list[Figure]]:
    from extract.figures import tag_text

    return [tag_text(text, _worker_taxonomy) for text in texts]


def _batched(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _tagged(rows: Iterable[dict[str, Any]], tag: Tagger, workers: int, taxonomy_files: Sequence[str],
            replace: bool) -> Iterator[tuple[dict[str, Any], Sequence[Figure]]]:
    """Each article row with its figures, in order; with ``workers`` processes tagging one batch
    ahead of the writer. Rows are read here, in the writer's thread (its connection is not shared)."""
    if workers <= 0:
        for row in rows:
            yield row, tag(row["text"] or "")
        return
    # spawn: a fork would copy the writer's open SQLite connection into the workers.
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_init_tagger, initargs=(list(taxonomy_files), replace)) as pool:
        pending: deque[tuple[list[dict[str, Any]], Any]] = deque()
        for batch in _batched(rows, BATCH_ARTICLES):
            texts = [row["text"] or "" for row in batch]
            tasks = [texts[i:i + TEXTS_PER_TASK] for i in range(0, len(texts), TEXTS_PER_TASK)]
            pending.append((batch, pool.map_async(_tag_texts, tasks)))
            if len(pending) > 1:
                yield from _results(*pending.popleft())
        while pending:
            yield from _results(*pending.popleft())


def _results(batch: list[dict[str, Any]], job: Any) -> Iterator[tuple[dict[str, Any], Sequence[Figure]]]:
    figures = [f for chunk in job.get() for f in chunk]
    yield from zip(batch, figures, strict=True)


@dataclass
class RetagRun:
    """One ``retag_runs`` row: the version it applies, its filters, its counts so far."""

    id: int
    tagger_version: str
    since: str | None
    sites: tuple[str, ...]
    articles_total: int
    articles_done: int = 0
    figures_changed: int = 0
    resumed: bool = False


@dataclass
class ArticleChange:
    """What a retag does to one article: the live figures it withdraws and the records it adds."""

    url: str
    removed: list[dict[str, Any]] = field(default_factory=list)    # stored rows
    added: list[dict[str, Any]] = field(default_factory=list)      # new records (figures.md §1)

    @property
    def figures_changed(self) -> int:
        """A figure whose record changed counts once; one added or dropped, once too."""
        return max(len(self.removed), len(self.added))


def _key(record: dict[str, Any]) -> tuple:
    """A record as compared: every field of the tag record, numbers as floats, flags as bools."""
    values = []
    for name in FIGURE_FIELDS:
        value = record[name]
        if name in ("value", "value_max") and value is not None:
            value = float(value)
        elif name in ("is_target", "approx"):
            value = bool(value)
        elif name == "scope":
            value = value or None
        values.append(value)
    return tuple(values)


def _filters(since: str | None, sites: Sequence[str]) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if since:
        clauses.append(f"{AGE_ANCHOR} >= ?")
        params.append(since)
    if sites:
        clauses.append(f"site in ({', '.join('?' * len(sites))})")
        params.extend(sites)
    return "".join(f" and {c}" for c in clauses), params


def count_to_retag(store: Store, since: str | None = None, sites: Sequence[str] = ()) -> int:
    """Stored articles (of ``sites``, published since ``since``) not tagged with the current version."""
    where, params = _filters(since, sites)
    return store.db.execute(f"select count(*) from articles where tagger_version is not ?{where}",
                            [store.tagger_version, *params]).fetchone()[0]


def articles_to_retag(store: Store, since: str | None = None, sites: Sequence[str] = (),
                      batch: int = BATCH_ARTICLES) -> Iterator[dict[str, Any]]:
    """Those articles in id order, read ``batch`` at a time (a retag's commits in between are fine:
    each batch starts after the last id seen), each with its live figures under ``"live"`` (read
    for the whole batch at once; retagging one article never touches another's figure rows)."""
    where, params = _filters(since, sites)
    after = 0
    while True:
        rows = list(store.db.query(
            f"select {ARTICLE_COLUMNS} from articles where id > ? and tagger_version is not ?{where}"
            " order by id limit ?", [after, store.tagger_version, *params, batch]))
        if not rows:
            return
        live: dict[int, list[dict[str, Any]]] = {row["id"]: [] for row in rows}
        for figure in store.db.query(
                f"select * from figures where article_id in ({', '.join('?' * len(rows))})"
                " and withdrawn_at is null order by article_id, start, id", list(live)):
            live[figure["article_id"]].append(figure)
        for row in rows:
            row["live"] = live[row["id"]]
        yield from rows
        after = rows[-1]["id"]


def _live_figures(store: Store, row: dict[str, Any]) -> list[dict[str, Any]]:
    if "live" in row:
        return row["live"]
    return list(store.db.query("select * from figures where article_id = ? and withdrawn_at is null"
                               " order by start, id", [row["id"]]))


def _unchanged(row: dict[str, Any], figures: Sequence[Figure], live: list[dict[str, Any]]) -> bool:
    """Whether the tagger's output is exactly the article's live figures (the usual case after a
    small tagger change): then the retag only stamps the version, without building a writer."""
    if len(figures) != len(live):
        return False
    dated = _dated(row)
    fresh = sorted(_key(settle_when(f, dated).to_record()) for f in figures)
    return fresh == sorted(_key(old) for old in live)


def _dated(row: dict[str, Any]) -> str:
    return to_utc_iso(row["published_at"]) or row["first_seen_at"]


def plan_change(store: Store, row: dict[str, Any], figures: Sequence[Figure]) -> ArticleChange:
    """What retagging the article ``row`` with ``figures`` (the tagger's output) would change."""
    writer = _RetagWriter(store, row, figures, utc_now_iso(), None)
    change, _ = writer.compare()
    return change


class _RetagWriter(_Writer):
    """Replaces one article's figures with the current tagger's (inside the store's transaction)."""

    def __init__(self, store: Store, row: dict[str, Any], figures: Sequence[Figure], now: str,
                 run_id: int | None) -> None:
        article = Article(url=row["url"], site=row["site"], title=row["title"] or "", text=row["text"] or "",
                          published_at=row["published_at"], modified_at=row["modified_at"], author=row["author"],
                          content_hash=row["content_hash"])
        # New figures were in the text since this version was first fetched; they are placed in
        # time from the article's own date, as a crawl would have placed them.
        super().__init__(store, article, figures, now, None, dated=_dated(row),
                         seen_at=row["version_seen_at"] or row["first_seen_at"])
        self.row = row
        self.retag_run_id = run_id

    def compare(self) -> tuple[ArticleChange, list[tuple[Mention, dict[str, Any]]]]:
        old_rows = _live_figures(self.store, self.row)
        unmatched: dict[tuple, list[dict[str, Any]]] = {}
        for old in old_rows:
            unmatched.setdefault(_key(old), []).append(old)
        change = ArticleChange(self.url)
        kept: list[tuple[Mention, dict[str, Any]]] = []
        for mention in self.mentions:
            same = unmatched.get(_key(mention.record))
            if same:
                kept.append((mention, same.pop(0)))
            else:
                change.added.append(mention.record)
        change.removed = [old for rows in unmatched.values() for old in rows]
        change.removed.sort(key=lambda r: (r["start"], r["id"]))
        return change, kept

    def replace(self) -> ArticleChange:
        change, kept = self.compare()
        article_id, version = self.row["id"], self.row["version"]
        if change.removed or change.added:
            for mention, old in kept:
                mention.figure_id, mention.first_figure_id = old["id"], old["first_figure_id"]
            for old in change.removed:
                self.conn.execute("update figures set withdrawn_at = ?, withdrawn_reason = 'retag' where id = ?",
                                  [self.now, old["id"]])
                self.touched_series.add(series_key(old["metric"], old["unit"], old["is_target"], old["scope"]))
            added = [m for m in self.mentions if m.figure_id is None]
            kept_mentions = [m for m, _ in kept]
            for group in _group(added):
                stated = next((m for m in kept_mentions if same_statement(m, group[0])), None)
                if stated is not None:      # one more mention of a value the article already states
                    for mention in group:
                        mention.first_figure_id = stated.first_figure_id
                        self._insert_figure(article_id, version, mention)
                    continue
                self._judge_new(group, article_id, version)
            self._done(article_id, "changed", version)
        _stamp(self.store, article_id)
        return change


def _stamp(store: Store, article_id: int) -> None:
    """The article and its live figures are what the current tagger gives."""
    version = store.tagger_version
    store.db.conn.execute("update figures set tagger_version = ? where article_id = ? and withdrawn_at is null"
                          " and tagger_version is not ?", [version, article_id, version])
    store.db.conn.execute("update articles set tagger_version = ? where id = ?", [version, article_id])


# -- runs ---------------------------------------------------------------------------------------

def _summary(store: Store, run: RetagRun, status: str, now: str) -> Finding | None:
    """Close ``run`` with ``status``; a ``retag`` finding when it read anything (same transaction)."""
    finding_id = None
    if run.articles_done:
        detail = {"run_id": run.id, "articles": run.articles_done, "figures_changed": run.figures_changed,
                  "tagger_version": run.tagger_version, "since": run.since, "sites": list(run.sites),
                  "status": status}
        cursor = store.db.conn.execute(
            "insert into findings (kind, created_at, published_at, detail, is_context, retag_run_id)"
            " values ('retag', ?, ?, ?, 0, ?)", [now, now, json.dumps(detail, ensure_ascii=False), run.id])
        finding_id = inserted_id(cursor)
    store.db.conn.execute("update retag_runs set status = ?, finished_at = ?, finding_id = ? where id = ?",
                          [status, now, finding_id, run.id])
    return store.findings_after(finding_id - 1, limit=1)[0] if finding_id else None


def begin_run(store: Store, *, since: str | None = None, sites: Sequence[str] = (),
              now: str | None = None) -> RetagRun | None:
    """The run to carry on: the unfinished one with the same version and filters (a killed run),
    else a new one; None when no article needs a retag. An unfinished run of another version or
    other filters is closed as ``interrupted`` (its summary finding tells what it did)."""
    now = now or utc_now_iso()
    version = store.tagger_version
    sites_json = json.dumps(sorted(sites))
    with store.transaction() as conn:
        for row in list(store.db.query("select * from retag_runs where status = 'running' order by id")):
            if (row["tagger_version"], row["since"], row["sites"]) == (version, since, sites_json):
                return RetagRun(row["id"], version, since, tuple(sorted(sites)), row["articles_total"],
                                row["articles_done"], row["figures_changed"], resumed=True)
            _summary(store, RetagRun(row["id"], row["tagger_version"], row["since"],
                                     tuple(json.loads(row["sites"] or "[]")), row["articles_total"],
                                     row["articles_done"], row["figures_changed"]), "interrupted", now)
        total = count_to_retag(store, since, sites)
        if not total:
            return None
        cursor = conn.execute("insert into retag_runs (started_at, status, tagger_version, since, sites,"
                              " articles_total) values (?, 'running', ?, ?, ?, ?)",
                              [now, version, since, sites_json, total])
        return RetagRun(inserted_id(cursor), version, since, tuple(sorted(sites)), total)


def retag_article(store: Store, run: RetagRun, row: dict[str, Any], figures: Sequence[Figure],
                  now: str | None = None) -> ArticleChange:
    """Replace one article's figures and count it in ``run``: one transaction."""
    with store.transaction() as conn:
        if _unchanged(row, figures, _live_figures(store, row)):
            change = ArticleChange(row["url"])
            _stamp(store, row["id"])
        else:
            change = _RetagWriter(store, row, figures, now or utc_now_iso(), run.id).replace()
        conn.execute("update retag_runs set articles_done = articles_done + 1, figures_changed = figures_changed + ?"
                     " where id = ?", [change.figures_changed, run.id])
    run.articles_done += 1
    run.figures_changed += change.figures_changed
    return change


def finish_run(store: Store, run: RetagRun, now: str | None = None) -> Finding | None:
    """Close a run that read every article it had; its ``retag`` finding (None if it read none)."""
    with store.transaction():
        return _summary(store, run, "finished", now or utc_now_iso())


@dataclass
class RetagReport:
    run: RetagRun | None
    articles: int           # read by this call
    figures_changed: int    # by this call
    finding: Finding | None = None


def retag(store: Store, tag: Tagger, *, since: str | None = None, sites: Sequence[str] = (),
          clock: Callable[[], str] = utc_now_iso,
          on_article: Callable[[RetagRun, ArticleChange], None] | None = None,
          workers: int = 0, taxonomy_files: Sequence[str] = (), taxonomy_replace: bool = False) -> RetagReport:
    """Retag every article that needs it; resumes a killed run. ``tag`` is the tagger (text →
    figures) with the store's taxonomy; ``on_article`` sees each article done (progress).

    ``workers`` > 0 (-1: ``auto_workers()``) tags in that many processes, loading the taxonomy from
    ``taxonomy_files`` / ``taxonomy_replace`` (the store's own: pass what it was opened with), for
    runs of at least POOL_MIN_ARTICLES articles; the writing stays in this process, in order."""
    run = begin_run(store, since=since, sites=sites, now=clock())
    if run is None:
        return RetagReport(None, 0, 0)
    if workers < 0:
        workers = auto_workers()
    if run.articles_total - run.articles_done < POOL_MIN_ARTICLES:
        workers = 0
    articles = changed = 0
    rows = articles_to_retag(store, since, sites)
    for row, figures in _tagged(rows, tag, workers, taxonomy_files, taxonomy_replace):
        change = retag_article(store, run, row, figures, now=clock())
        articles += 1
        changed += change.figures_changed
        if on_article is not None:
            on_article(run, change)
    return RetagReport(run, articles, changed, finish_run(store, run, now=clock()))


def dry_run(store: Store, tag: Tagger, *, since: str | None = None, sites: Sequence[str] = (),
            on_article: Callable[[ArticleChange], None] | None = None) -> tuple[int, int]:
    """What a retag would change, writing nothing: (articles it would read, figures that would change)."""
    articles = changed = 0
    for row in articles_to_retag(store, since, sites):
        change = plan_change(store, row, tag(row["text"] or ""))
        articles += 1
        changed += change.figures_changed
        if on_article is not None:
            on_article(change)
    return articles, changed
