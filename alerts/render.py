"""Rendering a digest payload: text and HTML through Jinja2 templates a user can override.

Templates are looked up in ``[alerts] templates_dir`` first, then in the bundled ``alerts/templates``;
within each, ``<language>/digest.<format>.j2`` before ``digest.<format>.j2``. HTML templates are
autoescaped, so page text (titles, sentences) can never become markup in an email.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import jinja2

from alerts.formatting import format_change, format_compact, format_date, format_datetime, format_value
from alerts.labels import labels, metric_name
from kernel.times import display_zone, in_zone
from pantau_config import Config

# A text trend shows a series' last this many values: one line in a terminal or a Slack message.
TREND_POINTS = 6
# How an HTML digest carries its charts: "cid" (email: inline parts with a Content-ID), "data"
# (a standalone .html file: data: URIs), "none" (no images; the text trend stays).
ImageMode = Literal["cid", "data", "none"]

BUILTIN_TEMPLATES = Path(__file__).resolve().parent / "templates"


def templates_dir(config: Config) -> Path | None:
    configured = getattr(config.alerts, "templates_dir", "")
    if not configured:
        return None
    path = Path(configured).expanduser()
    if not path.is_absolute():
        path = (config.source.resolve().parent if config.source else Path.cwd()) / path
    return path


@lru_cache(maxsize=8)
def _environment(user_dir: str | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if user_dir:
        loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders.append(jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES)))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default=False,
                                            default_for_string=False),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        # A typo in a user's template should fail loudly, not render an empty string.
        undefined=jinja2.StrictUndefined,
    )


def environment(config: Config) -> jinja2.Environment:
    user_dir = templates_dir(config)
    return _environment(str(user_dir) if user_dir else None)


def zone_of(config: Config | None) -> tzinfo:
    """The zone people read times in (``[display] timezone``; WIB by default)."""
    return display_zone(config.display.timezone if config is not None else "Asia/Jakarta")


def render(payload: dict, config: Config, fmt: str, images: ImageMode = "none") -> str:
    """``fmt`` is "txt" or "html"."""
    language = payload.get("language", "id")
    template = environment(config).select_template([f"{language}/digest.{fmt}.j2", f"digest.{fmt}.j2"])
    d = view(payload, zone_of(config))
    if fmt == "html":
        _attach_image_sources(d, payload, images, config)
    return template.render(d=d, t=labels(language))


def render_text(payload: dict, config: Config) -> str:
    """The digest as plain text: the email's text part, the demo's and --dry-run's output."""
    return render(payload, config, "txt")


def render_html(payload: dict, config: Config, images: ImageMode = "data") -> str:
    """The HTML digest; ``images="cid"`` for an email whose parts are ``chart_images(payload)``."""
    return render(payload, config, "html", images)


@dataclass(frozen=True)
class ChartImage:
    content_id: str  # without the angle brackets
    png: bytes


def chart_images(payload: dict, config: Config | None = None) -> list[ChartImage]:
    """The PNG of every chart in the digest, in the order the HTML shows them."""
    from alerts.charts import points_of, render_chart

    language = payload.get("language", "id")
    zone = zone_of(config)
    out = []
    for chart in _charts(payload):
        points = points_of(chart["series"], zone)
        if points:
            out.append(ChartImage(chart["content_id"], render_chart(points, chart["series"]["unit"], language)))
    return out


def _charts(payload: dict) -> list[dict]:
    """Every series of every metric with its Content-ID, in document order."""
    out = []
    number = 0
    for group in payload.get("groups", []):
        for metric in group["metrics"]:
            for series in metric.get("series", []):
                number += 1
                out.append({"metric": metric["metric"], "series": series,
                            "content_id": f"chart-{number}-{metric['metric']}@pantau"})
    return out


def _attach_image_sources(d: dict[str, Any], payload: dict, images: ImageMode, config: Config) -> None:
    """Give each chart of the view its ``src`` (cid: or data:), or drop the images."""
    pngs: dict[str, bytes] = {}
    if images == "data":
        pngs = {image.content_id: image.png for image in chart_images(payload, config)}
    for family in d["families"]:
        for metric in family["metrics"]:
            for chart in metric["charts"]:
                if images == "cid":
                    chart["src"] = f"cid:{chart['content_id']}"
                elif images == "data" and chart["content_id"] in pngs:
                    chart["src"] = "data:image/png;base64," + base64.b64encode(pngs[chart["content_id"]]).decode()
                else:
                    chart["src"] = ""


