"""A real redis-server on a free loopback port, for the tests of the store stream.

``redis_server(tmp)`` starts Debian's ``redis-server`` (installed by .ci/run when missing) with no
persistence, in the test's own folder, and stops it afterwards. A missing binary fails the test
with the install line: these tests must run in CI, never skip.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# How long a fresh redis-server may take to answer PING (it starts in milliseconds).
START_TIMEOUT_SECONDS = 10.0


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):  # type: ignore[no-untyped-def]
        import redis

        return redis.Redis.from_url(self.url)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def redis_server(folder: Path, port: int | None = None) -> Iterator[RedisServer]:
    """A running redis-server (on ``port``, else a free one), stopped when the block ends."""
    import pytest
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (apt-get install -y redis-server; .ci/run does this)")
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = RedisServer(port, process)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            server.client().ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.02)
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
