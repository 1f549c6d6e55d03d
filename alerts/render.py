"""Rendering a digest payload: text and HTML through Jinja2 templates a user can override.

Templates are looked up in ``[alerts] templates_dir`` first, then in the bundled ``alerts/templates``;
within each, ``<language>/digest.<format>.j2`` before ``digest.<format>.j2``. HTML templates are
autoescaped, so page text (titles, sentences) can never become markup in an email.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from alerts.formatting import format_change, format_date, format_datetime, format_value
from alerts.labels import labels, metric_name
from pantau_config import Config

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


def render(payload: dict, config: Config, fmt: str) -> str:
    """``fmt`` is "txt" or "html"."""
    language = payload.get("language", "id")
    template = environment(config).select_template([f"{language}/digest.{fmt}.j2", f"digest.{fmt}.j2"])
    return template.render(d=view(payload), t=labels(language))


def render_text(payload: dict, config: Config) -> str:
    """The digest as plain text: the email's text part, the demo's and --dry-run's output."""
    return render(payload, config, "txt")


def render_html(payload: dict, config: Config) -> str:
    return render(payload, config, "html")


def subject(payload: dict) -> str:
    t = labels(payload.get("language", "id"))
    counts = payload.get("counts", {})
    conflicts = counts.get("conflict", 0)
    if not counts.get("new_value") and not counts.get("revised") and not conflicts:
        return t["subject_empty"]
    text = t["subject"].format(new=counts.get("new_value", 0), revised=counts.get("revised", 0))
    return text + (t["subject_conflicts"].format(n=conflicts) if conflicts else "")


def view(payload: dict) -> dict[str, Any]:
    """Display strings for the templates, so templates only lay out and never compute."""
    language = payload.get("language", "id")
    t = labels(language)
    families = []
    for group in payload.get("groups", []):
        metrics = []
        for metric in group["metrics"]:
            metrics.append({
                "metric": metric["metric"],
                "name": metric_name(metric["metric"], language),
                "history_url": metric.get("history_url"),
                "more": t["more"].format(n=metric["more"]) if metric.get("more") else "",
                "lines": [_view_item(item, language, t) for item in metric["items"]],
            })
        families.append({"family": group["family"],
                         "title": t.get(f"family_{group['family']}", group["family"]), "metrics": metrics})
    counts = payload.get("counts", {})
    health = [_view_health(h, language, t) for h in payload.get("health", [])]
    failures = [{"channel": f["channel"], "recipient": f["recipient"], "attempts": f["attempts"],
                 "error": f["error"], "date": format_date(f.get("failed_at"), language)}
                for f in payload.get("delivery_failures", [])]
    return {
        "recipient": payload.get("recipient", ""),
        "language": language,
        "date": format_date(payload.get("created_at"), language),
        "subject": subject(payload),
        "families": families,
        "empty": not families,
        "nothing_new": _nothing_new(payload, language, t) if not families else "",
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


def _nothing_new(payload: dict, language: str, t: dict[str, str]) -> str:
    if "since" not in payload:  # a payload built before version 2
        return t["nothing_new"]
    if payload["since"] is None:
        return t["nothing_new_first"]
    return t["nothing_new_since"].format(date=format_datetime(payload["since"], language))


def _previous_year(item: dict, t: dict[str, str]) -> str:
    """The previous value's year when it differs from this value's ("tahun 2019"), else ""."""
    if "previous_year" not in item or item.get("previous_value") is None:
        return ""  # unknown (older payloads, revisions): say nothing rather than guess
    year = item["previous_year"]
    if year == item.get("year"):
        return ""
    return f"{t['year']} {year}" if year is not None else t["no_year"]


def _view_item(item: dict, language: str, t: dict[str, str]) -> dict[str, Any]:
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
        item.get("previous_site") or "", format_date(item.get("previous_published_at"), language),
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
        "was_date": format_date(item.get("previous_published_at"), language),
        "now_date": format_date(item.get("published_at"), language),
        "flag": t["target"] if item.get("is_target") else t["actual"],
        "is_target": bool(item.get("is_target")),
        "year": item.get("year"),
        "site": item.get("site") or "",
        "date": format_date(item.get("published_at"), language),
        "before": before, "match": match, "after": after,
        "url": item.get("url") or "",
        "previous_url": item.get("previous_url") or "",
        "title": item.get("title") or "",
    }


def _view_health(health: dict, language: str, t: dict[str, str]) -> dict[str, Any]:
    """A health note; problems pantau itself reports (e.g. no_new_articles) read as a sentence."""
    wording = t.get(f"problem_{health['problem']}")
    problem, detail = health["problem"], health["detail"]
    if wording:
        try:
            problem, detail = wording.format(**health.get("fields", {})), ""
        except (KeyError, IndexError, ValueError):
            pass  # keep the raw problem name and detail
    return {"site": health.get("site") or "", "problem": problem, "detail": detail,
            "date": format_date(health.get("created_at"), language)}
