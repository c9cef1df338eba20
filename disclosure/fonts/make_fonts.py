"""Make the fonts shipped in this folder from Debian's Noto packages.

The exports are rendered only with these files, never with the machine's fonts, so that a
PDF looks the same everywhere and every character of a case has a glyph. The full CJK
font is about 19 MB; the subset keeps GB2312 level 1 (the 3,755 common characters), every
character of names/data/chinese_names.csv and the CJK punctuation.

Run once by hand, then commit the outputs:

    apt-get download fonts-noto-core fonts-noto-cjk
    for f in fonts-noto-*.deb; do dpkg-deb -x "$f" /tmp/noto; done
    .venv/bin/python -m disclosure.fonts.make_fonts /tmp/noto
"""

import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

HERE = Path(__file__).resolve().parent
NAMES_CSV = HERE.parent.parent / "names" / "data" / "chinese_names.csv"

# Latin (with the Uyghur Latin, Turkish and pinyin letters), Cyrillic (with Kazakh),
# punctuation and the symbols a case text uses.
LATIN_CYRILLIC = [
    (0x0020, 0x024F),
    (0x0250, 0x02FF),
    (0x0300, 0x036F),
    (0x0400, 0x052F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x214F),
    (0x2190, 0x21FF),
    (0xFEFF, 0xFEFF),
]
CJK_PUNCTUATION = [(0x3000, 0x303F), (0xFF00, 0xFFEF), (0x00B7, 0x00B7), (0x2014, 0x201D)]


def gb2312_level1() -> set[int]:
    """The 3,755 characters of GB2312 level 1 (rows 16-55)."""
    chars: set[int] = set()
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([row, cell]).decode("gb2312")))
            except UnicodeDecodeError:
                continue  # the unassigned cells at the end of row 55
    return chars


def name_table_characters() -> set[int]:
    chars: set[int] = set()
    for line in NAMES_CSV.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        chars.update(ord(c) for c in line.split(",")[0] if ord(c) > 0x2E7F)
    return chars


def ranges(spans: list[tuple[int, int]]) -> set[int]:
    return {c for low, high in spans for c in range(low, high + 1)}


def make_subset(font: TTFont, unicodes: set[int], out: Path) -> None:
    options = subset.Options()
    options.layout_features = ["*"]  # keep shaping: kerning, marks, ligatures
    options.name_IDs = ["*"]  # the copyright and licence records stay
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.save(out)


def main(root: Path) -> None:
    noto = root / "usr/share/fonts/truetype/noto"
    for weight in ("Regular", "Bold"):
        make_subset(
            TTFont(noto / f"NotoSans-{weight}.ttf"),
            ranges(LATIN_CYRILLIC),
            HERE / f"NotoSans-{weight}.ttf",
        )
        # Arabic script is kept whole: its shaping tables reach most of the font.
        shutil.copyfile(
            noto / f"NotoNaskhArabic-{weight}.ttf", HERE / f"NotoNaskhArabic-{weight}.ttf"
        )
    collection = TTCollection(root / "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    simplified = next(f for f in collection.fonts if "SC" in f["name"].getDebugName(1))
    make_subset(
        simplified,
        gb2312_level1() | name_table_characters() | ranges(CJK_PUNCTUATION),
        HERE / "NotoSansSC-Regular-subset.otf",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
