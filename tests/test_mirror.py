"""The local mirror's server: one port per real host, listings, clock, validators, faults."""

from __future__ import annotations

import tomllib
from typing import Any

import httpx
import pytest

from mirror.server import Mirror

API = "/api/v1/contents/category/siaran-pers?perPage=100&page=1"
ORIGIN = {"Origin": "https://www.komdigi.go.id", "Referer": "https://www.komdigi.go.id/"}


@pytest.fixture(scope="module")
def mirror():
    m = Mirror().start()
    yield m
    m.stop()


@pytest.fixture()
def client():
    with httpx.Client(timeout=5) as c:
        yield c


def get(client, mirror, real_url, **kw):
    for origin, override in mirror.roots.items():
        if real_url.startswith(origin + "/"):
            return client.get(override + real_url[len(origin):], **kw)
    raise AssertionError(f"no root for {real_url}")


def test_each_real_host_has_its_own_loopback_port_and_the_roots_are_valid_config(mirror):
    from pantau_config import config_from_dict

    roots = mirror.roots
    assert "https://inet.detik.com" in roots and "https://web.komdigi.go.id" in roots
    assert len(set(roots.values())) == len(roots)
    assert all(v.startswith("http://127.0.0.1:") for v in roots.values())
    config = config_from_dict({"crawl": tomllib.loads(mirror.roots_toml())["crawl"]})
    assert config.crawl.roots == roots


def test_robots_txt_per_host(mirror, client):
    rep = get(client, mirror, "https://www.republika.co.id/robots.txt").text
    assert "User-agent: Scrapy\nDisallow: /" in rep and "Sitemap: https://republika.co.id/files/xml/sitemap.xml" in rep
    assert "User-agent: GPTBot" in get(client, mirror, "https://inet.detik.com/robots.txt").text
    assert "Disallow: /search" in get(client, mirror, "https://www.liputan6.com/robots.txt").text


def test_feeds_and_sitemaps_list_real_urls_and_honour_validators(mirror, client):
    rss = get(client, mirror, "https://inet.detik.com/rss")
    assert rss.status_code == 200 and "<link>https://inet.detik.com/" in rss.text and "127.0.0.1" not in rss.text
    assert get(client, mirror, "https://inet.detik.com/rss", headers={"If-None-Match": rss.headers["ETag"]}).status_code == 304
    smap = get(client, mirror, "https://finance.detik.com/sitemap_news.xml")
    assert "<lastmod>" in smap.text and "<news:publication_date>" in smap.text
    since = {"If-Modified-Since": smap.headers["Last-Modified"]}
    assert get(client, mirror, "https://finance.detik.com/sitemap_news.xml", headers=since).status_code == 304
    index = get(client, mirror, "https://www.detik.com/sitemap.xml").text
    assert "<sitemapindex" in index and "https://inet.detik.com/sitemap_news.xml" in index


def _newest_day_wib(mirror, origin):
    """The WIB day of the newest article under ``origin``: "today" has none yet just after midnight WIB."""
    from kernel.times import WIB

    return max(s.view.published_at for s in mirror.clock.served() if s.view.url.startswith(origin)).astimezone(WIB)


def test_index_pages_of_each_site(mirror, client):
    day = _newest_day_wib(mirror, "https://inet.detik.com/")
    detik = get(client, mirror, f"https://inet.detik.com/indeks?date={day:%m}%2F{day:%d}%2F{day:%Y}&page=1").text
    assert "list-content__item" in detik and "d-time=" in detik
    day = _newest_day_wib(mirror, "https://www.liputan6.com/")
    lip = get(client, mirror, f"https://www.liputan6.com/indeks/{day:%Y/%m/%d}?page=1").text
    assert "articles--rows--item" in lip
    rep = get(client, mirror, "https://republika.co.id/index/ekonomi/0").text
    assert "conten1" in rep and "https://ekonomi.republika.co.id/berita/" in rep
    assert "conten1" not in get(client, mirror, "https://republika.co.id/index/ekonomi/500").text


def test_detik_multipage_article_pages_and_single_view(mirror, client):
    url = "https://inet.detik.com/telecommunication/d-8671422/bts-4g-bakti-jangkau-12548-desa-ini-rinciannya"
    first = get(client, mirror, url).text
    assert 'name="articletype" content="multiplepage"' in first
    assert get(client, mirror, url + "/2").status_code == 200
    assert get(client, mirror, url + "/9").status_code == 404
    single = get(client, mirror, url + "?single=1").text
    assert len(single) > len(first) // 2


