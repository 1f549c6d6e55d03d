"""Placeholder: replaced by the module's owner."""

import click

@click.command(name="crawl")
def crawl_command() -> None:
    raise click.ClickException("not implemented yet")


@click.command(name="mirror")
def mirror_command() -> None:
    raise click.ClickException("not implemented yet")


