"""Screenshots of what people read, from a real `pantau demo` run, with headless Chromium.

    .venv/bin/python bench/screenshot_digest.py [--out-dir docs] [--language id|en]

Runs the demo (mirror on loopback, two crawls, two digests) into a temporary folder, then shoots:
  digest.png            the second HTML digest (new and revised values, charts, health)
  datasette-figures.png the figure_list view in Datasette (`pantau browse`)
  datasette-history.png the metric-history page of umkm_online with its chart
  datasette-findings.png the finding_list view
Nothing leaves the machine: Chromium runs with every background fetch switched off, the pages
only load from 127.0.0.1 or a local file. Needs Debian's `chromium` (apt-get install -y chromium).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PANTAU = [sys.executable, "-m", "cli"]
# Chromium flags: no sandbox (runs as root in CI containers), nothing fetched in the background.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--force-device-scale-factor=1"]
# (file, path under the Datasette database, window size): tall enough for a screen of rows.
DATASETTE_PAGES = [
    ("datasette-figures.png", "/figure_list?_size=12", "1400,1150"),
    ("datasette-history.png", "/metric_history?metric=umkm_online", "1400,1250"),
    ("datasette-findings.png", "/finding_list?_size=10", "1400,1150"),
]
# Taller than any demo digest; the empty page below it is cut off afterwards.
DIGEST_WINDOW = "760,9000"
# Rows of the page's own background kept under the content when the rest is cut.
TRIM_MARGIN = 16
# Datasette needs a moment to import and open the store.
SERVER_WAIT_SECONDS = 30.0


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise SystemExit("chromium not found: apt-get install -y chromium (as root)")
    return found


def screenshot(url: str, out: Path, window: str) -> None:
    with tempfile.TemporaryDirectory() as profile:
        command = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={out.resolve()}",
                   f"--window-size={window}", "--virtual-time-budget=3000", url]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0 or not out.exists():
        raise SystemExit(f"chromium failed on {url}: {result.stderr[-2000:]}")
    print(f"wrote {out} ({out.stat().st_size} bytes)")


def trim_bottom(path: Path) -> None:
    """Cut the screenshot after its last row that is not the page background (plus a margin)."""
    from PIL import Image, ImageChops

    with Image.open(path) as image:
        rgb = image.convert("RGB")
        background = Image.new("RGB", rgb.size, rgb.getpixel((rgb.width - 1, rgb.height - 1)))
        box = ImageChops.difference(rgb, background).getbbox()
        if box is not None:
            rgb.crop((0, 0, rgb.width, min(rgb.height, box[3] + TRIM_MARGIN))).save(path, optimize=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def wait_for(url: str) -> None:
    deadline = time.monotonic() + SERVER_WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"Datasette did not answer at {url}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=REPO / "docs")
    parser.add_argument("--language", choices=("id", "en"), default="id")
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pantau-shots-") as tmp:
        demo_dir = Path(tmp) / "demo"
        subprocess.run([*PANTAU, "demo", "--output-dir", str(demo_dir), "--language", args.language], check=True,
                       cwd=REPO, stdout=subprocess.DEVNULL)
        digests = sorted(demo_dir.glob("digest-*.html"))
        screenshot(digests[-1].as_uri(), args.out_dir / "digest.png", DIGEST_WINDOW)
        trim_bottom(args.out_dir / "digest.png")
        port = free_port()
        server = subprocess.Popen([*PANTAU, "--config", str(demo_dir / "pantau.toml"), "browse", "--no-open",
                                   "--port", str(port)], cwd=REPO, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}/pantau"
            wait_for(base)
            for name, path, window in DATASETTE_PAGES:
                screenshot(base + path, args.out_dir / name, window)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
