# ruff: noqa: RUF001, RUF002, RUF003 -- Cyrillic tables
"""Russian, Kazakh, Kyrgyz and Uyghur Cyrillic folded to Latin.

One per-letter table (normalisation, not a transliteration standard): Мамат -> mamat,
Нұрлан -> nurlan, Гүлнар -> gülnar, Турсунов -> tursunov (the -ов is stripped later, in
`names.keys.strip_affixes`, for every script alike). Uyghur Cyrillic proper (ә ө ү һ җ ң қ ғ)
goes through the same table: the keys absorb the remaining vowel differences. The
Russian-style spelling of a ULY name (for `names.variants`) is `russian_style`.
"""

from __future__ import annotations

import re
import unicodedata

_TABLE = {
    "а": "a",
    "ә": "e",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "gh",
    "ҕ": "gh",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "є": "ye",
    "ж": "j",
    "җ": "j",
    "з": "z",
    "и": "i",
    "і": "i",
    "ї": "yi",
    "й": "y",
    "к": "k",
    "қ": "q",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "ng",
    "о": "o",
    "ө": "ö",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "u",
    "ү": "ü",
    "ў": "u",
    "ф": "f",
    "х": "x",
    "һ": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}


def uly(token: str) -> str:
    """A Cyrillic token to lowercase ULY-like Latin (ö ü kept), other characters dropped."""
    text = unicodedata.normalize("NFC", token).lower()
    return "".join(_TABLE.get(ch, "") for ch in text)


# ULY -> Russian-style Cyrillic, as Russian and Kazakh paperwork writes Uyghur names:
# no Uyghur letters, e and é both е, ü/ö as у/о, q/k as к, gh as г, x and h as х.
_RUSSIAN = [
    ("shch", "щ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("gh", "г"),
    ("zh", "ж"),
    ("ng", "н"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "ё"),
]
_RUSSIAN_LETTERS = {
    "a": "а",
    "b": "б",
    "c": "дж",
    "d": "д",
    "e": "е",
    "é": "е",
    "f": "ф",
    "g": "г",
    "h": "х",
    "i": "и",
    "j": "дж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "ö": "о",
    "p": "п",
    "q": "к",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "ü": "у",
    "v": "в",
    "w": "в",
    "x": "х",
    "y": "й",
    "z": "з",
}


def russian_style(uly_text: str) -> str:
    """ULY text as Russian paperwork spells it (Memet -> Мемет, Gülnar -> Гулнар)."""
    out = uly_text.lower()
    for latin, cyr in _RUSSIAN:
        out = out.replace(latin, cyr)
    out = "".join(_RUSSIAN_LETTERS.get(ch, ch) for ch in out)
    # Capitalise each word: names are proper nouns.
    return re.sub(r"(^|\s)(\w)", lambda m: m.group(1) + m.group(2).upper(), out)
