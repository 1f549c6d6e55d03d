"""``record_article``: the single write path for crawled articles, and the findings it computes.

Findings (DESIGN.md "Findings"), as decided here:

* Mentions are grouped per article by sameness (``store.sameness``): several mentions of one
  value in one article are one statement and give at most one finding.
* A *series* is (metric, unit, is_target, scope) and each figure has an ``as_of`` derived from its
  ``when``, year and article date (``store.series``). The *previous latest value* of a statement
  is the live, not ``earlier`` figure of the series from another article that is latest by
  ``as_of`` at or before the statement's own ``as_of``; ties go to the later publication, then
  the later first-seen time, then the later figure.
* ``new_value``: the statement is not the same as that previous latest value (or the series has
  none). A value that returns after another (4,6 juta → 8 juta → 4,6 juta) is a new value again.
  Exceptions: an article older than the series' latest that repeats a value already known adds a
  source only (a late copy of old news is not news); an ``earlier`` figure fills the history and is
  never a new value; a statement whose previous latest value is another site's for the same
  period is a ``conflict``, not a change.
* ``conflict`` (``store.conflicts``): another site states a different value for the same series
  and period; one finding per distinct other value.
* Same value as the previous latest: a corroboration. No finding; the figure points at the first
  figure of that value (``first_figure_id``), so sources are counted per value.
* ``revised``: an article re-fetched with new text. Its old figures are matched to the new
  mentions by sameness (matched rows are updated in place and keep their id and first-seen time),
  unmatched old figures get ``withdrawn_at``. Per series, a value that disappeared and a value
  that appeared pair up in text order into one ``revised`` finding ("was X, now Y"), with
  ``previous_published_at`` = the old version's date and ``published_at`` = the new version's date.
  A value that appeared without a disappeared partner is judged as ``new_value``.
* Context metrics (umkm_total, villages_total) get findings like any other, with ``is_context``
  set so digests can leave them out.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from extract.timeref import EARLIER, settle_when
from kernel.records import Article, Figure
from kernel.times import to_utc_iso, utc_now_iso
from kernel.urls import article_key, canonical_url, site_of
from store.conflicts import conflicting_figures
from store.models import Finding, RecordResult
from store.sameness import (
    FLOAT_SLACK,
    ValueKey,
    rounding_tolerance,
    same_value,
)
from store.schema import dict_rows, inserted_id
from store.series import LATEST_ORDER, AsOf, SeriesKey, as_of, change_between, ensure_series, refresh_series, series_key

if TYPE_CHECKING:
    from store.core import Store

# A live figure of another article stating the same value (store.sameness, evaluated in SQL).
# b is the same as a when |a - b| <= max(tol_a, tol_b): for stored figures of rounding level T
# (their tolerance), exactly those with b within a ± max(T, tol_a). idx_figures_same_value holds
# each level of a series and region as its own value-ordered run, so the lookup steps from level
# to level (one index seek each: `level`) and enters each run with that window (`winner`): it
# reads matching entries only (those of another year or range end aside), however many figures
# the series has. `half` widens the window by the float slack of the test it serves. Of several
# matches it returns the one first in (value, tolerance, year, value_max, article_id, id) order,
# the order the lookup of schema 9 and before returned.
_SERIES = ("metric = :metric and unit = :unit and is_target = :target and scope is :scope"
           " and withdrawn_at is null")
SAME_VALUE_SQL = (
    "with recursive level(tolerance) as ("
    f"  select * from (select tolerance from figures where {_SERIES} and tolerance is not null"
    "   order by tolerance limit 1)"
    "  union all"
    f"  select (select tolerance from figures where {_SERIES} and tolerance > level.tolerance"
    "   order by tolerance limit 1) from level where level.tolerance is not null),"
    " window(tolerance, half) as (select tolerance, max(tolerance, :tol) * (1 + 2 * :slack)"
    "  + 2 * :slack * (abs(:value) + 1) from level where tolerance is not null),"
    " winner(id) as ("
    f"  select (select id from figures where {_SERIES} and tolerance = window.tolerance"
    "   and value between :value - window.half and :value + window.half and article_id != :article"
    "   and abs(value - :value) <= max(tolerance, :tol) + :slack * max(abs(value), abs(:value), 1.0)"
    "   and (year is null or :year is null or year = :year)"
    "   and ((value_max is null and :vmax is null) or"
    "        abs(value_max - :vmax) <= max(tolerance, :tol) + :slack * max(abs(value_max), abs(:vmax), 1.0))"
    "   order by value, year, value_max, article_id, id limit 1) from window)"
    " select * from figures where id in (select id from winner)"
    " order by value, tolerance, year, value_max, article_id, id limit 1"
)
# The latest live figure of a series at or before an as_of, from another article (store.series).
PREVIOUS_LATEST_SQL = (
    "select * from figures where metric = ? and unit = ? and is_target = ? and scope is ? and withdrawn_at is null"
    f" and \"when\" != 'earlier' and as_of <= ? and article_id != ? order by {LATEST_ORDER} limit 1"
)
# A live, not earlier figure of the series from another article with a later as_of.
NEWER_EXISTS_SQL = (
    "select 1 from figures where metric = ? and unit = ? and is_target = ? and scope is ? and withdrawn_at is null"
    " and \"when\" != 'earlier' and as_of > ? and article_id != ? limit 1"
)
# canonical_url is pure and costs an IDNA round per call; the crawl asks for each URL several
# times (discovery's known_article, then record_article). Enough entries for one big crawl.
CANONICAL_CACHE_SIZE = 16384
cached_canonical_url = functools.lru_cache(maxsize=CANONICAL_CACHE_SIZE)(canonical_url)
# What decides new / unchanged / changed; the full row (with the text) is read only when changed.
ARTICLE_STATUS_SQL = "select id, version, content_hash from articles where url = ?"
# The tag record's fields (figures.md §1), as the figures table stores them.
FIGURE_FIELDS = tuple(f.name for f in dataclasses.fields(Figure))


@dataclass
class Mention:
    """One figure mention: its record fields, its sameness key and (once stored) its row id."""

    record: dict[str, Any]
    key: ValueKey
    figure_id: int | None = None
    first_figure_id: int | None = None
    time: AsOf | None = None        # set by the writer from the article's date (store.series)

    @property
    def scope(self) -> str | None:
        return self.record.get("scope") or None

    @property
    def earlier(self) -> bool:
        return self.record.get("when") == EARLIER

    @property
    def series(self) -> SeriesKey:
        return series_key(self.key.metric, self.key.unit, self.key.is_target, self.scope)

    def figure(self) -> Figure:
        return Figure(**{name: self.record[name] for name in FIGURE_FIELDS})


def _record_of(figure: Figure) -> dict[str, Any]:
    return figure.to_record()


def _mention(record: dict[str, Any]) -> Mention:
    key = ValueKey(record["metric"], record["unit"], bool(record["is_target"]), record["year"],
                   float(record["value"]),
                   None if record["value_max"] is None else float(record["value_max"]),
                   rounding_tolerance(record["surface"], float(record["value"])))
    return Mention(record, key)


def same_statement(a: Mention, b: Mention) -> bool:
    """The same value (``store.sameness``) in the same region."""
    return a.scope == b.scope and same_value(a.key, b.key)


def _group(mentions: Iterable[Mention]) -> list[list[Mention]]:
    """Mentions grouped by sameness (and region, and whether the text places them earlier),
    groups in order of their first mention."""
    groups: list[list[Mention]] = []
    for mention in mentions:
        for group in groups:
            if same_statement(group[0], mention) and group[0].earlier == mention.earlier:
                group.append(mention)
                break
        else:
            groups.append([mention])
    return groups


def _key_of_row(row: dict[str, Any]) -> ValueKey:
    return ValueKey(row["metric"], row["unit"], bool(row["is_target"]), row["year"], row["value"],
                    row["value_max"], row["tolerance"] or 0.0)


def live_match(conn: sqlite3.Connection, key: ValueKey, scope: str | None, article_id: int) -> dict[str, Any] | None:
    """A live figure of another article than ``article_id`` stating the same value as ``key`` in
    ``scope``, or None.

    The sameness test runs in SQL on the index (SAME_VALUE_SQL), so a value never seen before
    costs a seek per rounding level of its series and no table reads.
    """
    rows = list(dict_rows(conn.execute(SAME_VALUE_SQL, {
        "metric": key.metric, "unit": key.unit, "target": int(key.is_target), "article": article_id,
        "value": key.value, "tol": key.tolerance, "slack": FLOAT_SLACK, "year": key.year,
        "vmax": key.value_max, "scope": scope})))
    return rows[0] if rows and same_value(key, _key_of_row(rows[0])) else None


class _Writer:
    """One record_article call, inside the store's write transaction."""

    def __init__(self, store: Store, article: Article, figures: Sequence[Figure], now: str,
                 crawl_run_id: int | None, *, dated: str | None = None, seen_at: str | None = None) -> None:
        self.store = store
        self.taxonomy = store.taxonomy
        self.db = store.db
        self.conn = store.db.conn
        self.article = article
        self.now = now
        self.crawl_run_id = crawl_run_id
        self.url = cached_canonical_url(article.url)
        self.site = article.site or site_of(self.url)
        self.published_at = to_utc_iso(article.published_at)
        self.modified_at = to_utc_iso(article.modified_at)
        # The article's date that figures are placed in time from (store.series.as_of).
        self.dated = dated or self.published_at or now
        # When a new figure was first seen: now for a crawl; a retag passes when the text was.
        self.seen_at = seen_at or now
        self.tagger_version = store.tagger_version
        # Findings a retag computes carry its run (digests summarise them in one line).
        self.retag_run_id: int | None = None
        # extract always sets content_hash; a hand-made article may leave it empty, and the hash decides "changed"
        self.content_hash = article.content_hash or hashlib.sha256(article.text.encode("utf-8")).hexdigest()
        # "A year before the article" is known here, where the article's date is (extract.timeref).
        self.mentions = [_mention(_record_of(settle_when(f, self.dated))) for f in figures]
        self.findings: list[int] = []
        # Figures that are the first of their value: first_figure_id = id is set in one statement
        # in _done (lookups during the write exclude the article's own figures, so none reads it).
        self.first_of_value: list[int] = []
        self.touched_series: set[SeriesKey] = set()

    # -- rows ---------------------------------------------------------------------------------

    def _article_values(self, version: int) -> dict[str, Any]:
        a = self.article
        sections = a.sections
        return {
            "url": self.url, "site": self.site, "title": a.title, "author": a.author,
            "published_at": self.published_at, "modified_at": self.modified_at,
            "content_hash": self.content_hash, "text": a.text, "version": version,
            "article_key": article_key(self.url),
            "sections": json.dumps([list(s) for s in sections]) if sections else None,
            "body_kind": a.body_kind,
            "last_fetched_at": self.now, "version_seen_at": self.now, "crawl_run_id": self.crawl_run_id,
            "tagger_version": self.tagger_version,
        }

    def _placed(self, mention: Mention) -> AsOf:
        """The mention's as_of and period, from its record and the article's date (store.series)."""
        if mention.time is None:
            mention.time = as_of(mention.figure(), self.dated)
        return mention.time

    def _insert_figure(self, article_id: int, version: int, mention: Mention) -> None:
        r = mention.record
        time = self._placed(mention)
        cursor = self.conn.execute(
            "insert into figures (article_id, version, start, end, surface, value, value_max, unit, metric,"
            " family, is_target, approx, year, sentence, site, url, published_at, first_seen_at, as_of,"
            " tolerance, first_figure_id, \"when\", scope, as_of_period, tagger_version)"
            " values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [article_id, version, r["start"], r["end"], r["surface"], r["value"], r["value_max"],
             r["unit"], r["metric"], self.taxonomy.family_of(r["metric"]), int(bool(r["is_target"])),
             int(bool(r["approx"])), r["year"], r["sentence"], self.site, self.url, self.published_at,
             self.seen_at, time.at, mention.key.tolerance, mention.first_figure_id, r["when"], mention.scope,
             time.period, self.tagger_version])
        mention.figure_id = inserted_id(cursor)
        if mention.first_figure_id is None:
            mention.first_figure_id = mention.figure_id
            self.first_of_value.append(mention.figure_id)
        self.touched_series.add(mention.series)

    # -- what is known -------------------------------------------------------------------------

    def _live_match(self, mention: Mention, article_id: int) -> dict[str, Any] | None:
        return live_match(self.conn, mention.key, mention.scope, article_id)

    def _previous_latest(self, mention: Mention, article_id: int) -> dict[str, Any] | None:
        metric, unit, target, scope = mention.series
        rows = list(dict_rows(self.conn.execute(
            PREVIOUS_LATEST_SQL, [metric, unit, target, scope, self._placed(mention).at, article_id])))
        return rows[0] if rows else None

    def _newer_exists(self, mention: Mention, article_id: int) -> bool:
        metric, unit, target, scope = mention.series
        return self.conn.execute(NEWER_EXISTS_SQL, [metric, unit, target, scope, self._placed(mention).at,
                                                    article_id]).fetchone() is not None

    # -- findings ------------------------------------------------------------------------------

    def _add_finding(self, kind: str, article_id: int, version: int, mention: Mention,
                     previous: dict[str, Any] | None, *, old_value: float | None = None,
                     published_at: str | None, previous_published_at: str | None,
                     detail: dict[str, Any]) -> None:
        r = mention.record
        previous_value = previous["value"] if previous else None
        abs_change, pct_change = change_between(r["value"], previous_value, r["unit"])
        time = self._placed(mention)
        cursor = self.conn.execute(
            "insert into findings (kind, created_at, site, metric, family, unit, value, value_max, surface,"
            " is_target, year, previous_value, abs_change, pct_change, old_value, sentence, url, title,"
            " article_id, figure_id, previous_figure_id, article_version, published_at,"
            " previous_published_at, previous_url, detail, is_context, scope, as_of, period, retag_run_id)"
            " values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [kind, self.now, self.site, r["metric"], self.taxonomy.family_of(r["metric"]), r["unit"], r["value"],
             r["value_max"], r["surface"], int(bool(r["is_target"])), r["year"], previous_value,
             abs_change, pct_change, old_value, r["sentence"], self.url, self.article.title, article_id,
             mention.figure_id, previous["id"] if previous else None, version, published_at,
             previous_published_at, previous["url"] if previous else None,
             json.dumps(detail, ensure_ascii=False), int(self.taxonomy.is_context(r["metric"])),
             mention.scope, time.at, time.period, self.retag_run_id])
        self.findings.append(inserted_id(cursor))

    def _judge_new(self, group: list[Mention], article_id: int, version: int) -> None:
        """Store a new statement's mentions and add a new_value or conflict finding if it is one."""
        head = group[0]
        key = head.key
        previous = None if head.earlier else self._previous_latest(head, article_id)
        repeats_previous = previous is not None and same_value(key, _key_of_row(previous))
        match = previous if repeats_previous else self._live_match(head, article_id)
        first = match["first_figure_id"] if match else None
        for mention in group:
            mention.first_figure_id = first
            self._insert_figure(article_id, version, mention)
            first = mention.first_figure_id
        conflicts = self._add_conflicts(group, article_id, version)
        if head.earlier:
            return  # an earlier value fills the history; it is never news against a later one
        if repeats_previous:
            return  # corroboration: one more source for the latest value
        if match and self._newer_exists(head, article_id):
            return  # an older article repeating a known value: not news
        if previous is not None and previous["id"] in conflicts:
            return  # another source's value for the same period: a conflict, not a change
        detail = {"mentions": len(group), "previous_as_of": previous["as_of"] if previous else None}
        self._add_finding("new_value", article_id, version, head, previous,
                          published_at=self.published_at,
                          previous_published_at=previous["published_at"] if previous else None,
                          detail=detail)

    def _add_conflicts(self, group: list[Mention], article_id: int, version: int) -> set[int]:
        """A conflict finding per other site's different value for the statement's series and
        period (store.conflicts); returns the ids of the figures it conflicts with."""
        head = group[0]
        period = self._placed(head).period
        others = conflicting_figures(self.db, head.key, head.scope, period, self.site, article_id)
        for other in others:
            detail = {"mentions": len(group), "period": period, "other_site": other["site"],
                      "other_surface": other["surface"], "other_sentence": other["sentence"],
                      "other_period": other["as_of_period"]}
            self._add_finding("conflict", article_id, version, head, other, published_at=self.published_at,
                              previous_published_at=other["published_at"], detail=detail)
        return {other["id"] for other in others}

    # -- the three cases -----------------------------------------------------------------------

    def new_article(self) -> RecordResult:
        values = self._article_values(1)
        values.update(first_seen_at=self.now, checks_done=0)
        columns = ", ".join(values)
        cursor = self.conn.execute(
            f"insert into articles ({columns}) values ({', '.join('?' * len(values))})", list(values.values()))
        article_id = inserted_id(cursor)
        for group in _group(self.mentions):
            self._judge_new(group, article_id, 1)
        return self._done(article_id, "new", 1)

    def unchanged(self, row: dict[str, Any]) -> RecordResult:
        self.conn.execute(
            "update articles set last_fetched_at = ?, last_checked_at = ?, checks_done = checks_done + 1,"
            " crawl_run_id = coalesce(?, crawl_run_id) where id = ?",
            [self.now, self.now, self.crawl_run_id, row["id"]])
        return RecordResult(row["id"], "unchanged", row["version"], [])

    def changed(self, old: dict[str, Any]) -> RecordResult:
        article_id, version = old["id"], old["version"] + 1
        self.conn.execute(
            "insert into article_versions (article_id, version, title, text, content_hash, published_at,"
            " modified_at, fetched_at, replaced_at) values (?,?,?,?,?,?,?,?,?)",
            [article_id, old["version"], old["title"], old["text"], old["content_hash"], old["published_at"],
             old["modified_at"], old["version_seen_at"] or old["first_seen_at"], self.now])
        values = self._article_values(version)
        if values["published_at"] is None:
            values["published_at"] = old["published_at"]
            self.published_at = old["published_at"]
            self.dated = self.published_at or old["first_seen_at"]
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.conn.execute(f"update articles set {assignments}, last_checked_at = ?,"
                          " checks_done = checks_done + 1 where id = ?",
                          [*values.values(), self.now, article_id])

        old_rows = list(self.db.query("select * from figures where article_id = ? and withdrawn_at is null order by start",
                              [article_id]))
        old_mentions = [Mention({k: row[k] for k in FIGURE_FIELDS}, _key_of_row(row), row["id"],
                                row["first_figure_id"]) for row in old_rows]
        unmatched_old = list(old_mentions)
        unmatched_new: list[Mention] = []
        for mention in self.mentions:
            partner = next((m for m in unmatched_old if same_statement(m, mention)), None)
            if partner is None:
                unmatched_new.append(mention)
                continue
            unmatched_old.remove(partner)
            r = mention.record
            time = self._placed(mention)
            self.conn.execute(
                "update figures set version = ?, start = ?, end = ?, surface = ?, sentence = ?, approx = ?,"
                " published_at = ?, as_of = ?, tolerance = max(tolerance, ?), \"when\" = ?, as_of_period = ?,"
                " tagger_version = ? where id = ?",
                [version, r["start"], r["end"], r["surface"], r["sentence"], int(bool(r["approx"])),
                 self.published_at, time.at, mention.key.tolerance, r["when"], time.period,
                 self.tagger_version, partner.figure_id])
            mention.figure_id, mention.first_figure_id = partner.figure_id, partner.first_figure_id
            self.touched_series.add(mention.series)
        for mention in unmatched_old:
            self.conn.execute("update figures set withdrawn_at = ?, withdrawn_in_version = ?,"
                              " withdrawn_reason = 'revision' where id = ?", [self.now, version, mention.figure_id])
            self.touched_series.add(mention.series)

        # Values gone from the article, and values it states for the first time, per series.
        gone = [g for g in _group(unmatched_old)
                if not any(same_statement(g[0], m) for m in self.mentions)]
        fresh_groups = _group(unmatched_new)
        for group in fresh_groups:
            stated_before = [m for m in old_mentions if same_statement(m, group[0])]
            if stated_before:  # one more mention of a value the article already stated
                for mention in group:
                    mention.first_figure_id = stated_before[0].first_figure_id
                    self._insert_figure(article_id, version, mention)
                continue
            partner_group = next((g for g in gone if g[0].series == group[0].series), None)
            if partner_group is None:
                self._judge_new(group, article_id, version)
                continue
            gone.remove(partner_group)
            self._revised(group, partner_group[0], old, article_id, version)
        return self._done(article_id, "changed", version)

    def _revised(self, group: list[Mention], was: Mention, old: dict[str, Any], article_id: int,
                 version: int) -> None:
        match = self._live_match(group[0], article_id)
        first = match["first_figure_id"] if match else None
        for mention in group:
            mention.first_figure_id = first
            self._insert_figure(article_id, version, mention)
            first = mention.first_figure_id
        self._add_conflicts(group, article_id, version)
        previous = {"id": was.figure_id, "value": was.record["value"], "url": self.url}
        old_date = old["modified_at"] or old["published_at"] or old["version_seen_at"] or old["first_seen_at"]
        new_date = self.modified_at or self.now
        detail = {"old_version": old["version"], "new_version": version, "old_surface": was.record["surface"],
                  "old_sentence": was.record["sentence"], "old_version_date": old_date,
                  "new_version_date": new_date, "mentions": len(group)}
        self._add_finding("revised", article_id, version, group[0], previous, old_value=was.record["value"],
                          published_at=new_date, previous_published_at=old_date, detail=detail)

    def _flag_first_mentions(self, article_id: int) -> None:
        """first_mention = 1 on the first live mention of each value of the article (the history shows
        one row per article and value); a withdrawn figure keeps its flag unless its value is still
        stated by a live mention."""
        rows = self.conn.execute("select id, first_figure_id, withdrawn_at, first_mention from figures"
                                 " where article_id = ? order by withdrawn_at is not null, start, id",
                                 [article_id]).fetchall()
        live: set[int] = set()
        updates = []
        for figure_id, first_figure_id, withdrawn_at, flag in rows:
            if withdrawn_at is None:
                wanted = int(first_figure_id not in live)
                live.add(first_figure_id)
            else:
                wanted = 0 if first_figure_id in live else flag
            if wanted != flag:
                updates.append((wanted, figure_id))
        self.conn.executemany("update figures set first_mention = ? where id = ?", updates)

    def _done(self, article_id: int, status: str, version: int) -> RecordResult:
        if self.first_of_value:
            self.conn.executemany("update figures set first_figure_id = id where id = ?",
                                  [(figure_id,) for figure_id in self.first_of_value])
        self._flag_first_mentions(article_id)
        ensure_series(self.db, self.touched_series)
        refresh_series(self.db, self.taxonomy, self.touched_series)
        findings = [Finding.from_row(row) for row in dict_rows(self.conn.execute(
            f"select * from findings where id in ({', '.join('?' * len(self.findings))}) order by id",
            self.findings))] if self.findings else []
        return RecordResult(article_id, status, version, findings)  # type: ignore[arg-type]


def record_article(store: Store, article: Article, figures: Sequence[Figure], *,
                   fetched_at: datetime | str | None = None,
                   crawl_run_id: int | None = None) -> RecordResult:
    now = to_utc_iso(fetched_at) or utc_now_iso()
    writer = _Writer(store, article, figures, now, crawl_run_id)
    with store.transaction():
        found = writer.conn.execute(ARTICLE_STATUS_SQL, [writer.url]).fetchone()
        if found is None:
            return writer.new_article()
        article_id, version, content_hash = found
        if content_hash == writer.content_hash:
            return writer.unchanged({"id": article_id, "version": version})
        return writer.changed(next(writer.db.query("select * from articles where id = ?", [article_id])))
