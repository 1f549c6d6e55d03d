"""`pantau digest`: build the due digests, then deliver everything that is due."""

from __future__ import annotations

from datetime import UTC, datetime

import click


@click.command(name="digest")
@click.option("--dry-run", is_flag=True,
              help="Print the digests that are due (text form) without storing, sending or marking anything.")
@click.pass_obj
def digest_command(obj, dry_run: bool) -> None:  # noqa: ANN001
    """Build a digest per recipient over the findings since their last one and send it
    (email, Slack, files); retry deliveries that failed earlier and are due again."""
    from alerts import plan_digests, render_text, run_digests
    from store import Store, outbox

    config = obj.config()
    now = datetime.now(UTC)
    store = Store.from_config(config)
    try:
        if dry_run:
            planned = [d for d in plan_digests(store, config, now) if not d.quiet]
            for digest in planned:
                window = (f"findings #{digest.first_finding_id}–#{digest.last_finding_id}" if digest.has_findings
                          else f"no new findings, window {digest.window_end}")
                click.echo(f"=== {digest.recipient} via {', '.join(digest.channels)} ({window}) ===")
                click.echo(render_text(digest.payload, config))
            counts = outbox.delivery_counts(store)
            click.echo(f"dry run: {len(planned)} digest(s) due; nothing stored or sent "
                       f"({counts['pending'] + counts['sending']} deliveries already pending)")
            return
        built, report = run_digests(store, config, now)
        counts = outbox.delivery_counts(store)
        click.echo(f"{len(built)} digest(s) built; deliveries: {report.sent} sent, {report.failed} failed, "
                   f"{counts['pending'] + counts['sending']} pending")
        if report.failed:
            raise SystemExit(1)
    finally:
        store.close()
