"""pantau's Datasette plugin: the store as people read it, on top of the raw tables.

* Cells (HTML only; JSON, CSV and SQL see the raw values): a figure's value the Indonesian way
  with the plain number under it ("4,6 juta UMKM" / 4600000), target or actual in words, times
  in the display zone ("16 Agu 2020 18.30 WIB", the stored UTC value on hover), a metric id as
  its name linking to its history.
* The metric-history page (canned query ``metric_history``) draws the series above the table:
  a PNG rendered here, on the server, by the same code as the digests' charts
  (``/-/pantau/chart/<database>.png?metric=…``), and its ``metric`` box becomes a list of the
  store's metrics (the ``metrics`` table).
* ``/-/pantau/findings.atom``: the Atom feed of findings (``?recipient=NAME`` for one recipient's
  filters), from the store and the config ``pantau browse`` was started with.

Settings come from the metadata's ``plugins.pantau`` block that ``pantau browse`` writes:
``timezone``, ``language``, ``config`` (the pantau.toml path or null).
No JavaScript or file is fetched from anywhere but this server.
"""

from __future__ import annotations

import html
import json
from datetime import tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from datasette import hookimpl
from markupsafe import Markup

from kernel.metrics import metric_info
from kernel.times import display_zone

PLUGIN = "pantau"
HISTORY_QUERY = "metric_history"
CSS_FILE = Path(__file__).with_name("pantau.css")
# Columns holding a figure's value (formatted with the row's unit) and changes in percent.
VALUE_COLUMNS = frozenset({"value", "value_max", "previous_value", "abs_change", "old_value"})
PERCENT_COLUMNS = frozenset({"pct_change"})
# Columns holding a stored UTC time.
TIME_COLUMNS = frozenset({"as_of", "published_at", "previous_published_at", "modified_at", "first_seen_at",
                          "last_fetched_at", "last_checked_at", "version_seen_at", "withdrawn_at", "created_at",
                          "started_at", "finished_at", "opened_at", "last_seen_at", "resolved_at", "sent_at",
                          "next_attempt_at", "failed_at", "fetched_at", "replaced_at", "updated_at", "last_ok_at",
                          "window_end", "high_water", "at"})
# The Datasette page draws this many of a series' newest values: a few years of monthly figures.
CHART_POINTS = 40


def settings(datasette: Any) -> dict[str, Any]:
    return datasette.plugin_config(PLUGIN) or {}


def language_of(datasette: Any) -> str:
    return "en" if settings(datasette).get("language") == "en" else "id"


def zone_of(datasette: Any) -> tzinfo:
    try:
        return display_zone(settings(datasette).get("timezone") or "Asia/Jakarta")
    except ValueError:
        return display_zone()


def _flag_words(language: str) -> tuple[str, str]:
    from alerts.labels import labels

    t = labels(language)
    return t["target"], t["actual"]


def _row_value(row: Any, key: str) -> Any:
    try:
        return row[key]
    except (IndexError, KeyError):
        return None


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """The HTML of one cell, or None for Datasette's own rendering."""
    from alerts.formatting import format_datetime, format_value, plain_number

    if value is None:
        return None
    language = language_of(datasette)
    if column in VALUE_COLUMNS and isinstance(value, (int, float)) and not isinstance(value, bool):
        unit = _row_value(row, "unit")
        if unit is None and table not in (None, "figures", "findings", "figure_list", "finding_list"):
            return None
        shown = format_value(value, unit, language)
        if column == "abs_change" and value > 0:
            shown = "+" + shown
        return Markup(f'{html.escape(shown)}<span class="pantau-raw">{html.escape(_raw(value))}</span>')
    if column in PERCENT_COLUMNS and isinstance(value, (int, float)):
        sign = "+" if value > 0 else ""
        return Markup(f"{sign}{html.escape(plain_number(round(value, 1), language))}%"
                      f'<span class="pantau-raw">{html.escape(_raw(value))}</span>')
    if column == "is_target" and value in (0, 1):
        target, actual = _flag_words(language)
        word, css = (target, "target") if value else (actual, "actual")
        return Markup(f'<span class="pantau-word {css}">{html.escape(word)}</span>'
                      f'<span class="pantau-raw">{value}</span>')
    if column == "target_or_actual" and isinstance(value, str) and language == "en":
        target, actual = _flag_words("id")
        english = _flag_words("en")
        return english[0] if value == target else english[1] if value == actual else None
    if column in TIME_COLUMNS and isinstance(value, str) and "T" in value:
        shown = format_datetime(value, language, zone_of(datasette))
        if shown == value:
            return None
        return Markup(f'<span class="pantau-time" title="{html.escape(value)}">{html.escape(shown)}</span>')
    if column == "metric" and isinstance(value, str) and table != "metrics":
        return _metric_link(datasette, database, value, language, show_id=True)
    if column == "id" and table == "metrics" and isinstance(value, str):
        return _metric_link(datasette, database, value, language, show_id=False)
    return None


