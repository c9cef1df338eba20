"""Names parsed into parts, and compared part by part.

    parse("买买提·吐尔逊")   -> Name(script="Hani", parts=(Part(folded="memet", ...),
                                                      Part(folded="tursun", ...)))
    parse("Мамат Турсунов")  -> parts "mamat", "tursun" (-ов stripped)
    score(a, b)              -> 0..100 (names.scoring)

Every script is first turned into one plain a-z folded form per part (`names.latin`,
`names.cyrillic`, `names.uyghur`, `names.chinese`), then keyed (`names.keys`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from anyascii import anyascii

from . import chinese, cyrillic, latin, uyghur
from .keys import STOPWORDS, keys, skeleton, strip_affixes
from .lexicon import closeness, pinyin_guess
from .scripts import ARAB, CYRL, HANI, LATN, char_script, detect_script, hint

# A part has at most this many keys (each one a blind-index bucket).
MAX_KEYS = 3
# Longer input is not a name: only this much of it is read, into at most so many parts,
# each word of at most so many characters (bounding the work and the buckets a pasted
# paragraph could make).
MAX_TEXT = 200
MAX_NAME_PARTS = 8
MAX_TOKEN = 48
# Only a one-piece name of a real name's size is tried for a cut into two names: up to
# so many Latin letters (the longest joined pinyin names run to about 23) or Chinese
# characters, each piece at most MAX_PIECE letters (the longest known name or pinyin is
# 19). Every cut tried costs fuzzy look-ups against the whole name table.
MAX_JOINED = 26
MAX_JOINED_HANI = 12
MAX_PIECE = 20
# Bidi controls change how a name is shown, never what it is: dropped before anything.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, repr=False)
class Part:
    """One name part: as written, folded to plain a-z, and its phonetic keys.

    readings holds every folded reading considered (the first is `folded`): a part in
    Chinese characters or pinyin can be read several ways. uly is the part in Uyghur Latin
    with its diacritics when the script tells them (for `variants`), else the folded form.
    surname is set when the writing marks the part as a family name: ALL CAPS among
    mixed-case parts (TURSUNOV Mamat), or a patronymic suffix (Tursunov, Serikuly).
    """

    written: str
    folded: str
    keys: frozenset[str]
    readings: tuple[str, ...] = ()
    uly: str = ""
    surname: bool = False

    def __repr__(self) -> str:
        # A name must not reach a log or a traceback through a repr: only its shape.
        return f"Part(<{len(self.folded)} letters>, keys={len(self.keys)})"


@dataclass(frozen=True, repr=False)
class Name:
    """A name as written, the script detected from its characters, and its parts in order."""

    written: str
    script: str
    parts: tuple[Part, ...] = field(default_factory=tuple)

    def __repr__(self) -> str:
        return f"Name(script={self.script!r}, parts={len(self.parts)})"


# Separators between parts. Dots and the Chinese middle dot and its look-alikes separate
# parts too, but a Chinese run is handed whole to `chinese.readings`, which splits it.
_TOKEN = re.compile(r"[^\s,;/()\[\]{}\"“”«»|+&:]+")
_DOTS = re.compile(r"[.·•・‧･∙⋅]+")


def _part(written: str, readings: list[str], uly: str) -> Part | None:
    readings = [r for r in dict.fromkeys(readings) if len(r) >= 2 and r not in STOPWORDS]
    if not readings:
        return None
    ks: list[str] = []
    ks.extend(sorted(keys(readings[0])))
    for r in readings[1:3]:
        k = "s:" + skeleton(r)
        if k not in ks and k != "s:":
            ks.append(k)
    return Part(written, readings[0], frozenset(ks[:MAX_KEYS]), tuple(readings), uly or readings[0])


def _from_uly(
    written: str, uly_text: str, extra: list[str] | None = None, alternative: str = ""
) -> Part | None:
    # Whatever a converter let through (digits, marks) is not part of a name.
    uly_text = re.sub(r"[^a-zöüé]", "", uly_text.lower())
    folded = latin.fold_uly(uly_text)
    if folded in STOPWORDS:
        return None
    root = strip_affixes(folded)
    uly_root = strip_affixes(uly_text) if root != folded else uly_text
    readings = [*(extra or []), root]
    if alternative:
        readings.append(strip_affixes(alternative))
    part = _part(written, readings, uly_root if not extra else "")
    if part is not None and root != folded and not extra:
        part = dataclasses.replace(part, surname=True)
    return part


class _Lookups:
    """The table look-ups of one parse, each done once: the cuts of a one-piece name ask
    for the same pieces again and again. Made per parse and dropped with it, so nothing
    keyed by a name outlives the call."""

    __slots__ = ("_guess", "_near", "_pinyin")

    def __init__(self) -> None:
        self._near: dict[tuple[str, float], float] = {}
        self._guess: dict[tuple[str, float], tuple[float, str]] = {}
        self._pinyin: dict[str, list[str]] = {}

    def closeness(self, piece: str, floor: float = 0.0) -> float:
        found = self._near.get((piece, floor))
        if found is None:
            found = self._near[(piece, floor)] = closeness(piece, floor)
        return found

    def pinyin_guess(self, piece: str, floor: float) -> tuple[float, str]:
        found = self._guess.get((piece, floor))
        if found is None:
            found = self._guess[(piece, floor)] = pinyin_guess(piece, floor)
        return found

    def pinyin_readings(self, piece: str) -> list[str]:
        # Callers only read the list: one list serves every caller of this parse.
        found = self._pinyin.get(piece)
        if found is None:
            found = self._pinyin[piece] = chinese.pinyin_readings(piece)
        return found


def _latin_token(tok: str, look: _Lookups) -> list[Part]:
    out = []
    for piece in _DOTS.split(tok):
        if not piece:
            continue
        pinyin = look.pinyin_readings(piece)
        uly = latin.uly(piece)
        # A J before a vowel is English/Turkish j, or German y (Jasin, Jusup): read both.
        alternative = latin.fold_uly("y" + uly[1:]) if uly[:1] == "j" else ""
        part = _from_uly(piece, uly, pinyin if pinyin else None, alternative)
        if part is not None:
            out.append(part)
    return out


def _hani_token(tok: str) -> list[Part]:
    out = []
    for readings in chinese.readings(tok):
        part = _part(tok, [strip_affixes(r) for r in readings], "")
        if part is not None:
            out.append(part)
    return out


def _token_parts(tok: str, hint_script: str, look: _Lookups) -> list[Part]:
    script = detect_script(tok, hint_script)
    if script == HANI:
        return _hani_token(tok)
    if script == ARAB:
        return [p for piece in _DOTS.split(tok) if (p := _from_uly(piece, uyghur.to_uly(piece)))]
    if script == CYRL:
        return [p for piece in _DOTS.split(tok) if (p := _from_uly(piece, cyrillic.uly(piece)))]
    if script == LATN:
        return _latin_token(tok, look)
    return []


def parse(text: str, script: str = "") -> Name:
    """A written name parsed into parts; script is a hint (form code or ISO 15924 code).

    The script is detected from the characters, each word on its own (a name may mix
    scripts); the hint only breaks ties. Latin words are read as pinyin when
    `names.chinese` recognises them as pinyin of names, whatever the hint. Parts keep
    their written order; a patronymic suffix is stripped into its root (Serikuly ->
    serik), a lone "uly"/"bin" dropped.
    """
    text = _BIDI.sub("", (text or "")[: MAX_TEXT * 4])[:MAX_TEXT]
    hint_script = hint(script)
    detected = detect_script(text, hint_script)
    parts: list[Part] = []
    tokens = [t[:MAX_TOKEN] for t in _TOKEN.findall(text) if any(char_script(ch) for ch in t)]
    mixed_case = any(not t.isupper() for t in tokens)
    look = _Lookups()
    for tok in tokens:
        if len(parts) >= MAX_NAME_PARTS:
            break
        found = _token_parts(tok, hint_script, look)
        if mixed_case and tok.isupper() and len(tok) > 1:
            found = [dataclasses.replace(p, surname=True) for p in found]
        parts.extend(found)
    if len(parts) == 1 and len(tokens) == 1 and _joined_size(tokens[0]):
        parts = _split_joined(tokens[0], parts[0], look)
    return Name(text, detected, tuple(parts[:MAX_NAME_PARTS]))


def _joined_size(token: str) -> bool:
    """Whether a one-piece name is of a real name's size, worth trying cuts on."""
    if detect_script(token) == HANI:
        return len(token) <= MAX_JOINED_HANI
    return len(token) <= MAX_JOINED


