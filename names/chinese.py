"""Uyghur and Kazakh names written in Chinese characters or in pinyin, read as Latin.

A name copied from a Chinese ID card (买买提·吐尔逊, or 麦麦提·吐尔逊 in the 2005 Xinjiang
standard forms) or typed in pinyin (Maimaiti Tuerxun, maimaititu'erxun) stands for
Uyghur sounds: 买买提 is Memet, not "maimaiti". Generic pinyin also misreads name
characters (都 in 阿不都 is "du", not "dou"). So the readings come from a table of names,
name elements and transcription syllables (`data/chinese_names.csv`, described in its
header); `pypinyin` reads only characters the table lacks.

    readings(text)          -> parts of a name in characters, each a list of readings
    pinyin_readings(part)   -> readings of a Latin part that parses as pinyin of names
    pinyin_parts(word)      -> the same, cut into names where several run together
    spellings(folded)       -> the Chinese spellings of a folded Latin part, new forms first
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pypinyin import Style, lazy_pinyin

TABLE = Path(__file__).with_name("data") / "chinese_names.csv"

# affix: an element that begins a name or ends one (古丽: Gülnar, Rizwangül).
KINDS = ("whole", "prefix", "suffix", "affix", "syllable")
# Order of spellings: the standard's forms first, the older ones last.
STANDARDS = ("new", "both", "old")

# Readings kept per part, and spellings returned per name: enough for the variants that
# matter, few enough that the product of several elements stays small.
MAX_READINGS = 6
MAX_SPELLINGS = 8

# The middle dot and what people type for it, and hyphen-like marks and spaces.
SEPARATORS = re.compile(
    "[\\s\u00b7\u0387\u2022\u2027\u2219\u22c5\u30fb\uff65.\uff0e"
    "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d_/]+"
)
# Traditional characters of the table's names (買買提·吐爾遜, as Taiwan, Hong Kong and some
# overseas press write them), read as their simplified forms.
TRADITIONAL = str.maketrans(
    "萬東麗烏買亞優蘭茲農凱則別葉圖婭孫寧寶爾庫傑歐畢漢澤滿熱愛瑪納維羅艷豔蘇蓀薩許諾謝"
    "貝賈賽贊達遜鄒裡裏鐵門韋馬魯鮮麥義於來溫約託紮奧",
    "万东丽乌买亚优兰兹农凯则别叶图娅孙宁宝尔库杰欧毕汉泽满热爱玛纳维罗艳艳苏荪萨许诺谢"
    "贝贾赛赞达逊邹里里铁门韦马鲁鲜麦义于来温约托扎奥",
)
APOSTROPHES = re.compile("['\u2019\u2018\u02bc\u02b9`\u00b4]")


@dataclass(frozen=True)
class Row:
    """One row of the table."""

    characters: str
    pinyin: tuple[str, ...]
    readings: tuple[str, ...]
    kind: str
    standard: str
    source: str


@dataclass(frozen=True)
class _Token:
    kind: str  # a row kind, or "unknown" for a character read by pypinyin
    readings: tuple[str, ...]


@dataclass(frozen=True)
class _Index:
    rows: tuple[Row, ...]
    words: dict[str, _Token]  # characters of whole/prefix/suffix rows
    chars: dict[str, _Token]  # one character's syllable value
    longest: int
    pinyin_words: dict[str, _Token]  # joined toneless pinyin of whole/prefix/suffix rows
    pinyin_syllables: dict[str, _Token]
    longest_pinyin: int
    # reading -> ((standard, characters), ...): rows whose first reading it is, then the
    # others; within each, the standard's forms first.
    spell: dict[str, tuple[tuple[str, str], ...]]
    prefixes: tuple[str, ...]  # readings of prefix rows, longest first
    suffixes: tuple[str, ...]


def _merge(into: dict[str, _Token], key: str, kind: str, readings: tuple[str, ...]) -> None:
    # The same characters may have two rows (a Uyghur and a Kazakh name): keep the first
    # row's kind and readings first, add the other's readings after them.
    old = into.get(key)
    if old is None:
        into[key] = _Token(kind, readings)
    else:
        into[key] = _Token(old.kind, tuple(dict.fromkeys(old.readings + readings)))


def load(path: Path = TABLE) -> tuple[Row, ...]:
    """The table's rows, checked: a malformed row raises ValueError naming its line."""
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    for n, rec in enumerate(csv.DictReader(lines), start=2):
        readings = tuple(rec["uyghur"].split())
        row = Row(
            rec["characters"].strip(),
            tuple(rec["pinyin"].split()),
            readings,
            rec["kind"].strip(),
            rec["standard"].strip(),
            rec["source"].strip(),
        )
        if (
            not row.characters
            or not readings
            or row.kind not in KINDS
            or row.standard not in STANDARDS
            or not row.source
            or any(not r.isascii() or not r.isalpha() or not r.islower() for r in readings)
            or len(row.pinyin) != len(row.characters)
        ):
            raise ValueError(f"{path.name}: data row {n - 1} is malformed: {row.characters!r}")
        rows.append(row)
    return tuple(rows)


