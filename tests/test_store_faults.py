"""Issue 14 items 11 and 12: a full disk, a read-only and a locked store, with `pantau` as a user runs it.

The full and read-only disks are a small tmpfs mounted for the test (it needs root, as CI runs;
elsewhere the test is skipped and says why). Full: the crawl stops, exits 3 with one line naming
the store and the cause, and a crawl after space returns stores everything. Read-only and locked:
every command says so in one line (exit 3), no traceback, no pointer to crawl_errors.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_crawl_e2e import CHILD_TIMEOUT_SECONDS, write_config

REPO = Path(__file__).resolve().parent.parent
# Room left on the small disk once the empty store is on it: a few articles fit, then it is full.
ROOM_KIB = 192
# The disk after space returns: far more than the crawl needs.
ROOMY_MIB = 64


def mount(folder: Path, options: str) -> None:
    subprocess.run(["mount", "-o", options, folder], check=True, capture_output=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if shutil.which("mount") is None or shutil.which("umount") is None:
        pytest.skip("needs mount(8) for a small tmpfs")
    folder = Path("/tmp") / f"pantau-disk-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={ROOMY_MIB}m,mode=0755", "tmpfs", folder],
                          capture_output=True, text=True)
    if made.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here (needs root): {made.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", folder], capture_output=True)
        folder.rmdir()


def pantau(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli", "--config", str(config), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=CHILD_TIMEOUT_SECONDS)


def config_on(folder: Path, tmp_path: Path, roots: dict[str, str], **crawl: object) -> Path:
    """pantau.toml in tmp_path with its store in ``folder``."""
    import tomllib

    import tomli_w

    config = write_config(tmp_path, roots, **crawl)
    data = tomllib.loads(config.read_text(encoding="utf-8"))
    data["store"] = {"path": str(folder / "pantau.db"), "busy_timeout_seconds": 2.0}
    data["alerts"] = {"outbox_dir": str(tmp_path / "outbox")}
    config.write_text(tomli_w.dumps(data), encoding="utf-8")
    return config


def one_clear_line(result: subprocess.CompletedProcess[str], store: Path, cause: str) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("pantau: ")]
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    assert len(lines) == 1, result.stderr
    assert str(store) in lines[0] and cause in lines[0], lines[0]
    assert "crawl_errors" not in result.stderr
    return lines[0]


def used_kib(folder: Path) -> int:
    stats = shutil.disk_usage(folder)
    return (stats.used + 1023) // 1024


def test_a_full_disk_fails_the_crawl_and_a_crawl_after_space_returns_completes_the_work(small_disk, tmp_path):
    from mirror import Mirror
    from mirror.corpus import load_corpus
    from store import Store

    store_path = small_disk / "pantau.db"
    with Mirror(synthetic=120) as mirror:
        config = config_on(small_disk, tmp_path, mirror.roots)
        Store.open(store_path).close()  # the empty store, then only a little room beside it
        mount(small_disk, f"remount,size={used_kib(small_disk) + ROOM_KIB}k")
        full = pantau(config, "crawl", "--quiet", "detik", "liputan6", "republika")
        assert full.returncode == 3, full.stderr
        line = one_clear_line(full, store_path, "the disk is full")
        assert "the crawl stopped and failed" in line

        mount(small_disk, f"remount,size={ROOMY_MIB}m")
        again = pantau(config, "crawl", "--quiet", "detik", "liputan6", "republika")
        assert again.returncode == 0, again.stderr
    with sqlite3.connect(store_path) as conn:
        kept = {url for (url,) in conn.execute("select url from articles")}
    wanted = {a.url for a in load_corpus() if a.site != "komdigi" and a.topical and a.visible_at(0)}
    assert wanted <= kept


def test_a_read_only_store_is_one_clear_line_for_every_command(small_disk, tmp_path):
    from mirror import Mirror
    from store import Store

    store_path = small_disk / "pantau.db"
    with Mirror() as mirror:
        config = config_on(small_disk, tmp_path, mirror.roots)
        Store.open(store_path).close()
        mount(small_disk, "remount,ro")
        crawl = pantau(config, "crawl", "--quiet", "detik")
        digest = pantau(config, "digest")
    assert crawl.returncode == 3 and digest.returncode == 3, (crawl.stderr, digest.stderr)
    for result in (crawl, digest):
        one_clear_line(result, store_path, "read-only")


def test_a_locked_store_is_one_clear_line_naming_the_store_and_the_lock(tmp_path):
    from mirror import Mirror
    from store import Store

    folder = tmp_path / "data"
    store_path = folder / "pantau.db"
    with Mirror() as mirror:
        config = config_on(folder, tmp_path, mirror.roots)
        Store.open(store_path).close()
        holder = sqlite3.connect(store_path)
        holder.execute("begin immediate")  # another process holds the write lock throughout
        try:
            crawl = pantau(config, "crawl", "--quiet", "detik")
            digest = pantau(config, "digest")
        finally:
            holder.rollback()
            holder.close()
    assert crawl.returncode == 3 and digest.returncode == 3, (crawl.stderr, digest.stderr)
    for result in (crawl, digest):
        one_clear_line(result, store_path, "locked by another process")
