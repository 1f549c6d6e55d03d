"""Placeholder: replaced by the module's owner."""

import click

@click.command(name="digest")
def digest_command() -> None:
    raise click.ClickException("not implemented yet")