@functools.cache
def _index() -> _Index:
    rows = load()
    words: dict[str, _Token] = {}
    chars: dict[str, _Token] = {}
    pinyin_words: dict[str, _Token] = {}
    pinyin_syllables: dict[str, _Token] = {}
    spell: dict[str, list[tuple[int, str, str]]] = {}
    prefixes: set[str] = set()
    suffixes: set[str] = set()
    for row in rows:
        # Pinyin as a name reads it (阿不都 abudu), and as a phone or a converter writes
        # it, character by character (abudou): a relative may have typed either.
        spoken = "".join(row.pinyin)
        generic = _generic_pinyin(row.characters)
        if row.kind == "syllable":
            _merge(chars, row.characters, row.kind, row.readings)
            _merge(pinyin_syllables, spoken, row.kind, row.readings)
            if generic and generic != spoken:
                _merge(pinyin_syllables, generic, row.kind, row.readings)
            continue
        _merge(words, row.characters, row.kind, row.readings)
        _merge(pinyin_words, spoken, row.kind, row.readings)
        if generic and generic != spoken:
            _merge(pinyin_words, generic, row.kind, row.readings)
        for pos, r in enumerate(row.readings):
            spell.setdefault(r, []).append((min(pos, 1), row.standard, row.characters))
        if row.kind in ("prefix", "affix"):
            prefixes.update(row.readings)
        if row.kind in ("suffix", "affix"):
            suffixes.update(row.readings)
    ordered = {
        r: tuple(
            dict.fromkeys(
                (std, chars)
                for _, std, chars in sorted(forms, key=lambda f: (f[0], STANDARDS.index(f[1])))
            )
        )
        for r, forms in spell.items()
    }
    return _Index(
        rows,
        words,
        chars,
        max(len(w) for w in words),
        pinyin_words,
        pinyin_syllables,
        max(len(p) for p in [*pinyin_words, *pinyin_syllables]),
        ordered,
        tuple(sorted(prefixes, key=len, reverse=True)),
        tuple(sorted(suffixes, key=len, reverse=True)),
    )


def rows() -> tuple[Row, ...]:
    """Every row of the table, as loaded (for the docs' counts and the tests)."""
    return _index().rows


def _fold_latin(text: str) -> str:
    """Latin letters without accents or tone marks, lower case (Mǎimǎití -> maimaiti)."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _is_han(ch: str) -> bool:
    return unicodedata.category(ch) == "Lo" and (
        "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"
    )


def _generic_pinyin(chars: str) -> str:
    """The characters' common Mandarin reading, toneless, in a-z (都 -> dou)."""
    py = _fold_latin("".join(lazy_pinyin(chars, style=Style.NORMAL))).replace("v", "u")
    return "".join(c for c in py if "a" <= c <= "z")


