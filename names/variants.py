"""Every spelling of a name in the other scripts, for redaction.

    variants("Memet Tursun") -> {
        "Latn": ["Memet Tursun", "Memet", "Tursun", ...],        # ULY, Turkish, English style
        "Arab": ["مەمەت تۇرسۇن", "مەمەت", "تۇرسۇن"],              # umsc from ULY
        "Cyrl": ["Мәмәт Турсун", "Мемет Турсун", "Мәмәт", ...],   # Uyghur and Russian style
        "Hani": ["买买提·吐尔逊", "买买提", "吐尔逊", ...],          # names.chinese
    }

Each list holds the whole name first (parts in written order, one spelling per style), then
every part alone in every style, then the text as written (under its own script): redaction
looks for a name in pieces as well as whole. Spellings are generated, not looked up, so they
are plausible spellings, not every spelling a family may use; matching (`score`) does not
depend on them.
"""

from __future__ import annotations

from . import chinese, cyrillic, uyghur
from .core import Name, Part, parse
from .scripts import ARAB, CYRL, HANI, LATN

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


def _part_spellings(part: Part) -> dict[str, list[str]]:
    uly = part.uly or part.folded
    return {
        LATN: [
            _cap(uly),
            _cap(uly.replace("é", "ë")),
            _cap(turkish_style(uly)),
            _cap(english_style(uly)),
        ],
        ARAB: [uyghur.to_arabic(uly)],
        CYRL: [_cap(uyghur.to_cyrillic(uly)), cyrillic.russian_style(uly)],
        HANI: list(chinese.spellings(part.folded)),
    }


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
    if name.script in out:
        _add(out, name.script, name.written)
    return out


def variants(text: str, script: str = "") -> dict[str, list[str]]:
    """Spellings of a name in each script: ISO 15924 code -> spellings (see module docstring)."""
    return of_name(parse(text, script))
