from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def languages(request):
    """Links to this page in every language: the picker works without JavaScript."""
    current = get_language()
    return {
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": translate_url(request.path, code),
                "current": code == current,
            }
            for code, name in settings.LANGUAGES
        ]
    }
