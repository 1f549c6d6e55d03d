"""Placeholder: replaced by the module's owner."""

import click

@click.command(name="run")
def run_command() -> None:
    raise click.ClickException("not implemented yet")


