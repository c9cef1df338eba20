"""Names across scripts: one spelling of a person's name in, comparable forms out.

Pure Python (no Django, nothing of the web app), like `crypto`: triage, the
`name_match` command and redaction all call the same functions.

    parse(text, script="")      -> Name: script detected, parts folded to plain Latin,
                                   phonetic keys per part
    variants(text, script="")   -> spellings of the name in the other scripts
    score(a, b)                 -> 0..100, how alike two names are, part by part
    detect_script(text)         -> "Arab", "Latn", "Cyrl", "Hani" or ""

Whole persons (several names, father's name, birth year, county) are compared in
`names.matching`; their blind-index buckets are made in `names.buckets`; an in-memory
index with the same ranking as the database's is `names.search`.
"""

from __future__ import annotations

from .core import Name, Part, parse
from .scoring import score
from .scripts import detect_script, hint
from .variants import variants

# The normalisation version: stored with every blind-index bucket, so that buckets made
# by an older normalisation are found and rebuilt (`manage.py rebuild_buckets`).
VERSION = 2

__all__ = ["VERSION", "Name", "Part", "detect_script", "hint", "parse", "score", "variants"]
