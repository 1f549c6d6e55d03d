"""``pantau status`` and ``pantau browse``."""

from __future__ import annotations

import errno
import json
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from pantau_config import Config

# Datasette's own default port; `--port 0` picks a free one.
DEFAULT_PORT = 8001
# How many ports above a taken one `pantau browse` tries before it names none.
FREE_PORT_SEARCH = 50


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
    """Check the config, then show the last crawl run per site, open source-health problems and
    unsent deliveries. Before the first crawl it says the config is valid and no store exists yet
    (exit code 0)."""
    from alerts.digest import problem_payload
    from alerts.render import health_line, health_note
    from cli import fail
    from kernel.times import display_zone
    from store import Store, StoreError
    from store.status import render_status

    config = ctx.obj.config()  # a bad config ends here, exit code 2, naming the key
    source = f"{config.source} is valid" if config.source else "no pantau.toml: built-in defaults (live sites)"
    click.echo(f"Config: {source}")
    path = store_option or config.store.path
    if not path.exists():
        if store_option is not None:
            fail(f"no store at {path}")
        click.echo(f"Store {path}: none yet; `pantau crawl` (or `pantau run`) creates it with the first crawl")
        return
    zone = display_zone(config.display.timezone)
    try:
        with Store.from_config(config, path) as store:
            click.echo(render_status(store, zone=zone, describe=lambda problem: health_line(
                health_note(problem_payload(problem), "en", zone))))
            if config.crawl.frontier:
                from store.stream_writer import stream_status

                click.echo(stream_status(store, config.crawl.frontier))
    except StoreError as exc:
        fail(str(exc))


def port_is_free(host: str, port: int) -> bool:
    """True when ``host:port`` can be bound now (the server started next is likely to get it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def free_port_near(host: str, port: int) -> int | None:
    """The first free port above ``port`` (within FREE_PORT_SEARCH), else one the system picks."""
    for candidate in range(port + 1, min(65536, port + 1 + FREE_PORT_SEARCH)):
        if port_is_free(host, candidate):
            return candidate
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        found: int = sock.getsockname()[1]
    return found


DATASETTE_DIR = Path(__file__).resolve().parent / "datasette"
# Table views cut long cells (article text, sentences) to this many characters; a row's own page
# shows them whole.
TRUNCATE_CELLS = 300


def datasette_command(path: Path, metadata_path: Path, *, host: str, port: int, open_browser: bool,
                      immutable: bool) -> list[str]:
    """The ``datasette serve`` command line for the store, with pantau's plugin and template.

    Datasette opens a mutable file with read-only connections (``mode=ro``), which still sees the
    crawler's new rows; ``immutable`` (``-i``) is for a snapshot copy nobody writes to.
    """
    command = [sys.executable, "-m", "datasette", "serve"]
    command += ["-i", str(path)] if immutable else [str(path)]
    command += ["--metadata", str(metadata_path), "--host", host, "--port", str(port),
                "--plugins-dir", str(DATASETTE_DIR / "plugins"), "--template-dir", str(DATASETTE_DIR / "templates"),
                "--setting", "truncate_cells_html", str(TRUNCATE_CELLS)]
    if open_browser:
        command.append("--open")
    return command


def browse_metadata(path: Path, config: Config) -> dict:
    """The metadata `pantau browse` serves the store with (facets the file can show, plugin settings)."""
    import sqlite3

    from store.queries import datasette_metadata, table_columns

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        columns = table_columns(conn)
    finally:
        conn.close()
    plugin = {"timezone": config.display.timezone, "language": config.display.language,
              "config": str(config.source.resolve()) if config.source else None, "database": path.stem}
    return datasette_metadata(path.stem, columns=columns, plugin=plugin)


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

    config = ctx.obj.config()
    path = _store_path(ctx, store_option)
    if port:
        try:
            free = port_is_free(host, port)
        except OSError as exc:
            fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
        if not free:
            other = free_port_near(host, port)
            fail(f"port {port} on {host} is taken (another Datasette?); port {other} is free: "
                 f"pantau browse --port {other}")
    else:
        port = free_port_near(host, DEFAULT_PORT - 1) or DEFAULT_PORT
    try:
        # Bring an older file to the current schema (and the metrics table to the taxonomy) first.
        Store.from_config(config, path).close()
    except StoreError as exc:
        fail(str(exc))
    with tempfile.TemporaryDirectory(prefix="pantau-browse-") as folder:
        metadata_path = Path(folder) / "metadata.json"
        metadata_path.write_text(json.dumps(browse_metadata(path, config), ensure_ascii=False), encoding="utf-8")
        command = datasette_command(path, metadata_path, host=host, port=port, open_browser=not no_open,
                                    immutable=immutable)
        url = f"http://{host}:{port}/{path.stem}"
        click.echo(f"Serving {path} read-only on {url} (Ctrl-C stops)\n"
                   f"  figures: {url}/figure_list · history: {url}/metric_history?metric=umkm_online\n"
                   f"  Atom feed: http://{host}:{port}/-/pantau/findings.atom", err=True)
        code = run_datasette(command)
    if code:
        sys.exit(code)
