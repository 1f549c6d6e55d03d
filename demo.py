"""Placeholder: replaced by the module's owner."""

import click

@click.command(name="init")
def init_command() -> None:
    raise click.ClickException("not implemented yet")


@click.command(name="demo")
def demo_command() -> None:
    raise click.ClickException("not implemented yet")


