"""Placeholder: replaced by the module's owner."""

import click

@click.command(name="extract")
def extract_command() -> None:
    raise click.ClickException("not implemented yet")


@click.command(name="tag")
def tag_command() -> None:
    raise click.ClickException("not implemented yet")