def _raw(value: float | int) -> str:
    """The stored number as SQL gives it back, without a pointless '.0'."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _metric_link(datasette: Any, database: str, metric: str, language: str, *, show_id: bool) -> Markup:
    url = datasette.urls.database(database) + f"/{HISTORY_QUERY}?" + urlencode({"metric": metric})
    label = metric_info(metric).name(language) if show_id else metric
    raw = f'<span class="pantau-raw">{html.escape(metric)}</span>' if show_id and label != metric else ""
    return Markup(f'<a href="{html.escape(url)}">{html.escape(label)}</a>{raw}')


@hookimpl
def extra_css_urls(template: str, database: str | None, table: str | None, columns: Any, view_name: str,
                   request: Any, datasette: Any) -> list[str]:
    return [datasette.urls.path("/-/pantau/pantau.css")]


def _history_page(template: str, request: Any) -> bool:
    return template.startswith("query") and request is not None and request.path.rstrip("/").endswith(
        f"/{HISTORY_QUERY}")


@hookimpl
def extra_template_vars(template: str, database: str | None, table: str | None, columns: Any, view_name: str,
                        request: Any, datasette: Any) -> Any:
    """On the metric-history page: the chart of the chosen metric (``pantau_chart``)."""
    if not database or not _history_page(template, request):
        return {}

    async def chart_vars() -> dict[str, Any]:
        from alerts.labels import labels

        language = language_of(datasette)
        t = labels(language)
        metric = request.args.get("metric") or ""
        if not metric:
            return {"pantau_choose": t.get("choose_metric", "")}
        rows = await _series_rows(datasette, database, metric, request.args.get("unit"),
                                  request.args.get("is_target"))
        if not rows:
            return {}
        from alerts.charts import series_points
        from alerts.render import trend_text

        unit = rows[0]["unit"]
        points = series_points(rows)
        trend = trend_text({"unit": unit, "points": points}, language, zone_of(datasette))
        name = metric_info(metric).name(language)
        query = urlencode({"metric": metric, "unit": unit, "is_target": rows[0]["is_target"]})
        src = datasette.urls.path(f"/-/pantau/chart/{quote(database)}.png?{query}")
        return {"pantau_chart": {"src": src, "alt": t["chart_alt"].format(name=name, trend=trend),
                                 "caption": f"{name} · {t['trend']}: {trend}"}}

    return chart_vars


@hookimpl
def extra_body_script(template: str, database: str | None, table: str | None, columns: Any, view_name: str,
                      request: Any, datasette: Any) -> Any:
    """On a table page: the column descriptions fold into one line that opens them. On the
    metric-history page: the ``metric`` box becomes a list of the store's metrics."""
    if template.startswith("table"):
        return _FOLD_COLUMNS_SCRIPT % json.dumps(
            "Kolom: arti dan satuan (klik)" if language_of(datasette) == "id" else "Columns: meaning and units (click)")
    if not database or not _history_page(template, request):
        return None

    async def script() -> str:
        db = datasette.get_database(database)
        language = language_of(datasette)
        name_column = "name_en" if language == "en" else "name_id"
        try:
            result = await db.execute(f"select id, {name_column} as name from metrics order by family, id")
        except Exception:  # noqa: BLE001 - a store from before schema v8: keep the text box
            return ""
        from alerts.labels import labels

        choices = [[row["id"], f"{row['name']} ({row['id']})"] for row in result.rows]
        prompt = labels(language).get("choose_metric_option", "")
        return _SELECT_SCRIPT % (json.dumps(choices, ensure_ascii=False), json.dumps(prompt, ensure_ascii=False))

    return script


