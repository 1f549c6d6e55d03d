"""The Indonesian number grammar: find quantity expressions in text and normalise their values.

Covers digits with a dot for thousands and a comma for decimals (``7.634``, ``4,6``), scale words
(``ribu`` … ``triliun`` and their common misspellings), ``Rp``/``rupiah``, ``persen``/``%``, spelled
numbers (``delapan juta``, ``empat belas ribu``, ``setengah juta``), ranges (``10-12 juta``,
``20 sampai 30 ribu``), products (``2 x 150``) and the approximate ``-an`` suffix (``2.500-an``).

Dates, times, bare years, ordinals, phone-like numbers and tokens glued to letters (``4G``,
``COVID-19``, ``Liputan6``) are vetoed here, so every ``NumberMatch`` is a quantity candidate.
Deciding *what* it counts is ``extract.figures``' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

SCALES: dict[str, int] = {"ribu": 10**3, "juta": 10**6, "miliar": 10**9, "triliun": 10**12}

# Scale words, with the abbreviations and misspellings seen in news copy (triiliun, milyar, trilyun).
_SCALE_RE = (
    r"(?:ribu|rb|ju+ta|jt|mil+(?:i|y|iy)a+r|tri+l+(?:i|y|iy)u+n)"
)

_UNIT_WORDS: dict[str, int] = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5,
    "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9,
}
# Words that stand for a whole number on their own ("se-" = one).
_WHOLE_WORDS: dict[str, Decimal] = {
    "sepuluh": Decimal(10), "sebelas": Decimal(11), "seratus": Decimal(100), "setengah": Decimal("0.5"),
}
# "se-" forms of scale words: sejuta = satu juta.
_SE_SCALES: dict[str, int] = {"seribu": 10**3, "sejuta": 10**6, "semiliar": 10**9, "semilyar": 10**9,
                              "setriliun": 10**12}
_MULTIPLIERS: dict[str, int] = {"belas": 10, "puluh": 10, "ratus": 100}

_SPELLED_WORD = r"(?:" + "|".join(
    sorted([*_UNIT_WORDS, *_WHOLE_WORDS, *_SE_SCALES, *_MULTIPLIERS], key=len, reverse=True)
) + r")"
# A run of number words; multipliers may not start a run ("belas" alone is not a number).
_SPELLED_RE = (
    r"(?:(?:" + "|".join(sorted([*_UNIT_WORDS, *_WHOLE_WORDS, *_SE_SCALES], key=len, reverse=True))
    + r")(?![\w-])(?:\s+" + _SPELLED_WORD + r"(?![\w-]))*)"
)

# Thousands-grouped digits (7.634, 1.000.000,5), decimal comma (4,6), English decimal with one or
# two digits after the dot (3.5, 42.75), plain digits.
_DIGITS_RE = r"(?:[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?(?![0-9])|[0-9]+,[0-9]+|[0-9]+\.[0-9]{1,2}(?![0-9])|[0-9]+)"

_NUM_RE = r"(?:" + _DIGITS_RE + r"|" + _SPELLED_RE + r")"
_JOIN_RE = r"(?:\s?[-–—]\s?|\s+(?:sampai|s\.?d\.?|s/d)\s+)"
_PCT_RE = r"(?:\s?%|\s+per\s?sen\b)"

_HEAD_RE = (
    r"(?P<rp>\b(?:Rp|IDR)\.?\s?)?"
    r"(?P<n1>" + _NUM_RE + r")"
    r"(?:\s?(?P<sc1>" + _SCALE_RE + r")(?![\w]))?"
    r"(?:\s?[x×]\s?(?P<mul>" + _DIGITS_RE + r")(?![\w]))?"
)
_RANGE_RE = (
    # "75%-80%": a percent sign may close the low end too
    r"(?:(?P<pct1>\s?%(?=\s?[-–—]\s?[0-9]))?(?P<join>" + _JOIN_RE + r")(?P<rp2>(?:Rp|IDR)\.?\s?)?(?P<n2>" + _NUM_RE + r")"
    r"(?:\s?(?P<sc2>" + _SCALE_RE + r")(?![\w]))?)?"
)
_TAIL_RE = r"(?P<an>-?an(?![\w]))?(?P<pct>" + _PCT_RE + r")?(?P<rupiah>\s+rupiah\b)?"
NUMBER_PATTERN = re.compile(_HEAD_RE + _RANGE_RE + _TAIL_RE, re.IGNORECASE)
# The same without a range: used when what follows a joiner is not the high end of a range
# ("2 juta sampai 2024" is 2 juta and a year).
_SINGLE_PATTERN = re.compile(_HEAD_RE + r"(?P<pct1>(?!))?(?P<join>(?!))?(?P<rp2>(?!))?(?P<n2>(?!))?(?P<sc2>(?!))?" + _TAIL_RE,
                             re.IGNORECASE)

_MONTHS = (
    r"(?:januari|februari|pebruari|maret|april|mei|juni|juli|agustus|september|oktober|november|"
    r"desember|jan|feb|mar|apr|jun|jul|agu|agt|ags|aug|sep|sept|okt|oct|nov|des|dec)"
)
_MONTH_AFTER = re.compile(r"\s+" + _MONTHS + r"\b", re.IGNORECASE)
_TIME_ZONE_AFTER = re.compile(r"\s*(?:WIB|WITA|WIT)\b")
_DURATION_AFTER = re.compile(
    r"\s+(?:tahun|thn|bulan|bln|hari|minggu|pekan|jam|menit|detik|abad|dekade|windu|malam|semester|"
    r"triwulan|kuartal)\b",
    re.IGNORECASE,
)
# Words after which a number is a label, an ordinal, a clock time or a regulation number.
_LABEL_WORDS = frozenset(
    "no nomor nomer pasal ayat tahap fase gelombang day artikel hal halaman jilid seri versi "
    "generasi kelas lantai jalan jl gang rt rw kode pukul jam edisi episode season level bab "
    "pp uu perpres permen permenkominfo kepmen inpres keppres perda sk kep angkatan batch "
    "tim grup kelompok zona sesi babak putaran peringkat juara nomor urut top "
    "sila poin butir lampiran gambar tabel grafik foto video part chapter bagian".split()
)
_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")
# Thousands-grouped digits without a decimal part (compiled once: every number's value asks).
_GROUPED_WHOLE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_FOREIGN_MONEY_BEFORE = re.compile(r"(?:US\$|S\$|A\$|\$|USD|€|EUR|£|¥|RM|SGD)\s?$")
_FOREIGN_MONEY_LAST = frozenset("$DR€£¥M")   # the last characters of the codes and signs above
_FOREIGN_MONEY_AFTER = re.compile(r"\s*(?:dolar|dollar|usd|euro|yuan|ringgit|yen|won|poundsterling)\b",
                                  re.IGNORECASE)
# Unit symbols that may be glued to the digits (12.000km, 150Gbps): not a "4G"-style token.
_GLUED_UNIT = re.compile(r"(?:km|kilometer|gbps|mbps|kbps)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")


@dataclass(frozen=True)
class NumberMatch:
    """One quantity expression: ``text[start:end]`` from ``Rp`` to the scale word, ``%`` or ``-an``."""

    start: int
    end: int
    value: int | float
    value_max: int | float | None
    money: bool           # Rp / IDR / rupiah
    percent: bool         # % / persen
    approx_suffix: bool   # 1.900-an, 2.500an
    scaled: bool          # a scale word applies (ribu, juta, …) or a "se-" scale word (sejuta)
    grouped: bool         # written with thousands separators (7.634)
    spelled: bool         # written in words (delapan juta)


def _digits_value(token: str) -> Decimal:
    """``7.634`` → 7634, ``4,6`` → 4.6, ``3.5`` → 3.5 (a dot before 1–2 digits is a decimal point).

    Decimal keeps ``4,6 juta`` exactly 4600000 (binary floats would give 4599999.999…).
    """
    if "," in token:
        whole, frac = token.split(",", 1)
        return Decimal(whole.replace(".", "") + "." + frac)
    if _GROUPED_WHOLE.fullmatch(token):
        return Decimal(token.replace(".", ""))
    return Decimal(token)


def as_number(value: Decimal) -> int | float:
    """A JSON-friendly number: int when integral."""
    return int(value) if value == value.to_integral_value() else float(value)


def parse_spelled(words: str) -> Decimal | None:
    """Value of a run of Indonesian number words (``empat belas`` → 14), or None if ill-formed."""
    total = Decimal(0)   # completed groups times their scale
    group = Decimal(0)   # the part below a thousand being built
    last = 0             # the last unit word, which belas/puluh/ratus multiply
    seen = False
    for word in words.lower().split():
        if word in _UNIT_WORDS:
            last = _UNIT_WORDS[word]
            group += last
        elif word in _WHOLE_WORDS:
            group += _WHOLE_WORDS[word]
            last = 0
        elif word in _MULTIPLIERS:
            if not last:
                return None
            group -= last
            group += last + 10 if word == "belas" else last * _MULTIPLIERS[word]
            last = 0
        elif word in _SE_SCALES:
            total += _SE_SCALES[word] * (group or 1)
            group, last = Decimal(0), 0
        else:
            return None
        seen = True
    return total + group if seen else None


def _scale_of(word: str | None) -> int:
    if not word:
        return 1
    w = word.lower()
    if w.startswith("r"):
        return SCALES["ribu"]
    if w.startswith("j"):
        return SCALES["juta"]
    if w.startswith("m"):
        return SCALES["miliar"]
    return SCALES["triliun"]


def _core_value(token: str) -> tuple[Decimal | None, bool, bool]:
    """(value, spelled, se-scaled) of a digit or word token."""
    if token[0].isdigit():
        return _digits_value(token), False, False
    value = parse_spelled(token)
    se_scaled = any(w in _SE_SCALES for w in token.lower().split())
    return value, True, se_scaled


def _word_before(before: str) -> str:
    """The lower-cased word just before a number, skipping spaces and one dot ("No. 63" → "no")."""
    j = len(before)
    while j and before[j - 1].isspace():
        j -= 1
    if j and before[j - 1] == ".":
        j -= 1
    k = j
    while k and before[k - 1].isalpha():
        k -= 1
    return before[k:j].lower()


def _is_vetoed(text: str, m: re.Match[str]) -> bool:
    """Dates, times, years, labels, ordinals, phone numbers and tokens glued to letters."""
    start, end = m.start(), m.end()
    # One call for all groups: this runs for every candidate number.
    rp, n1, sc1, n2, sc2, pct, rupiah = m.group("rp", "n1", "sc1", "n2", "sc2", "pct", "rupiah")
    before = text[max(0, start - 40):start]
    after = text[end:end + 30]
    if not rp:
        if before and (before[-1].isalnum() or before[-1] in "_/@#"):
            return True   # Liputan6, G20, 24/7, @user1
        if len(before) >= 2 and before[-1] in "-–" and before[-2].isalnum():
            return True   # COVID-19, ke-3
        if before.endswith(".") and len(before) >= 2 and before[-2].isdigit():
            return True   # the tail of a dotted id (1.2.3)
    if after and (after[0].isalnum() and not pct) and not _GLUED_UNIT.match(after):
        return True       # 4G, 5G, 3T, 2x
    if after[:1] in ("/", ":", ".", ",") and after[1:2].isdigit():
        return True       # 23/6/2020, 18:30, 1.2.3
    if after[:1] == "-" and after[1:2].isalnum():
        return True       # 19-an handled by the pattern; "2-layer", "5-6G"
    if _TIME_ZONE_AFTER.match(after):
        return True       # 05.30 WIB
    if not (sc1 or pct or rp or n2):
        if _MONTH_AFTER.match(after):
            return True   # 14 Mei 2020
    if (not (rp or pct or rupiah or sc1 or sc2)
            and _DURATION_AFTER.match(after)):
        return True       # 2 tahun ke depan, 1 sampai 2 tahun (not "60 ribu tahun lalu")
    last = before[-1:]
    # _FOREIGN_MONEY_BEFORE ends at the end of ``before``: skip its scan unless the last character
    # can end it (a currency sign, the last letter of a code, or a space).
    if (last and (last in _FOREIGN_MONEY_LAST or last.isspace()) and _FOREIGN_MONEY_BEFORE.search(before)
            or _FOREIGN_MONEY_AFTER.match(after)):
        return True       # US$ 500 juta, 2 miliar dolar AS: not rupiah, not a count
    word = _word_before(before)
    if word in _LABEL_WORDS and not rp and not pct:
        return True       # No. 63, Pasal 5, Day 8, Artikel 1
    if word in ("salah", "disalah") and n1.lower() == "satu":
        return True       # "salah satu" = one of
    n2 = n2 or ""
    if _YEAR.fullmatch(n1) and _YEAR.fullmatch(n2) and not rp:
        return True       # 2019-2020: a period
    if n1[0].isdigit():
        plain = n1.isdigit()
        if plain and len(n1) > 1 and n1[0] == "0":
            return True   # 021, 0812…: phone or code
        if plain and len(n1) >= 9:
            return True   # long digit strings are ids or phone numbers, not written amounts
        if (plain and len(n1) == 4 and 1900 <= int(n1) <= 2099 and not rp
                and not sc1 and not pct and not n2):
            return True   # a year
    return False


# Candidate starts: a run of digits, or a spelled number word (found with str.find on the
# lower-cased text, which is much faster than a regex alternation tried at every position).
_DIGIT_RUN = re.compile(r"[0-9]+")
_SPELLED_STARTS = tuple(sorted({*_UNIT_WORDS, *_WHOLE_WORDS, *_SE_SCALES}))
# How the letters that can continue a number glued to its digits begin (lower-cased): a scale
# word (ribu, rb, juta, jt, miliar, triliun), the "an" suffix, the units of _GLUED_UNIT; and "x".
_CONTINUES_DIGITS = frozenset({"ri", "rb", "ju", "jt", "mi", "tr", "an", "km", "ki", "gb", "mb", "kb"})
_RP_BEFORE = re.compile(r"(?:Rp|IDR)\.?\s?$", re.IGNORECASE)


def _candidate_starts(text: str, run_ends: dict[int, int] | None = None) -> list[int]:
    """Sorted candidate starts; ``run_ends`` (if given) receives start -> end of each digit run."""
    if run_ends is None:
        starts = [m.start() for m in _DIGIT_RUN.finditer(text)]
    else:
        for m in _DIGIT_RUN.finditer(text):
            run_ends[m.start()] = m.end()
        starts = list(run_ends)
    lowered = text.lower()
    if len(lowered) == len(text):
        for word in _SPELLED_STARTS:
            i = lowered.find(word)
            while i != -1:
                if i == 0 or not lowered[i - 1].isalnum():
                    starts.append(i)
                i = lowered.find(word, i + len(word))
    else:  # lower() changed the length (rare Unicode): offsets would drift, so scan by regex
        starts.extend(m.start() for m in _SPELLED_START_RE.finditer(text))
    starts.sort()
    return starts


_SPELLED_START_RE = re.compile(r"(?<!\w)(?:" + "|".join(_SPELLED_STARTS) + r")", re.IGNORECASE)


def _quick_veto(text: str, start: int) -> bool:
    """Cheap checks on a digit run that the full veto would reject anyway (dates, 4G, COVID-19)."""
    before = text[start - 1] if start else " "
    if before == "/" or before == ":" or (before == "-" and start >= 2 and text[start - 2].isalnum()):
        return True
    if before.isalpha() and not text[max(0, start - 3):start].lower().endswith(("rp", "idr")):
        return True
    end = start
    while end < len(text) and text[end].isdigit():
        end += 1
    return text[end:end + 1] in ("/", ":") and text[end + 1:end + 2].isdigit()


def find_numbers(text: str) -> list[NumberMatch]:
    """Every quantity expression in ``text``, in order, with dates, labels and ids left out."""
    out: list[NumberMatch] = []
    done = 0   # end of the last expression: digits inside it are not new candidates
    run_ends: dict[int, int] = {}
    for start in _candidate_starts(text, run_ends):
        if start < done:
            continue
        if text[start].isdigit() and _quick_veto(text, start):
            continue
        # "Rp"/"IDR" before the digits ends in p, r, a dot or a space; anything else cannot.
        prev = text[start - 1] if start else ""
        rp = (_RP_BEFORE.search(text, max(0, start - 4), start)
              if prev and (prev in "pPrR." or prev.isspace()) else None)
        begin = rp.start() if rp and (rp.start() == 0 or not text[rp.start() - 1].isalnum()) else start
        run_end = run_ends.get(start)
        if begin == start and run_end is not None and not (prev and prev.isdigit()):
            glued = text[run_end:run_end + 2]
            if (glued[:1].isalpha() and glued.isascii() and glued[:1] not in "xX"
                    and glued.lower() not in _CONTINUES_DIGITS):
                # "4G", "3T": a letter that no part of the pattern can take ends the match at
                # the digits, and _is_vetoed rejects a number glued to a letter; skip both.
                done = run_end
                continue
        m = NUMBER_PATTERN.match(text, begin)
        if m is None or m.start("n1") != start:
            continue
        if m.group("n2") and not _is_range(m):
            single = _SINGLE_PATTERN.match(text, begin)
            if single is None:
                continue
            m = single
        if text[start].isdigit() and start > 0 and text[start - 1].isdigit():
            continue
        done = m.end()
        if _is_vetoed(text, m):
            continue
        match = _to_match(m)
        if match is not None:
            out.append(match)
    return out


def _is_range(m: re.Match[str]) -> bool:
    """Whether the second number is the high end of a range with the first (not a year, not lower)."""
    n2 = m.group("n2")
    if _YEAR.fullmatch(n2) and not _YEAR.fullmatch(m.group("n1")) and not m.group("sc2"):
        return False
    lo, _, _ = _core_value(m.group("n1"))
    hi, _, _ = _core_value(n2)
    if lo is None or hi is None:
        return False
    lo *= _scale_of(m.group("sc1"))
    if m.group("mul"):
        lo *= _digits_value(m.group("mul"))
    sc2 = _scale_of(m.group("sc2"))
    if not m.group("sc1"):
        lo *= sc2      # "20 sampai 30 ribu": the scale word after the second number applies to both
    return hi * sc2 > lo


def _to_match(m: re.Match[str]) -> NumberMatch | None:
    lo, spelled, se1 = _core_value(m.group("n1"))
    if lo is None:
        return None
    sc1 = _scale_of(m.group("sc1"))
    lo *= sc1
    if m.group("mul"):
        lo *= _digits_value(m.group("mul"))
    hi: Decimal | None = None
    scaled = bool(m.group("sc1")) or se1
    end = m.end()
    if m.group("n2"):
        hi_raw, spelled2, se2 = _core_value(m.group("n2"))
        sc2 = _scale_of(m.group("sc2"))
        if hi_raw is None:
            return None
        hi = hi_raw * sc2
        if not m.group("sc1"):
            lo *= sc2      # "20 sampai 30 ribu": the scale applies to both ends
        if hi <= lo:
            return None    # not a range (find_numbers checks with _is_range first)
        scaled = scaled or bool(m.group("sc2")) or se2
        spelled = spelled or spelled2
    money = bool(m.group("rp") or m.group("rp2") or m.group("rupiah"))
    grouped = bool(_GROUPED.fullmatch(m.group("n1")))
    return NumberMatch(
        start=m.start(), end=end, value=as_number(lo), value_max=None if hi is None else as_number(hi),
        money=money,
        percent=bool(m.group("pct") or m.group("pct1")), approx_suffix=bool(m.group("an")), scaled=scaled,
        grouped=grouped, spelled=spelled,
    )


def parse_number(expression: str) -> int | float | None:
    """The value of a whole expression such as ``Rp 30,5 triliun`` or ``empat belas ribu``.

    Returns None unless the entire (stripped) string is one number expression; ranges give
    their low end.
    """
    expression = expression.strip()
    m = NUMBER_PATTERN.fullmatch(expression)
    if not m:
        return None
    match = _to_match(m)
    return None if match is None else match.value
