"""Every spelling of a name in the other scripts, for redaction.

    variants("Memet Tursun") -> {
        "Latn": ["Memet Tursun", "Mamat Tursun", "Memet", ..., "Tursunov", "Tursunova"],
        "Arab": ["مەمەت تۇرسۇن", "مەمەت", "تۇرسۇن"],            # umsc from ULY
        "Cyrl": ["Мәмәт Турсун", "Мамат Турсун", "Мәмәт", ..., "Турсунов", "Турсунова"],
        "Hani": ["麦麦提·吐尔逊", "买买提·吐尔孙", ..., "买买提", "吐尔逊", ...],
    }

Each list holds the whole name first (parts in written order, one spelling per style), then
every part alone in every style, then the later parts as Russian-style surnames (Турсунов,
Турсунова, Tursunov, Tursunova), then the text as written (under its own script):
redaction looks for a name in pieces as well as whole. Styles: Latin in ULY (with é and ë),
Turkish (Hoca), English (Khoja) and passport (Mamat, Akhmat) spelling; Cyrillic in Uyghur
(Мәмәт) and Russian (Мамат) style; Chinese characters new and old (names.chinese), or for a
spelling its table lacks, those of the names with the same keys.

Spellings are generated, not looked up: plausible spellings, not every spelling a family
may use (Mehmet is not derived from Memet). Matching (`score`) does not depend on them.
"""

from __future__ import annotations

from . import chinese, cyrillic, lexicon, uyghur
from .core import Name, Part, parse
from .keys import skeleton, vowel_key
from .scripts import ARAB, CYRL, HANI, LATN, char_script

# ULY -> Turkish-style and English-style Latin (digraphs first).
_TURKISH = [("sh", "ş"), ("ch", "ç"), ("gh", "ğ"), ("zh", "j"), ("ng", "ñ"), ("j", "c")]
_TURKISH_LETTERS = str.maketrans({"x": "h", "q": "k", "w": "v", "é": "e", "ë": "e"})
_ENGLISH_LETTERS = str.maketrans({"x": "kh", "ö": "o", "ü": "u", "é": "e", "ë": "e", "w": "v"})


def turkish_style(uly: str) -> str:
    out = uly
    # Placeholders keep the j of "zh" from turning into c.
    for latin, turkish in _TURKISH:
        out = out.replace(latin, turkish if latin != "zh" else "\0")
    return out.replace("\0", "j").translate(_TURKISH_LETTERS)


def english_style(uly: str) -> str:
    return uly.translate(_ENGLISH_LETTERS)


def _cap(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))


def _hani(part: Part) -> list[str]:
    """Chinese spellings of a part; for a spelling the table lacks (Mamat), those of the
    names it knows with the same vowel-class key (Memet)."""
    for reading in part.readings or (part.folded,):
        found = chinese.spellings(reading)
        if found:
            return list(found)
    names, vowels, skeletons = lexicon.known_names()
    vk, sk, size = vowel_key(part.folded), skeleton(part.folded), len(part.folded)
    return [
        spelling
        for n, v, k in zip(names, vowels, skeletons, strict=True)
        if v == vk and k == sk and abs(len(n) - size) <= 1
        for spelling in chinese.spellings(n)
    ]


def _part_spellings(part: Part) -> dict[str, list[str]]:
    uly = part.uly or part.folded
    return {
        LATN: [
            _cap(uly),
            _cap(uly.replace("é", "ë")),
            _cap(turkish_style(uly)),
            _cap(english_style(uly)),
            cyrillic.passport_style(uly),
        ],
        ARAB: [uyghur.to_arabic(uly)],
        CYRL: [_cap(uyghur.to_cyrillic(uly)), cyrillic.russian_style(uly)],
        HANI: _hani(part),
    }


def cyrillic_letters(text: str) -> bool:
    return any(char_script(ch) == CYRL for ch in text)


def _add(out: dict[str, list[str]], script: str, spelling: str) -> None:
    spelling = spelling.strip()
    if spelling and spelling not in out[script]:
        out[script].append(spelling)


def of_name(name: Name) -> dict[str, list[str]]:
    """The spellings of a parsed name (see the module docstring)."""
    out: dict[str, list[str]] = {LATN: [], ARAB: [], CYRL: [], HANI: []}
    per_part = [_part_spellings(p) for p in name.parts]
    for script in out:
        styles = max((len(s[script]) for s in per_part), default=0)
        for k in range(styles):
            pieces = [s[script][min(k, len(s[script]) - 1)] for s in per_part if s[script]]
            if len(pieces) == len(per_part):
                _add(out, script, ("·" if script == HANI else " ").join(pieces))
        for s in per_part:
            for spelling in s[script]:
                _add(out, script, spelling)
    # A name other than the given name may stand as a Russian-style surname.
    given = next((p for p in name.parts if not p.surname), None)
    for part in (p for p in name.parts if p is not given):
        for form in cyrillic.family_forms(part.uly or part.folded):
            _add(out, CYRL if cyrillic_letters(form) else LATN, form)
    if name.script in out:
        _add(out, name.script, name.written)
    return out


def variants(text: str, script: str = "") -> dict[str, list[str]]:
    """Spellings of a name in each script: ISO 15924 code -> spellings (see module docstring)."""
    return of_name(parse(text, script))
