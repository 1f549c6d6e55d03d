"""The reason a failed request is recorded with (``crawl_errors.reason``): short, one line, and
saying what happened in pantau's words, not the class name of whatever Twisted raised."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import IgnoreRequest

from kernel.errors import FetchRefused

# A recorded reason longer than this is cut: it is read in `pantau status` and digests.
MAX_REASON_CHARS = 300


def failure_reason(failure: Any, *, max_page_bytes: int | None = None) -> str:
    """One line for a Twisted ``Failure`` of a request."""
    from scrapy.exceptions import (
        DownloadCancelledError,
        DownloadTimeoutError,
        IgnoreRequest,
        ResponseDataLossError,
    )

    exc = failure.value
    if isinstance(exc, FetchRefused):
        return _one_line(exc.reason)
    response = getattr(exc, "response", None)
    if response is not None:
        return f"HTTP {response.status}"
    if isinstance(exc, ResponseDataLossError) or _is_data_loss(failure):
        return "truncated page: the connection closed before the whole body arrived (data loss)"
    message = failure.getErrorMessage()
    if isinstance(exc, DownloadCancelledError) and "max size" in message:
        limit = f" ({max_page_bytes} bytes, [crawl] max_page_bytes)" if max_page_bytes else ""
        return _one_line(f"page too large: over the download limit{limit}: {message}")
    if isinstance(exc, DownloadTimeoutError):
        return _one_line(f"timed out: {message} ([crawl] download_timeout)")
    if isinstance(exc, IgnoreRequest):
        return _one_line(message or "request ignored")
    return _one_line(f"{failure.type.__name__}: {message}")


def _is_data_loss(failure: Any) -> bool:
    """Twisted's ResponseFailed wrapping _DataLoss: the body ended before its announced length."""
    try:
        from twisted.web._newclient import ResponseFailed
        from twisted.web.http import _DataLoss
    except ImportError:  # pragma: no cover (private names of another Twisted)
        return False
    exc = failure.value
    return isinstance(exc, ResponseFailed) and any(r.check(_DataLoss) for r in exc.reasons)


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_REASON_CHARS else text[: MAX_REASON_CHARS - 1] + "…"


class Refused(IgnoreRequest, FetchRefused):
    """A request refused on purpose: Scrapy drops it and calls its errback with this ``reason``."""

    def __init__(self, reason: str) -> None:
        FetchRefused.__init__(self, reason)