def subject(payload: dict) -> str:
    t = labels(payload.get("language", "id"))
    counts = payload.get("counts", {})
    conflicts = counts.get("conflict", 0)
    if not counts.get("new_value") and not counts.get("revised") and not conflicts:
        return t["subject_empty"]
    text = t["subject"].format(new=counts.get("new_value", 0), revised=counts.get("revised", 0))
    return text + (t["subject_conflicts"].format(n=conflicts) if conflicts else "")


def view(payload: dict, zone: tzinfo | None = None) -> dict[str, Any]:
    """Display strings for the templates, so templates only lay out and never compute.

    ``zone``: where the reader's clock is (WIB when None)."""
    language = payload.get("language", "id")
    zone = zone or zone_of(None)
    t = labels(language)
    content_ids = {(c["metric"], id(c["series"])): c["content_id"] for c in _charts(payload)}
    families = []
    for group in payload.get("groups", []):
        metrics = []
        for metric in group["metrics"]:
            name = metric_name(metric["metric"], language)
            charts = []
            for series in metric.get("series", []):
                trend = trend_text(series, language, zone)
                charts.append({"content_id": content_ids[(metric["metric"], id(series))], "trend": trend,
                               "alt": t["chart_alt"].format(name=name, trend=trend), "src": ""})
            metrics.append({
                "metric": metric["metric"],
                "name": name,
                "history_url": metric.get("history_url"),
                "more": t["more"].format(n=metric["more"]) if metric.get("more") else "",
                "lines": [_view_item(item, language, t, zone) for item in metric["items"]],
                "charts": charts,
                "trend": " · ".join(chart["trend"] for chart in charts),
            })
        families.append({"family": group["family"],
                         "title": t.get(f"family_{group['family']}", group["family"]), "metrics": metrics})
    counts = payload.get("counts", {})
    health = [_view_health(h, language, t, zone) for h in payload.get("health", [])]
    failures = [{"channel": f["channel"], "recipient": f["recipient"], "attempts": f["attempts"],
                 "error": f["error"], "date": format_datetime(f.get("failed_at"), language, zone)}
                for f in payload.get("delivery_failures", [])]
    return {
        "recipient": payload.get("recipient", ""),
        "language": language,
        "date": format_date(payload.get("created_at"), language, zone),
        "datetime": format_datetime(payload.get("created_at"), language, zone),
        "subject": subject(payload),
        "families": families,
        "empty": not families,
        "nothing_new": _nothing_new(payload, language, t, zone) if not families else "",
        "health": health,
        "failures": failures,
        "footer_counts": t["footer_counts"].format(
            new=counts.get("new_value", 0), revised=counts.get("revised", 0),
            health=counts.get("health", 0), filtered=counts.get("filtered_out", 0))
        + (t["footer_conflicts"].format(n=counts["conflict"]) if counts.get("conflict") else ""),
        # One line per pantau retag run instead of its figures ("N artikel dibaca ulang, …").
        "retags": [t["retag_line"].format(articles=_count(r["articles"], language),
                                          figures=_count(r["figures_changed"], language))
                   for r in payload.get("retags", [])],
        "footer_window": (t["footer_window"].format(first=counts["first_finding_id"], last=counts["last_finding_id"])
                          if counts.get("first_finding_id") is not None else ""),
        "digest_id": payload.get("digest_id"),
    }


def _count(n: int, language: str) -> str:
    """A whole count with the language's thousands separator: 100.000 / 100,000."""
    text = f"{n:,}"
    return text.replace(",", ".") if language == "id" else text


def _nothing_new(payload: dict, language: str, t: dict[str, str], zone: tzinfo) -> str:
    if "since" not in payload:  # a payload built before version 2
        return t["nothing_new"]
    if payload["since"] is None:
        return t["nothing_new_first"]
    return t["nothing_new_since"].format(date=format_datetime(payload["since"], language, zone))


def trend_text(series: dict, language: str = "id", zone: tzinfo | None = None) -> str:
    """'3,79 jt (2017) → 4,6 jt (2017) → 26,1 jt (2026)': a series' last TREND_POINTS values."""
    points = []
    for point in series.get("points", [])[-TREND_POINTS:]:
        moment = in_zone(point.get("at"), zone or zone_of(None))
        when = f" ({moment.year})" if moment is not None else ""
        points.append(format_compact(point.get("value"), series.get("unit"), language) + when)
    return " → ".join(points)


def _previous_year(item: dict, t: dict[str, str]) -> str:
    """The previous value's year when it differs from this value's ("tahun 2019"), else ""."""
    if "previous_year" not in item or item.get("previous_value") is None:
        return ""  # unknown (older payloads, revisions): say nothing rather than guess
    year = item["previous_year"]
    if year == item.get("year"):
        return ""
    return f"{t['year']} {year}" if year is not None else t["no_year"]