def test_komdigi_api_needs_origin_and_wraps_items(mirror, client):
    assert get(client, mirror, "https://web.komdigi.go.id" + API).status_code == 403
    body = get(client, mirror, "https://web.komdigi.go.id" + API, headers=ORIGIN).json()
    data = body["response"]["data"]
    assert body["response"]["last_page"] == 1 and data and "body_html" in data[0] and "slug" in data[0]
    assert get(client, mirror, "https://portal.komdigi.go.id/kanal-publik/berita-kini").status_code == 404
    assert get(client, mirror, "https://portal.komdigi.go.id/kanal-publik/berita-kini/10601").status_code == 200


def test_clock_step_publishes_and_revises():
    from mirror.corpus import load_corpus

    corpus = load_corpus()
    fresh = next(a for a in corpus if a.appears_at_step == 1 and a.site == "detik")
    revised = next(a for a in corpus if 1 in a.revisions and a.site == "republika")
    with Mirror() as m, httpx.Client() as c:
        assert get(c, m, fresh.url).status_code == 404
        before = get(c, m, revised.url).text
        smap_before = get(c, m, "https://republika.co.id/files/xml/sitemap.xml").text
        assert m.step() == 1
        assert get(c, m, fresh.url).status_code == 200
        assert get(c, m, revised.url).text != before
        assert get(c, m, "https://republika.co.id/files/xml/sitemap.xml").text != smap_before
        assert (fresh.url.split("/")[2], fresh.url.split("/", 3)[3] and "/" + fresh.url.split("/", 3)[3], 200) in m.requests


def test_fault_switches():
    with Mirror(slow_seconds=0.5) as m, httpx.Client(timeout=5) as c:
        rss = "https://inet.detik.com/rss"
        m.set_fault("500", True, host="inet.detik.com")
        assert get(c, m, rss).status_code == 500
        assert get(c, m, "https://finance.detik.com/rss").status_code == 200  # other hosts unaffected
        assert get(c, m, "https://inet.detik.com/robots.txt").status_code == 200  # robots never faults
        m.set_fault("500", False, host="inet.detik.com")
        m.set_fault("429", True)
        r = get(c, m, rss)
        assert r.status_code == 429 and r.headers["Retry-After"] == "1"
        m.set_fault("429", False)
        m.set_fault("malformed_xml", True)
        from crawler.discovery import DiscoveryParseError, parse_feed

        with pytest.raises(DiscoveryParseError):
            parse_feed(get(c, m, rss).content)
        m.set_fault("malformed_xml", False)
        m.set_fault("truncated", True)
        with pytest.raises(httpx.HTTPError):
            get(c, m, rss)
        m.set_fault("truncated", False)
        m.set_fault("slow", True)
        with pytest.raises(httpx.TimeoutException):
            get(c, m, rss, timeout=0.2)
        with pytest.raises(ValueError, match="unknown mirror fault"):
            m.set_fault("flood", True)


def test_synthetic_articles_are_served():
    with Mirror(synthetic=40) as m, httpx.Client() as c:
        assert len(m.clock.served()) > 40
        smap = get(c, m, "https://inet.detik.com/sitemap_news.xml").text
        assert smap.count("<url>") > 10


def test_pantau_mirror_command_prints_the_roots_to_paste(tmp_path):
    import signal
    import subprocess
    import sys
    from pathlib import Path

    proc = subprocess.Popen([sys.executable, "-m", "cli", "mirror", "--synthetic", "8"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=Path(__file__).resolve().parent.parent)
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith('"https://www.republika.co.id"'):
                break
        roots = tomllib.loads("".join(lines))["crawl"]["roots"]
        assert roots["https://inet.detik.com"].startswith("http://127.0.0.1:")
        port = roots["https://inet.detik.com"]
        assert "User-agent" in httpx.get(port + "/robots.txt", timeout=5).text
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    assert proc.returncode == 0


def _start_mirror_command(*args: str) -> tuple[Any, dict[str, str]]:
    """`pantau mirror ARGS` as a child process, and the [crawl] roots it prints."""
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-m", "cli", "mirror", *args],
                            cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line)
        if line.startswith('"https://www.republika.co.id"'):
            break
    return proc, dict(tomllib.loads("".join(lines))["crawl"]["roots"])


