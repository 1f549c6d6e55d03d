"""Whole pages only, and none too big: truncation and size are judged where they are known, in HTTP.

A page is truncated when the transfer says so: Scrapy's data-loss flag, fewer bytes than the
``Content-Length`` the server announced, or a gzip/deflate stream that ends before its end marker.
Missing ``</body></html>`` is NOT truncation: HTML5 lets a page omit both.

A page is too big past ``[crawl] max_page_bytes``: the downloader refuses a body larger than that
(``DOWNLOAD_MAXSIZE``), and ``PageIntegrityMiddleware`` inflates a compressed body in 64 KiB
steps, keeping none of them, and refuses it as soon as it grows past the limit, before Scrapy's
decompression builds the whole body in memory: a gzip bomb costs at most one chunk beyond the limit.
"""

from __future__ import annotations

import logging
import zlib
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response

from crawler.reasons import Refused

logger = logging.getLogger(__name__)

# Bytes inflated per step while measuring a compressed body: the memory a check costs.
INFLATE_CHUNK = 64 * 1024
# Statuses whose responses carry no body whatever Content-Length says (RFC 9110).
_NO_BODY_STATUSES = (204, 304)


def _wbits_for(encoding: bytes) -> tuple[int, ...]:
    if encoding in (b"gzip", b"x-gzip"):
        return (31,)
    if encoding == b"deflate":
        return (15, -15)  # zlib-wrapped as the RFC says, or raw deflate as some servers send
    return ()


def inflated_size(body: bytes, encoding: bytes, limit: int) -> tuple[int, bool] | None:
    """(bytes inflated, whether the stream reached its end marker) for a gzip/deflate body, reading
    no more than ``limit`` + one chunk; None for other encodings. Raises ``zlib.error`` if corrupt."""
    attempts = _wbits_for(encoding)
    if not attempts:
        return None
    for i, wbits in enumerate(attempts):
        inflater = zlib.decompressobj(wbits)
        try:
            size = len(inflater.decompress(body, INFLATE_CHUNK))
        except zlib.error:
            if i + 1 < len(attempts):
                continue
            raise
        while size <= limit and not inflater.eof and inflater.unconsumed_tail:
            size += len(inflater.decompress(inflater.unconsumed_tail, INFLATE_CHUNK))
        if size <= limit and not inflater.eof:
            size += len(inflater.flush())
        return size, inflater.eof
    return None  # pragma: no cover (the loop returns or raises)


class PageIntegrityMiddleware:
    """Refuse truncated and oversized responses with a reason (before HttpCompression decompresses)."""

    def __init__(self, max_bytes: int, warn_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.warn_bytes = warn_bytes

    @classmethod
    def from_crawler(cls, crawler: Any) -> PageIntegrityMiddleware:
        settings = crawler.settings
        return cls(settings.getint("DOWNLOAD_MAXSIZE"), settings.getint("DOWNLOAD_WARNSIZE"))

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if request.method == "HEAD" or response.status in _NO_BODY_STATUSES:
            return response
        body = response.body
        if "dataloss" in response.flags:
            raise Refused(f"truncated page: the connection closed early (data loss) after {len(body)} bytes")
        announced = response.headers.get(b"Content-Length")
        if announced is not None and announced.strip().isdigit() and int(announced) > len(body):
            raise Refused(f"truncated page: {len(body)} of the {int(announced)} bytes announced by Content-Length arrived")
        encodings = [e.strip().lower() for e in b",".join(response.headers.getlist(b"Content-Encoding")).split(b",")
                     if e.strip()]
        if len(encodings) == 1 and body:
            try:
                measured = inflated_size(body, encodings[0], self.max_bytes)
            except zlib.error as exc:
                raise Refused(f"corrupt {encodings[0].decode()} body: {exc}") from None
            if measured is not None:
                size, complete = measured
                if size > self.max_bytes:
                    raise Refused(f"page too large: more than {self.max_bytes} bytes once decompressed "
                                  f"({len(body)} bytes {encodings[0].decode()}; [crawl] max_page_bytes)")
                if not complete:
                    raise Refused(f"truncated page: the {encodings[0].decode()} stream ends early "
                                  f"({len(body)} bytes compressed, {size} inflated)")
                if size > self.warn_bytes:
                    logger.warning("%s: an unusually big page, %d bytes once decompressed", request.url, size)
        return response
