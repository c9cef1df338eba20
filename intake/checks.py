"""Deployment checks of the public side (`manage.py check --deploy`, which install.sh runs
with --fail-level WARNING)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.utils.translation import to_locale


def missing_catalogs() -> list[str]:
    """The languages, English aside, whose compiled catalog (.mo) is not found: without
    one, every page a family opens in that language is in English."""
    return [
        code
        for code, _name in settings.LANGUAGES
        if code != "en"
        and not any(
            (Path(folder) / to_locale(code) / "LC_MESSAGES" / "django.mo").is_file()
            for folder in settings.LOCALE_PATHS
        )
    ]


@register(Tags.translation, deploy=True)
def catalogs_compiled(app_configs=None, **kwargs) -> list[CheckMessage]:
    missing = missing_catalogs()
    if not missing:
        return []
    return [
        Error(
            f"No compiled catalog for {', '.join(missing)}: those pages would be in English.",
            hint="Run `python -m config.compile_catalogs` (install.sh does).",
            id="amanat.E001",
        )
    ]
