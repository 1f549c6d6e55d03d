"""The mirror's fault switches: what each one does to a reply, and how ``--fault KIND[:HOST]`` is read.

Transport faults (``500``, ``slow``, ``truncated``, ``429``) hit every request but robots.txt; the
listing fault (``malformed_xml``) hits feeds and sitemaps; the page faults hit article pages only,
so discovery keeps working and the crawl reaches the broken pages:

* ``redirect_loop``     an article answers 302 to itself with ``?loop=1``, which answers 302 back
* ``offsite_redirect``  an article answers 302 to the mirror's internal server (another loopback
                        port, not in ``[crawl] roots``): the address a crawler must never follow
* ``no_closing_tags``   the page without ``</body>`` and ``</html>`` (valid HTML5, and how saved
                        fragments look)
* ``header_charset``    the page in Windows-1252 with the charset only in the HTTP header (no
                        ``<meta charset>``), its straight quotes turned into curly ones
* ``gzip_bomb``         ``Content-Encoding: gzip`` of ``bomb_bytes`` zero bytes (1 GiB in 1 MB)
* ``cut_gzip``          the page gzip-compressed and cut short, with a Content-Length that matches
                        the cut: only the gzip stream shows the truncation
* ``js_shell``          a JavaScript app shell: a page with no text, as a site that moved to a
                        script-built front end serves it
"""

from __future__ import annotations

import functools
import gzip
import re
import struct
import zlib

TRANSPORT_FAULTS = ("500", "slow", "truncated", "429")
LISTING_FAULTS = ("malformed_xml",)
PAGE_FAULTS = ("redirect_loop", "offsite_redirect", "no_closing_tags", "header_charset", "gzip_bomb", "cut_gzip",
               "js_shell")
FAULTS = TRANSPORT_FAULTS + LISTING_FAULTS + PAGE_FAULTS

# The query parameter the redirect loop bounces between.
LOOP_PARAM = "loop"
# A gzip bomb's unpacked size: far above any sane page limit, yet built in a fraction of a second.
DEFAULT_BOMB_BYTES = 1 << 30
# The bomb is built from identical full-flushed deflate blocks of this many zero bytes each.
_BOMB_BLOCK = 1 << 20

_CLOSING_TAGS = re.compile(rb"</(?:body|html)\s*>", re.I)
_META_CHARSET = re.compile(r"<meta[^>]*charset[^>]*>", re.I)
_QUOTED = re.compile(r"&quot;(.*?)&quot;", re.S)

# A script-built front end: the markup has no text, the content comes from a bundle at run time.
JS_SHELL = (b'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Memuat\xe2\x80\xa6</title>'
            b'<script defer src="/static/js/app.3f9c1e.js"></script></head><body><div id="root"></div>'
            b'<noscript>Aktifkan JavaScript untuk membuka halaman ini.</noscript></body></html>')


def parse_fault(spec: str) -> tuple[str, str | None]:
    """``KIND[:HOST]`` -> (kind, host or None); hyphens count as underscores (``redirect-loop``).
    Raises ValueError naming the known kinds for an unknown one."""
    kind, _, host = spec.partition(":")
    kind = kind.strip().replace("-", "_")
    if kind not in FAULTS:
        raise ValueError(f"unknown mirror fault '{kind}' (known: {', '.join(FAULTS)})")
    return kind, (host.strip().lower() or None)


def without_closing_tags(body: bytes) -> bytes:
    return _CLOSING_TAGS.sub(b"", body)


def header_charset_page(body: bytes) -> bytes:
    """The page in Windows-1252 with no ``<meta charset>``: only the HTTP header names the charset."""
    text = _META_CHARSET.sub("", body.decode("utf-8"))
    text = _QUOTED.sub("\u201c\\1\u201d", text)  # “curly quotes”: bytes 0x93/0x94, invalid as UTF-8
    return text.encode("cp1252", errors="xmlcharrefreplace")


def cut_gzip(body: bytes) -> bytes:
    """The body gzip-compressed, then cut to 60 % of the stream: a transfer that looks whole."""
    packed = gzip.compress(body)
    return packed[: max(20, len(packed) * 3 // 5)]


@functools.lru_cache(maxsize=2)
def gzip_bomb(unpacked_bytes: int = DEFAULT_BOMB_BYTES) -> bytes:
    """A valid gzip stream of ``unpacked_bytes`` zero bytes (rounded up to whole MiB blocks).

    Every block is compressed after a full flush, so all blocks are the same bytes: the stream is
    one block repeated, and only its CRC needs the whole length (~0.2 s for 1 GiB).
    """
    blocks = max(1, -(-unpacked_bytes // _BOMB_BLOCK))
    zeros = bytes(_BOMB_BLOCK)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(blocks):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # gzip, deflate, no name, no time, max compression
    trailer = struct.pack("<II", crc, (blocks * _BOMB_BLOCK) & 0xFFFFFFFF)
    return header + block * blocks + end + trailer


def internal_page(path: str) -> bytes:
    """What the internal server (a loopback service no crawler should reach) answers on any path."""
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Dasbor internal</title></head><body>"
            "<article><h1>Dasbor internal: data rahasia</h1>"
            f"<p>Halaman internal {path} mencatat 99 juta UMKM sudah go digital dan 77.777 desa tersambung "
            "internet. Angka ini hanya untuk jaringan internal dan tidak boleh keluar.</p>"
            "<p>Jika Anda membaca ini di luar jaringan internal, ada crawler yang mengikuti pengalihan "
            "ke alamat loopback.</p></article></body></html>").encode()