def _unknown(ch: str) -> _Token:
    # Last resort for a character the table lacks.
    py = _generic_pinyin(ch)
    return _Token("unknown", (py,) if py else ())


_VOWELS = frozenset("aeiou")
_LOOSE = ("syllable", "unknown", "slip")


def _fit(before: str, reading: str, last: bool, first_choice: bool) -> int:
    """Extra cost of a syllable's reading in its place. A name does not start with a
    bare consonant nor put two together (克热木 is Kerem, not Krem; 麻木提 Mamut, not
    Mamt); a last character mostly writes a final consonant (木 -> m, 提 -> t)."""
    cost = 0
    if not _VOWELS.intersection(reading) and (not before or before[-1] not in _VOWELS):
        cost += 2
    if last and not first_choice:
        cost += 1
    return cost


def _combine(tokens: list[_Token]) -> list[str]:
    """Readings of tokens written together: the product, best first, kept short."""
    tokens = [t for t in tokens if t.readings]
    beam: list[tuple[int, str]] = [(0, "")]
    for n, tok in enumerate(tokens):
        loose = tok.kind in _LOOSE
        last = n == len(tokens) - 1
        # After a known element (阿卜杜 + 克热木) the loose syllables start a name anew.
        after_word = n > 0 and tokens[n - 1].kind not in _LOOSE
        beam = sorted(
            (
                (
                    cost + i + (_fit("" if after_word else text, r, last, i == 0) if loose else 0),
                    text + r,
                )
                for cost, text in beam
                for i, r in enumerate(tok.readings)
            ),
            key=lambda x: x[0],
        )[: MAX_READINGS * 2]
    return list(dict.fromkeys(text for _, text in beam if text))[:MAX_READINGS]


def _segment(run: str) -> list[_Token]:
    """Characters cut into table words, fewest pieces first (longest known name first)."""
    idx = _index()
    n = len(run)
    # best[i] = (pieces, characters read by pypinyin) to cover run[:i], and the piece.
    best: list[tuple[int, int] | None] = [None] * (n + 1)
    back: list[tuple[int, _Token] | None] = [None] * (n + 1)
    best[0] = (0, 0)
    for i in range(n):
        here = best[i]
        if here is None:
            continue
        options: list[tuple[int, _Token, int]] = []
        for j in range(min(n, i + idx.longest), i, -1):
            tok = idx.words.get(run[i:j])
            if tok is not None:
                options.append((j, tok, 0))
        single = idx.chars.get(run[i])
        if single is not None:
            options.append((i + 1, single, 0))
        elif not any(j == i + 1 for j, _, _ in options):
            options.append((i + 1, _unknown(run[i]), 1))
        for j, tok, unknown in options:
            cost = (here[0] + 1, here[1] + unknown)
            seen = best[j]
            if seen is None or cost < seen:
                best[j] = cost
                back[j] = (i, tok)
    out: list[_Token] = []
    j = n
    while j > 0:
        step = back[j]
        if step is None:  # pragma: no cover - every character has a token
            break
        i, tok = step
        out.append(tok)
        j = i
    return out[::-1]


def _group(tokens: list[_Token]) -> list[list[_Token]]:
    """A run with no dot cut into parts: a whole name is a part; a prefix joins the name
    after it, a suffix the one before it; an affix (古丽) ends loose syllables before it
    (热孜万古丽, Rizwangül) and otherwise begins a name; loose syllables stay together."""
    parts: list[list[_Token]] = []
    joining = False  # the last token was a prefix: the next one joins it
    for tok in tokens:
        last = parts[-1][-1].kind if parts else ""
        ends_loose = tok.kind == "affix" and last in _LOOSE and not joining
        if not parts:
            parts.append([tok])
        elif joining or tok.kind == "suffix" or ends_loose:
            parts[-1].append(tok)
        elif tok.kind in _LOOSE and last in _LOOSE:
            parts[-1].append(tok)
        else:
            parts.append([tok])
        joining = tok.kind == "prefix" or (tok.kind == "affix" and not ends_loose)
    # A prefix with nothing after it ends a name instead (阿依古丽 written as 阿依 + 古丽).
    if len(parts) > 1 and len(parts[-1]) == 1 and parts[-1][0].kind in ("prefix", "affix"):
        parts[-2].extend(parts.pop())
    return parts


