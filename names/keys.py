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

import functools
import re
from collections.abc import Callable

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
_Repl = str | Callable[[re.Match[str]], str]
_CLASSES: list[tuple[re.Pattern[str], _Repl]] = [
    (re.compile(r"dzh|dj|zh"), "J"),
    (re.compile(r"sh|sch"), "X"),
    (re.compile(r"ch|ts"), "C"),
    (re.compile(r"gh|g"), "G"),
    (re.compile(r"ng"), "N"),
    (re.compile(r"[kq]h?|x|h"), lambda m: "K" if m.group(0)[0] in "kq" else "H"),
    (re.compile(r"[cj]"), "J"),
    (re.compile(r"[vw]"), "V"),
    (re.compile(r"[pf]"), "P"),
    (re.compile(r"b"), "B"),
    (re.compile(r"[dt]"), lambda m: m.group(0).upper()),
    (re.compile(r"[sz]"), "S"),  # German s for z (Rosi / Rozi), Aziz / Asis
    (re.compile(r"[lmnr]"), lambda m: m.group(0).upper()),
]
_VOWEL_CLASS = {"a": "a", "e": "a", "i": "i", "y": "i", "o": "u", "u": "u"}


def _classes(folded: str) -> str:
    s = folded
    for pattern, repl in _CLASSES:
        s = pattern.sub(repl, s)
    s = "".join(_VOWEL_CLASS.get(ch, ch) for ch in s if ch.isupper() or ch in _VOWEL_CLASS)
    # Final devoicing: Mehmed / Mehmet, Ayub / Ayup, Beg / Bek.
    s = re.sub(r"D$", "T", s)
    s = re.sub(r"B$", "P", s)
    s = re.sub(r"G$", "K", s)
    return s


@functools.lru_cache(maxsize=16384)
def skeleton(folded: str) -> str:
    """The consonant skeleton of a folded part, repeats collapsed ("mehmet" -> "mmt")."""
    # h and kh are dropped (Mehmet / Memet). Repeats collapse before the vowels go:
    # Abdulla -> bdl, but Memet keeps both m's.
    classes = re.sub(r"([A-Z])\1+", r"\1", _classes(folded).replace("H", ""))
    return "".join(ch for ch in classes if ch.isupper()).lower()


@functools.lru_cache(maxsize=16384)
def vowel_key(folded: str) -> str:
    """Consonant classes with each vowel run as its first vowel's class ("mehmet" -> "mamat")."""
    s = _classes(folded)
    s = re.sub(r"([aiu])[aiu]+", r"\1", s)
    s = re.sub(r"([A-Z])\1+", r"\1", s)
    return s.lower()


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