# Column descriptions (with units) are a screen long: folded, the rows come first.
_FOLD_COLUMNS_SCRIPT = """
(function () {
  var list = document.querySelector('dl.column-descriptions');
  if (!list) { return; }
  var fold = document.createElement('details'), summary = document.createElement('summary');
  fold.className = 'pantau-columns'; summary.textContent = %s;
  list.parentNode.insertBefore(fold, list); fold.appendChild(summary); fold.appendChild(list);
})();
"""

# Replaces the text box with a list (same name, same form); choosing a metric runs the query.
_SELECT_SCRIPT = """
(function () {
  var box = document.querySelector('form.sql input[name="metric"]');
  if (!box) { return; }
  var choices = %s, select = document.createElement('select');
  select.name = box.name; select.id = box.id;
  var first = document.createElement('option'); first.value = ''; first.textContent = %s;
  select.appendChild(first);
  choices.forEach(function (c) {
    var o = document.createElement('option'); o.value = c[0]; o.textContent = c[1];
    if (c[0] === box.value) { o.selected = true; }
    select.appendChild(o);
  });
  select.addEventListener('change', function () { if (select.value) { select.form.submit(); } });
  box.replaceWith(select);
})();
"""


async def _series_rows(datasette: Any, database: str, metric: str, unit: str | None,
                       is_target: str | None) -> list[dict[str, Any]]:
    """The newest CHART_POINTS live statements of the metric's series (its most stated one unless
    ``unit``/``is_target`` say which), oldest first."""
    from store.queries import SERIES_HISTORY

    db = datasette.get_database(database)
    if unit is None or is_target not in ("0", "1"):
        result = await db.execute(
            "select unit, is_target, count(*) as n from figures where metric = :metric and withdrawn_at is null"
            " group by unit, is_target order by n desc, is_target limit 1", {"metric": metric})
        if not result.rows:
            return []
        unit, is_target = result.rows[0]["unit"], str(result.rows[0]["is_target"])
    result = await db.execute(SERIES_HISTORY, {"metric": metric, "unit": unit, "is_target": int(is_target),
                                               "limit": CHART_POINTS})
    rows = [{**dict(row), "unit": unit, "is_target": int(is_target)} for row in result.rows]
    return list(reversed(rows))


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return [
        (r"^/-/pantau/pantau\.css$", _css),
        (r"^/-/pantau/chart/(?P<database>[^/]+)\.png$", _chart),
        (r"^/-/pantau/findings\.atom$", _feed),
    ]


async def _css(datasette: Any, request: Any) -> Any:
    from datasette.utils.asgi import Response

    return Response(CSS_FILE.read_text(encoding="utf-8"), content_type="text/css; charset=utf-8")


async def _chart(datasette: Any, request: Any) -> Any:
    from datasette.utils.asgi import Response

    database = request.url_vars["database"]
    metric = request.args.get("metric") or ""
    try:
        datasette.get_database(database)
    except KeyError:
        return Response.text("no such database", status=404)
    rows = await _series_rows(datasette, database, metric, request.args.get("unit"), request.args.get("is_target"))
    if not rows:
        return Response.text(f"no live figures for metric {metric!r}", status=404)
    from alerts.charts import points_of, render_chart, series_points

    series = {"unit": rows[0]["unit"], "points": series_points(rows)}
    png = render_chart(points_of(series, zone_of(datasette)), rows[0]["unit"], language_of(datasette))
    return Response(png, content_type="image/png", headers={"Cache-Control": "no-store"})


async def _feed(datasette: Any, request: Any) -> Any:
    from datasette.utils.asgi import Response

    from alerts.feed import FeedError, feed_from_connection

    config_path = settings(datasette).get("config")
    database = settings(datasette).get("database") or next(iter(datasette.databases))
    recipient = request.args.get("recipient") or None
    db = datasette.get_database(database)
    base = str(request.url).split("/-/pantau/")[0]

    def build(conn: Any) -> bytes:
        return feed_from_connection(conn, config_path, recipient, self_url=str(request.url),
                                    datasette_url=base + datasette.urls.database(database))

    try:
        body = await db.execute_fn(build)
    except FeedError as exc:
        return Response.text(str(exc), status=404)
    return Response(body, content_type="application/atom+xml; charset=utf-8")
