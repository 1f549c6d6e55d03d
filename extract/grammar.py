"""The tagger's structural patterns, built from the Indonesian function words of ``[grammar]``.

The words (months, conjunctions, tense markers, qualifiers, words that point back …) are data in
the taxonomy (``extract/taxonomy/default.toml``, section ``[grammar]``), so a user's taxonomy file
can extend them; this module only arranges them: which word may stand where relative to a number,
a clause boundary or a year. ``grammar_of(taxonomy)`` compiles once per taxonomy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from extract.taxonomy import Taxonomy

_I = re.IGNORECASE
_YEAR = r"((?:19|20)[0-9]{2})"


def _space(fragment: str) -> str:
    # The [keywords] convention: a space matches any run of whitespace, " ?" any or none.
    return fragment.replace(" ?", r"\s*").replace(" ", r"\s+")


def alternation(words: Iterable[str]) -> str:
    """``(?:w1|w2|…)`` of regex fragments, longest first; a pattern that never matches when empty."""
    alts = sorted({_space(w) for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(alts) + ")" if alts else r"(?!x)x"


@dataclass(frozen=True)
class Grammar:
    """Compiled structural patterns; the attribute comments say where each is matched."""

    month: str                           # alternation, for composing
    clause_break: re.Pattern[str]        # finditer over a sentence
    cell_label: re.Pattern[str]          # search before a number: "…; Jumlah BTS: " (a table cell's label)
    frame: re.Pattern[str]               # match at a sentence's start: "Dari …," up to its comma
    list_and: re.Pattern[str]            # match at a clause break: ", dan" closing a list
    state_between: re.Pattern[str]       # search between a count and a later target cue
    already_after: re.Pattern[str]       # match right after the counted noun
    now_between: re.Pattern[str]         # search between a year and the figure
    per_unit: re.Pattern[str]            # match right after an amount
    near_gap: re.Pattern[str]            # fullmatch between a `near` keyword and the number
    head_gap: re.Pattern[str]            # fullmatch between a `head` keyword and the number
    length_before: re.Pattern[str]       # search right before a bare number ("sepanjang 2.275")
    bare_end: re.Pattern[str]            # match after a noun phrase
    nothing_counted_after: re.Pattern[str]   # match after a bare number
    anaphor: re.Pattern[str]             # search in the sentence
    previous_value_before: re.Pattern[str]   # search in the sentence up to the number
    change_before: re.Pattern[str]       # search in the sentence up to the number
    refers_back: re.Pattern[str]         # search in the paragraph up to the sentence's end
    breakdown: re.Pattern[str]           # match at the sentence's start
    purpose: re.Pattern[str]             # search after an amount
    points_back: re.Pattern[str]         # search in the purpose phrase
    share_anaphor: re.Pattern[str]       # match at the sentence's start
    phrase_end: re.Pattern[str]          # search after the number
    lebih_after: re.Pattern[str]         # match right after the surface
    ratio_before: re.Pattern[str]        # search right before the number
    since_before: re.Pattern[str]        # search right before a year
    full_date_before: re.Pattern[str]    # search right before a year
    year_name_before: re.Pattern[str]    # search right before a year
    year_introduced: re.Pattern[str]     # fullmatch between a figure and its year
    current: re.Pattern[str]             # search in the clause before the number
    attribution_date: re.Pattern[str]    # search in the sentence
    previous_year_after: re.Pattern[str]     # match right after the surface
    period_after: re.Pattern[str]        # match right after a year
    as_of_date_before: re.Pattern[str]   # search right before a year: "Hingga tanggal 29 Oktober"
    compared_before: re.Pattern[str]     # search right before a year: "dibandingkan (pada)"
    since_phrase: re.Pattern[str]        # search before a year: "sejak program itu diluncurkan pada"
    period_end_before: re.Pattern[str]   # search after "sejak": "sejak Januari hingga September"
    relative_before: re.Pattern[str]     # search before a year: "yang dirancang pada"
    reporting_verb: re.Pattern[str]      # search between a year and a figure
    restates: re.Pattern[str]            # match at a clause's start
    previous_year_phrase: re.Pattern[str]    # search in the clause before a restating one
    per_year_after: re.Pattern[str]      # match right after a surface
    list_label_after: re.Pattern[str]    # match right after a surface ("6 provinsi berikut")
    year_leads: re.Pattern[str]          # match right after a year ("2022 sebanyak 4.600 …")
    denominator_between: re.Pattern[str]     # match between a figure and the number it is part of
    as_of_frame: re.Pattern[str]         # match at a sentence's start: "Hingga akhir Juni 2021, …"
    continuation_opener: re.Pattern[str]     # match at a sentence's start
    related_line: re.Pattern[str]        # match at a paragraph's start
    continues_near: re.Pattern[str]      # search right around a bare number
    remainder_before: re.Pattern[str]    # search right before a number
    remainder_after: re.Pattern[str]     # match right after a surface ("1.500 sisanya")
    list_joint_word: re.Pattern[str]     # fullmatch of one word between two figures
    list_transparent_word: re.Pattern[str]   # fullmatch of a qualifier between two figures
    apposition: re.Pattern[str]          # search between two figures
    actual: re.Pattern[str]              # search in a clause
    actual_between: re.Pattern[str]      # search between a cue and its figure
    rate_per: re.Pattern[str]            # search after a number: where its head noun phrase ends
    money_before: re.Pattern[str]        # search in a clause before a purpose ("Rp 3 miliar untuk …")
    plan_noun: re.Pattern[str]           # search in a clause before a purpose ("kerja sama … untuk …")


def _build(words: dict[str, list[str]]) -> Grammar:
    def w(name: str) -> str:
        return alternation(words.get(name, []))

    month = w("months")
    return Grammar(
        month=month,
        clause_break=re.compile(
            r";|:\s"
            r"|,\s*(?=" + w("clause_after_comma") + r"\b)"
            r"|[,.!?]?[\"”’]\s*,?\s*(?=" + w("speech_verbs") + r"\b)"
            r"|\s[-–—]{1,2}\s"
            r"|\s(?=" + w("coordinators") + r"\s+" + w("tense_or_modality") + r"\b)"
            r"|\s(?=" + w("clause_without_comma") + r"\s)", _I),
        # Case-sensitive opener; the frame ends at its first comma that is not a decimal comma.
        frame=re.compile(r"[\"“'‘]?" + alternation(words.get("frame_opener", []))
                         + r"\s[^,;.!?\n]{1,160}?(,)(?![0-9])"),
        cell_label=re.compile(r"^[ \t]*([^;:\n|]{1,60}):[ \t]*$|(?:"
                              + alternation(words.get("cell_separators", []))
                              + r")[ \t]*([^;:\n|]{1,60}):[ \t]*$", _I | re.MULTILINE),
        list_and=re.compile(r",\s*" + w("coordinators") + r"\b", _I),
        state_between=re.compile(r"\b" + w("state") + r"\b", _I),
        already_after=re.compile(r"(?:\s+[\w-]+){0,2}?\s+" + w("already") + r"\b", _I),
        now_between=re.compile(r"\b" + w("now") + r"\b", _I),
        per_unit=re.compile(r"\s*(?:" + w("per") + r"\s*|/\s*)(?!" + w("period_units") + r"\b)[^\W\d]", _I),
        near_gap=re.compile(r"\s*(?:" + w("near_gap") + r"\s+)*", _I),
        length_before=re.compile(r"\b" + w("length_words") + r"(?:\s+" + w("length_words") + r")?\s+(?:"
                                 + w("near_gap") + r"\s+)*$", _I),
        head_gap=re.compile(r"\s*(?:(?:" + w("near_gap") + "|" + w("head_gap") + r")\s+)*", _I),
        # Case-sensitive: a capitalised place name after the preposition.
        bare_end=re.compile(r"\s*(?:" + w("place_preposition") + r"\s+(?:[A-Z][\w-]*\s*)+)?(?:[,;:.!?]|$)"),
        nothing_counted_after=re.compile(
            r"\s*(?:[,.;:!?)\"”’]|$|" + w("nothing_counted_after") + r"\b)", _I),
        anaphor=re.compile(r"\b" + w("anaphor") + r"\b", _I),
        previous_value_before=re.compile(
            r"\b" + w("change_from") + r"\s+" + w("from_word") + r"\s+(?:" + w("from_qualifier") + r"\s+)?$", _I),
        change_before=re.compile(r"\b" + w("change") + r"\b", _I),
        refers_back=re.compile(r"\b" + w("refers_back") + r"\b", _I),
        breakdown=re.compile(r"[\"“]?" + w("breakdown_opener") + r"\b", _I),
        purpose=re.compile(r"\b" + w("purpose") + r"\b(?!\s+" + w("purpose_not") + ")", _I),
        points_back=re.compile(r"\b" + w("points_back") + r"\b", _I),
        share_anaphor=re.compile(r"[\"“]?" + w("share_anaphor") + r"\b", _I),
        phrase_end=re.compile(r"[,;](?![0-9])|\s" + w("phrase_end_words") + r"\s", _I),
        lebih_after=re.compile(r"[ \t\u00a0]+" + w("lebih") + r"\b(?!\s+" + w("lebih_not_after") + r"\b)", _I),
        ratio_before=re.compile(r"(?<![\w.,])[0-9]{1,2}\s+" + w("ratio_of") + r"\s+$", _I),
        since_before=re.compile(r"\b" + w("since") + r"\s+(?:" + w("since_part") + r"\s+)?(?:" + month + r"\s+)?$", _I),
        full_date_before=re.compile(r"[0-9]{1,2}\s+" + month + r"\.?\s+$", _I),
        year_name_before=re.compile(w("year_name_before") + r"\s+$", _I),
        # at most one word between ("1,8 juta UMKM lagi pada 2026")
        year_introduced=re.compile(r"\s*(?:[^\W\d][\w-]*\s+(?=" + w("year_preposition") + r"\b))?"
                                   + w("year_preposition")
                                   + r"?\s*(?:" + w("year_part") + r"\s+)?(?:" + month + r"\s+)?", _I),
        current=re.compile(r"\b" + w("current") + r"\b", _I),
        # dd/mm/yyyy, dd Month yyyy, and a two-digit dateline year "(18/08/21)"
        attribution_date=re.compile(r"\b[0-9]{1,2}/[0-9]{1,2}/" + _YEAR + r"\b|\b[0-9]{1,2}\s+" + month
                                    + r"\.?\s+" + _YEAR + r"\b|\(\s*[0-9]{1,2}/[0-9]{1,2}/([0-9]{2})\s*\)", _I),
        previous_year_after=re.compile(r"\s*(?:" + w("previous_year_preposition") + r"\s+)?" + w("year_word")
                                       + r"\s+" + w("previous_word") + r"\b", _I),
        period_after=re.compile(r"\s*(?:" + w("period_to") + r"|-|–)\s*(?:" + month + r"\s+)?" + _YEAR + r"\b", _I),
        as_of_date_before=re.compile(r"\b" + w("as_of") + r"\s+(?:" + w("date_word") + r"\s+)?[0-9]{1,2}\s+" + month
                                     + r"\.?\s+$", _I),
        compared_before=re.compile(r"\b" + w("compared") + r"(?:\s+dengan)?(?:\s+" + w("year_preposition") + r")?"
                                   + r"(?:\s+" + w("year_word") + r")?\s+$", _I),
        period_end_before=re.compile(r"\b" + w("period_to") + r"\s+(?:" + w("year_part") + r"\s+)?(?:" + month
                                     + r"\s+)?$", _I),
        since_phrase=re.compile(r"\b" + w("since") + r"\b[^,;.]*$", _I),
        relative_before=re.compile(r"\b" + w("relative") + r"\s+[\w-]+(?:\s+[\w-]+)?\s+"
                                   + w("relative_preposition") + r"\s+(?:" + month + r"\s+)?$", _I),
        reporting_verb=re.compile(r"\b" + w("reporting_verbs") + r"\b", _I),
        restates=re.compile(r"[\s,;:(]*" + w("restates") + r"\b", _I),
        previous_year_phrase=re.compile(r"\b" + w("year_word") + r"\s+" + w("previous_word") + r"\b", _I),
        as_of_frame=re.compile(r"[\W]*" + w("as_of") + r"\s+(?:" + w("year_part") + r"\s+)?(?:" + month
                               + r"\s+)?(?:" + w("year_word") + r"\s+)?" + _YEAR + r"\s*,", _I),
        denominator_between=re.compile(r"(?:\s*[^\W\d][\w/-]*){0,3}?\s+" + w("from_word") + r"(?:\s+"
                                       + w("denominator_words") + r")*\s*$", _I),
        list_label_after=re.compile(r"\s*" + w("list_label_after"), _I),
        year_leads=re.compile(r"\s*[,:]?\s*(?:" + w("year_leads") + r"\s+)?(?:" + w("near_gap") + r"\s+)*[0-9]", _I),
        per_year_after=re.compile(r"\s*(?:[\w-]+\s+){0,2}?" + w("per_year") + r"\b", _I),
        continuation_opener=re.compile(r"[\"“'‘(\s]*" + w("continuation_opener") + r"\b", _I),
        related_line=re.compile(r"[\s\W]*" + w("related_line") + r"\b", _I),
        continues_near=re.compile(r"\b" + w("continues") + r"\b", _I),
        remainder_before=re.compile(r"\b" + w("remainder") + r"\s*$", _I),
        remainder_after=re.compile(r"\s*" + w("remainder") + r"\b", _I),
        list_joint_word=re.compile(w("list_joint"), _I),
        list_transparent_word=re.compile(w("list_transparent"), _I),
        apposition=re.compile(r"\b" + w("apposition") + r"\b", _I),
        actual=re.compile(r"\b" + w("actual") + r"\b", _I),
        actual_between=re.compile(r"\b" + w("actual_between") + r"\b", _I),
        rate_per=re.compile(r"\s(?:" + w("rate_per") + r")\b|/", _I),
        money_before=re.compile(r"\b(?:Rp|IDR)\.?\s?[0-9]|\b" + w("money_words") + r"\b", _I),
        plan_noun=re.compile(r"\b" + w("plan_nouns") + r"\b", _I),
    )


def grammar_of(taxonomy: Taxonomy) -> Grammar:
    """The compiled grammar of ``taxonomy`` (built on first use, then kept on the taxonomy)."""
    if taxonomy.grammar_cache is None:
        taxonomy.grammar_cache = _build(taxonomy.words)
    return taxonomy.grammar_cache
