"""Small history charts as PNG images: a metric's last values with their dates, the new ones marked.

Rendered on the server with Pillow, so a digest email carries them as inline images (Content-ID)
that mail clients show without JavaScript or a remote fetch, and Datasette's metric-history page
shows the same picture. Pillow because it is one wheel with no system libraries (FreeType and its
own font are inside), works offline, is under the permissive HPND licence, and draws a 600 px
chart in a few milliseconds; a plotting library (matplotlib: numpy and ~60 MB installed) would
draw the same four lines and a dozen dots.

Lines are drawn at ``SCALE`` times the size and scaled down, which smooths them (Pillow's lines
have no anti-aliasing of their own).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from alerts.formatting import format_compact, format_month
from kernel.times import WIB, in_zone

# The size mail clients show at 100 %: the digest's content column is 672 px wide.
WIDTH, HEIGHT = 600, 170
# Drawn at this many times the size, then scaled down: smooth lines and text.
SCALE = 3
# Room around the plot for value labels (left), date labels (bottom) and the top value label.
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 26, 34
FONT_SIZE = 12
# The digest's colours (digest.html.j2): teal for the series, amber for the values of this digest.
INK = (31, 41, 55)
MUTED = (107, 114, 128)
GRID = (229, 231, 235)
LINE = (14, 116, 144)
NEW = (217, 119, 6)
BACKGROUND = (255, 255, 255)
# Points closer in time than this are drawn evenly spaced (a few values found within hours).
EVEN_SPACING_BELOW_SECONDS = 2 * 86400
# A series spanning less than this is labelled by day ("16 Agu") instead of month ("Agu 2020").
DAY_LABELS_BELOW_SECONDS = 90 * 86400


@dataclass(frozen=True)
class Point:
    at: datetime
    value: float
    new: bool = False


def series_points(rows: Sequence[dict], new_figure_ids: set[int] | frozenset[int] = frozenset()) -> list[dict]:
    """Stored statements (``store.queries.series_history`` rows, oldest first) as chart points
    ``{"at", "value", "year", "new"}``: equal neighbouring values (one value from several sources)
    count once, at their first date; a point is ``new`` when one of its figures is."""
    points: list[dict] = []
    for row in rows:
        new = row["figure_id"] in new_figure_ids
        if points and points[-1]["value"] == row["value"]:
            if new and not points[-1]["new"]:
                points[-1] = {**points[-1], "new": True}
            continue
        points.append({"at": row["as_of"], "value": row["value"], "year": row["year"], "new": new})
    return points


def points_of(series: dict, zone: object = WIB) -> list[Point]:
    """A payload series (``{"points": [{"at", "value", "new"}]}``) as chart points, in time order."""
    out = []
    for raw in series.get("points", []):
        moment = in_zone(raw.get("at"), zone)  # type: ignore[arg-type]
        if moment is None or raw.get("value") is None:
            continue
        out.append(Point(moment, float(raw["value"]), bool(raw.get("new"))))
    return sorted(out, key=lambda p: p.at)


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's own font (Aileron, scalable): the same on every machine, no font package needed.
    return ImageFont.load_default(size=size)


def render_chart(points: Sequence[Point], unit: str | None, language: str = "id") -> bytes:
    """The PNG of a line chart of ``points`` (at least one)."""
    s = SCALE
    image = Image.new("RGB", (WIDTH * s, HEIGHT * s), BACKGROUND)
    draw = ImageDraw.Draw(image)
    font = _font(FONT_SIZE * s)
    bold = _font((FONT_SIZE + 1) * s)
    left, right, top, bottom = LEFT * s, (WIDTH - RIGHT) * s, TOP * s, (HEIGHT - BOTTOM) * s

    low, high, step = axis_range([p.value for p in points])

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    # A grid line per step with its value on the left (more digits until the labels differ).
    steps = round((high - low) / step)
    grid = [low + step * k for k in range(steps + 1)]
    digits = 3
    while digits < 7 and len({format_compact(v, unit, language, digits) for v in grid}) < len(grid):
        digits += 1
    for value in grid:
        y = y_of(value)
        draw.line([(left, y), (right, y)], fill=GRID, width=s)
        label = format_compact(value, unit, language, digits)
        width = draw.textlength(label, font=font)
        draw.text((left - 8 * s - width, y - FONT_SIZE * s * 0.6), label, font=font, fill=MUTED)

    times = [p.at.timestamp() for p in points]
    first, last = min(times), max(times)
    span = last - first

    def x_of(index: int) -> float:
        if len(points) == 1:
            return (left + right) / 2
        if span < EVEN_SPACING_BELOW_SECONDS:  # values of one day or two: side by side, evenly
            return left + (right - left) * index / (len(points) - 1)
        # Time-proportional, so a gap of years looks like one; nudged apart so dots never merge.
        return left + (right - left) * (times[index] - first) / span

    xs = _spread([x_of(i) for i in range(len(points))], minimum=10 * s, low=left, high=right)
    ys = [y_of(p.value) for p in points]
    if len(points) > 1:
        draw.line(list(zip(xs, ys, strict=True)), fill=LINE, width=3 * s, joint="curve")
    for x, y, point in zip(xs, ys, points, strict=True):
        radius = (6 if point.new else 4) * s
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=NEW if point.new else LINE,
                     outline=BACKGROUND, width=s)

    # Value labels above the newest point, the new ones, then the first, where they don't overlap;
    # date labels under the points that have room.
    order = [len(points) - 1] + [i for i, p in enumerate(points) if p.new][::-1] + [0]
    taken: list[tuple[float, float, float]] = []
    for i in dict.fromkeys(order):
        label = format_compact(points[i].value, unit, language, digits)
        width = draw.textlength(label, font=bold)
        x = min(max(xs[i] - width / 2, left + 4 * s), WIDTH * s - width - 2 * s)
        y = ys[i] - 24 * s
        if any(x < b + 4 * s and x + width > a - 4 * s and abs(y - top_y) < 16 * s for a, b, top_y in taken):
            continue
        taken.append((x, x + width, y))
        draw.text((x, y), label, font=bold, fill=NEW if points[i].new else INK)
    _date_labels(draw, font, points, xs, bottom + 10 * s, language, short=span < DAY_LABELS_BELOW_SECONDS)

    out = image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    out.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def axis_range(values: Sequence[float]) -> tuple[float, float, float]:
    """(low, high, step) of the value axis: round numbers around ``values``, two or three steps."""
    low, high = min(values), max(values)
    if high == low:  # one value (or one point): a flat line in the middle
        low, high = (low * 0.8, high * 1.2) if low else (0.0, 1.0)
        if low > high:
            low, high = high, low
    step = _nice((high - low) / 2)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    if high - low < step * 2:
        high = low + step * 2
    return low, high, step


def _nice(raw: float) -> float:
    """The round number (1, 1.5, 2, 2.5, 3 or 5 × 10^k) at or above ``raw``."""
    exponent = math.floor(math.log10(raw))
    for factor in (1.0, 1.5, 2.0, 2.5, 3.0, 5.0, 10.0):
        if factor * 10 ** exponent >= raw:
            return factor * 10 ** exponent
    return 10.0 ** (exponent + 1)


def _spread(xs: list[float], *, minimum: float, low: float, high: float) -> list[float]:
    """Positions at least ``minimum`` apart (pushed right, then back left within ``high``)."""
    out = list(xs)
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] + minimum)
    if out and out[-1] > high:
        out[-1] = high
        for i in range(len(out) - 2, -1, -1):
            out[i] = min(out[i], out[i + 1] - minimum)
    return [max(low, x) for x in out]


def _date_labels(draw: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
                 points: Sequence[Point], xs: list[float], y: float, language: str, short: bool = False) -> None:
    """'Agu 2020' ('16 Agu' for a series of a few weeks) under the first, last and new points, then
    under others where they fit; a label its neighbour already shows is not repeated."""
    order = [0, len(points) - 1] + [i for i, p in enumerate(points) if p.new] + list(range(1, len(points) - 1))
    taken: list[tuple[float, float]] = []
    shown: set[str] = set()
    gap = 6 * SCALE
    for i in dict.fromkeys(order):
        moment = points[i].at
        label = (f"{moment.day} {format_month(moment, language, moment.tzinfo or WIB).split()[0]}" if short
                 else format_month(moment, language, moment.tzinfo or WIB))
        if label in shown:
            continue
        width = draw.textlength(label, font=font)
        x0 = min(max(xs[i] - width / 2, 0), WIDTH * SCALE - width)
        x1 = x0 + width
        if any(x0 < b + gap and x1 > a - gap for a, b in taken):
            continue
        taken.append((x0, x1))
        shown.add(label)
        draw.text((x0, y), label, font=font, fill=INK if points[i].new else MUTED)
