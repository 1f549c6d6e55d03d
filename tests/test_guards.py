"""The address and site rules (crawler.guards), page integrity (crawler.integrity), the page
decoding (crawler.decoding) and the recorded reasons (crawler.reasons), without a network."""

from __future__ import annotations

import asyncio
import gzip

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response
from twisted.python.failure import Failure

from crawler.decoding import decode_bytes, repair_mojibake
from crawler.guards import AddressGuardMiddleware, Refused, address_problem, roots_targets
from crawler.integrity import PageIntegrityMiddleware
from crawler.middlewares import REAL_URL_META, RootsMiddleware
from crawler.reasons import failure_reason


@pytest.mark.parametrize("address, words", [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.9", "private"), ("192.168.1.1", "private"), ("fd00::1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1%eth0", "link-local"), ("224.0.0.1", "multicast"),
    ("0.0.0.0", "unspecified"), ("100.64.0.1", "not a public address"),
])
def test_non_public_addresses_are_named(address, words):
    assert words in (address_problem(address) or "")


@pytest.mark.parametrize("address", ["203.0.114.7", "2a00:1450:4009:81f::200e", "103.49.221.10"])
def test_public_addresses_pass(address):
    assert address_problem(address) is None


def _guard(resolved: dict[str, list[str]], roots: dict[str, str] | None = None) -> AddressGuardMiddleware:
    return AddressGuardMiddleware(roots_targets(roots or {}), resolve=lambda host, port: resolved[host])


def _check(guard: AddressGuardMiddleware, request: Request) -> str | None:
    async def run() -> str | None:
        try:
            await guard.process_request(request)
        except Refused as exc:
            return exc.reason
        return None

    from twisted.internet import threads

    original = threads.deferToThread
    threads.deferToThread = lambda f, *a: __import__("twisted.internet.defer", fromlist=["succeed"]).succeed(f(*a))
    try:
        return asyncio.run(run())
    finally:
        threads.deferToThread = original


def test_a_name_is_resolved_and_every_address_checked():
    guard = _guard({"intranet.detik.com": ["203.0.114.7", "10.0.0.5"], "www.detik.com": ["203.0.114.8"]})
    assert "intranet.detik.com resolves to 10.0.0.5, a private address" in _check(
        guard, Request("https://intranet.detik.com/x"))
    assert _check(guard, Request("https://www.detik.com/x")) is None


def test_only_the_exact_roots_target_is_exempt_not_other_ports_on_loopback():
    roots = {"https://inet.detik.com": "http://127.0.0.1:41017"}
    guard = _guard({}, roots)
    rewritten = Request("http://127.0.0.1:41017/berita", meta={REAL_URL_META: "https://inet.detik.com/berita"})
    assert _check(guard, rewritten) is None
    other_port = Request("http://127.0.0.1:41018/internal", meta={REAL_URL_META: "https://inet.detik.com/x"})
    assert "127.0.0.1 is a loopback address" in _check(guard, other_port)
    not_rewritten = Request("http://127.0.0.1:41017/berita")  # a link written with the target itself
    assert "loopback" in _check(guard, not_rewritten)


def test_a_redirect_to_a_port_that_merely_starts_like_a_roots_target_is_not_rewritten():
    mw = RootsMiddleware({"https://inet.detik.com": "http://127.0.0.1:4101"})
    request = Request("https://inet.detik.com/a")
    mw.process_request(request)
    response = Response(request.url, status=302, headers={"Location": "http://127.0.0.1:41017/internal"})
    assert mw.process_response(request, response).headers[b"Location"] == b"http://127.0.0.1:41017/internal"
    mw.process_request(request := Request("https://inet.detik.com/b"))
    response = Response(request.url, status=302, headers={"Location": "http://127.0.0.1:4101/c?x=1"})
    assert mw.process_response(request, response).headers[b"Location"] == b"https://inet.detik.com/c?x=1"


def _integrity() -> PageIntegrityMiddleware:
    return PageIntegrityMiddleware(max_bytes=100_000, warn_bytes=50_000)


