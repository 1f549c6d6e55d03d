"""``pantau store-writer``: run the store stream's writer in the foreground (store/stream_writer.py)."""

from __future__ import annotations

import fcntl
import os
import signal
import threading
from pathlib import Path
from typing import Any

import click

# Exit codes: 1 Redis unreachable or another writer runs, 2 bad input (cli), 3 store unwritable.
EXIT_UNREACHABLE = 1
EXIT_STORE_UNAVAILABLE = 3


def writer_lock_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".writer.lock")


def take_writer_lock(store_path: Path) -> int | None:
    """An exclusive flock on ``<store>.writer.lock`` (one writer per store keeps stream order);
    the fd, or None when another writer holds it. Released when the process ends."""
    path = writer_lock_path(store_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


@click.command(name="store-writer")
@click.option("--store", "store_option", type=click.Path(dir_okay=False, path_type=Path),
              help="Store file (default: [store] path from the config).")
@click.option("--until-empty", is_flag=True, help="Exit once the stream has no more entries (a one-off drain).")
@click.pass_context
def store_writer_command(ctx: click.Context, store_option: Path | None, until_empty: bool) -> None:
    """Commit the store stream that crawler nodes fill ([crawl] frontier) to the SQLite store.

    Entries are acknowledged only after their commit; on start the entries an earlier writer left
    unacknowledged are applied first (once: each entry's id is stored with it). SIGTERM finishes
    the batch in hand and exits 0. Progress lines (WIB) go to stderr.
    """
    import redis

    from cli import fail
    from kernel.errors import StoreUnavailable
    from kernel.store_stream import redis_client
    from store import Store
    from store.stream_writer import StreamWriter, _first_line

    config = ctx.obj.config()
    url = config.crawl.frontier
    if not url:
        fail("store-writer: [crawl] frontier is not set; without a frontier each crawl writes the store itself")
    path = store_option or config.store.path
    client = redis_client(url)
    try:
        client.ping()
    except redis.RedisError as exc:
        fail(f"store-writer: cannot reach Redis at {url}: {_first_line(exc)}", EXIT_UNREACHABLE)
    if take_writer_lock(Path(path)) is None:
        fail(f"store-writer: another store writer holds {writer_lock_path(Path(path))}", EXIT_UNREACHABLE)
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    store = Store.from_config(config, path)

    def log(line: str) -> None:
        click.echo(line, err=True)

    writer = StreamWriter(store, client, url=url, log=log)
    try:
        mirrored = writer.prepare()
        log(f"{writer._stamp()} store-writer: writing {url} stream to {path} as {writer.consumer}; "
            f"{mirrored} articles mirrored for the crawlers")
        counts = writer.run(stop, until_empty=until_empty)
    except StoreUnavailable as exc:
        fail(f"store-writer: {exc}; unacknowledged entries stay on the stream for the next start",
             EXIT_STORE_UNAVAILABLE)
    except redis.RedisError as exc:
        fail(f"store-writer: cannot reach Redis at {url}: {_first_line(exc)}", EXIT_UNREACHABLE)
    finally:
        store.close()
    log(f"{writer._stamp()} store-writer: stopped after {counts.line()}")
