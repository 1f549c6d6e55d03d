"""The mirror's HTTP server: each real host on its own loopback port (so each host has its own
robots.txt), a clock that publishes and revises articles, ETag/Last-Modified with 304s, and fault
switches for the reliability tests.

    mirror = Mirror(synthetic=0)
    mirror.start()
    mirror.roots            # {"https://inet.detik.com": "http://127.0.0.1:41234", ...}
    mirror.step()           # publish step-1 articles, apply step-1 revisions
    mirror.set_fault("500", True, host="inet.detik.com")
    mirror.requests         # [(host, path, status), ...]
    mirror.request_times    # time.monotonic() of each logged request, same order
    mirror.stop()

The faults and what each does: ``mirror/faults.py``; ``pantau mirror --fault KIND[:HOST]`` turns them
on by hand.
"""

from __future__ import annotations

import dataclasses
import email.utils
import hashlib
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from mirror import faults as fx
from mirror.clock import Clock
from mirror.faults import FAULTS
from mirror.listings import http_date
from mirror.routes import Reply, route

# Hosts served even when no article lives on them (feeds, sitemaps, API, portal, archives).
BASE_HOSTS = (
    "www.detik.com", "news.detik.com", "finance.detik.com", "inet.detik.com",
    "www.liputan6.com", "feed.liputan6.com", "m.liputan6.com",
    "www.republika.co.id", "republika.co.id", "ekonomi.republika.co.id", "news.republika.co.id",
    "tekno.republika.co.id",
    "web.komdigi.go.id", "www.komdigi.go.id", "portal.komdigi.go.id", "www.kominfo.go.id", "web.kominfo.go.id",
)

# "slow" answers after this many seconds: set it above the client's download timeout.
DEFAULT_SLOW_SECONDS = 3.0
# Retry-After sent with the 429 fault: short, so tests stay fast, but the client must honour it.
RETRY_AFTER_SECONDS = 1


class _HostServer(ThreadingHTTPServer):
    # socketserver's default listen backlog is 5: a crawler opening 16 connections at once gets its
    # SYNs dropped and waits seconds for the retransmit.
    request_queue_size = 128
    daemon_threads = True


