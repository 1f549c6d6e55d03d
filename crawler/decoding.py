"""Page bytes → text where the crawler hands a page to extraction: the charset the server declared
first, then the page's own declaration, then detection; and double-encoded UTF-8 repaired.

Order (as browsers do it): a byte-order mark, the HTTP ``Content-Type`` charset, ``<meta charset>`` /
``<meta http-equiv>`` / the XML declaration, then detection (UTF-8 if the bytes are valid UTF-8,
else Windows-1252, which decodes any byte). A declared charset is taken when the bytes decode
with it; one that fails on a few bytes (a cut multi-byte character) is still taken with those
bytes replaced, and only a declaration that is plainly wrong falls through to the next source.
ISO-8859-1 is read as Windows-1252 (WHATWG), so “ ” € from a "latin-1" page survive.

Mojibake: UTF-8 text that was once read as Windows-1252 and saved again as UTF-8 shows "â€œ" for
“ and "Ã©" for é; it gave wrong figures ("Rp 5â€“7 juta"). Each such sequence that is valid UTF-8
once turned back into bytes is repaired.
"""

from __future__ import annotations

import re

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

# A declared charset that leaves at most this share of the text undecodable is still the page's
# charset (a cut character at a chunk boundary); more means the declaration is wrong.
MAX_REPLACED_SHARE = 0.005


def _cp1252_byte_map() -> dict[str, int]:
    """Character → byte for Windows-1252's 0x80-0xFF (its five undefined bytes as C1 controls)."""
    table = {}
    for byte in range(0x80, 0x100):
        try:
            char = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            char = chr(byte)  # 0x81 0x8D 0x8F 0x90 0x9D: decoders that pass them through give U+0081 …
        table[char] = byte
    return table


_TO_BYTE = _cp1252_byte_map()
_CONTINUATION = "".join(re.escape(c) for c, b in _TO_BYTE.items() if 0x80 <= b <= 0xBF)


def _lead(low: int, high: int) -> str:
    return "[" + "".join(re.escape(c) for c, b in _TO_BYTE.items() if low <= b <= high) + "]"


# One UTF-8 sequence as Windows-1252 shows it: a lead byte and its continuation bytes.
MOJIBAKE = re.compile(
    f"{_lead(0xC2, 0xDF)}[{_CONTINUATION}]"
    f"|{_lead(0xE0, 0xEF)}[{_CONTINUATION}]{{2}}"
    f"|{_lead(0xF0, 0xF4)}[{_CONTINUATION}]{{3}}")


def repair_mojibake(text: str) -> tuple[str, int]:
    """(text with double-encoded UTF-8 sequences decoded, how many were repaired)."""
    repaired = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal repaired
        try:
            char = bytes(_TO_BYTE[c] for c in match.group()).decode("utf-8")
        except UnicodeDecodeError:
            return match.group()
        repaired += 1
        return char

    if not text.isascii():
        text = MOJIBAKE.sub(fix, text)
    return text, repaired


def _declared(body: bytes, content_type: str | None) -> list[tuple[str, str]]:
    """(source, codec) of each declared charset, in the order they are trusted."""
    found = []
    bom = read_bom(body)
    if bom[0]:
        found.append(("byte-order mark", bom[0]))
    header = http_content_type_encoding(content_type) if content_type else None
    if header:
        found.append(("Content-Type header", header))
    meta = html_body_declared_encoding(body[:4096])
    if meta:
        found.append(("<meta>", resolve_encoding(meta) or meta))
    return found


def decode_bytes(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, how its charset was chosen) for a page's bytes and its Content-Type header value."""
    declared = [(source, codec) for source, codec in _declared(body, content_type) if _known(codec)]
    for source, codec in declared:
        try:
            return _strip_bom(body.decode(codec)), f"{codec} ({source})"
        except UnicodeDecodeError:
            continue
    if declared:
        source, codec = declared[0]
        text = body.decode(codec, errors="replace")
        if text.count("\ufffd") <= MAX_REPLACED_SHARE * max(1, len(text)):
            return _strip_bom(text), f"{codec} ({source}, a few bytes replaced)"
    try:
        return _strip_bom(body.decode("utf-8")), "utf-8 (detected)"
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace"), "cp1252 (detected)"


def _known(codec: str) -> bool:
    import codecs

    try:
        codecs.lookup(codec)
    except LookupError:
        return False
    return True


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text
