"""When a figure holds: ``now``, ``earlier`` or ``planned`` (figures.md §1), and the calendar
words the store needs to place it in time ("per Juni 2023", "tahun depan").

The words are data (``taxonomy/timeref.toml``, whose header gives the order of the checks); this
module only applies them to a figure's context (``extract.context``). ``planned`` follows the
tagger's ``is_target`` and is set by the caller. Functions here are pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from extract.context import FigureContext, clause_breaks, phrase_regex, read_data
from kernel.records import Figure
from kernel.times import WIB, parse_iso

NOW, EARLIER, PLANNED = "now", "earlier", "planned"
WHEN_VALUES = (NOW, EARLIER, PLANNED)
# How far before a phrase its "dari"/"yang" is looked for: one short word and its space.
_BEFORE_PHRASE_CHARS = 24


@dataclass(frozen=True)
class _Rules:
    now_before: re.Pattern[str]
    earlier_before: re.Pattern[str]
    from_before: re.Pattern[str]
    change_verb: re.Pattern[str]
    year_after: re.Pattern[str]
    phrases: re.Pattern[str]
    baseline_before: re.Pattern[str]
    relative_before: re.Pattern[str]
    as_of_before: re.Pattern[str]
    relative_years: dict[str, int]
    relative_year_phrases: re.Pattern[str]
    months: dict[str, int]
    month_names: str


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = read_data("timeref")
    slack = rf"(?:\s+{phrase_regex(data['slack'])})*\s*$"
    earlier, now = data["earlier"], data["now"]

    def before(words: list[str]) -> re.Pattern[str]:
        return re.compile(phrase_regex(words) + slack)

    months = {name.lower(): int(number) for name, number in data["months"].items()}
    return _Rules(
        now_before=before(now["before_number"]),
        earlier_before=before(earlier["before_number"]),
        from_before=before(earlier["from_words"]),
        change_verb=re.compile(phrase_regex(earlier["change_verbs"])),
        year_after=re.compile(r"\s*(?i:(?:pada|di|per|hingga|sampai)\s+)?(?i:tahun\s+)?(?:19|20)[0-9]{2}(?![0-9])"),
        phrases=re.compile(rf"(?P<earlier>{phrase_regex(earlier['phrases'])})|(?P<now>{phrase_regex(now['phrases'])})"),
        baseline_before=re.compile(phrase_regex(earlier["baseline_before_phrase"]) + r"\s+$"),
        relative_before=re.compile(phrase_regex(earlier["relative_before_phrase"]) + r"\s+$"),
        as_of_before=re.compile(phrase_regex(earlier["as_of_before_phrase"]) + r"\s+$"),
        relative_years={" ".join(k.lower().split()): int(v) for k, v in data["relative_years"].items()},
        relative_year_phrases=re.compile(phrase_regex(list(data["relative_years"]))),
        months=months,
        month_names="|".join(sorted(map(re.escape, months), key=len, reverse=True)),
    )


def when_of(context: FigureContext) -> str:
    """``now`` or ``earlier`` for a figure that is not a target (``planned`` is the tagger's call)."""
    rules = _rules()
    s = context.sentence
    a, b = context.clause
    before = s[a:context.start]
    if rules.now_before.search(before):
        return NOW
    if rules.earlier_before.search(before):
        return EARLIER
    marker = rules.from_before.search(before)
    if marker and (rules.change_verb.search(s, a, a + marker.start())
                   or rules.year_after.match(s, context.end, b)):
        return EARLIER
    nearest = _nearest_phrase(context, a, b)
    if nearest is None and context.lead is not None:
        nearest = _last_phrase(context, *context.lead)
    return nearest or NOW


def _counts(sentence: str, m: re.Match[str], lo: int) -> bool:
    """A phrase is the figure's time unless it is a comparison's baseline, describes the noun, or
    dates the current value ("hingga bulan lalu")."""
    window = sentence[max(lo, m.start() - _BEFORE_PHRASE_CHARS):m.start()]
    rules = _rules()
    return not (rules.baseline_before.search(window) or rules.relative_before.search(window)
                or rules.as_of_before.search(window))


def _nearest_phrase(context: FigureContext, a: int, b: int) -> str | None:
    best: tuple[int, str] | None = None
    s = context.sentence
    for m in _rules().phrases.finditer(s, a, b):
        if m.start() < context.end and m.end() > context.start:
            continue                    # inside the number's own surface
        if not _counts(s, m, a):
            continue
        if m.start() >= context.end:
            if context.figure_between(context.end, m.start()):
                continue                # it follows another figure: that one's time
            distance = m.start() - context.end
        else:
            distance = context.start - m.end()
        kind = EARLIER if m.group("earlier") else NOW
        if best is None or distance < best[0]:
            best = (distance, kind)
    return best[1] if best else None


def _last_phrase(context: FigureContext, a: int, b: int) -> str | None:
    found = None
    for m in _rules().phrases.finditer(context.sentence, a, b):
        if _counts(context.sentence, m, a):
            found = EARLIER if m.group("earlier") else NOW
    return found


# -- calendar words for the store --------------------------------------------------------------

def _surface_span(figure: Figure) -> tuple[int, int]:
    at = figure.sentence.find(figure.surface)
    return (at, at + len(figure.surface)) if at >= 0 else (0, 0)


def _clause(sentence: str, start: int, end: int) -> tuple[int, int]:
    a, b = 0, len(sentence)
    for sep_start, sep_end in clause_breaks(sentence):
        if sep_end <= start:
            a = sep_end
        elif sep_start >= end:
            b = sep_start
            break
    return a, b


def stated_month(figure: Figure) -> int | None:
    """The month written with the figure's year ("per Juni 2023" → 6), nearest the number."""
    if figure.year is None:
        return None
    rules = _rules()
    pattern = re.compile(rf"(?<![\w-])(?i:({rules.month_names}))\.?\s+{figure.year}(?![0-9])")
    start, end = _surface_span(figure)
    best: tuple[int, int] | None = None
    for m in pattern.finditer(figure.sentence):
        distance = start - m.end() if m.end() <= start else m.start() - end
        if best is None or abs(distance) < best[0]:
            best = (abs(distance), rules.months[m.group(1).lower()])
    return best[1] if best else None


def relative_year(figure: Figure) -> int | None:
    """Years after the article's own year that the figure's clause names ("pada tahun depan" → 1,
    "tahun lalu" → -1), for a figure without a year of its own; None when it names none."""
    if figure.year is not None:
        return None
    rules = _rules()
    start, end = _surface_span(figure)
    a, b = _clause(figure.sentence, start, end)
    best: tuple[int, int] | None = None
    for m in rules.relative_year_phrases.finditer(figure.sentence, a, b):
        if not _counts(figure.sentence, m, a):
            continue
        distance = start - m.end() if m.end() <= start else m.start() - end
        if best is None or abs(distance) < best[0]:
            best = (abs(distance), rules.relative_years[" ".join(m.group().lower().split())])
    return best[1] if best else None


def settle_when(figure: Figure, published_at: str | None) -> Figure:
    """``figure`` with the ``when`` its article's date decides: ``planned`` exactly for a target,
    and ``earlier`` for one stated as current whose year (without a month: "per Desember 2023" is
    an as-of date, not the past) is before the article's year (WIB)."""
    if figure.is_target != (figure.when == PLANNED):
        figure = replace(figure, when=PLANNED if figure.is_target else NOW)
    if figure.when != NOW or figure.year is None:
        return figure
    published = parse_iso(published_at)
    if published is None:
        return figure
    if figure.year < published.astimezone(WIB).year and stated_month(figure) is None:
        return replace(figure, when=EARLIER)
    return figure