class Mirror:
    def __init__(self, synthetic: int = 0, faults: Iterable[str] | dict[str, object] = (), *, seed: int = 0,
                 port_base: int = 0, slow_seconds: float = DEFAULT_SLOW_SECONDS,
                 articles: list | None = None, retry_after_seconds: int = RETRY_AFTER_SECONDS,
                 bomb_bytes: int = fx.DEFAULT_BOMB_BYTES, offsite_target: str | None = None,
                 padded: bool = False) -> None:
        from mirror.corpus import load_corpus, synthetic_articles

        if articles is None:
            articles = load_corpus() + (synthetic_articles(synthetic, seed) if synthetic else [])
        self.clock = Clock(articles)
        self.port_base = port_base
        self.slow_seconds = slow_seconds
        self.retry_after_seconds = retry_after_seconds
        self.bomb_bytes = bomb_bytes
        # Where offsite_redirect sends article requests; None: the mirror's own internal server.
        self.offsite_target = offsite_target
        self.requests: list[tuple[str, str, int]] = []
        # Real-size pages (mirror.padding): every article page wrapped to 100-300 KB of site markup.
        self.padded = padded
        self._titles = [a.title for a in articles]
        self._padded_pages: dict[tuple[str, int], bytes] = {}
        # When each request of ``requests`` arrived (time.monotonic()): per-host rates for the politeness tests.
        self.request_times: list[float] = []
        # Requests that reached the internal server (offsite_redirect's target): should stay empty.
        self.internal_requests: list[str] = []
        self._faults: dict[str, set[str | None]] = {name: set() for name in FAULTS}
        for name in faults:
            kind, host = fx.parse_fault(name)
            self.set_fault(kind, True, host=host)
        hosts = set(BASE_HOSTS) | {urlsplit(a.url).hostname for a in articles}
        self.hosts = sorted(h for h in hosts if h)
        self._servers: dict[str, ThreadingHTTPServer] = {}
        self._internal: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> Mirror:
        for i, host in enumerate(self.hosts):
            port = self.port_base + i if self.port_base else 0
            server = _HostServer(("127.0.0.1", port), _handler_for(self, host))
            self._servers[host] = server
            self._serve(server, f"mirror-{host}")
        # A loopback service that is not in the roots: the offsite_redirect fault points at it.
        self._internal = _HostServer(("127.0.0.1", 0), _internal_handler(self))
        self._serve(self._internal, "mirror-internal")
        return self

    def _serve(self, server: ThreadingHTTPServer, name: str) -> None:
        thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        # In parallel: each shutdown waits up to one poll interval of its serve_forever loop.
        servers = list(self._servers.values()) + ([self._internal] if self._internal else [])
        stoppers = [threading.Thread(target=s.shutdown, daemon=True) for s in servers]
        for t in stoppers:
            t.start()
        for t in stoppers:
            t.join()
        for server in servers:
            server.server_close()
        self._servers.clear()
        self._internal = None

    def __enter__(self) -> Mirror:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def roots(self) -> dict[str, str]:
        return {f"https://{host}": f"http://127.0.0.1:{server.server_address[1]}"
                for host, server in self._servers.items()}

    @property
    def internal_url(self) -> str:
        """The internal server's origin (loopback, not in the roots)."""
        assert self._internal is not None, "start the mirror first"
        return f"http://127.0.0.1:{self._internal.server_address[1]}"

    def roots_toml(self) -> str:
        lines = ["[crawl.roots]"] + [f'"{real}" = "{override}"' for real, override in self.roots.items()]
        return "\n".join(lines)

    # -- clock and faults -------------------------------------------------------------------
    @property
    def step_no(self) -> int:
        return self.clock.step_no

    def step(self) -> int:
        return self.clock.step()

    def warm(self) -> int:
        """Render every visible article page now (benchmarks: measure the crawler, not the renderer)."""
        count = 0
        with self.clock.lock:
            for served in self.clock.served():
                parts = urlsplit(served.article.url)
                reply = route(self.clock, parts.hostname or "", parts.path, {}, {})
                if self.padded and reply.status == 200:
                    self.page_body(parts.path, reply.body)
                count += 1
        return count

    def set_fault(self, name: str, on: bool, host: str | None = None) -> None:
        """Switch a fault on or off for one host, or for all hosts (host=None)."""
        if name not in self._faults:
            raise ValueError(f"unknown mirror fault '{name}' (known: {', '.join(FAULTS)})")
        with self._lock:
            if on:
                self._faults[name].add(host)
            elif host is None:
                self._faults[name].clear()
            else:
                self._faults[name].discard(host)

    def fault_on(self, name: str, host: str) -> bool:
        hosts = self._faults[name]
        return None in hosts or host in hosts

    def faults_on(self) -> list[str]:
        """The switched-on faults as ``KIND`` or ``KIND:HOST`` (what ``--fault`` takes)."""
        with self._lock:
            return [kind if host is None else f"{kind}:{host}"
                    for kind, hosts in self._faults.items() for host in sorted(hosts, key=str)]

    def page_body(self, path: str, body: bytes) -> bytes:
        """An article page's bytes as served: padded to real size when ``padded`` (cached, so a
        bench measures the crawler, not the padding)."""
        if not self.padded:
            return body
        from mirror.padding import pad_page

        key = (path, hash(body))
        with self._lock:
            cached = self._padded_pages.get(key)
        if cached is None:
            cached = pad_page(body, path, self._titles)
            with self._lock:
                self._padded_pages[key] = cached
        return cached

    def log(self, host: str, path: str, status: int, arrived: float | None = None) -> None:
        with self._lock:
            self.requests.append((host, path, status))
            self.request_times.append(time.monotonic() if arrived is None else arrived)

    def article_requests(self) -> list[tuple[str, str, int]]:
        """Logged requests for article pages (not robots, feeds, sitemaps, index or API)."""
        return [r for r in self.requests if _is_article_path(r[0], r[1])]


def _is_article_path(host: str, path: str) -> bool:
    p = path.split("?", 1)[0]
    if p == "/robots.txt" or p.endswith((".xml", "/rss", "/rss/")) or "/rss/" in p or "/indeks" in p:
        return False
    if p.startswith(("/index/", "/api/", "/files/")) or host == "feed.liputan6.com":
        return False
    return p not in ("/", "/rss")


