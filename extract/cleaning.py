"""Removing residual boilerplate lines from extracted article text.

Works on plain text (one paragraph per line), so it serves both the HTML path (after trafilatura)
and saved text such as the seeds. The rules are structural, driven by the profile's patterns:

1. the article ends at a list or comment header ("Terpopuler", "Berita Terkait", "TINGGALKAN
   KOMENTAR"): the headlines under it carry their own numbers, so cut there, not just the header;
2. reporter initials "(rns/fay)" end the story (detik, Liputan6): cut them and what follows;
3. a video promo ("Saksikan video …", "Simak Video …") followed within a few lines by a paragraph
   opening "Sebelumnya," starts an appended older story: cut from the promo;
4. lines that are boilerplate labels anywhere (ad slots, "Baca juga …", "[Gambas:…]", bylines with
   dates, photo credits, page dividers) are dropped one by one;
5. a photo caption printed twice around its "Foto:" credit is dropped, as is a line that is only
   a date and a line that repeats the line right before it;
6. short unpunctuated lines at the very end (a headline list under an unknown header) go too;
7. a dateline standing on its own line ("Jakarta -", "REPUBLIKA.CO.ID, JAKARTA --": the city in a
   <strong> before the first <p>) joins the paragraph after it.
"""

from __future__ import annotations

import re

from extract.dates import is_date_line
from extract.profiles import Profile, load_profile

# "(rns/fay)", "(Cas/Isk)", "(agt/fay/dnu)": 2-5 letters per initial; the whole line.
# A single upper-case group "(FHM)" (Okezone 2017) counts too; a single lower-case word in brackets
# could be an aside, so it does not.
INITIALS_LINE = re.compile(r"^\(\s*(?:(?:[A-Za-z]{2,5}\s*/\s*){1,3}[A-Za-z]{2,5}|[A-Z]{2,5})\s*\)$")
VIDEO_PROMO = re.compile(r"^\W*(?:saksikan|simak (?:juga )?video|lihat (?:juga )?video)\b", re.I)
PHOTO_CREDIT = re.compile(r"^foto\s*:", re.I)
# An appended story starts this close (in lines) after the video promo: its headline and a caption
# sit between them.
APPENDED_WINDOW = 6
# Story paragraphs end like sentences; a headline or widget title does not.
SENTENCE_END = re.compile(r"[.!?…:;)\]\"'”’»。！？」』）]\s*$")
# Chinese, Japanese and Korean text: a last line without Latin punctuation (a byline, a source) is
# no sign of a headline list there, so the trailing-line rule leaves it alone.
WIDE_SCRIPT = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Headlines are short: a long unpunctuated last line is more likely a sloppy last paragraph.
MAX_TRAILING_HEADLINE_CHARS = 100
# A dateline on a line of its own: a place (and agency) ending in a dash, short.
DATELINE_ALONE = re.compile(r"^\S.{0,58}?\s(?:-{1,2}|–|—)$")
# List headers are short; a long line that happens to start like one is a sentence.
MAX_HEADER_CHARS = 60


def _profile(profile: Profile | str | None) -> Profile:
    if isinstance(profile, Profile):
        return profile
    return load_profile(profile or "generic")


def cut_index(lines: list[str], profile: Profile) -> int:
    """Index of the first line that belongs to what follows the article (len(lines) if none)."""
    for i, line in enumerate(lines):
        if i == 0:
            continue  # the first line is the story (or its headline), never a footer
        if profile.end_markers and len(line) <= MAX_HEADER_CHARS and profile.end_markers.match(line):
            return i
        if profile.cut_after_initials and INITIALS_LINE.match(line):
            return i
        if VIDEO_PROMO.match(line) and profile.appended_story_opening:
            for later in lines[i + 1:i + 1 + APPENDED_WINDOW]:
                if profile.appended_story_opening.match(later):
                    return i
    return len(lines)


def _drop_trailing_headlines(lines: list[str]) -> list[str]:
    """Drop short lines without sentence-final punctuation from the end: headline lists and
    widget titles whose header did not match any end marker. Text in which no line ends like a
    sentence (a poem, a song, a list) has no such tail to tell apart, and is left whole."""
    if not any(SENTENCE_END.search(line) for line in lines):
        return lines
    end = len(lines)
    while (end > 1 and len(lines[end - 1]) <= MAX_TRAILING_HEADLINE_CHARS and not SENTENCE_END.search(lines[end - 1])
           and not WIDE_SCRIPT.search(lines[end - 1])):
        end -= 1
    return lines[:end]


def _drop_captions(lines: list[str]) -> list[str]:
    """Drop "Foto: …" credits and the caption text printed on both sides of one."""
    drop: set[int] = set()
    for i, line in enumerate(lines):
        if PHOTO_CREDIT.match(line):
            drop.add(i)
            if 0 < i < len(lines) - 1 and lines[i - 1] == lines[i + 1]:
                drop.update((i - 1, i + 1))
    return [line for i, line in enumerate(lines) if i not in drop]


def join_datelines(lines: list[str]) -> list[str]:
    """Each dateline standing alone ("Jakarta -") joined to the paragraph after it."""
    out: list[str] = []
    for line in lines:
        if out and DATELINE_ALONE.match(out[-1]) and not DATELINE_ALONE.match(line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def clean_lines(lines: list[str], profile: Profile | str | None = None, *, trailing: bool = True) -> list[str]:
    """The story lines of ``lines`` (already split, any whitespace), boilerplate removed;
    ``trailing=False`` keeps short unpunctuated last lines (photo captions are such lines)."""
    prof = _profile(profile)
    lines = [line.strip() for line in lines]
    lines = join_datelines([line for line in lines if line])
    lines = lines[:cut_index(lines, prof)]
    lines = _drop_captions(lines)
    kept: list[str] = []
    for line in lines:
        if prof.boilerplate and prof.boilerplate.match(line):
            continue
        if is_date_line(line):
            continue
        if kept and kept[-1] == line:
            continue
        kept.append(line)
    return _drop_trailing_headlines(kept) if trailing else kept


def clean_text(text: str, profile: Profile | str | None = None) -> str:
    """``text`` with residual boilerplate removed; paragraphs stay one per line ("\\n")."""
    return "\n".join(clean_lines(text.splitlines(), profile))