def test_pantau_mirror_switches_faults_on_from_the_command_line():
    """Issue 14 item 17: any fault by hand, for every host or one (`--fault KIND[:HOST]`)."""
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    proc, roots = _start_mirror_command("--fault", "redirect-loop:inet.detik.com", "--fault", "500:news.detik.com",
                                        "--fault", "js_shell", "--retry-after", "7")
    try:
        with httpx.Client(timeout=5) as c:
            inet = roots["https://inet.detik.com"]
            article = "/telecommunication/d-8671422/bts-4g-bakti-jangkau-12548-desa-ini-rinciannya"
            loop = c.get(inet + article)
            assert loop.status_code == 302 and loop.headers["location"].endswith(article + "?loop=1")
            assert c.get(roots["https://news.detik.com"] + "/rss").status_code == 500
            shell = c.get(roots["https://finance.detik.com"] + "/berita-ekonomi-bisnis/d-8671315/"
                          "baru-4-6-juta-umkm-jualan-online-pemerintah-kejar-target")
            assert 'id="root"' in shell.text and "UMKM" not in shell.text
            assert c.get(inet + "/robots.txt").status_code == 200  # robots.txt is never broken
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    bad = subprocess.run([sys.executable, "-m", "cli", "mirror", "--fault", "gzip-bom"], cwd=repo,
                         capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2 and "unknown mirror fault 'gzip_bom'" in bad.stderr and "gzip_bomb" in bad.stderr


def test_pantau_mirror_padded_serves_real_size_pages_that_still_extract():
    """`pantau mirror --padded`: the real-size pages bench/crawl.py crawls, by hand."""
    from extract.article import extract_article
    from mirror.padding import PAD_MAX_BYTES, PAD_MIN_BYTES

    proc, roots = _start_mirror_command("--padded")
    try:
        url = roots["https://inet.detik.com"] + "/telecommunication/d-8671422/bts-4g-bakti-jangkau-12548-desa-ini-rinciannya"
        with httpx.Client(timeout=5) as c:
            page = c.get(url)
            robots = c.get(roots["https://inet.detik.com"] + "/robots.txt")
        assert page.status_code == 200 and PAD_MIN_BYTES <= len(page.content) <= PAD_MAX_BYTES + 20_000
        assert len(robots.content) < 5_000        # only article pages are padded
        article = extract_article(page.content, url=url.replace(roots["https://inet.detik.com"], "https://inet.detik.com"))
        assert "BTS" in article.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.stderr is not None and "real-size pages" in proc.stderr.read()


def test_every_step_after_the_script_publishes_and_edits_articles():
    """`pantau mirror --step-every S`: new and edited articles at every step, not only the first."""
    from extract import tag_text
    from mirror.clock import Clock
    from mirror.corpus import load_corpus

    clock = Clock(load_corpus())
    umkm_online = []
    for step in range(1, 6):
        before = {s.article.url: s.view.revision for s in clock.served()}
        clock.step()
        served = clock.served()
        new = [s for s in served if s.article.url not in before]
        edited = [s for s in served if s.article.url in before and s.view.revision != before[s.article.url]]
        assert new and edited, step
        umkm_online += [f.value for s in new for f in tag_text(s.view.text) if f.metric == "umkm_online"]
    assert umkm_online == [26_100_000, 26_500_000, 26_900_000, 27_300_000]  # a national series goes on
    again = Clock(load_corpus())
    for _ in range(3):
        again.step()
    third = Clock(load_corpus())
    for _ in range(3):
        third.step()
    assert [s.view.text for s in third.served()] == [s.view.text for s in again.served()]


def test_corpus_spans_years_and_a_first_crawl_can_take_it_all():
    from datetime import UTC, datetime

    from mirror.corpus import corpus_age_days, load_corpus

    years = {a.published.year for a in load_corpus() if a.published is not None}
    assert min(years) == 2017 and max(years) == 2026 and len(years) >= 8
    assert corpus_age_days(datetime(2026, 12, 2, tzinfo=UTC)) > 9 * 365


def test_an_ongoing_edit_changes_a_figure_never_a_year():
    from mirror.ongoing import bump_number

    assert bump_number(["Per Maret 2025 tercatat 4.120 desa sudah tersambung."]) == [
        "Per Maret 2025 tercatat 4.121 desa sudah tersambung."]
    assert bump_number(["Pada 2024 target itu 30 juta UMKM."]) == ["Pada 2024 target itu 31 juta UMKM."]
    assert bump_number(["Rapat digelar pada 2026."]) is None