def _handler_for(mirror: Mirror, host: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "mirror"
        # Headers and body go out in two writes; with Nagle on, each response waits ~40 ms for an ACK.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:  # quiet: tests read mirror.requests
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self.arrived = time.monotonic()  # logged with the request (the slow fault answers later)
            parts = urlsplit(self.path)
            path, query = parts.path or "/", dict(parse_qsl(parts.query))
            full = self.path
            if path != "/robots.txt":
                if mirror.fault_on("429", host):
                    return self._send(full, Reply(429, b"Too Many Requests", "text/plain",
                                                  headers={"Retry-After": str(mirror.retry_after_seconds)}))
                if mirror.fault_on("500", host):
                    return self._send(full, Reply(500, b"<html><body>Internal Server Error</body></html>"))
                if mirror.fault_on("slow", host):
                    time.sleep(mirror.slow_seconds)
            headers = {k.lower(): v for k, v in self.headers.items()}
            with mirror.clock.lock:
                reply = route(mirror.clock, host, path, query, headers)
            if path != "/robots.txt" and reply.xml and mirror.fault_on("malformed_xml", host):
                reply.body = reply.body[: len(reply.body) // 2] + b"<<oops & </broken"
            if reply.status == 200 and _is_article_path(host, path):
                if mirror.padded and reply.content_type.startswith("text/html"):
                    reply = dataclasses.replace(reply, body=mirror.page_body(path, reply.body))
                reply = self._page_fault(reply, path, query)
            self._send(full, reply, truncate=path != "/robots.txt" and mirror.fault_on("truncated", host))

        def _page_fault(self, reply: Reply, path: str, query: dict[str, str]) -> Reply:
            """An article page as the switched-on page fault (mirror/faults.py) turns it."""
            real = f"https://{host}{path}"
            if mirror.fault_on("redirect_loop", host):
                target = real if fx.LOOP_PARAM in query else f"{real}?{fx.LOOP_PARAM}=1"
                return Reply(302, b"", "text/html", headers={"Location": target})
            if mirror.fault_on("offsite_redirect", host):
                target = mirror.offsite_target or f"{mirror.internal_url}/internal{path}"
                return Reply(302, b"", "text/html", headers={"Location": target})
            if mirror.fault_on("js_shell", host):
                return Reply(200, fx.JS_SHELL, lastmod=reply.lastmod)
            if mirror.fault_on("gzip_bomb", host):
                return Reply(200, fx.gzip_bomb(mirror.bomb_bytes), lastmod=reply.lastmod,
                             headers={"Content-Encoding": "gzip"})
            if mirror.fault_on("cut_gzip", host):
                return Reply(200, fx.cut_gzip(reply.body), reply.content_type, reply.lastmod,
                             headers={"Content-Encoding": "gzip"})
            body = reply.body
            content_type = reply.content_type
            if mirror.fault_on("no_closing_tags", host):
                body = fx.without_closing_tags(body)
            if mirror.fault_on("header_charset", host):
                body, content_type = fx.header_charset_page(body), "text/html; charset=windows-1252"
            return Reply(reply.status, body, content_type, reply.lastmod, reply.xml, reply.headers)

        def _send(self, full: str, reply: Reply, truncate: bool = False) -> None:
            body = reply.body
            etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
            status = reply.status
            if status == 200 and self._not_modified(etag, reply):
                status, body = 304, b""
            mirror.log(host, full, status, getattr(self, "arrived", None))
            try:
                self.send_response(status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(body)))
                if reply.status == 200:
                    self.send_header("ETag", etag)
                    if reply.lastmod is not None:
                        self.send_header("Last-Modified", http_date(reply.lastmod))
                for k, v in (reply.headers or {}).items():
                    self.send_header(k, v)
                if truncate and body:
                    # Promise the whole body, send half, hang up: the client sees data loss.
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.close_connection = True
                    return
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def _not_modified(self, etag: str, reply: Reply) -> bool:
            inm = self.headers.get("If-None-Match")
            if inm is not None:
                return etag in [t.strip() for t in inm.split(",")]
            ims = self.headers.get("If-Modified-Since")
            if ims and reply.lastmod is not None:
                try:
                    since = email.utils.parsedate_to_datetime(ims)
                except (TypeError, ValueError):
                    return False
                return reply.lastmod.replace(microsecond=0) <= since
            return False

    return Handler


def _internal_handler(mirror: Mirror) -> type[BaseHTTPRequestHandler]:
    """The internal server: answers every path with a page no crawler may store, and logs it."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "internal"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            with mirror._lock:
                mirror.internal_requests.append(self.path)
            body = fx.internal_page(urlsplit(self.path).path)
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler
