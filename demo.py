"""``pantau init`` (a commented sample pantau.toml) and ``pantau demo`` (the whole cycle on the mirror).

The sample config is generated from the dataclasses in ``pantau_config.py`` and the comments above
their fields, so it covers every option and can't drift from the code; ``SECTION_NOTES`` and
``FIELD_NOTES`` add what a user needs that the code comments don't say.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

import click

import pantau_config
from pantau_config import SITES, Config, RecipientConfig, SiteConfig

# ------------------------------------------------------------------------------ sample config

SECTION_NOTES: dict[str, str] = {
    "store": "The SQLite store: articles, their versions, figures, findings, digests, deliveries.\n"
             "The daemon's lock file sits next to it (<path>.lock). Browse it with `pantau browse`.",
    "crawl": "What to crawl and how politely. The defaults crawl the live sites.",
    "taxonomy": "The metrics figures are tagged with (bundled default: UMKM going digital, connectivity).",
    "schedule": "The daemon (`pantau run`). Cron: \"minute hour day month weekday\" (weekday 0 or 7 =\n"
                "Sunday, names like mon-fri work too), or six fields with seconds first. \"\" disables a job.",
    "smtp": "Email delivery. Leave host empty to send no email (digests still go to files).",
    "alerts": "Digests and their delivery (outbox). Without SMTP or Slack, digests are files here.",
    "recipients": "One [[recipients]] table per person or channel; each gets its own digest.\n"
                  "With no [[recipients]] at all, one catch-all recipient writes files to the outbox.",
    "display": "How people see times and words: digests, feeds, `pantau status`, Datasette.",
}

FIELD_NOTES: dict[tuple[str, str], str] = {
    ("store", "path"): "Relative paths are read from this file's folder.",
    ("crawl", "roots"): 'Example (the local mirror, see `pantau mirror`):\n'
                        'roots = { "https://inet.detik.com" = "http://127.0.0.1:8001" }',
    ("crawl", "keywords"): "Lower-case substrings of a title or summary that make an article worth fetching.",
    ("crawl", "sites"): "Per-site switches, one table per site.",
    ("taxonomy", "files"): 'Example: files = ["my-metrics.toml"]',
    ("smtp", "sender"): "The From: header (the key `from` works too).",
    ("smtp", "password_env"): 'Example: password_env = "PANTAU_SMTP_PASSWORD"',
    ("recipients", "email"): 'Example: email = ["redaksi@example.org"] (needs [smtp] host).',
    ("recipients", "slack_webhook_env"): 'Example: slack_webhook_env = "PANTAU_SLACK_WEBHOOK"',
    ("recipients", "families"): 'Metric families to include: "umkm", "connectivity"; empty means all.',
    ("recipients", "sites"): f"Sites to include ({', '.join(SITES)}); empty means all.",
    ("recipients", "figures"): '"targets" (planned numbers), "actuals" (achieved) or "all".',
}

# The example recipient in the sample: files only, so the sample works without SMTP or Slack.
SAMPLE_RECIPIENT = RecipientConfig(name="team", files=True)


def _field_comments(cls: type) -> dict[str, list[str]]:
    """The ``#`` comment lines right above each field of a dataclass, from its source."""
    comments: dict[str, list[str]] = {}
    pending: list[str] = []
    for line in inspect.getsource(cls).splitlines()[1:]:
        stripped = line.strip()
        if stripped.startswith("#"):
            pending.append(stripped.lstrip("#").strip())
            continue
        match = re.match(r"\s{4}(\w+)\s*:", line)
        if match:
            comments[match.group(1)] = pending
        pending = []
    return comments