def test_the_data_loss_flag_and_a_short_body_are_truncation_closing_tags_are_not():
    mw = _integrity()
    request = Request("https://inet.detik.com/a")
    with pytest.raises(Refused, match="truncated page: the connection closed early"):
        mw.process_response(request, HtmlResponse(request.url, body=b"<p>half", flags=["dataloss"]))
    with pytest.raises(Refused, match="truncated page: 7 of the 900 bytes"):
        mw.process_response(request, HtmlResponse(request.url, body=b"<p>half", headers={"Content-Length": "900"}))
    fragment = HtmlResponse(request.url, body=b"<article><p>Tanpa penutup")  # no </body></html>: fine
    assert mw.process_response(request, fragment) is fragment


def test_compressed_bodies_are_measured_without_keeping_them():
    mw = _integrity()
    request = Request("https://inet.detik.com/a")
    page = b"<p>" + b"umkm " * 1000 + b"</p>"
    whole = HtmlResponse(request.url, body=gzip.compress(page), headers={"Content-Encoding": "gzip"})
    assert mw.process_response(request, whole) is whole
    cut = HtmlResponse(request.url, body=gzip.compress(page)[:40], headers={"Content-Encoding": "gzip"})
    with pytest.raises(Refused, match="the gzip stream ends early"):
        mw.process_response(request, cut)
    big = HtmlResponse(request.url, body=gzip.compress(bytes(300_000)), headers={"Content-Encoding": "gzip"})
    with pytest.raises(Refused, match="page too large: more than 100000 bytes once decompressed"):
        mw.process_response(request, big)


def test_the_header_charset_wins_then_meta_then_detection():
    quoted = "“Kafé” €5".encode("cp1252")
    assert decode_bytes(quoted, "text/html; charset=windows-1252")[0] == "“Kafé” €5"
    assert decode_bytes(quoted, "text/html; charset=iso-8859-1")[0] == "“Kafé” €5"  # read as cp1252
    meta = b'<meta charset="windows-1252">' + quoted
    assert decode_bytes(meta, "text/html")[0].endswith("“Kafé” €5")
    assert decode_bytes("“Kafé”".encode(), None) == ("“Kafé”", "utf-8 (detected)")
    assert decode_bytes(quoted, None)[0] == "“Kafé” €5"  # not UTF-8: Windows-1252
    # A header that is plainly wrong (UTF-8 declared, cp1252 sent) falls through to detection.
    assert decode_bytes(quoted * 5, "text/html; charset=utf-8")[0] == "“Kafé” €5" * 5


def test_double_encoded_utf8_is_repaired_and_clean_text_left_alone():
    broken = "â€œKafÃ©â€\x9d"  # “Kafé” in UTF-8, read as Windows-1252 (0x9D passed through)
    assert repair_mojibake(f"Harga {broken} naik 5–7 persen") == ("Harga “Kafé” naik 5–7 persen", 3)
    assert repair_mojibake("Rp 5â€“7 juta") == ("Rp 5–7 juta", 1)
    clean = "Penetrasi internet 79,5 % — naik dari 73,7 % (“sementara”)"
    assert repair_mojibake(clean) == (clean, 0)


def test_recorded_reasons_are_one_line_in_pantaus_words():
    from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, ResponseDataLossError

    assert failure_reason(Failure(Refused("off-site redirect refused: x"))) == "off-site redirect refused: x"
    assert failure_reason(Failure(ResponseDataLossError())).startswith("truncated page")
    too_big = DownloadCancelledError("Expected to receive 50000000 bytes which is larger than download max size (10485760) in request <GET x>.")
    assert failure_reason(Failure(too_big), max_page_bytes=10485760).startswith(
        "page too large: over the download limit (10485760 bytes, [crawl] max_page_bytes)")
    assert "[crawl] download_timeout" in failure_reason(Failure(DownloadTimeoutError("took longer than 2 s")))
    assert len(failure_reason(Failure(ValueError("x" * 5000)))) <= 300
