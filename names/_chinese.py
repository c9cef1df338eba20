"""Access to `names.chinese` (Chinese characters and pinyin), tolerant of its absence.

While that module is not there, Chinese characters give no parts and no Latin part is read
as pinyin; everything else works.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import cast


class _Absent:
    @staticmethod
    def readings(text: str) -> list[list[str]]:
        return []

    @staticmethod
    def pinyin_readings(part: str) -> list[str]:
        return []

    @staticmethod
    def spellings(folded: str) -> list[str]:
        return []


def _load() -> ModuleType | _Absent:
    try:
        return importlib.import_module("names.chinese")
    except ModuleNotFoundError as exc:
        if exc.name != "names.chinese":
            raise
        return _Absent()


chinese = cast(_Absent, _load())