def _view_item(item: dict, language: str, t: dict[str, str], zone: tzinfo) -> dict[str, Any]:
    unit = item.get("unit")
    sentence = item.get("sentence") or ""
    span = item.get("highlight")
    if span:
        before, match, after = sentence[:span[0]], sentence[span[0]:span[1]], sentence[span[1]:]
    else:
        before, match, after = sentence, "", ""
    revised = item["kind"] == "revised"
    conflict = item["kind"] == "conflict"
    value = format_value(item.get("value"), unit, language, item.get("value_max"))
    previous_year = "" if revised or conflict else _previous_year(item, t)
    previous_source = ", ".join(part for part in (
        item.get("previous_site") or "", format_date(item.get("previous_published_at"), language, zone),
        t["in_this_digest"] if item.get("previous_in_digest") else "") if part)
    if revised or conflict or item.get("previous_value") is None:
        previous_source = ""
    return {
        "kind": item["kind"],
        "kind_label": t["revised"] if revised else t["conflict"] if conflict else t["new_value"],
        "revised": revised,
        "conflict": conflict,
        # The other source of a conflict: its value as written and normalised, site, date, link.
        "other": format_value(item.get("other_value"), unit, language) if conflict else "",
        "other_surface": item.get("other_surface") or "",
        "other_site": item.get("other_site") or "",
        "other_date": format_date(item.get("other_published_at"), language) if conflict else "",
        "other_url": item.get("other_url") or "",
        "period": item.get("period") or "",
        "scope": item.get("scope") or "",
        "surface": item.get("surface") or "",
        "value": value,
        # The words as written, when they differ from the normalised value ("delapan juta UMKM").
        "show_surface": bool(item.get("surface")) and item["surface"].casefold() != value.casefold(),
        "previous": (format_value(item["previous_value"], unit, language)
                     if item.get("previous_value") is not None else ""),
        # Where the previous value comes from, and its year when that differs from this value's.
        "previous_year": previous_year,
        "previous_source": previous_source,
        "previous_note": " · ".join(part for part in (previous_year, previous_source) if part),
        "change": format_change(item.get("abs_change"), item.get("pct_change"), unit, language),
        "first_value": item.get("previous_value") is None,
        "was": item.get("old_surface") or format_value(item.get("old_value"), unit, language),
        "was_date": format_date(item.get("previous_published_at"), language, zone),
        "now_date": format_date(item.get("published_at"), language, zone),
        "flag": t["target"] if item.get("is_target") else t["actual"],
        "is_target": bool(item.get("is_target")),
        "year": item.get("year"),
        "site": item.get("site") or "",
        "date": format_date(item.get("published_at"), language, zone),
        "before": before, "match": match, "after": after,
        "url": item.get("url") or "",
        "previous_url": item.get("previous_url") or "",
        "title": item.get("title") or "",
    }


def health_note(health: dict, language: str = "en", zone: tzinfo | None = None) -> dict[str, Any]:
    """A health note as the digest shows it (``problem``, ``detail``, ``since``): `pantau status`
    words the open problems with it, so status and digest say the same."""
    return _view_health(health, language, labels(language), zone or zone_of(None))


def health_line(note: dict[str, Any]) -> str:
    """'detik: feed empty (…) · since 24 Nov 2026 14:00 WIB': one note on one line."""
    detail = f" ({note['detail']})" if note["detail"] else ""
    since = f" · {note['since']}" if note["since"] else ""
    return f"{note['site']}: {note['problem']}{detail}{since}"


def _view_health(health: dict, language: str, t: dict[str, str], zone: tzinfo) -> dict[str, Any]:
    """A health note in the digest's language: a problem pantau knows reads as a sentence
    ("feed kosong …"), another keeps its code (its title when known) and detail."""
    code = health["problem"]
    wording = t.get(f"problem_{code}")
    problem, detail = t.get(f"title_{code}", code), health["detail"]
    if wording:
        try:
            problem, detail = wording.format(**health.get("fields", {})), ""
        except (KeyError, IndexError, ValueError):
            pass  # a detail of another shape (plain text): the title and the text
    opened = health.get("opened_at")
    since = t["health_since"].format(date=format_datetime(opened, language, zone)) if opened else ""
    return {"site": health.get("site") or "", "problem": problem, "detail": detail, "code": code,
            "new": bool(health.get("new")), "since": since,
            "date": format_date(health.get("created_at"), language, zone)}