def toml_value(value: Any) -> str:
    """A Python config value as an inline TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, Path):
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are valid TOML
    if isinstance(value, (list, tuple)):
        items = [toml_value(v) for v in value]
        one_line = "[" + ", ".join(items) + "]"
        if len(one_line) <= 90:
            return one_line
        lines, current = [], ""
        for item in items:  # wrap long lists, as a person would
            if current and len(current) + len(item) > 90:
                lines.append(current.rstrip())
                current = ""
            current += item + ", "
        lines.append(current.rstrip().rstrip(","))
        return "[\n    " + ",\n    ".join(line.rstrip(",") for line in lines) + ",\n]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + " }" \
            if value else "{}"
    raise TypeError(f"no TOML form for {value!r}")


def _comment(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in text.splitlines()]


def _fields_block(section: str, obj: Any, skip: tuple[str, ...] = ()) -> list[str]:
    cls = type(obj)
    comments = _field_comments(cls)
    hints = get_type_hints(cls)
    lines: list[str] = []
    for f in dataclasses.fields(cls):
        if f.name in skip or f.name == "source":
            continue
        notes = list(comments.get(f.name, []))
        if (section, f.name) in FIELD_NOTES:
            notes.append(FIELD_NOTES[(section, f.name)])
        elif get_origin(hints[f.name]) is Literal:
            notes.append("One of: " + ", ".join(json.dumps(a) for a in get_args(hints[f.name])) + ".")
        for note in notes:
            lines += _comment(note)
        lines.append(f"{f.name} = {toml_value(getattr(obj, f.name))}")
    return lines


def sample_config() -> str:
    """The commented sample ``pantau.toml``: every option with its default value."""
    defaults = Config()
    out = [
        "# pantau configuration: every option, set to its default. Delete what you don't change.",
        "# Check it with `pantau status`; run the daemon with `pantau run`. Unknown keys are errors.",
        "# Secrets never go here: name the environment variables that hold them (*_env keys).",
    ]
    for f in dataclasses.fields(Config):
        if f.name == "source":
            continue
        out += ["", *_comment(SECTION_NOTES[f.name])]
        if f.name == "recipients":
            out += ["[[recipients]]", *_fields_block("recipients", SAMPLE_RECIPIENT)]
            continue
        section = getattr(defaults, f.name)
        if f.name == "crawl":
            out += ["[crawl]", *_fields_block("crawl", section, skip=("sites",))]
            out += _comment(FIELD_NOTES[("crawl", "sites")])
            for site in SITES:
                out += ["", f"[crawl.sites.{site}]", *_fields_block("crawl.sites", section.sites.get(site, SiteConfig()))]
            continue
        out += [f"[{f.name}]", *_fields_block(f.name, section)]
    return "\n".join(out) + "\n"


@click.command(name="init")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=pantau_config.CONFIG_FILENAME)
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def init_command(path: Path, force: bool) -> None:
    """Write a commented sample config to PATH (default ./pantau.toml) with every option and its default."""
    from cli import fail

    if path.exists() and not force:
        fail(f"{path} already exists; use --force to overwrite it", code=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sample_config(), encoding="utf-8")
    click.echo(f"wrote {path}: edit [crawl], [schedule] and [[recipients]], then `pantau run`")


# ------------------------------------------------------------------------------------- the demo

# The demo crawls a local mirror, so politeness delays would only slow it down; these settings
# would be rude on the live sites and are never written anywhere but the demo's own config.
DEMO_CRAWL = {
    "download_delay": 0.0,
    "autothrottle": False,
    # Enough parallel requests per mirror host that a crawl of the whole corpus takes seconds.
    "concurrent_per_domain": 8,
    # The demo must end within a minute: a crawl that hangs is cut off well before that.
    "time_limit_seconds": 40.0,
    "download_timeout": 10.0,
    "retry_times": 1,
}
# SIGTERM then SIGKILL a crawl child this long after the demo's time limit (it prints its summary first).
DEMO_KILL_GRACE_SECONDS = 5.0


# Clock steps between the two rounds: the corpus's own step (new and edited hand-written
# articles) and one more of the mirror's ongoing ones (national series going on, another edit).
DEMO_STEPS = 2


def demo_settings(roots: dict[str, str], language: str, timezone: str = "Asia/Jakarta") -> dict[str, Any]:
    """The demo's pantau.toml as a dict: a store and outbox next to the file, crawling ``roots``."""
    from mirror.corpus import corpus_age_days

    return {
        "store": {"path": "pantau.db"},
        # The corpus reaches back to 2017: the first crawl takes all of it, so the digests and
        # Datasette show series over years (a live crawl keeps the default of 7 days).
        "crawl": {**DEMO_CRAWL, "roots": dict(roots), "max_age_days": corpus_age_days()},
        "alerts": {"outbox_dir": "outbox"},
        "display": {"timezone": timezone, "language": language},
        "recipients": [{"name": "demo", "files": True, "send_when_empty": True, "language": language}],
    }


def _mirror(synthetic: int) -> Any:
    from mirror import Mirror

    return Mirror(synthetic=synthetic) if synthetic else Mirror()


def _pantau_command() -> str:
    """How the user can call pantau again: "pantau" if that is on PATH, else the script's own path
    (``./bootstrap demo`` runs .venv/bin/pantau, which is usually not on PATH)."""
    import os
    import shutil

    script = Path(sys.argv[0])
    if script.name != "pantau":
        return "pantau"
    on_path = shutil.which("pantau")
    if on_path and Path(on_path).resolve() == script.resolve():
        return "pantau"
    relative = os.path.relpath(script.resolve())
    return relative if not relative.startswith("..") else str(script.resolve())


def _headline(text: str) -> None:
    click.echo("")
    click.secho(f"== {text} ", bold=True, nl=False)
    click.secho("=" * max(3, 76 - len(text)), bold=True)


