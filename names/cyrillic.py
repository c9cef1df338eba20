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
    "е": "é",  # Uyghur Latin é (ې); ә is e (ە). Both fold to e.
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
    # After a consonant я ю ё only soften it (Рахиля is Rahile, Гюльнара Gülnara, Ляззат
    # Lazzat); elsewhere they are ya, yu, yo (Ясин, Юсуп, Ильяс).
    text = _SOFT.sub(lambda m: m.group(1) + _SOFTENED[m.group(2)], text)
    return "".join(_TABLE.get(ch, "") for ch in text)


_SOFTENED = {"я": "а", "ю": "у", "ё": "о"}
_SOFT = re.compile("([бвгджзклмнпрстфхцчшщ])([яюё])")


# ULY -> Russian-style Cyrillic, as Russian and Kazakh paperwork writes Uyghur names:
# no Uyghur letters, e (ə) as а and é as е (Memet -> Мамат), ü/ö as у/о, q/k as к, gh as г,
# x and h as х.
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
    "e": "а",
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
    """ULY text as Russian paperwork spells it (Memet -> Мамат, Gülnar -> Гулнар)."""
    out = uly_text.lower()
    for latin, cyr in _RUSSIAN:
        out = out.replace(latin, cyr)
    out = "".join(_RUSSIAN_LETTERS.get(ch, ch) for ch in out)
    # Capitalise each word: names are proper nouns.
    return re.sub(r"(^|\s)(\w)", lambda m: m.group(1) + m.group(2).upper(), out)


# Russian-style Cyrillic -> the Latin line of a Russian or Kazakh passport (a simple rule).
_PASSPORT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip


def passport_style(uly_text: str) -> str:
    """ULY text as a passport's Latin line spells it (Memet -> Mamat, Ehmet -> Akhmat)."""
    cyr = russian_style(uly_text).lower()
    latin = "".join(_PASSPORT.get(ch, ch) for ch in cyr)
    return re.sub(r"(^|\s)(\w)", lambda m: m.group(1) + m.group(2).upper(), latin)


def family_forms(uly_text: str) -> list[str]:
    """A father's name as a Russian-style surname, man's and woman's: Турсунов, Турсунова
    (-ев, -ева after a vowel), and the same on a passport's Latin line."""
    cyr = russian_style(uly_text)
    ending = "ев" if cyr[-1:].lower() in "аеиоуыэюя" else "ов"
    forms = [cyr + ending, cyr + ending + "а"]
    return forms + ["".join(_PASSPORT.get(ch, ch) for ch in f.lower()).capitalize() for f in forms]
