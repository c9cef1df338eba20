from functools import lru_cache

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


@lru_cache(maxsize=512)
def _links(path: str) -> tuple[tuple[str, str, str], ...]:
    """(code, name, url) for this path in every language; resolving is slow, paths few."""
    return tuple((code, name, translate_url(path, code)) for code, name in settings.LANGUAGES)


def language_links(path: str) -> list[dict]:
    """Links to the page at path in every language, the current one marked."""
    current = get_language()
    return [
        {"code": code, "name": name, "url": url, "current": code == current}
        for code, name, url in _links(path)
    ]


def languages(request):
    """Links to this page in every language: the picker works without JavaScript."""
    return {"language_links": language_links(request.path)}
