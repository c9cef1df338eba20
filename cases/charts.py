"""Bar charts as SVG, drawn on the server: no script, no style attribute (the page's
content security policy allows neither inline), colours and sizes as presentation
attributes only. Pure: text in, markup out, every label escaped.

A chart draws what it is given: `Bar.value` is a length already safe to show (the
statistics give SMALL for a small count and None for a withheld one), and `Bar.shown`
is the text written next to it. Small bars are hatched, so they do not read as exact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Protocol

WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 80
ROW = 26
BAR = 16
PAD = 8
MAX_LABEL = 32  # characters drawn; the full label is in the row's <title> and the table

INK = "#1b1b1b"
FILL = "#1d4f91"
AXIS = "#6b6b6b"

# Characters XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ID = re.compile(r"[^A-Za-z0-9_-]")


class BarLike(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def shown(self) -> str: ...
    @property
    def bar(self) -> int | None: ...
    @property
    def small(self) -> bool: ...


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str
    bar: int | None
    small: bool = False


def text(value: object) -> str:
    """Escaped for XML text and attribute values alike."""
    return escape(_NOT_XML.sub("", str(value)), quote=True)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[BarLike],
    *,
    rtl: bool = False,
) -> str:
    """A horizontal bar chart: one row per bar, labels on the reading side.

    `chart_id` (letters, digits, - and _) makes the ids inside unique on the page;
    `title` and `description` name the chart for screen readers, which should be
    pointed to the table with the same figures.
    """
    cid = _ID.sub("", chart_id) or "chart"
    height = PAD * 2 + ROW * max(len(bars), 1)
    area = WIDTH - LABEL_WIDTH - VALUE_WIDTH - PAD * 2
    longest = max([b.bar for b in bars if b.bar is not None] + [1])

    def x(position: float) -> float:
        return round(WIDTH - position if rtl else position, 1)

    # Anchors are logical: with the chart's direction set, "end" is the side of a label
    # next to its bar and "start" the side of a count next to its bar, either way.
    direction = "rtl" if rtl else "ltr"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" focusable="false" class="chart" direction="{direction}" '
        f'aria-labelledby="{cid}-title {cid}-desc">',
        f'<title id="{cid}-title">{text(title)}</title>',
        f'<desc id="{cid}-desc">{text(description)}</desc>',
        "<defs>",
        f'<pattern id="{cid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">',
        f'<rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{FILL}" stroke-width="3"/>',
        "</pattern>",
        "</defs>",
        f'<g font-family="system-ui, sans-serif" font-size="13" fill="{INK}">',
    ]
    base = LABEL_WIDTH + PAD
    for index, bar in enumerate(bars):
        top = PAD + index * ROW
        middle = top + ROW / 2 + 4.5  # the text's baseline, near the bar's middle
        out.append(f"<g><title>{text(bar.label)}: {text(bar.shown)}</title>")
        out.append(
            f'<text x="{x(LABEL_WIDTH)}" y="{middle}" text-anchor="end">'
            f"{text(_short(bar.label))}</text>"
        )
        length = 0.0
        if bar.bar:
            length = max(area * bar.bar / longest, 2.0)
            left = base if not rtl else base + length
            fill = f"url(#{cid}-hatch)" if bar.small else FILL
            out.append(
                f'<rect x="{x(left)}" y="{top + (ROW - BAR) / 2}" width="{round(length, 1)}" '
                f'height="{BAR}" fill="{fill}" stroke="{FILL}" stroke-width="1"/>'
            )
        out.append(
            f'<text x="{x(base + length + 6)}" y="{middle}" text-anchor="start">'
            f"{text(bar.shown)}</text></g>"
        )
    out.append(
        f'<line x1="{x(base)}" y1="{PAD / 2}" x2="{x(base)}" y2="{height - PAD / 2}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    out.append("</g></svg>")
    return "".join(out)
