# ruff: noqa: RUF002 -- the docstring lists Turkic letters
"""Phonetic keys of one folded name part, and the affixes stripped before them.

A part gets at most a few keys, because every key becomes a blind-index bucket:

    "s:" + consonant skeleton   vowels, y, h and x/kh dropped; q/k, g/gh, j/zh/c, s/z,
                                v/w, p/f merged; final d/b/g devoiced; repeats collapsed.
                                Mehmet, Memet, Мамат, مەمەت, Maimaiti -> "s:mmt"
    "v:" + vowel-class key      the same consonants, h/kh/x kept as h, with each run of
                                vowels as its class a (a e ä ə é), i (i ı y), u (u ü o ö):
                                Memet, Mamat -> "v:mamat"; Ehmet, Akhmet -> "v:ahmat"

The skeleton survives Uyghur vowel reduction (Abdurehim / Abdirehim / Abdurahim) and a
dropped h; the vowel key keeps apart names with one skeleton (Abdulla / Ubaydulla,
Mamut / Mehmut).
"""

from __future__ import annotations

import re

# Patronymic and family-name affixes, folded: Russian/Kazakh passport -ov/-ev/-ova/-eva,
# -ovna/-evich, Kazakh -uly/-kyzy (ұлы, қызы), Kyrgyz -uulu, Turkish -oğlu, Uyghur -qizi.
# The root (the father's given name, usually) is what is compared.
_SUFFIX = re.compile(
    r"(ovna|evna|ovich|evich|ovych|yevna|yevich|ova|eva|yeva|ov|ev|yev"
    r"|uulu|uly|ulu|ugli|ogli|oghli|oglu|ogly|oghlu|kyzy|qyzy|kizi|qizi|kyzi|qizy)$"
)
_MIN_ROOT = 3

# Words that only mark a patronymic or address someone ("Serik uly", "bin", "Mr").
STOPWORDS = frozenset(
    {
        "uly",
        "ulu",
        "uulu",
        "ugli",
        "ogli",
        "oglu",
        "ogly",
        "oghli",
        "kyzy",
        "qizi",
        "kizi",
        "qyzy",
        "bin",
        "ibn",
        "binti",
        "bint",
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
    }
)


def strip_affixes(folded: str) -> str:
    """The root of a folded part: Tursunov -> tursun, Serikuly -> serik, Tursunova -> tursun."""
    m = _SUFFIX.search(folded)
    if m and m.start() >= _MIN_ROOT:
        return folded[: m.start()]
    return folded


# Consonant classes, applied in order (digraphs first). Upper case marks a class letter.
# Each step sees only the lower-case letters the steps before it left, so the single
# letters, whose classes cannot overlap, go in one translation after the digraphs ("ng"
# never survives the g step, so it has none).
_DIGRAPHS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"dzh|dj|zh"), "J"),
    (re.compile(r"sh|sch"), "X"),
    (re.compile(r"ch|ts"), "C"),
    (re.compile(r"gh|g"), "G"),
    (re.compile(r"[kq]h?"), "K"),
]
_LETTERS = str.maketrans(
    {
        **dict.fromkeys("xh", "H"),
        **dict.fromkeys("cj", "J"),
        **dict.fromkeys("vw", "V"),
        **dict.fromkeys("pf", "P"),
        "b": "B",
        "d": "D",
        "t": "T",
        **dict.fromkeys("sz", "S"),  # German s for z (Rosi / Rozi), Aziz / Asis
        **{c: c.upper() for c in "lmnr"},
        # Vowel classes: a (a e), i (i y), u (u o).
        "e": "a",
        "y": "i",
        "o": "u",
    }
)
_NOT_CLASS = re.compile(r"[^A-Zaiu]")
# Final devoicing: Mehmed / Mehmet, Ayub / Ayup, Beg / Bek.
_DEVOICED = {"D": "T", "B": "P", "G": "K"}
_REPEATS = re.compile(r"([A-Z])\1+")
_VOWEL_RUN = re.compile(r"([aiu])[aiu]+")
_NO_VOWELS = str.maketrans("", "", "aiu")


def _classes(folded: str) -> str:
    s = folded
    for pattern, repl in _DIGRAPHS:
        s = pattern.sub(repl, s)
    s = s.translate(_LETTERS)
    if _NOT_CLASS.search(s):  # not plain a-z: what no class or vowel took is dropped
        s = "".join(ch for ch in s if ch.isupper() or ch in "aiu")
    if s and s[-1] in _DEVOICED:
        s = s[:-1] + _DEVOICED[s[-1]]
    return s


def _skeleton_of(classes: str) -> str:
    # h and kh are dropped (Mehmet / Memet). Repeats collapse before the vowels go:
    # Abdulla -> bdl, but Memet keeps both m's.
    return _REPEATS.sub(r"\1", classes.replace("H", "")).translate(_NO_VOWELS).lower()


def _vowel_key_of(classes: str) -> str:
    return _REPEATS.sub(r"\1", _VOWEL_RUN.sub(r"\1", classes)).lower()


def skeleton(folded: str) -> str:
    """The consonant skeleton of a folded part, repeats collapsed ("mehmet" -> "mmt")."""
    return _skeleton_of(_classes(folded))


def vowel_key(folded: str) -> str:
    """Consonant classes with each vowel run as its first vowel's class ("mehmet" -> "mamat")."""
    return _vowel_key_of(_classes(folded))


def skeleton_and_vowel_key(folded: str) -> tuple[str, str]:
    """`skeleton` and `vowel_key` of one folded part, its classes worked out once."""
    classes = _classes(folded)
    return _skeleton_of(classes), _vowel_key_of(classes)


def keys(folded: str) -> frozenset[str]:
    """The phonetic keys of one folded part (empty for a part with no letters)."""
    out = set()
    sk = skeleton(folded)
    vk = vowel_key(folded)
    if sk:
        out.add("s:" + sk)
    if vk:
        out.add("v:" + vk)
    return frozenset(out)
