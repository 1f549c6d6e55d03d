"""Render a realistic digest's HTML part and screenshot it with headless Chromium (docs/digest.png).

    .venv/bin/python bench/screenshot_digest.py [--out docs/digest.png] [--language id|en] [--html-only]

The findings are made from the owner's sample articles (seeds 000–004); nothing touches a store or
the network: Chromium runs with every background fetch switched off and the page has no external
resources.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from alerts.digest import build_payload  # noqa: E402
from alerts.render import render_html  # noqa: E402
from pantau_config import RecipientConfig, config_from_dict  # noqa: E402
from store.models import Finding  # noqa: E402

NOW = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
REPUBLIKA_004 = "https://republika.co.id/berita/ozjv5k382/delapan-juta-umkm-ditargetkan-melek-internet-2019"
# Chromium flags: no sandbox (runs as root in CI containers), nothing fetched in the background.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
WINDOW = "1000,1900"  # wide enough for the 720 px email column, tall enough for a full digest


def sample_findings() -> list[Finding]:
    common = {"created_at": "2026-11-24T00:00:00+00:00"}
    return [
        Finding(id=101, kind="new_value", site="republika", metric="umkm_online", family="umkm", unit="umkm",
                value=4.6e6, surface="4,6 juta UMKM", is_target=False, previous_value=3.79e6,
                abs_change=810000.0, pct_change=21.37,
                sentence="REPUBLIKA.CO.ID, JAKARTA -- Kementerian Komunikasi dan Informatika menyebutkan "
                         "terdapat 4,6 juta UMKM yang telah mengakses online.",
                url="https://republika.co.id/berita/ozjv5k382/delapan-juta-umkm-ditargetkan-melek-internet-2019",
                title="Delapan Juta UMKM Ditargetkan Melek Internet 2019",
                published_at="2017-11-16T01:36:00+07:00", **common),
        Finding(id=102, kind="new_value", site="republika", metric="umkm_online_target", family="umkm",
                unit="umkm", value=8e6, surface="delapan juta UMKM", is_target=True, year=2019,
                sentence="Pemerintah memiliki target mengonlinekan delapan juta UMKM hingga tahun 2019, "
                         "namun sekarang baru 4,6 juta.",
                url="https://republika.co.id/berita/ozjv5k382/delapan-juta-umkm-ditargetkan-melek-internet-2019",
                title="Delapan Juta UMKM Ditargetkan Melek Internet 2019",
                published_at="2017-11-16T01:36:00+07:00", **common),
        Finding(id=103, kind="new_value", site="detik", metric="internet_access_points", family="connectivity",
                unit="titik", value=7634.0, surface="7.634 titik", is_target=False, previous_value=5300.0,
                abs_change=2334.0, pct_change=44.04,
                sentence="\"Pemerintah melalui Kemkominfo telah menyediakan 7.634 titik internet gratis "
                         "di berbagai daerah,\" kata Mahfud.",
                url="https://news.detik.com/berita/d-5064321/mahfud-md-pemerintah-telah-sediakan-7634-titik-internet-gratis",
                title="Mahfud MD: Pemerintah Telah Sediakan 7.634 Titik Internet Gratis",
                published_at="2020-06-23T14:10:00+07:00", **common),
        Finding(id=104, kind="revised", site="liputan6", metric="villages_unconnected", family="connectivity",
                unit="desa", value=14000.0, surface="14 ribu desa", is_target=False, old_value=12500.0,
                previous_value=12500.0, abs_change=1500.0, pct_change=12.0,
                sentence="Kalau tidak salah sebanyak 14 ribu desa yang belum terkoneksi akan dilakukan "
                         "percepatan, ujar Erick.",
                url="https://www.liputan6.com/bisnis/read/4331234/erick-thohir-ict-14-ribu-desa",
                title="Erick Thohir: Percepatan ICT di 14 Ribu Desa dalam 2 Tahun",
                published_at="2020-08-16T18:30:00+07:00", previous_published_at="2020-08-16T05:30:00+07:00",
                detail={"old_surface": "12.500 desa"}, **common),
        Finding(id=105, kind="new_value", site="liputan6", metric="ict_budget_idr", family="connectivity",
                unit="rupiah", value=3.05e13, surface="Rp 30,5 triliun", is_target=False, year=2021,
                previous_value=2.65e13, abs_change=4.0e12, pct_change=15.09,
                sentence="Untuk pembangunan ICT di tahun 2021 besar anggarannya mencapai Rp 30,5 triliun "
                         "(termasuk melalui TKDD).",
                url="https://www.liputan6.com/bisnis/read/4331234/erick-thohir-ict-14-ribu-desa",
                title="Erick Thohir: Percepatan ICT di 14 Ribu Desa dalam 2 Tahun",
                published_at="2020-08-16T18:30:00+07:00", **common),
        Finding(id=106, kind="new_value", site="komdigi", metric="digital_talent_target", family="connectivity",
                unit="orang", value=9e6, surface="9 juta talenta digital", is_target=True, year=2030,
                sentence="Indonesia sampai 2030 setidaknya membutuhkan 9 juta talenta digital.",
                url="https://www.komdigi.go.id/berita/kominfo-dukung-gerakan-bangga-buatan-indonesia",
                title="Kominfo Dukung Gerakan Bangga Buatan Indonesia <BBI>",
                published_at="2020-05-14T09:00:00+07:00", **common),
        # Two first values of one crawl (the newer article stored first): the digest compares them.
        Finding(id=107, kind="new_value", site="komdigi", metric="internet_penetration_pct", family="connectivity",
                unit="persen", value=79.5, surface="79,5 persen", is_target=False, year=2024,
                sentence="Penetrasi internet nasional kini mencapai 79,5 persen dari total penduduk.",
                url="https://www.komdigi.go.id/berita/penetrasi-internet-nasional",
                title="Penetrasi Internet Nasional Terus Naik", published_at="2024-02-07T10:00:00+07:00", **common),
        Finding(id=108, kind="new_value", site="detik", metric="internet_penetration_pct", family="connectivity",
                unit="persen", value=73.7, surface="73,7 persen", is_target=False, year=2020,
                sentence="Pengguna internet di Indonesia sudah mencapai 73,7 persen dari populasi.",
                url="https://inet.detik.com/cyberlife/d-4991234/pengguna-internet-indonesia",
                title="Pengguna Internet Indonesia Tembus 73,7 Persen", published_at="2020-11-10T12:00:00+07:00",
                **common),
        # A target for another year than the value it is compared with: the year is shown.
        Finding(id=109, kind="new_value", site="komdigi", metric="umkm_online_target", family="umkm",
                unit="umkm", value=30e6, surface="30 juta UMKM", is_target=True, year=2024,
                previous_value=8e6, abs_change=22e6, pct_change=275.0, previous_figure_id=9001,
                previous_published_at="2017-11-16T01:36:00+07:00",
                previous_url=REPUBLIKA_004, sentence="Pemerintah menargetkan 30 juta UMKM masuk ekosistem digital pada 2024.",
                url="https://www.komdigi.go.id/berita/target-30-juta-umkm-digital",
                title="Target 30 Juta UMKM Go Digital", published_at="2021-06-01T09:00:00+07:00", **common),
        Finding(id=110, kind="source_health", site="komdigi",
                detail={"problem": "feed_empty", "message": "API berita kosong 5 kali berturut-turut"},
                **common),
    ]


def render(language: str) -> str:
    config = config_from_dict({"alerts": {"datasette_url": "http://127.0.0.1:8001"}}, base=REPO)
    recipient = RecipientConfig(name="redaksi", language=language)
    failures = [{"digest_id": 41, "recipient": "tim-slack", "channel": "slack", "attempts": 6,
                 "last_error": "Slack webhook answered HTTP 500: internal_error",
                 "failed_at": "2026-11-23T22:15:00+00:00"}]
    findings = sample_findings()
    payload = build_payload(findings, findings + [findings[0]], failures, recipient, config, NOW,
                            since="2026-11-23T00:00:00+00:00", previous_years={9001: 2019})
    payload["digest_id"] = 42
    return render_html(payload, config)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "digest.png")
    parser.add_argument("--language", choices=("id", "en"), default="id")
    parser.add_argument("--html-only", action="store_true", help="write the HTML next to --out, no screenshot")
    args = parser.parse_args()
    html = render(args.language)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.html_only:
        args.out.with_suffix(".html").write_text(html, encoding="utf-8")
        print(f"wrote {args.out.with_suffix('.html')}")
        return 0
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium not found: apt-get install -y chromium (as root)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "digest.html"
        page.write_text(html, encoding="utf-8")
        command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile",
                   f"--screenshot={args.out.resolve()}", f"--window-size={WINDOW}", page.as_uri()]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0 or not args.out.exists():
        print(result.stderr[-2000:], file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
