"""History charts and trends: inline PNG parts with Content-IDs in the email, a real Date offset,
the text trend in the text part and Slack, charts that follow the stored series."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime

from test_alerts_support import make_config
from test_store_support import article, figure

from alerts import build_due_digests, render_html, render_text
from alerts.channels.email import build_message
from alerts.channels.slack import build_blocks
from alerts.charts import Point, axis_range, render_chart
from alerts.formatting import format_compact
from alerts.render import chart_images, trend_text

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
# Own sentences: a series of UMKM-online counts over the years.
SERIES = [
    ("https://republika.co.id/berita/a1/umkm-2017", "2017-03-04T10:00:00+07:00", "3,79 juta", 3_790_000),
    ("https://finance.detik.com/berita-ekonomi-bisnis/d-1/umkm-2017b", "2017-11-16T10:00:00+07:00", "4,6 juta", 4_600_000),
    ("https://www.liputan6.com/bisnis/read/2/umkm-2021", "2021-06-01T10:00:00+07:00", "12,7 juta", 12_700_000),
    ("https://www.komdigi.go.id/berita/siaran-pers/detail/umkm-2026", "2026-11-20T10:00:00+07:00", "26,1 juta", 26_100_000),
]


def _fill(store) -> None:
    for url, published, surface, value in SERIES:
        text = f"Pemerintah mencatat {surface} UMKM sudah berjualan secara online."
        store.record_article(article(url, text, published_at=published),
                             [figure(text, f"{surface} UMKM", value)], fetched_at=NOW)


def _digest(tmp_path, store, **recipient):
    _fill(store)
    config = make_config(tmp_path, recipients=[{"name": "redaksi", "email": ["redaksi@example.org"], **recipient}],
                         smtp={"host": "127.0.0.1", "port": 2525, "security": "none"})
    (digest,) = build_due_digests(store, config, NOW)
    return config, digest


def test_email_has_one_inline_png_per_chart_named_by_the_html(tmp_path, store):
    config, digest = _digest(tmp_path, store)
    message = email.message_from_bytes(bytes(build_message(digest.id, digest.payload, _recipient(config), config,
                                                           now=NOW)), policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    text_part, html_part = message.get_payload()
    assert text_part.get_content_type() == "text/plain"
    assert html_part.get_content_type() == "multipart/related"
    html, *images = html_part.get_payload()
    assert html.get_content_type() == "text/html" and images
    for image in images:
        assert image.get_content_type() == "image/png"
        assert image.get_content().startswith(b"\x89PNG\r\n\x1a\n")
        cid = image["Content-ID"].strip("<>")
        assert f'src="cid:{cid}"' in html.get_content()
    assert "data:image" not in html.get_content()  # mail clients block data: images; cid only


def test_email_date_header_has_the_display_zone_offset(tmp_path, store):
    config, digest = _digest(tmp_path, store)
    message = build_message(digest.id, digest.payload, _recipient(config), config, now=NOW)
    assert message["Date"] == "Tue, 24 Nov 2026 14:00:00 +0700"
    parsed = email.utils.parsedate_to_datetime(message["Date"])
    assert parsed == NOW and parsed.utcoffset().total_seconds() == 7 * 3600
    other = make_config(tmp_path, display={"timezone": "Asia/Makassar"})  # WITA, UTC+8
    assert build_message(digest.id, digest.payload, _recipient(config), other, now=NOW)["Date"].endswith("+0800")


def test_text_part_and_slack_show_the_trend(tmp_path, store):
    config, digest = _digest(tmp_path, store)
    trend = "3,79 jt (2017) → 4,6 jt (2017) → 12,7 jt (2021) → 26,1 jt (2026)"
    assert f"Tren: {trend}" in render_text(digest.payload, config)
    slack = "\n".join(b["text"]["text"] for b in build_blocks(digest.payload, config) if b.get("type") == "section")
    assert trend in slack


def test_chart_series_marks_the_values_of_this_digest(tmp_path, store):
    config, digest = _digest(tmp_path, store)
    (group,) = digest.payload["groups"]
    (metric,) = group["metrics"]
    (series,) = metric["series"]
    assert [p["value"] for p in series["points"]] == [v for *_, v in SERIES]
    assert all(p["new"] for p in series["points"])  # a first digest: every value is new
    assert [image.content_id for image in chart_images(digest.payload, config)] == ["chart-1-umkm_online@pantau"]
    html = render_html(digest.payload, config)  # a standalone file: the image inside
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="Grafik UMKM online: 3,79 jt', html)


def test_english_trend_and_compact_numbers():
    series = {"unit": "persen", "points": [{"at": "2020-03-04T03:00:00+00:00", "value": 73.7},
                                           {"at": "2024-11-16T03:00:00+00:00", "value": 79.5}]}
    assert trend_text(series, "en") == "73.7% (2020) → 79.5% (2024)"
    assert format_compact(30_500_000_000_000, "rupiah", "id") == "Rp 30,5 T"
    assert format_compact(12_548, "desa", "id") == "12.548"
    assert format_compact(150, "gbps", "en") == "150"


def test_axis_is_round_and_covers_the_values():
    low, high, step = axis_range([3_790_000, 26_100_000])
    assert (low, high, step) == (0, 30_000_000, 15_000_000)
    assert axis_range([73.7, 79.5])[0] <= 73.7 and axis_range([73.7, 79.5])[1] >= 79.5


def test_single_point_chart_renders():
    png = render_chart([Point(NOW, 4_600_000.0, new=True)], "umkm", "id")
    assert png.startswith(b"\x89PNG") and len(png) > 1000


def _recipient(config):
    (recipient,) = config.recipients
    return recipient
