"""A real ``redis-server`` for tests: its own process on a free loopback port, data in a temp folder.

    with RedisServer(tmp_path) as server:
        server.url   # "redis://127.0.0.1:PORT/0"

Tests that need one use the ``redis_server`` fixture (tests/conftest.py); it skips, with the reason,
only where the binary is missing: CI (``.ci/run``) installs Debian's redis-server and sets
``PANTAU_REQUIRE_REDIS=1``, so there a missing server is a failure, never a skip.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

# Seconds a fresh server gets to answer PING: it starts in milliseconds; a loaded CI machine is slower.
START_TIMEOUT_SECONDS = 10.0


def redis_binary() -> str | None:
    return shutil.which("redis-server")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    def __init__(self, folder: Path, binary: str | None = None) -> None:
        self.folder = folder
        self.binary = binary or redis_binary() or "redis-server"
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        import redis

        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        # No persistence (the tests' data lives as long as the server), loopback only, no config file.
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
                "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no"]
        log = (self.folder / "redis.log").open("wb")
        self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1)
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    text = (self.folder / "redis.log").read_text(errors="replace")[-500:]
                    raise RuntimeError(f"redis-server did not start on port {self.port}: {text}") from None
                time.sleep(0.02)

    def client(self):  # type: ignore[no-untyped-def]
        import redis

        return redis.Redis.from_url(self.url)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
