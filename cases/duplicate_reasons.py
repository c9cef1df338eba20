"""names.matching's reason codes in words for the triage page, translated."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Said with the scripts a report may be written in, as the report form names them.
SCRIPTS = {
    "Arab": gettext_lazy("Arabic script"),
    "Latn": gettext_lazy("Latin letters"),
    "Cyrl": gettext_lazy("Cyrillic"),
    "Hani": gettext_lazy("Chinese characters"),
}

PHRASES = {
    "same_full_name": gettext_lazy("same full name"),
    "same_given_name": gettext_lazy("same given name"),
    "same_father_name": gettext_lazy("same father's name"),
    "name_order_differs": gettext_lazy("name parts in another order"),
    "birth_year_same": gettext_lazy("birth year matches"),
    "birth_year_near": gettext_lazy("birth years one year apart"),
    "birth_year_differs": gettext_lazy("birth years differ"),
    "county_same": gettext_lazy("same home county"),
}


def _script(code: str) -> str:
    return str(SCRIPTS.get(code, gettext_lazy("an unknown script")))


def word(code: str) -> str | None:
    """One reason in words; None for a code this page does not know (never shown raw)."""
    if code.startswith("scripts:"):
        _prefix, *pair = code.split(":")
        if len(pair) != 2:
            return None
        first, second = pair
        if first == second:
            return _("both written in %(script)s") % {"script": _script(first)}
        return _("%(first)s compared with %(second)s") % {
            "first": _script(first),
            "second": _script(second),
        }
    phrase = PHRASES.get(code)
    return str(phrase) if phrase is not None else None


def words(codes: tuple[str, ...] | list[str]) -> list[str]:
    return [phrase for phrase in (word(code) for code in codes) if phrase]
