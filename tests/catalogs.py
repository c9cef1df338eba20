"""The translatable strings of source files, and what the catalogs say about them.

`untranslated(sources)` lists every msgid of the given templates and Python files
that a catalog in locale/ lacks, leaves empty, marks fuzzy (fuzzy entries are not
compiled) or translates with other %(name)s placeholders than the original (which
would fail or drop a value when the page is shown). Templates are read as Django
reads them for makemessages (templatize), so {% translate %} and
{% blocktranslate %} give the same msgids as in the catalogs.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.pofile import read_po
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale"
# Every language of settings.LANGUAGES except English, the language of the msgids.
LOCALES = ("ru", "tr", "ug", "kk", "zh_Hans")
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@dataclass(frozen=True)
class Msgid:
    source: str
    text: str
    plural: str | None = None
    context: str | None = None


def msgids(relative_path: str) -> Iterator[Msgid]:
    """The msgids of one template (.html, .txt) or Python file, relative to the root."""
    raw = (ROOT / relative_path).read_text(encoding="utf-8")
    code = raw if relative_path.endswith(".py") else templatize(raw, origin=relative_path)
    for _line, message, _comments, context in extract(
        "python", io.BytesIO(code.encode("utf-8")), keywords=KEYWORDS
    ):
        if isinstance(message, tuple):
            yield Msgid(relative_path, message[0], message[1], context)
        else:
            yield Msgid(relative_path, message, None, context)


def catalog(locale: str) -> Catalog:
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def untranslated(sources: Iterable[str], locales: Iterable[str] = LOCALES) -> list[str]:
    """One line per problem, naming the locale, the source file and the msgid."""
    wanted = [m for source in sources for m in msgids(source)]
    problems = []
    for locale in locales:
        messages = catalog(locale)
        for m in wanted:
            entry = messages.get(m.text, context=m.context)
            where = f"{locale}: {m.source}: {m.text!r}"
            if entry is None:
                problems.append(f"{where} is missing")
                continue
            raw = entry.string
            forms = raw if isinstance(raw, (tuple, list)) else [raw]
            strings = [str(s or "") for s in forms]
            if not all(strings):
                problems.append(f"{where} has an empty translation")
            elif entry.fuzzy:
                problems.append(f"{where} is fuzzy (fuzzy entries are not compiled)")
            elif any(
                set(PLACEHOLDER.findall(s)) != set(PLACEHOLDER.findall(m.text)) for s in strings
            ):
                problems.append(f"{where} has other placeholders than the original")
    return problems
