"""``pantau status`` and ``pantau browse``."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import click

# Datasette's own default port; `--port 0` picks a free one.
DEFAULT_PORT = 8001


def _store_path(ctx: click.Context, store_option: Path | None) -> Path:
    from cli import fail

    path = store_option or ctx.obj.config().store.path
    if not path.exists():
        fail(f"no store at {path} yet: run `pantau crawl` (or `pantau demo`) first")
    return path


@click.command(name="status")
@click.option("--store", "store_option", type=click.Path(dir_okay=False, path_type=Path),
              help="Store file (default: [store] path from the config).")
@click.pass_context
def status_command(ctx: click.Context, store_option: Path | None) -> None:
    """Show the last crawl run per site, open source-health problems and unsent deliveries."""
    from cli import fail
    from store import Store, StoreError
    from store.status import render_status

    path = _store_path(ctx, store_option)
    try:
        with Store.from_config(ctx.obj.config(), path) as store:
            click.echo(render_status(store))
    except StoreError as exc:
        fail(str(exc))


def datasette_command(path: Path, metadata_path: Path, *, host: str, port: int, open_browser: bool,
                      immutable: bool) -> list[str]:
    """The ``datasette serve`` command line for the store.

    Datasette opens a mutable file with read-only connections (``mode=ro``), which still sees the
    crawler's new rows; ``immutable`` (``-i``) is for a snapshot copy nobody writes to.
    """
    command = [sys.executable, "-m", "datasette", "serve"]
    command += ["-i", str(path)] if immutable else [str(path)]
    command += ["--metadata", str(metadata_path), "--host", host, "--port", str(port)]
    if open_browser:
        command.append("--open")
    return command


def run_datasette(command: list[str]) -> int:
    """Run Datasette until it exits; Ctrl-C or SIGTERM to pantau stops it too (no orphan server)."""
    child = subprocess.Popen(command)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


@click.command(name="browse")
@click.option("--store", "store_option", type=click.Path(dir_okay=False, path_type=Path),
              help="Store file (default: [store] path from the config).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", "-p", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--no-open", is_flag=True, help="Do not open a web browser.")
@click.option("--immutable", is_flag=True,
              help="Open the file as immutable (faster; only for a copy that nothing writes to).")
@click.pass_context
def browse_command(ctx: click.Context, store_option: Path | None, host: str, port: int, no_open: bool,
                   immutable: bool) -> None:
    """Open the store in Datasette, read-only, with pantau's canned queries."""
    from cli import fail
    from store import Store, StoreError
    from store.queries import datasette_metadata

    path = _store_path(ctx, store_option)
    try:
        Store.from_config(ctx.obj.config(), path).close()  # bring an older file to the current schema before serving it
    except StoreError as exc:
        fail(str(exc))
    with tempfile.TemporaryDirectory(prefix="pantau-browse-") as folder:
        metadata_path = Path(folder) / "metadata.json"
        metadata_path.write_text(json.dumps(datasette_metadata(path.stem), ensure_ascii=False), encoding="utf-8")
        command = datasette_command(path, metadata_path, host=host, port=port, open_browser=not no_open,
                                    immutable=immutable)
        click.echo(f"Serving {path} read-only on http://{host}:{port}/ (Ctrl-C stops)", err=True)
        code = run_datasette(command)
    if code:
        sys.exit(code)