def _cuts(size: int) -> range:
    """Cut points of a word of size letters leaving pieces of a name's size."""
    return range(max(_MIN_PIECE, size - MAX_PIECE), min(size - _MIN_PIECE, MAX_PIECE) + 1)


# A one-piece name is cut in two where the pieces are this near known names: on average
# for a cut between pinyin syllables that names.chinese reads, each for any other cut.
PINYIN_SPLIT_CLOSENESS = 75.0
PINYIN_FLOOR = 2 * PINYIN_SPLIT_CLOSENESS - 100  # each piece's least, for such a mean
SPLIT_CLOSENESS = 85.0
_MIN_PIECE = 3


_Cut = tuple[float, list[Part]]  # the nearer piece's closeness to a known name, the parts


def _split_pinyin(token: str, look: _Lookups) -> _Cut | None:
    """Joined pinyin (maimaitituerxun) cut between syllables into two readable names."""
    best, cut, low = PINYIN_SPLIT_CLOSENESS, 0, 0.0
    for i in range(max(2, len(token) - MAX_PIECE), min(len(token) - 2, MAX_PIECE) + 1):
        head = look.pinyin_readings(token[:i])
        tail = look.pinyin_readings(token[i:]) if head else []
        if not tail:
            continue
        # A mean above best needs both above PINYIN_FLOOR: look-ups below it are spared.
        near_head = look.closeness(head[0], PINYIN_FLOOR)
        if (near_head + 100) / 2 <= best:
            continue  # the tail cannot bring the mean above best
        near = (near_head, look.closeness(tail[0], PINYIN_FLOOR))
        if sum(near) / 2 > best:
            best, cut, low = sum(near) / 2, i, min(near)
    if not cut:
        return None
    return low, _latin_token(token[:cut], look) + _latin_token(token[cut:], look)


