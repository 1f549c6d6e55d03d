"""A calm terminal: an unreachable site is one line per site and reason (no traceback), progress
shows fetched / queued with an ETA and marks a finished site done, `scrapy crawl SITE -O FILE`
exports items like any Scrapy project."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

from crawler.run import failure_lines, progress_part
from crawler.state import reason_kind
from mirror.corpus import corpus_age_days

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 180  # a hung crawl fails the test instead of hanging the suite


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: connections are refused


def _config(tmp_path: Path, roots: dict[str, str]) -> Path:
    path = tmp_path / "pantau.toml"
    path.write_text(tomli_w.dumps({"store": {"path": str(tmp_path / "pantau.db")}, "crawl": {
        "download_delay": 0.0, "autothrottle": False, "concurrent_per_domain": 8, "retry_times": 1,
        "download_timeout": 5.0, "time_limit_seconds": 90.0, "roots": roots, "roots_only": True,
        "max_age_days": corpus_age_days()}}), encoding="utf-8")
    return path


@pytest.mark.e2e
def test_unreachable_sites_are_one_line_each_without_tracebacks(tmp_path):
    from mirror.server import BASE_HOSTS

    dead = f"http://127.0.0.1:{_closed_port()}"
    config = _config(tmp_path, {f"https://{host}": dead for host in BASE_HOSTS})
    out = subprocess.run([sys.executable, "-m", "cli", "--config", str(config), "crawl"], capture_output=True,
                         text=True, timeout=TIMEOUT, cwd=REPO)
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.startswith("pantau: ")]
    per_site = [line for line in lines if "failed:" in line and "as a whole" not in line]
    assert sorted(line.split(":")[1].strip() for line in per_site) == ["detik", "komdigi", "liputan6", "republika"]
    assert all("connection refused" in line for line in per_site), per_site
    assert any("failed as a whole" in line for line in lines)
    noise = [line for line in out.stderr.splitlines()
             if not line.startswith(("pantau: ", "crawl: ", "crawl "))]
    assert noise == [], noise  # nothing but pantau's own lines
    # The details are in the store and at --log-level DEBUG.
    import sqlite3

    with sqlite3.connect(tmp_path / "pantau.db") as conn:
        assert conn.execute("select count(*) from crawl_errors").fetchone()[0] >= 4
    debug = subprocess.run([sys.executable, "-m", "cli", "--log-level", "DEBUG", "--config", str(config), "crawl",
                            "detik"], capture_output=True, text=True, timeout=TIMEOUT, cwd=REPO)
    assert "Connection was refused" in debug.stderr or "ConnectionRefused" in debug.stderr


@pytest.mark.e2e
def test_scrapy_crawl_logs_like_scrapy_and_exports_items(tmp_path):
    from mirror import Mirror

    with Mirror() as mirror:
        config = _config(tmp_path, mirror.roots)
        items = tmp_path / "items.jsonl"
        env = {**os.environ, "PANTAU_CONFIG": str(config)}
        out = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "komdigi", "-O", str(items)],
                             capture_output=True, text=True, timeout=TIMEOUT, cwd=REPO, env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "INFO: Spider opened" in out.stderr and "Dumping Scrapy stats" in out.stderr
    assert "Stored jsonl feed" in out.stderr
    rows = [json.loads(line) for line in items.read_text(encoding="utf-8").splitlines()]
    assert rows and all(row["status"] == "new" and row["url"].startswith("https://www.komdigi.go.id/")
                        for row in rows)


def test_progress_shows_fetched_queued_eta_and_done():
    counts = {"fetched": 60, "new": 5, "errors": 1}
    assert progress_part("detik", counts, 40, 30.0, done=False) == \
        "detik 60 fetched, 40 queued, new 5, err 1, ETA 20 s"
    assert progress_part("detik", counts, 0, 41.2, done=True) == "detik done: 60 fetched, new 5, err 1 in 41 s"


def test_failure_kinds_drop_hosts_and_urls():
    assert reason_kind("discovery failed: DNSLookupError: DNS lookup failed: no results for hostname lookup: "
                       "inet.detik.com.") == "discovery failed: DNS lookup failed"
    assert reason_kind("fetch failed: HTTP 503") == "fetch failed: HTTP 503"
    assert failure_lines({"detik": {"error_reasons": {"fetch failed: HTTP 503": 3}}}) == [
        "detik: 3 article page(s) failed: HTTP 503"]
