"""What the store offers people who browse it (schema v8): the ``metrics`` table and two views in
reading order, ``figure_list`` and ``finding_list``.

``metrics`` lists every metric of the store's taxonomy (id, names in Indonesian and English,
family, unit, description), so a metric parameter is a choice and not a guess; it is a table (not
a view over the taxonomy file) because Datasette, sqlite3 and any SQL client read the store file
alone. Its rows are refreshed from the taxonomy whenever the store is opened with another one
(a user's metric appears once a crawl, digest or `pantau browse` opened the store with it).

The views keep the raw tables untouched for SQL users and only choose and order columns: the
date, the metric's name, value and unit, target or actual in words, the sentence, the source.
"""

from __future__ import annotations

import tomllib
from typing import Any

import sqlite_utils

from extract.taxonomy import Taxonomy
from kernel.metrics import METRICS_FILE, metric_info

METRIC_COLUMNS = ("id", "name_id", "name_en", "family", "unit", "description_id", "description_en", "is_context")


def _flag_words() -> tuple[str, str]:
    """How the views write a target and an actual ('target', 'capaian'): the store's readers
    read Indonesian; Datasette shows the English word when [display] language = "en"."""
    flags = tomllib.loads(METRICS_FILE.read_text(encoding="utf-8"))["flags"]
    return flags["target"]["id"], flags["actual"]["id"]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def figure_list_sql(figure_columns: set[str]) -> str:
    target, actual = _flag_words()
    # Columns of schema v6 (when, scope) join the view once they exist; "when" is an SQL keyword.
    optional = "".join(f', f."{name}"' for name in ("scope", "when") if name in figure_columns)
    return (
        "create view figure_list as select f.id, f.as_of, coalesce(m.name_id, f.metric) as metric_name, f.metric,"
        " f.value, f.value_max, f.unit,"
        f" case when f.is_target then {_quote(target)} else {_quote(actual)} end as target_or_actual,"
        f" f.year{optional}, f.surface, f.sentence, f.site, a.title, f.url, f.family, f.approx, f.published_at,"
        " f.first_seen_at, f.withdrawn_at, f.version, f.article_id"
        " from figures f join articles a on a.id = f.article_id left join metrics m on m.id = f.metric")


def finding_list_sql() -> str:
    target, actual = _flag_words()
    return (
        "create view finding_list as select g.id, g.created_at, g.kind, coalesce(m.name_id, g.metric) as metric_name,"
        " g.metric, g.value, g.value_max, g.unit, g.previous_value, g.abs_change, g.pct_change, g.old_value,"
        f" case when g.is_target is null then null when g.is_target then {_quote(target)} else {_quote(actual)}"
        " end as target_or_actual, g.scope, g.period, g.year, g.surface, g.sentence, g.site, g.title, g.url,"
        " g.published_at,"
        " g.previous_published_at, g.family, g.detail"
        " from findings g left join metrics m on m.id = g.metric")


def create_presentation(db: sqlite_utils.Database) -> None:
    """The metrics table and the reader views."""
    db.table("metrics").create({"id": str, "name_id": str, "name_en": str, "family": str, "unit": str,
                                "description_id": str, "description_en": str, "is_context": int}, pk="id")
    columns = {c.name for c in db.table("figures").columns}
    db.execute(figure_list_sql(columns))
    db.execute(finding_list_sql())


def metric_rows(taxonomy: Taxonomy) -> list[dict[str, Any]]:
    rows = []
    for name, metric in taxonomy.metrics.items():
        info = metric_info(name, tuple(metric.units))
        rows.append({"id": name, "name_id": info.name_id, "name_en": info.name_en, "family": metric.family,
                     "unit": info.unit, "description_id": info.description_id,
                     "description_en": info.description_en, "is_context": int(metric.context)})
    return rows


def sync_metrics(db: sqlite_utils.Database, taxonomy: Taxonomy) -> bool:
    """Make the ``metrics`` table list ``taxonomy``'s metrics; True when it had to change.

    One read when nothing changed (every open); a write transaction only when the taxonomy did.
    """
    if "metrics" not in db.table_names():
        return False
    wanted = metric_rows(taxonomy)
    columns = ", ".join(METRIC_COLUMNS)
    stored = [dict(zip(METRIC_COLUMNS, row, strict=True))
              for row in db.execute(f"select {columns} from metrics order by rowid").fetchall()]
    if stored == wanted:
        return False
    conn = db.conn
    conn.execute("begin immediate")
    try:
        conn.execute("delete from metrics")
        conn.executemany(f"insert into metrics ({columns}) values ({', '.join('?' * len(METRIC_COLUMNS))})",
                         [[row[c] for c in METRIC_COLUMNS] for row in wanted])
        conn.execute("commit")
    except BaseException:
        if conn.in_transaction:
            conn.execute("rollback")
        raise
    return True
