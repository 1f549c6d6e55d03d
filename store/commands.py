"""Placeholder: replaced by the module's owner."""

import click

@click.command(name="status")
def status_command() -> None:
    raise click.ClickException("not implemented yet")


@click.command(name="browse")
def browse_command() -> None:
    raise click.ClickException("not implemented yet")


