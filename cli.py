"""The ``pantau`` command.

Each subcommand lives next to the code it drives (``extract/commands.py``, ``store/commands.py``,
``crawler/commands.py``, ``mirror/commands.py``, ``alerts/commands.py``, ``scheduler.py``, ``demo.py``) and is imported only
when it runs: ``pantau tag`` never pays for importing Scrapy or Datasette.
"""

from __future__ import annotations

import importlib
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import click

from pantau_config import Config, ConfigError, load_config

# name -> ("module:attribute" of a click.Command, one-line help); the order is the order in --help.
# The help line is kept here so that `pantau --help` lists commands without importing them.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "init": ("demo:init_command", "Write a commented sample pantau.toml."),
    "demo": ("demo:demo_command", "Run a full crawl → digest cycle twice against the bundled mirror."),
    "crawl": ("crawler.commands:crawl_command", "Crawl the enabled sites once and store new figures."),
    "mirror": ("mirror.commands:mirror_command", "Serve the local mirror of the four sites."),
    "extract": ("extract.commands:extract_command", "Extract one saved page: text, metadata, figures."),
    "tag": ("extract.commands:tag_command", "Tag the figures in a UTF-8 text file (JSON Lines)."),
    "digest": ("alerts.commands:digest_command", "Build and send due digests."),
    "run": ("scheduler:run_command", "Run the scheduler daemon in the foreground."),
    "status": ("store.commands:status_command", "Show last runs, source health, pending deliveries."),
    "browse": ("store.commands:browse_command", "Open the store in Datasette (read-only)."),
    "store-writer": ("store.stream_writer_command:store_writer_command",
                     "Commit the store stream that crawler nodes fill ([crawl] frontier)."),
    "retag": ("store.retag_command:retag_command", "Re-read stored articles with the current tagger and taxonomy."),
}

# Exit code for bad input (unreadable file, invalid config), as the issues specify.
EXIT_BAD_INPUT = 2
# Exit code when the store can't be used right now (disk full, read-only, locked): not bad input.
EXIT_STORE_UNAVAILABLE = 3


@dataclass
class CliContext:
    """What every subcommand receives as ``ctx.obj``."""

    config_path: Path | None = None
    _config: Config | None = field(default=None, repr=False)

    def config(self, *, required: bool = False) -> Config:
        """The loaded config; a bad config ends the command with a clear message and exit code 2."""
        if self._config is None:
            try:
                self._config = load_config(self.config_path, required=required)
            except ConfigError as exc:
                fail(f"invalid configuration: {exc}")
        return self._config


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print ``pantau: <message>`` on stderr and exit with ``code``."""
    click.echo(f"pantau: {message}", err=True)
    sys.exit(code)


class LazyGroup(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        """Anticipated failures of any subcommand end as one line, never a traceback."""
        from kernel.errors import StoreError, StoreUnavailable

        try:
            return super().invoke(ctx)
        except StoreUnavailable as exc:
            fail(str(exc), EXIT_STORE_UNAVAILABLE)
        except StoreError as exc:
            fail(f"cannot open the store: {exc}")
        except ConfigError as exc:
            fail(f"invalid configuration: {exc}")
        return None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target[0].split(":")
        module = importlib.import_module(module_name)
        return getattr(module, attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, short) in SUBCOMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "-c", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              envvar="PANTAU_CONFIG", help="Config file (default: ./pantau.toml if present, else built-in defaults).")
@click.option("--log-level", default="WARNING", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
              help="Log level for messages on stderr.")
@click.version_option(package_name="pantau", prog_name="pantau")
@click.pass_context
def main(ctx: click.Context, config_path: Path | None, log_level: str) -> None:
    """pantau keeps watch over Indonesian news for figures on UMKM going digital and on internet
    connectivity: it crawls, extracts, tags every figure with its source sentence, stores it in
    SQLite and sends digests when a new or changed number appears."""
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ctx.obj = CliContext(config_path=config_path)


if __name__ == "__main__":
    main()