def readings(text: str) -> list[list[str]]:
    """A name in Chinese characters: its parts, each a list of folded readings, best first.

    Parts are split at the middle dot (and its look-alikes, hyphens, spaces). A run with
    no dot at all is cut with the table: 买买提吐尔逊 -> [["memet", ...], ["tursun"]];
    阿不都热依木 stays one part, "abdurehim". Traditional characters are read as their
    simplified forms; characters other than Han are ignored.
    """
    pieces = [p for p in SEPARATORS.split(text or "") if p]
    runs = ["".join(c for c in p if _is_han(c)).translate(TRADITIONAL) for p in pieces]
    runs = [r for r in runs if r]
    if not runs:
        return []
    if len(runs) == 1:
        groups = _group(_segment(runs[0]))
    else:
        groups = [_segment(r) for r in runs]
    out = [_combine(g) for g in groups]
    return [r for r in out if r]


# A consonant whose vowel was dropped in typing (aihmaiti for aihemaiti): read as itself,
# at the cost of three syllables, and only inside a word that holds a known name.
_SLIPS = {c: _Token("slip", (c,)) for c in "bdghklmnprstz"}
_SLIP_COST = 3
_MAX_SLIPS = 2


def _segment_pinyin(s: str, slips: bool = False) -> list[_Token] | None:
    idx = _index()
    n = len(s)
    best: list[int | None] = [None] * (n + 1)
    back: list[tuple[int, _Token] | None] = [None] * (n + 1)
    best[0] = 0
    for i in range(n):
        here = best[i]
        if here is None:
            continue
        options: list[tuple[int, _Token, int]] = []
        for j in range(min(n, i + idx.longest_pinyin), i, -1):
            piece = s[i:j]
            # A whole name counts as one piece: it beats its own syllables.
            tok = idx.pinyin_words.get(piece) or idx.pinyin_syllables.get(piece)
            if tok is not None:
                options.append((j, tok, 1))
        if slips and s[i] in _SLIPS:
            options.append((i + 1, _SLIPS[s[i]], _SLIP_COST))
        for j, tok, cost in options:
            seen = best[j]
            if seen is None or here + cost < seen:
                best[j] = here + cost
                back[j] = (i, tok)
    if best[n] is None:
        return None
    out: list[_Token] = []
    j = n
    while j > 0:
        step = back[j]
        if step is None:  # pragma: no cover - best[n] set means a full path
            return None
        i, tok = step
        out.append(tok)
        j = i
    return out[::-1]


def _segment_with_slips(s: str) -> list[_Token] | None:
    tokens = _segment_pinyin(s, slips=True)
    if (
        tokens is None
        or sum(t.kind == "slip" for t in tokens) > _MAX_SLIPS
        or all(t.kind in ("syllable", "slip") for t in tokens)
    ):
        return None
    return tokens


def pinyin_readings(part: str) -> list[str]:
    """A Latin part written in pinyin of a name (Maimaiti, Mǎimǎití, tu'erxun, AIKEBAIER):
    its Uyghur-style readings; [] when it does not parse as pinyin of the table's names
    and syllables. Names run together (maimaitituerxun) give one reading, memettursun;
    `pinyin_parts` splits them."""
    parsed = _parse_pinyin(part)
    if parsed is None:
        return []
    tokens, latin = parsed
    return _with_latin(_combine(tokens), latin)


def pinyin_parts(word: str) -> list[list[str]]:
    """A Latin word in pinyin that may hold several names run together, as `readings`
    cuts characters with no dot: maimaitituerxun -> [["memet", ...], ["tursun"]];
    abudureyimu stays one part. [] when the word is not pinyin of names."""
    parsed = _parse_pinyin(word)
    if parsed is None:
        return []
    tokens, latin = parsed
    if latin:
        return [_with_latin(_combine(tokens), latin)]
    out = [_combine(group) for group in _group(tokens)]
    return [r for r in out if r]


