"""Deployment checks of the public side (`manage.py check --deploy`, which install.sh runs
with --fail-level WARNING)."""

from __future__ import annotations

import gettext
import struct
from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.utils.translation import to_locale

from config.compile_catalogs import is_current


def missing_catalogs() -> list[str]:
    """The languages, English aside, without a usable compiled catalog (.mo): none, one
    that cannot be read or is broken (an interrupted write), or one older than its
    source. Without one, every page a family opens in that language is in English, or
    fails."""
    return [code for code, _name in settings.LANGUAGES if code != "en" and not _usable(code)]


def _usable(code: str) -> bool:
    for folder in settings.LOCALE_PATHS:
        mo = Path(folder) / to_locale(code) / "LC_MESSAGES" / "django.mo"
        if not mo.is_file():
            continue
        try:
            with mo.open("rb") as handle:
                gettext.GNUTranslations(handle)
        except (OSError, struct.error, UnicodeDecodeError):
            return False
        return is_current(mo)
    return False


@register(Tags.translation, deploy=True)
def catalogs_compiled(app_configs=None, **kwargs) -> list[CheckMessage]:
    missing = missing_catalogs()
    if not missing:
        return []
    return [
        Error(
            f"No usable compiled catalog for {', '.join(missing)} (missing, broken or older "
            "than its source): those pages would be in English or fail.",
            hint="Run `python -m config.compile_catalogs --all` (install.sh does).",
            id="amanat.E001",
        )
    ]