def _crawl(config: Config, label: str) -> bool:
    """One `pantau crawl` in a child process, its summary shown indented; False when it failed."""
    import threading

    from scheduler import crawl_argv, run_child

    _headline(f"{label}: crawling the four sites on the mirror")
    lines: list[str] = []
    result = run_child(crawl_argv(config) + ["--quiet"], time_limit=config.crawl.time_limit_seconds + 5,
                       stop=threading.Event(), grace=DEMO_KILL_GRACE_SECONDS, on_line=lines.append)
    # Scrapy's log is long; the per-site summary table at the end is what a newcomer wants to see.
    start = next((i for i, line in enumerate(lines) if line.startswith("site") and "discovered" in line), None)
    shown = lines[start:] if start is not None and result.status == "ok" else result.tail
    for line in shown:
        click.echo(f"  {line}")
    errors = sum(1 for line in lines if " ERROR " in line)
    click.echo(f"  ({result.seconds:.1f} s, {result.status}"
               + (f", {errors} error lines in the crawl log" if errors else "") + ")")
    return result.status == "ok"


def _digest(config: Config, out_dir: Path, label: str) -> list[Path]:
    """Build and deliver the due digest, print its text form, save its HTML; the HTML paths."""
    from alerts import render_html, render_text, run_digests
    from scheduler import open_store

    _headline(f"{label}: digest")
    now = datetime.now(UTC)
    html_paths: list[Path] = []
    with open_store(config) as store:
        built, report = run_digests(store, config, now)
    for digest in built:
        click.echo(render_text(digest.payload, config).rstrip())
        html = out_dir / f"digest-{digest.id}-{digest.recipient}.html"
        html.write_text(render_html(digest.payload, config), encoding="utf-8")
        html_paths.append(html)
    if not built:
        click.echo("  (nothing new for this digest)")
    click.echo(f"  deliveries: {report}")
    return html_paths


@click.command(name="demo")
@click.option("--output-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the demo's config, store, outbox and digests "
                   "(default: ./demo-output/<UTC time>/; must be new or empty).")
@click.option("--language", type=click.Choice(["en", "id"]), default=None,
              help="Language of the digests (default: [display] language of your pantau.toml, else id).")
@click.option("--synthetic", type=int, default=0, show_default=True,
              help="Add this many generated articles to the mirror's hand-written corpus.")
@click.pass_context
def demo_command(ctx: click.Context, output_dir: Path | None, language: str | None, synthetic: int) -> None:
    """Run the whole cycle twice against the bundled mirror: crawl → extract → tag → store → digest,
    advance the mirror's clock (new and edited articles), crawl and digest again.

    Nothing leaves this machine: the mirror serves the four sites on 127.0.0.1, the store is new,
    and digests are written to files (an outbox folder) instead of being sent."""
    import tomli_w

    from cli import fail
    from pantau_config import load_config

    started = time.monotonic()
    user_config = ctx.obj.config()  # the user's pantau.toml (if any): its language and time zone
    language = language or user_config.display.language
    out_dir = output_dir or Path("demo-output") / datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    if out_dir.exists() and any(out_dir.iterdir()):
        fail(f"{out_dir} is not empty: the demo needs a fresh folder (use --output-dir)")
    out_dir.mkdir(parents=True, exist_ok=True)
    out_dir = out_dir.resolve()

    mirror = _mirror(synthetic)
    mirror.start()
    try:
        config_path = out_dir / "pantau.toml"
        config_path.write_text(
            "# Written by `pantau demo`: crawls the local mirror with no politeness delays.\n"
            + tomli_w.dumps(demo_settings(mirror.roots, language, user_config.display.timezone)), encoding="utf-8")
        config = load_config(config_path)
        click.echo(f"pantau demo: mirror of {len(mirror.roots)} hosts on 127.0.0.1; "
                   f"fresh store in {out_dir}")
        ok = _crawl(config, "Round 1")
        html = _digest(config, out_dir, "Round 1")
        for _ in range(DEMO_STEPS):
            mirror.step()
        click.echo(f"\nThe mirror's clock moved on {DEMO_STEPS} steps: new articles are published and some "
                   "old ones edited.")
        ok = _crawl(config, "Round 2") and ok
        html += _digest(config, out_dir, "Round 2")
    finally:
        mirror.stop()

    _headline("Where everything is")
    click.echo(f"  config : {config_path}")
    click.echo(f"  store  : {config.store.path}")
    click.echo(f"  outbox : {config.alerts.outbox_dir}  (the digests as .eml and .json files)")
    click.echo(f"  feed   : {config.alerts.outbox_dir / 'findings.atom'}  (Atom feed of the findings)")
    for path in html:
        click.echo(f"  HTML   : {path}")
    pantau = _pantau_command()
    click.echo(f"  browse : {pantau} browse --store {config.store.path}   (Datasette, read-only)")
    click.echo(f"  status : {pantau} --config {config_path} status")
    click.echo(f"done in {time.monotonic() - started:.1f} s")
    if not ok:
        fail("a crawl failed (its output is above)", code=1)
