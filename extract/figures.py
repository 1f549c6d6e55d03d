"""The figure tagger: text → in-scope figure mentions (figures.md).

Pipeline per number found by ``extract.numbers``:

1. the **counted noun** right after it (``7.634 titik``, ``4,6 juta UMKM``) gives the unit and
   ends the surface; a noun the taxonomy lists as out of scope (``tujuh marketplace``) drops it;
2. the **clause** (``extract.sentences.clause_span``) scopes exclusions, target cues, hedges and
   years, so "target 8 juta hingga 2019, namun sekarang baru 4,6 juta" keeps 4,6 juta actual;
3. the **metric** is the taxonomy rule whose anchor keyword is nearest, in the clause first, then
   the sentence, then (for a number with a counted noun) the paragraph; a number no rule accepts
   is not a figure;
4. the flags ``is_target``, ``approx`` and ``year`` follow figures.md §5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.context import with_time_and_scope
from extract.numbers import NumberMatch, find_numbers
from extract.sentences import (
    clause_breaks,
    clause_span,
    line_bounds,
    line_cuts,
    sentence_span_in_line,
)
from extract.taxonomy import (
    GENERIC_UNIT,
    MONEY_UNIT,
    PERCENT_UNIT,
    KeywordPattern,
    Metric,
    Rule,
    Taxonomy,
    default_taxonomy,
    folds_like_regex,
)
from kernel.records import Figure

# Characters either side of a number searched for [exclude] near words: a short noun phrase.
EXCLUDE_NEAR_CHARS = 20
# How far before a number a `near` keyword is looked for (the gap itself is checked by _NEAR_GAP).
NEAR_CHARS = 14
# An approximation qualifier must end at most this many characters before the number, which
# leaves room for one quantity verb ("setidaknya membutuhkan 9 juta").
APPROX_CHARS = 26
# Words that describe a counted thing's present or past state between it and a later target cue.
_STATE_BETWEEN = re.compile(r"\b(?:sudah|telah|sempat|pernah|belum|masih)\b", re.IGNORECASE)
# A relative clause right after the counted noun that says it already exists ("operasional 5.618 BTS 4G
# yang sudah dibangun"): the count is present even when "akan" scopes an earlier verb (figures.md 3.1, 5.2).
_ALREADY_AFTER = re.compile(r"(?:\s+[\w-]+){0,2}?\s+yang\s+(?:sudah|telah)\b", re.IGNORECASE)
# "yang diluncurkan pada Juni 2023 kini sudah melayani 23.700 titik": "kini" between a year and the
# figure marks the figure as current; the year belongs to the earlier verb's clause (figures.md 5.3).
_NOW_BETWEEN = re.compile(r"\b(?:kini|saat ini|sekarang)\b", re.IGNORECASE)
# "Rp 2.000 per GB", "Rp 50 ribu per siswa": an amount per unit (a yearly budget stays a budget).
_PER_UNIT = re.compile(
    r"\s*(?:per\s*|/\s*)(?!(?:tahun|thn|bulan|bln|hari|minggu|pekan|semester|triwulan|kuartal)\b)[^\W\d]",
    re.IGNORECASE,
)
# What may stand between a `near` keyword and its number.
_NEAR_GAP = re.compile(
    r"\s*(?:(?:sekitar|kurang lebih|lebih dari|hampir|mencapai|sebanyak|sebesar|hingga|sekira|setidaknya|"
    r"sedikitnya|lebih|sampai|menjadi|rata-rata|rerata)\s+)*",
    re.IGNORECASE,
)
# Units whose symbol may be glued to the digits (12.000km, 150Gbps).
GLUEABLE_UNITS = frozenset({"km", "gbps", "mbps"})
# Rules with a priority below this are fallbacks, tried only when no other rule matches.
FALLBACK_PRIORITY = 5
# A bare count (no noun, Rp or %) this small is too ambiguous to be a figure ("Artikel 1").
MIN_BARE_VALUE = 1000

# A noun phrase with nothing after it but a place: "65 juta UMKM," / "65 juta UMKM di Indonesia,".
_BARE_END = re.compile(r"\s*(?:di\s+(?:[A-Z][\w-]*\s*)+)?(?:[,;:.!?]|$)")
# After a bare count that refers back: punctuation or a function word, not a noun of its own
# ("naik dari 8 juta pada 2020", "480 ribu di antaranya"; not "5 juta ton").
_NOTHING_COUNTED_AFTER = re.compile(
    r"\s*(?:[,.;:!?)\"”’]|$|(?:di ?antaranya|pada|dalam|sejak|hingga|sampai|yang|lebih|dari|atau|dan|serta|per|"
    r"tahun|di|ke|selama|sepanjang|saja|lagi)\b)", re.IGNORECASE)
# Words by which a sentence refers back to an earlier count or adds to it.
_ANAPHOR = re.compile(r"\b(?:(?<!sementara )(?<!selain )(?<!oleh karena )itu|tersebut|di ?antaranya|penambahan|"
                      r"bertambah|tambahan|naik dari|turun dari|meningkat dari|sebelumnya)\b", re.IGNORECASE)
# "naik dari 82 persen": the earlier value of the same measure.
_PREVIOUS_VALUE_BEFORE = re.compile(r"\b(?:naik|turun|meningkat|menurun|bertambah|berkurang|tumbuh)\s+dari\s+"
                                    r"(?:sekitar\s+|hanya\s+)?$", re.IGNORECASE)
# A percentage that is a change, not a share ("Angka itu naik 12 persen").
_CHANGE_BEFORE = re.compile(r"\b(?:naik|turun|meningkat|menurun|bertambah|berkurang|tumbuh|melonjak|anjlok)\b",
                            re.IGNORECASE)
# A list item line ("- Kuota …", "• 200 titik", "1. …"): its topic is the list's introduction.
_BULLET = re.compile(r"[ \t]*(?:[-–•*·▪]|[0-9]{1,2}[.)])[ \t]")
# Words by which a sentence points back at the previous paragraph (not the connectives
# "sementara itu", "selain itu", which move on).
_REFERS_BACK = re.compile(r"\b(?:tersebut|di ?antaranya|(?:jumlah|angka|program|proyek|pembangunan|kegiatan|"
                          r"layanan|satelit|jaringan|bantuan) (?:itu|ini)"
                          # "untuk semua program di atas": a pointer to the list or paragraph above
                          r"|(?:program|kegiatan|proyek|poin|rincian|daftar) di atas)\b", re.IGNORECASE)
# A sentence that breaks down the previous count ("Dari jumlah itu, …", "Titik-titik tersebut meliputi …").
_BREAKDOWN = re.compile(r"[\"“]?(?:dari\s+(?:jumlah|angka|total)\s+(?:itu|tersebut)\b|[\w-]+(?:\s+[\w-]+)?\s+"
                        r"(?:itu|tersebut)\s+(?:meliputi|mencakup|terdiri|tersebar|antara lain)\b)", re.IGNORECASE)
# What an amount is for ("Rp 3 miliar dari APBD untuk …").
# ("untuk periode 2021-2022", "untuk tiga tahun" say when, not what for).
_PURPOSE = re.compile(r"\b(?:untuk|guna|bagi)\b(?!\s+(?:periode|tahun|masa|jangka|kurun|waktu|anggaran|tiga|dua|lima|"
                      r"satu|[0-9]))", re.IGNORECASE)
# A purpose that points back at the paragraph's topic ("untuk menuntaskan persoalan tersebut").
_POINTS_BACK = re.compile(r"\b(?:tersebut|itu|ini)\b", re.IGNORECASE)
# A sentence that opens by pointing at the previous figure ("Jumlah itu …", "Angka tersebut …").
_SHARE_ANAPHOR = re.compile(r"[\"“]?(?:jumlah|angka|capaian|realisasi|persentase|nilai)\s+(?:itu|tersebut|ini)\b",
                            re.IGNORECASE)
# Where the number's phrase ends for a veto: a comma or semicolon (not a decimal comma), or a
# coordinating "dan"/"serta"/"sedangkan" ("punya 300 pendamping dan melatih 12 ribu UMKM").
_PHRASE_END = re.compile(r"[,;](?![0-9])|\s(?:dan|serta|sedangkan)\s", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]*")
# A postposed "lebih" ("300 ribu lebih", "12 juta lebih UMKM"), not a comparative ("lebih banyak").
_LEBIH_AFTER = re.compile(
    r"[ \t\u00a0]+lebih\b(?!\s+(?:dari|daripada|banyak|besar|tinggi|rendah|kecil|cepat|lambat|baik|murah|"
    r"mahal|luas|sedikit|awal|dulu|dahulu|lanjut|lama|jauh|mudah|sulit|efisien|efektif|maju|kuat)\b)",
    re.IGNORECASE,
)
_RATIO_BEFORE = re.compile(r"(?<![\w.,])[0-9]{1,2}\s+(?:dari|di antara)\s+$", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\w/.,-])((?:19|20)[0-9]{2})(?![\w/]|[.,][0-9])")
_MONTH = (r"(?:januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|"
          r"desember|jan|feb|mar|apr|jun|jul|agu|agt|ags|aug|sep|sept|okt|oct|nov|des|dec)")
# "sejak 2018", "sejak Maret 2020": the start of an open period.
_SINCE_BEFORE = re.compile(r"\bsejak\s+(?:tahun\s+|awal\s+|akhir\s+)?(?:" + _MONTH + r"\s+)?$", re.IGNORECASE)
_FULL_DATE_BEFORE = re.compile(r"[0-9]{1,2}\s+" + _MONTH + r"\.?\s+$", re.IGNORECASE)
# Words before a year that make it part of a name or a regulation number, not the figure's year.
_YEAR_NAME_BEFORE = re.compile(
    r"(?:disease|festival|fest|expo|awards?|summit|games|cup|piala|pemilu|pilpres|pilkada|edisi|"
    r"forum|week|conference|covid|day|no\.?\s*[0-9]+\s+tahun|nomor\s+[0-9]+\s+tahun)\s+$",
    re.IGNORECASE,
)
# The words between a figure and a year that belongs to it ("… pada tahun 2022", "… per Juni 2023").
_YEAR_INTRODUCED = re.compile(
    r"\s*(?:pada|di|hingga|sampai|per|dalam|sepanjang|selama|tahun)?\s*(?:tahun\s+|akhir\s+|awal\s+|"
    r"pertengahan\s+)?(?:" + _MONTH + r"\s+)?",
    re.IGNORECASE,
)
# Words marking a figure as current ("saat ini", "hingga kini"), and a full date (dateline or
# attribution: "(16/8/2020)", "16 Agustus 2020") whose year such a figure takes.
_CURRENT = re.compile(r"\b(?:saat ini|hingga kini|sampai kini|hingga saat ini|sampai saat ini|per hari ini|"
                      r"sekarang)\b", re.IGNORECASE)
_ATTRIBUTION_DATE = re.compile(r"\b[0-9]{1,2}/[0-9]{1,2}/((?:19|20)[0-9]{2})\b|\b[0-9]{1,2}\s+" + _MONTH
                               + r"\.?\s+((?:19|20)[0-9]{2})\b", re.IGNORECASE)
# "naik dari 78 persen tahun sebelumnya": the year before the sentence's year.
_PREVIOUS_YEAR_AFTER = re.compile(r"\s*(?:pada\s+)?(?:tahun|periode)\s+(?:sebelumnya|lalu)\b", re.IGNORECASE)
_PERIOD_AFTER = re.compile(r"\s*(?:hingga|sampai|s\.?d\.?|s/d|-|–)\s*(?:" + _MONTH + r"\s+)?((?:19|20)[0-9]{2})\b",
                           re.IGNORECASE)




@dataclass
class _Scopes:
    sentence: tuple[int, int]
    clause: tuple[int, int]
    paragraph: tuple[int, int]


class _Matcher:
    """Keyword matches of each pattern per block (the current sentence, else the paragraph),
    computed once per text and filtered per scope."""

    def __init__(self, text: str) -> None:
        self.text = text
        lowered = text.lower()
        # The literal pre-check needs offsets that agree with the text; lower() keeps the length
        # except for a few rare characters, and then the pre-check is skipped.
        self.lowered = lowered if len(lowered) == len(text) else None
        # The finer literal pre-check is exact only where lower() agrees with the regex folding.
        self.word_literals = self.lowered is not None and folds_like_regex(lowered)
        self._cache: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
        self.sentence = (0, 0)
        # Sentence cuts per line start and clause breaks per sentence: shared by every number
        # of the line or sentence instead of recomputed for each.
        self._cuts: dict[int, tuple[int, ...]] = {}
        self._breaks: dict[tuple[int, int], list[tuple[int, int]]] = {}
        self._rules: dict[tuple[int, tuple[int, int]], list] = {}
        self._window_block, self._window = (-1, -1), ""

    def sentence_and_clause(self, start: int, end: int) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
        """(sentence, clause, paragraph) spans of the number ``[start, end)``."""
        text = self.text
        line_start, line_end = line_bounds(text, start, end)
        cuts = self._cuts.get(line_start)
        if cuts is None or cuts[-1] != line_end - line_start:
            cuts = self._cuts[line_start] = line_cuts(text[line_start:line_end])
        sent = sentence_span_in_line(text, line_start, cuts, start, end)
        breaks = self._breaks.get(sent)
        if breaks is None:
            breaks = self._breaks[sent] = clause_breaks(text, sent[0], sent[1])
        return sent, clause_span(text, sent[0], sent[1], start, breaks), (line_start, line_end)

    def rules_in_sentence(self, candidates: list, sentence: tuple[int, int]) -> list:
        """The (index, metric, rule) of ``candidates`` whose every keyword group occurs in
        ``sentence`` (the current sentence), cached per sentence."""
        key = (id(candidates), sentence)
        found = self._rules.get(key)
        if found is None:
            sa, sb = sentence
            spans = self.spans
            found = self._rules[key] = [c for c in candidates
                                        if all(spans(group, sa, sb) for group in c[2].all)]
        return found

    def spans(self, pattern: KeywordPattern, a: int, b: int) -> list[tuple[int, int]]:
        # The block: the current sentence when it holds [a, b), else the paragraph (inlined:
        # this runs for every keyword group a rule tries).
        la, lb = self.sentence
        if not (la <= a and b <= lb):
            text = self.text
            la = text.rfind("\n", 0, a) + 1
            lb = text.find("\n", a)
            if lb == -1:
                lb = len(text)
            if b > lb:
                # A scope over several paragraphs (a count and its antecedent): rare, not cached.
                return [m.span() for m in pattern.regex.finditer(text, a, b)]
        key = (id(pattern), la, lb)
        found = self._cache.get(key)
        if found is None:
            if self.lowered is not None:
                if self._window_block != (la, lb):
                    # Every group tried on a block checks its literals in the same slice.
                    self._window_block, self._window = (la, lb), self.lowered[la:lb]
                found = pattern.spans(self.text, self.lowered, la, lb, word_literals=self.word_literals,
                                      window=self._window)
            else:
                found = [m.span() for m in pattern.regex.finditer(self.text, la, lb)]
            self._cache[key] = found
        if a == la and b >= lb:
            return found
        return [s for s in found if s[0] >= a and s[1] <= b]


def tag_text(text: str, taxonomy: Taxonomy | None = None) -> list[Figure]:
    """Every in-scope figure mention in ``text``, ordered by start (figures.md)."""
    tax = taxonomy or default_taxonomy()
    matcher = _Matcher(text)
    out: list[Figure] = []
    for number in find_numbers(text):
        figure = _tag_number(text, number, tax, matcher, out[-1] if out else None)
        if figure is not None:
            out.append(figure)
    return with_time_and_scope(text, out)  # when and scope of each figure (extract/context.py)


def _previous_paragraph_start(text: str, paragraph_start: int) -> int:
    """Start of the non-empty paragraph before the one starting at ``paragraph_start`` (or 0)."""
    pos = paragraph_start - 1
    while pos > 0 and text[pos - 1] == "\n":
        pos -= 1
    return text.rfind("\n", 0, max(pos, 0)) + 1


def _context_paragraph(text: str, sent: tuple[int, int], paragraph: tuple[int, int]) -> tuple[int, int]:
    """The paragraph a figure may take its topic from: its own, plus the one before when the
    paragraph (up to the figure's sentence) refers back to it ("pembangunan tersebut menyasar
    7.904 desa"), or the list's introduction for a bullet item ("- Kuota peserta 200.000 orang")."""
    start = paragraph[0]
    if start == 0:
        return paragraph
    if _BULLET.match(text, start):
        while start > 0 and _BULLET.match(text, start):
            start = _previous_paragraph_start(text, start)
        return start, paragraph[1]
    if _REFERS_BACK.search(text, start, sent[1]):     # this sentence or one before it in the paragraph
        return _previous_paragraph_start(text, start), paragraph[1]
    return paragraph


def _share_metric(text: str, n: NumberMatch, sent: tuple[int, int], antecedent: Figure,
                  tax: Taxonomy) -> tuple[Metric, str] | None:
    """The metric of a percentage about the figure just given: its previous value ("naik dari 82
    persen" after a percentage) keeps that metric; a share of a count takes the count's `share`
    metric unless the percentage is a change; anything else is the family's catch-all."""
    source = tax.metrics.get(antecedent.metric)
    if source is None:
        return None
    before = text[sent[0]:n.start]
    if antecedent.unit == PERCENT_UNIT and _PREVIOUS_VALUE_BEFORE.search(before):
        return source, PERCENT_UNIT
    name = source.share if source.share and not _CHANGE_BEFORE.search(before) else "other_" + source.family
    metric = tax.metrics.get(name)
    return (metric, PERCENT_UNIT) if metric is not None and PERCENT_UNIT in metric.units else None


def _antecedent(text: str, n: NumberMatch, sent: tuple[int, int], paragraph: tuple[int, int],
                previous: Figure | None) -> Figure | None:
    """The earlier figure a bare count refers back to ("20,76 juta UMKM … Itu naik dari 8 juta"):
    the last figure of a counted unit in this or the preceding paragraph, when the sentence links
    the number to it (an anaphor or an increment) and names no counted noun of its own."""
    if previous is None:
        return None
    if n.percent:
        # "Jumlah itu sekitar 30 persen dari …": a share of the count just given.
        if not _SHARE_ANAPHOR.match(text, sent[0]):
            return None
    elif (previous.unit in (MONEY_UNIT, PERCENT_UNIT) or not n.scaled or not _ANAPHOR.search(text, *sent)
          or not _NOTHING_COUNTED_AFTER.match(text, n.end)):
        return None
    # An antecedent before the preceding paragraph is too far.
    return previous if previous.start >= _previous_paragraph_start(text, paragraph[0]) else None


def _tag_number(text: str, n: NumberMatch, tax: Taxonomy, matcher: _Matcher,
                previous: Figure | None = None) -> Figure | None:
    noun_end, noun_unit = _counted_noun(text, n, tax)
    if noun_unit is None:
        return None                     # counts something out of scope, or a price
    if noun_unit == "" and not (n.money or n.percent):
        if not n.scaled and n.value < MIN_BARE_VALUE:
            return None
    end = noun_end
    if _RATIO_BEFORE.search(text, max(0, n.start - 12), n.start):
        return None                     # "3 dari 5 UMKM": a proportion, not a count
    sent, clause, paragraph = matcher.sentence_and_clause(n.start, end)
    matcher.sentence = sent
    scopes = _Scopes(sentence=sent, clause=clause, paragraph=_context_paragraph(text, sent, paragraph))
    if _excluded(text, n.start, end, n.percent, scopes, tax, matcher):
        return None
    fixed_unit = MONEY_UNIT if n.money else PERCENT_UNIT if n.percent else (
        noun_unit if noun_unit not in ("", GENERIC_UNIT) else None)
    cue_positions = _target_cues(tax, matcher, clause)
    choice = _choose_metric(text, n.start, end, fixed_unit, bool(noun_unit), scopes, tax, matcher,
                            bool(cue_positions))
    if choice is None and n.percent:
        # A percentage about the figure just given ("Jumlah itu 30 persen dari …"): its share
        # metric, its previous value, or the family's catch-all (figures.md 3.1).
        antecedent = _antecedent(text, n, sent, paragraph, previous)
        if antecedent is not None:
            choice = _share_metric(text, n, sent, antecedent, tax)
    elif choice is None and noun_unit == "" and not n.money:
        # A bare count with no noun in its sentence may count the noun of the figure it refers
        # back to; its cues then come from the paragraphs of both (figures.md 1.1, "baru 4,6 juta").
        antecedent = _antecedent(text, n, sent, paragraph, previous)
        if antecedent is not None:
            linked = _Scopes(sentence=sent, clause=clause,
                             paragraph=(min(scopes.paragraph[0],
                                            line_bounds(text, antecedent.start, antecedent.end)[0]),
                                        paragraph[1]))
            choice = _choose_metric(text, n.start, end, antecedent.unit, True, linked, tax, matcher,
                                    bool(cue_positions))
    if choice is None:
        return None
    metric, unit = choice
    if (previous is not None and previous.metric == metric.name and previous.is_target and not cue_positions
            and metric.target in ("cue", "cue_before") and _BREAKDOWN.match(text, sent[0])):
        # "Titik-titik tersebut meliputi 93.900 sekolah, …": the parts of a planned count are planned.
        is_target = True
    elif metric.target == "always":
        is_target = True
    elif metric.target == "never":
        is_target = False
    elif metric.target == "cue_before":
        is_target = any(pos < n.start for pos in cue_positions)
    else:
        # A cue after the number counts unless the count is first described as achieved or as a
        # present state ("5.000 BTS yang telah dibangun akan diresmikan").
        already = _ALREADY_AFTER.match(text, end) is not None
        is_target = any((pos < n.start and not already) or (pos > n.start and not _STATE_BETWEEN.search(text, end, pos))
                        for pos in cue_positions)
    return Figure(
        start=n.start, end=end, surface=text[n.start:end], value=n.value, value_max=n.value_max,
        unit=unit, metric=metric.name, is_target=is_target,
        approx=_is_approx(text, n, end, clause, tax, matcher),
        year=_year(text, n.start, end, clause, sent),
        sentence=text[sent[0]:sent[1]],
    )


def _counted_noun(text: str, n: NumberMatch, tax: Taxonomy) -> tuple[int, str | None]:
    """(surface end, unit of the counted noun): unit "" when there is no noun, None when the noun
    is out of scope."""
    gap = _SPACES.match(text, n.end).end()
    if n.money:
        if _PER_UNIT.match(text, n.end):
            return n.end, None          # a price or a per-head amount, not a budget
        return n.end, ""
    if n.percent:
        if gap > n.end and tax.exclude["percent_nouns"].match(text, gap):
            return n.end, None
        return n.end, ""
    m = tax.noun_pattern.match(text, gap)
    if m:
        unit = tax.unit_of_noun(m.group())
        if gap > n.end or unit in GLUEABLE_UNITS:
            return m.end(), unit
    if gap > n.end and tax.exclude["nouns"].match(text, gap):
        return n.end, None
    return n.end, ""


def _excluded(text: str, start: int, end: int, percent: bool, scopes: _Scopes, tax: Taxonomy,
              matcher: _Matcher) -> bool:
    ca, cb = scopes.clause
    # A veto concerns the number's own phrase: what follows a comma after the number is another
    # phrase ("baru 24 Mbps, jauh di bawah Singapura"; "11 Ribu Titik Wifi, Hoaks … 1.401 Konten").
    comma = _PHRASE_END.search(text, end, cb)
    phrase_end = comma.start() if comma else cb
    if matcher.spans(tax.exclude["clause"], ca, phrase_end):
        return True
    if percent and matcher.spans(tax.exclude["percent_clause"], ca, cb):
        return True
    lo, hi = max(ca, start - EXCLUDE_NEAR_CHARS), min(phrase_end, end + EXCLUDE_NEAR_CHARS)
    # Widen to whole words, so a phrase cut by the window ("kuota internet senilai Rp …") is seen.
    while lo > ca and not text[lo - 1].isspace():
        lo -= 1
    while hi < phrase_end and not text[hi].isspace():
        hi += 1
    for comma_before in _PHRASE_END.finditer(text, lo, start):
        lo = comma_before.end()
    return bool(tax.exclude["near"].search(text, lo, hi))


def _target_cues(tax: Taxonomy, matcher: _Matcher, clause: tuple[int, int]) -> list[int]:
    """Start offsets of the clause's target cues (a goal verb counts only with a deadline)."""
    positions = [s for s, _ in matcher.spans(tax.cues["target"], *clause)]
    deadlines = matcher.spans(tax.cues["deadline"], *clause)
    if deadlines:
        goals = matcher.spans(tax.cues["goal"], *clause)
        if goals:
            positions.extend(s for s, _ in goals)
    return sorted(positions)


def _distance(span: tuple[int, int], start: int, end: int) -> int:
    if span[1] <= start:
        return start - span[1]
    if span[0] >= end:
        return span[0] - end
    return 0


def _choose_metric(text: str, start: int, end: int, fixed_unit: str | None, has_noun: bool,
                   scopes: _Scopes, tax: Taxonomy, matcher: _Matcher,
                   has_target_cue: bool) -> tuple[Metric, str] | None:
    """The metric and unit of the nearest-anchored matching rule: specific rules in the clause,
    then the sentence, then (with a counted noun) the paragraph, then fallback rules."""
    # (scope, fallback rules?, paragraph scope?)
    attempts = [(scopes.clause, False, False), (scopes.sentence, False, False)]
    if fixed_unit is not None:
        # "unconnected" known only from the paragraph; without a counted noun only a rule whose
        # `near` keyword binds the number ("menelan anggaran Rp 11 triliun") may look there.
        attempts.append((scopes.paragraph, False, True))
    attempts += [(scopes.clause, True, False), (scopes.sentence, True, False)]
    candidates = _candidate_rules(tax, fixed_unit)
    # In the clause and sentence attempts only rules with every keyword group in the sentence
    # can anchor: find those once instead of re-testing every rule in each attempt.
    in_sentence = (matcher.rules_in_sentence(candidates[0], scopes.sentence),
                   matcher.rules_in_sentence(candidates[1], scopes.sentence))
    for scope, fallback, in_paragraph in attempts:
        best: tuple[tuple[int, int, int], Metric, str] | None = None
        for index, metric, rule in (candidates if in_paragraph else in_sentence)[fallback]:
            if metric.target == "always" and not has_target_cue:
                continue
            if in_paragraph and (not (metric.paragraph if rule.paragraph is None else rule.paragraph)
                                 or (not has_noun and rule.near is None)):
                continue
            if fixed_unit is None and not rule.all:
                continue                # a keyword-free rule ("homepass") needs the number's own noun
            # Every check here only rejects, so the most selective (the keywords) goes first.
            anchor = _rule_anchor(rule, start, end, scope, matcher)
            if anchor is None:
                continue
            unit = _rule_unit(rule, fixed_unit, scopes.sentence, tax, matcher)
            if unit is None:
                continue
            if rule.none is not None and matcher.spans(rule.none, *scopes.clause):
                continue
            if rule.near is not None and not _near_before(rule.near, start, scopes.clause[0], matcher):
                continue
            if rule.bare and not _BARE_END.match(text, end):
                continue
            if rule.purpose and not _purpose_fits(rule, end, scopes.clause, matcher):
                continue
            key = (anchor, -rule.priority, index)
            if best is None or key < best[0]:
                best = (key, metric, unit)
        if best is not None:
            return best[1], best[2]
    return None


def _purpose_fits(rule: Rule, end: int, clause: tuple[int, int], matcher: _Matcher) -> bool:
    """False when the clause states what the amount is for ("Rp 2 miliar untuk seragam siswa")
    and that purpose names none of the rule's last keyword group and does not point back."""
    purpose = _PURPOSE.search(matcher.text, end, clause[1])
    if purpose is None:
        return True
    a = purpose.end()
    return bool(matcher.spans(rule.all[-1], a, clause[1]) or _POINTS_BACK.search(matcher.text, a, clause[1]))


def _candidate_rules(tax: Taxonomy, fixed_unit: str | None) -> tuple[list, list]:
    """(specific, fallback) lists of (index, metric, rule) that can take a number of ``fixed_unit``
    (None: a bare count), computed once per taxonomy and unit."""
    found = tax.rule_cache.get(fixed_unit)
    if found is None:
        specific: list = []
        fallback: list = []
        for index, metric in enumerate(tax.metrics.values()):
            if metric.noun_required and fixed_unit not in metric.units:
                continue
            for rule in metric.rules:
                if fixed_unit is not None and fixed_unit not in rule.units:
                    continue
                (fallback if rule.priority < FALLBACK_PRIORITY else specific).append((index, metric, rule))
        found = tax.rule_cache[fixed_unit] = (specific, fallback)
    return found


def _rule_unit(rule: Rule, fixed_unit: str | None, sentence: tuple[int, int],
               tax: Taxonomy, matcher: _Matcher) -> str | None:
    if fixed_unit is not None:
        return fixed_unit if fixed_unit in rule.units else None
    # A bare count ("mencapai 3,79 juta") or a generic noun ("479.125 unit") counts a unit whose
    # noun the sentence names ("UKM go online …", "BTS …"); without one it is not a figure.
    for unit in rule.units:
        if unit in (MONEY_UNIT, PERCENT_UNIT):
            continue
        pattern = tax.unit_patterns.get(unit)
        if pattern is not None and matcher.spans(pattern, *sentence):
            return unit
    return None


def _rule_anchor(rule: Rule, start: int, end: int, scope: tuple[int, int], matcher: _Matcher) -> int | None:
    """Distance to the rule's anchor keyword, or None when a keyword group is missing from scope."""
    anchor = 0
    for i, group in enumerate(rule.all):
        spans = matcher.spans(group, *scope)
        if not spans:
            return None
        if i == 0:
            anchor = min(_distance(s, start, end) for s in spans)
    return anchor


def _near_before(pattern: KeywordPattern, start: int, clause_start: int, matcher: _Matcher) -> bool:
    """A keyword of ``pattern`` right before the number, with at most qualifiers in between
    ("dari total 60 juta", "naik sekitar 30 persen"; not "naik dari 143 juta")."""
    lo = max(clause_start, start - NEAR_CHARS - 40)
    text = matcher.text
    return any(_NEAR_GAP.fullmatch(text, e, start) for _, e in matcher.spans(pattern, lo, start))


def _is_approx(text: str, n: NumberMatch, end: int, clause: tuple[int, int], tax: Taxonomy,
               matcher: _Matcher) -> bool:
    if n.approx_suffix or _LEBIH_AFTER.match(text, end):
        return True
    ca = clause[0]
    for _ in matcher.spans(tax.cues["hedge"], ca, n.start):
        return True
    lo = max(ca, n.start - APPROX_CHARS)
    for _, e in matcher.spans(tax.cues["approx"], lo, n.start):
        if not any(ch.isdigit() for ch in text[e:n.start]):
            return True
    return False


def _year(text: str, start: int, end: int, clause: tuple[int, int], sentence: tuple[int, int]) -> int | None:
    """The year in the figure's clause that the figure refers to (figures.md §5.3), or None."""
    best: tuple[int, int] | None = None
    for m in _YEAR.finditer(text, clause[0], clause[1]):
        if start <= m.start() < end:
            continue
        before = text[max(clause[0], m.start() - 30):m.start()]
        if _FULL_DATE_BEFORE.search(before) or _YEAR_NAME_BEFORE.search(before):
            continue
        year = int(m.group(1))
        period = _PERIOD_AFTER.match(text, m.end(), clause[1])
        if period:
            year = int(period.group(1))
        elif _SINCE_BEFORE.search(before):
            continue                    # "Sejak 2018, … 560 ribu": an open period has no end year
        if m.end() <= start and _NOW_BETWEEN.search(text, m.end(), start):
            continue
        distance = _distance(m.span(), start, end)
        if m.start() >= end and _YEAR_INTRODUCED.fullmatch(text, end, m.start()):
            distance = 0                # "Rp 17 triliun pada 2022": the year that follows it
        if best is None or distance < best[0]:
            best = (distance, year)
    if _PREVIOUS_YEAR_AFTER.match(text, end, clause[1]):
        # "tahun sebelumnya" resolves against a year anywhere in the same sentence.
        if best is None and clause != sentence:
            best_year = _year(text, start, end, sentence, sentence)
            return None if best_year is None else best_year
        return None if best is None else best[1] - 1
    if best is None and _CURRENT.search(text, clause[0], start):
        # A figure marked as current takes the year of the sentence's own attribution date.
        date = _ATTRIBUTION_DATE.search(text, sentence[0], sentence[1])
        if date:
            return int(date.group(1) or date.group(2))
    return None if best is None else best[1]
