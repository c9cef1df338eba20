"""A PDF page's text as it was written: in logical order, also where it holds lines of
right-to-left script (Uyghur in Arabic script) mixed with numbers and Latin.

Pure: no Django. The leak check reads pages through it; the tests of the renderer use it to
show that what is drawn reads back as the text given.
"""

import unicodedata

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from bidi import get_display


def _is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def direction(text: str) -> str:
    """The direction of the first strong character: "R" (right to left) or "L"."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
    return "L"


def logical_text(textpage: pdfium.PdfTextPage) -> str:
    """A page's text in logical order. The viewer's reading keeps words of right-to-left
    script right but may misplace the numbers, brackets and Latin words next to them
    ("2017-يىلى" read as "-2017يىلى"); such lines are rebuilt from where each character
    is drawn."""
    chars = [chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(textpage.count_chars())]
    lines: list[list[int]] = [[]]
    for index, char in enumerate(chars):
        if char == "\n":
            lines.append([])
        elif char != "\r":
            lines[-1].append(index)
    extents = [_extent(textpage, chars, line) for line in lines]
    drawn = [e for e in extents if e is not None]
    column = (min(e[0] for e in drawn), max(e[1] for e in drawn)) if drawn else (0.0, 0.0)
    out = []
    for line, extent in zip(lines, extents, strict=True):
        text = "".join(chars[i] for i in line)
        if extent is not None and any(_is_rtl(chars[i]) for i in line):
            text = _reorder(textpage, chars, line, _base_direction(text, extent, column))
        out.append(text)
    return "\n".join(out)


def _extent(
    textpage: pdfium.PdfTextPage, chars: list[str], line: list[int]
) -> tuple[float, float] | None:
    """Where a line starts and ends on the page (left and right edge of its ink)."""
    drawn = [i for i in line if not chars[i].isspace()]
    if not drawn:
        return None
    if not any(_is_rtl(chars[i]) for i in drawn):
        drawn = [drawn[0], drawn[-1]]  # left to right only: the ends are the first and last
    boxes = [textpage.get_charbox(i) for i in drawn]
    return min(b[0] for b in boxes), max(b[2] for b in boxes)


def _base_direction(text: str, extent: tuple[float, float], column: tuple[float, float]) -> str:
    """A paragraph set right to left is aligned on the right edge of the text column, one
    set left to right on the left edge: the nearer edge tells the line's direction."""
    left_gap, right_gap = extent[0] - column[0], column[1] - extent[1]
    if abs(left_gap - right_gap) < 1:
        return direction(text)  # a full or centred line: the viewer's reading decides
    return "L" if left_gap < right_gap else "R"


def _reorder(textpage: pdfium.PdfTextPage, chars: list[str], line: list[int], base: str) -> str:
    # Left to right as drawn; the characters of one glyph (a ligature) share its box and
    # keep their order, reversed for right-to-left letters so the reordering restores it.
    # The characters are the logical ones (a mirrored bracket is still "["), and the
    # reordering mirrors nothing, so reading the drawing back gives the text.
    def position(index: int) -> tuple[float, int]:
        left = textpage.get_charbox(index)[0]
        return (round(left, 1), -index if _is_rtl(chars[index]) else index)

    visual = "".join(chars[i] for i in sorted(line, key=position))
    return _rebalance(str(get_display(visual, base_dir=base)))


PAIRS = {"(": ")", "[": "]", "{": "}", "<": ">", "\u00ab": "\u00bb", "\u300a": "\u300b"}


def _rebalance(line: str) -> str:
    """The viewer mirrors some brackets of a right-to-left line ("(Memet Tursun(" for
    "(Memet Tursun)"): a closing bracket with nothing open becomes an opening one, and
    brackets left open at the end of the line are closed, from the right."""
    out = list(line)
    for opening, closing in PAIRS.items():
        open_at: list[int] = []
        for index, char in enumerate(out):
            if char == opening:
                open_at.append(index)
            elif char == closing:
                if open_at:
                    open_at.pop()
                else:
                    out[index] = opening
                    open_at.append(index)
        # Of the brackets still open, the later half were meant to close the earlier half.
        for index in open_at[len(open_at) - len(open_at) // 2 :]:
            out[index] = closing
    return "".join(out)