def _with_latin(readings: list[str], latin: str) -> list[str]:
    return list(dict.fromkeys([latin, *readings] if latin else readings))[:MAX_READINGS]


def _parse_pinyin(part: str) -> tuple[list[_Token], str] | None:
    """The word cut into the table's pinyin, and the word itself when its Latin reading
    must come first; None when it is not pinyin of names."""
    s = _fold_latin(part or "")
    s = APOSTROPHES.sub("", s)
    s = re.sub(r"[\s\-.\u00b7]+|[1-5]", "", s).replace("v", "u")
    if not s or not all("a" <= c <= "z" for c in s):
        return None
    # A letter typed twice (abudukkelimu) is a slip: pinyin doubles none.
    single = re.sub(r"(.)\1+", r"\1", s)
    tokens = _segment_pinyin(s) or _segment_pinyin(single) or _segment_with_slips(single)
    if not tokens:
        return None
    if not all(t.kind == "syllable" for t in tokens):
        return tokens, ""
    # Loose syllables only: many Latin names parse so (Ali = a-li, Salima = sa-li-ma) and
    # keep their Latin reading: none from pinyin for two syllables, the Latin one first
    # for more, unless the spelling shows pinyin.
    signs = _pinyin_signs(part, s)
    if len(tokens) < 3 and not signs:
        return None
    return tokens, "" if signs else s


# Signs that a Latin word is pinyin: tone marks or numbers (macron, caron, grave; the acute
# is also Uyghur Latin é), or spellings pinyin writes and Uyghur Latin does not (ai for
# ay, yi for i, wu for u, xi/xu for shi/shu).
_TONES = re.compile("[\u0300\u0304\u030c1-5]")
_PINYIN_SPELLINGS = re.compile("ai|ei|ao|ou|uo|ie|iu|ui|yi|wu|x[iu]")


def _pinyin_signs(written: str, folded: str) -> bool:
    return bool(_TONES.search(unicodedata.normalize("NFKD", written))) or bool(
        _PINYIN_SPELLINGS.search(folded)
    )


def spellings(folded: str) -> list[str]:
    """The Chinese spellings of a folded Latin part (memet -> 麦麦提, 买买提), the 2005
    standard's forms first, then forms used before and after, then the older forms.
    A name the table lacks whole is built from a prefix or suffix and a known name
    (abdurehim -> 阿卜都热依木 ...); forms never mix new and old elements."""
    idx = _index()
    folded = (folded or "").strip().lower()
    if not folded:
        return []
    found = idx.spell.get(folded)
    if found:
        return [chars for _, chars in found][:MAX_SPELLINGS]
    built: list[tuple[int, str]] = []
    for p in idx.prefixes:
        rest = folded[len(p) :]
        if folded.startswith(p) and rest in idx.spell:
            built.extend(_join(idx.spell[p], idx.spell[rest], prefix_first=True))
    for s in idx.suffixes:
        rest = folded[: -len(s)]
        if folded.endswith(s) and rest in idx.spell:
            built.extend(_join(idx.spell[s], idx.spell[rest], prefix_first=False))
    ordered = sorted(built, key=lambda x: x[0])
    return list(dict.fromkeys(chars for _, chars in ordered))[:MAX_SPELLINGS]


def _join(
    affixes: tuple[tuple[str, str], ...],
    names_: tuple[tuple[str, str], ...],
    prefix_first: bool,
) -> list[tuple[int, str]]:
    out = []
    for a_std, a in affixes:
        for n_std, n in names_:
            stds = {a_std, n_std}
            if stds == {"new", "old"}:
                continue  # nobody writes half the name in the new forms
            rank = max(STANDARDS.index(a_std), STANDARDS.index(n_std))
            out.append((rank, a + n if prefix_first else n + a))
    return out