def _piece(letters: str, look: _Lookups) -> tuple[float, list[str]]:
    """How near a piece of a one-piece Latin name is to a known name, and its readings:
    read as pinyin (names.chinese), as pinyin with a slip of the pen (the nearest known
    pinyin), or as Uyghur-style Latin, whichever is nearest."""
    # Only a piece above SPLIT_CLOSENESS makes a cut: look-ups below it are spared.
    options: list[tuple[float, list[str]]] = []
    pinyin = look.pinyin_readings(letters)
    if pinyin:
        options.append((look.closeness(pinyin[0], SPLIT_CLOSENESS), pinyin))
    near, reading = look.pinyin_guess(letters, SPLIT_CLOSENESS)
    if reading:
        options.append((near, [reading]))
    folded = latin.fold(letters)
    options.append((look.closeness(folded, SPLIT_CLOSENESS), [folded]))
    return max(options, key=lambda o: o[0])


def _split_chinese(token: str, look: _Lookups) -> _Cut | None:
    """Joined pinyin cut into names by names.chinese's own reading of its syllables."""
    found = chinese.pinyin_parts(token)
    if len(found) != 2:
        return None
    parts = [p for readings in found if (p := _part(token, readings, "")) is not None]
    return min(look.closeness(r[0]) for r in found), parts


def _split_latin(token: str, look: _Lookups) -> _Cut | None:
    """Joined pinyin (maimaitituerxun, with a slip: gluimireabulimiti) or Latin
    (memettursun) cut where both pieces are near known names."""
    letters = re.sub(r"[^a-z]", "", anyascii(token).lower())
    best, cut = SPLIT_CLOSENESS, None
    for i in _cuts(len(letters)):
        near_head, head = _piece(letters[:i], look)
        if near_head <= best:
            continue  # the cut cannot win whatever the tail: its look-ups are spared
        near_tail, tail = _piece(letters[i:], look)
        if min(near_head, near_tail) > best:
            best, cut = min(near_head, near_tail), (head, tail)
    if cut is None:
        return None
    pieces = [_part(token, [*cut[0]], ""), _part(token, [*cut[1]], "")]
    return best, [p for p in pieces if p is not None]


def _split_reading(part: Part, look: _Lookups) -> list[Part] | None:
    """A one-piece reading (买买提吐尔逊 read as one) cut where both pieces are known names."""
    best, cut = SPLIT_CLOSENESS, None
    for reading in part.readings[:3]:
        if len(reading) > MAX_JOINED:
            continue
        for i in _cuts(len(reading)):
            head, tail = reading[:i], reading[i:]
            if look.closeness(head, SPLIT_CLOSENESS) <= best:
                continue
            near = min(look.closeness(head, SPLIT_CLOSENESS), look.closeness(tail, SPLIT_CLOSENESS))
            if near > best:
                best, cut = near, (head, tail)
    if cut is None:
        return None
    pieces = [_part(part.written, [cut[0]], ""), _part(part.written, [cut[1]], "")]
    return [p for p in pieces if p is not None]


def _split_joined(token: str, part: Part, look: _Lookups) -> list[Part]:
    """A name written in one piece, in Chinese characters or in pinyin, as a given and a
    father's name. Only then: a Latin name typed in one capitalised word (Muhemmetimin)
    is a compound name, not two."""
    script = detect_script(token)
    if script == LATN and token.istitle() and not look.pinyin_readings(token):
        return [part]
    if script not in (LATN, HANI):
        return [part]
    if script == HANI:
        return _split_reading(part, look) or [part]
    # The cut whose worse piece is nearer a known name: a slip of the pen can make
    # pinyin syllables of the wrong cut (abulimii|taihemaiti).
    cuts = [
        c
        for c in (
            _split_chinese(token, look),
            _split_pinyin(token, look),
            _split_latin(token, look),
        )
        if c is not None
    ]
    return max(cuts, key=lambda c: c[0])[1] if cuts else [part]
