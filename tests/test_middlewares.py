"""RootsMiddleware (real URL ↔ override) and the polite retry (Retry-After, backoff)."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.settings import Settings

from crawler.middlewares import (
    REAL_URL_META,
    PoliteRetryMiddleware,
    RootsMiddleware,
    retry_after_seconds,
)

ROOTS = {"https://inet.detik.com": "http://127.0.0.1:8001", "https://www.republika.co.id/": "http://127.0.0.1:8002/"}


def test_request_goes_to_the_override_and_the_response_gets_the_real_url():
    mw = RootsMiddleware(ROOTS)
    request = Request("https://inet.detik.com/rss?x=1")
    assert mw.process_request(request) is None
    assert request.url == "http://127.0.0.1:8001/rss?x=1"
    assert request.meta[REAL_URL_META] == "https://inet.detik.com/rss?x=1"
    assert request.meta["download_slot"] == "inet.detik.com"
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    restored = mw.process_response(request, response)
    assert restored.url == "https://inet.detik.com/rss?x=1"
    assert restored.request.url == "https://inet.detik.com/rss?x=1"
    assert REAL_URL_META not in request.meta


def test_robots_txt_request_of_the_real_host_is_rewritten():
    mw = RootsMiddleware(ROOTS)
    request = Request("https://www.republika.co.id/robots.txt")
    mw.process_request(request)
    assert request.url == "http://127.0.0.1:8002/robots.txt"


def test_hosts_without_override_are_left_alone():
    mw = RootsMiddleware(ROOTS)
    request = Request("https://news.detik.com/berita/rss")
    mw.process_request(request)
    assert request.url == "https://news.detik.com/berita/rss"
    assert REAL_URL_META not in request.meta


def test_roots_only_refuses_origins_without_an_override():
    from scrapy.exceptions import IgnoreRequest

    mw = RootsMiddleware(ROOTS, only=True)
    with pytest.raises(IgnoreRequest, match="no entry in \\[crawl\\] roots"):
        mw.process_request(Request("https://news.detik.com/berita/rss"))


def test_redirect_location_to_the_override_points_back_at_the_real_origin():
    mw = RootsMiddleware(ROOTS)
    request = Request("https://inet.detik.com/old")
    mw.process_request(request)
    response = HtmlResponse(request.url, status=301, headers={"Location": "http://127.0.0.1:8001/new"}, request=request)
    restored = mw.process_response(request, response)
    assert restored.headers[b"Location"] == b"https://inet.detik.com/new"


def test_failed_download_restores_the_real_url_for_the_retry():
    mw = RootsMiddleware(ROOTS)
    request = Request("https://inet.detik.com/a")
    mw.process_request(request)
    mw.process_exception(request, TimeoutError())
    assert request.url == "https://inet.detik.com/a"


def test_no_roots_means_the_middleware_is_off():
    with pytest.raises(NotConfigured):
        RootsMiddleware({})


def test_retry_after_seconds_and_http_date():
    assert retry_after_seconds(b"7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None


def _retry_mw() -> PoliteRetryMiddleware:
    settings = Settings({"RETRY_ENABLED": True, "RETRY_TIMES": 3, "RETRY_HTTP_CODES": [429, 500],
                         "RETRY_BACKOFF_BASE": 1.0, "RETRY_BACKOFF_MAX": 5.0})
    return PoliteRetryMiddleware(settings)


def test_retry_waits_as_long_as_retry_after_says_and_gives_up_past_the_cap():
    from crawler.guards import Refused

    mw = _retry_mw()
    request = Request("https://x.test/")
    assert mw.delay_for(request, HtmlResponse("https://x.test/", status=429, headers={"Retry-After": "3"})) == 3.0
    with pytest.raises(Refused, match="retry after 99999 s, longer than the 120 s a crawl waits"):
        mw.delay_for(request, HtmlResponse("https://x.test/", status=429, headers={"Retry-After": "99999"}))


def test_a_pause_past_the_crawls_remaining_time_ends_the_url_for_this_crawl():
    from crawler.guards import Refused

    now = [1000.0]
    settings = Settings({"RETRY_ENABLED": True, "RETRY_TIMES": 3, "RETRY_HTTP_CODES": [429],
                         "RETRY_BACKOFF_BASE": 1.0, "RETRY_BACKOFF_MAX": 30.0, "CLOSESPIDER_TIMEOUT": 30})
    mw = PoliteRetryMiddleware(settings, clock=lambda: now[0])
    asked = HtmlResponse("https://x.test/", status=429, headers={"Retry-After": "20"})
    assert mw.delay_for(Request("https://x.test/"), asked) == 20.0  # 30 s left
    now[0] += 15  # 15 s left
    with pytest.raises(Refused, match="retry after 20 s, past the 15 s left of .crawl. time_limit_seconds"):
        mw.delay_for(Request("https://x.test/"), asked)
    with pytest.raises(Refused, match="next retry is due in 16 s"):
        mw.delay_for(Request("https://x.test/", meta={"retry_times": 4}), None)


def test_retry_backs_off_exponentially_without_retry_after():
    mw = _retry_mw()
    delays = [mw.delay_for(Request("https://x.test/", meta={"retry_times": n}), None) for n in range(5)]
    assert delays == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_user_agent_from_config_never_says_scrapy_and_passes_republika_robots():
    from protego import Protego

    from crawler.config_settings import settings_from_config
    from mirror.robots import REPUBLIKA
    from pantau_config import config_from_dict

    settings = settings_from_config(config_from_dict({}))
    ua = settings["USER_AGENT"]
    assert ua.startswith("pantau/") and "scrapy" not in ua.lower()
    robots = Protego.parse(REPUBLIKA)
    assert robots.can_fetch("https://www.republika.co.id/berita/abc", ua)
    assert not robots.can_fetch("https://www.republika.co.id/berita/abc", "Scrapy/2.19 (+https://scrapy.org)")
    assert not robots.can_fetch("https://www.republika.co.id/search/?q=umkm", ua)
