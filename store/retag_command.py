"""``pantau retag``: re-read the stored articles with the current tagger and taxonomy."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import click

from store.retag import POOL_MIN_ARTICLES

# Progress goes to stderr every this many articles (a 100 000-article store: a hundred lines).
DEFAULT_PROGRESS_EVERY = 1000


def parse_since(value: str) -> str:
    """``--since``: a date (``2024-01-31``, a WIB day) or an ISO 8601 time, as stored (UTC ISO)."""
    from kernel.times import WIB, to_utc_iso

    text = value.strip()
    try:
        if len(text) == 10:
            return to_utc_iso(datetime.fromisoformat(text).replace(tzinfo=WIB))
        parsed = to_utc_iso(text)
    except ValueError:
        parsed = None
    if parsed is None:
        raise click.BadParameter(f"not a date (YYYY-MM-DD) or ISO 8601 time: {value!r}")
    return parsed


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _record_line(record: dict) -> str:
    flags = ", ".join(part for part in (
        record.get("when") or "now", record.get("scope") or "", f"year {record['year']}" if record.get("year") else "")
        if part)
    value = _number(record["value"])
    if record.get("value_max") is not None:
        value += "–" + _number(record["value_max"])
    return f"{record['metric']} {value} {record['unit']} \"{record['surface']}\" ({flags})"


@click.command(name="retag")
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE (YYYY-MM-DD in WIB, "
              "or an ISO 8601 time).")
@click.option("--site", "sites", metavar="SITE", multiple=True,
              help="Only this site's articles (repeat for several): detik, liputan6, republika, komdigi.")
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option("--store", "store_option", type=click.Path(dir_okay=False, path_type=Path),
              help="Store file (default: [store] path from the config).")
@click.option("--workers", type=click.IntRange(min=-1), default=-1, show_default=True,
              help="Tagging processes beside the one that writes (-1: one per core but that one; 0: none). "
                   f"Used for runs of {POOL_MIN_ARTICLES:,} articles or more.")
@click.option("--progress-every", type=click.IntRange(min=1), default=DEFAULT_PROGRESS_EVERY, show_default=True,
              help="Print progress on stderr every N articles.")
@click.pass_context
def retag_command(ctx: click.Context, since: str | None, sites: tuple[str, ...], dry_run: bool,
                  store_option: Path | None, workers: int, progress_every: int) -> None:
    """Re-run the current tagger and taxonomy over the stored article texts.

    Each article whose figures come from another tagger version is read again, in one transaction:
    unchanged figures stay, replaced ones are withdrawn (reason "retag"), new ones are stored and
    series and findings recomputed. Running it again changes nothing; a killed run is resumed by
    the next one. The next digest sums it up in one line.
    """
    from cli import fail
    from extract import tag_text
    from kernel.sites import SITES
    from store import Store, StoreError
    from store.commands import _store_path
    from store.retag import count_to_retag, retag
    from store.retag import dry_run as plan_all

    unknown = [s for s in sites if s not in SITES]
    if unknown:
        fail(f"retag: unknown site {', '.join(map(repr, unknown))} (known: {', '.join(SITES)})")
    try:
        since_utc = parse_since(since) if since else None
    except click.BadParameter as exc:
        fail(f"retag: --since: {exc.message}")
    path = _store_path(ctx, store_option)
    config = ctx.obj.config()
    try:
        store = Store.from_config(config, path)
    except StoreError as exc:
        fail(str(exc))
    with store:
        version = store.tagger_version
        total = count_to_retag(store, since_utc, sites)
        if not total:
            click.echo(f"retag: nothing to do: every article is tagged with {version}")
            return
        started = time.monotonic()
        if dry_run:
            def show(change) -> None:
                if change.removed or change.added:
                    click.echo(change.url)
                    for row in change.removed:
                        click.echo(f"  - {_record_line(row)}")
                    for record in change.added:
                        click.echo(f"  + {_record_line(record)}")

            articles, changed = plan_all(store, lambda text: tag_text(text, store.taxonomy), since=since_utc,
                                         sites=sites, on_article=show)
            click.echo(f"retag (dry run): {articles:,} article(s) would be read again with {version}, "
                       f"{changed:,} figure(s) would change; nothing was written")
            return

        this_call = 0

        def progress(run, change) -> None:
            nonlocal this_call
            this_call += 1
            if this_call % progress_every == 0:
                click.echo(f"retag: {run.articles_done:,} of {run.articles_total:,} articles, "
                           f"{run.figures_changed:,} figures changed ({_rate(this_call, started)})", err=True)

        report = retag(store, lambda text: tag_text(text, store.taxonomy), since=since_utc, sites=sites,
                       on_article=progress, workers=workers,
                       taxonomy_files=[str(f) for f in config.taxonomy.files], taxonomy_replace=config.taxonomy.replace)
        run = report.run
        if run is None:
            click.echo(f"retag: nothing to do: every article is tagged with {version}")
            return
        resumed = " (resumed a run that was cut short)" if run.resumed else ""
        click.echo(f"retag: {run.articles_done:,} article(s) read again with {version}{resumed}, "
                   f"{run.figures_changed:,} figure(s) changed; this call: {report.articles:,} in "
                   f"{time.monotonic() - started:.1f} s ({_rate(report.articles, started)})")


def _rate(articles: int, started: float) -> str:
    seconds = time.monotonic() - started
    return f"{articles / seconds:,.0f} articles/s" if seconds > 0 else "–"
