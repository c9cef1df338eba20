"""The pages nginx answers with itself, when a request never reaches Amanat: a client
over its limits (429), Amanat down or restarting (502, 503, 504) or nginx failing (500),
a body over nginx's own size limit (413), an address nginx refuses (404).

nginx cannot know the visitor's language (Tor Browser says en-US whatever its user
reads), so each page says it in every language Amanat speaks, one after the other.
They are rendered from the same catalogs as the rest of the site, at install time
(`manage.py edge_pages DIR`), and stand alone: no stylesheet, script or image, since
the app that serves those may be the thing that is down.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .uploads import MAX_FILE, MAX_FILES

LIMITS = {"max_files": MAX_FILES, "max_megabytes": MAX_FILE // (1024 * 1024)}


@dataclass(frozen=True)
class EdgePage:
    name: str  # the file is this name with ".html"
    statuses: tuple[int, ...]  # what nginx answers with it
    title: object  # lazy strings: rendered once per language
    lines: tuple[object, ...]


PAGES = (
    EdgePage(
        "busy",
        (429,),
        _("Too many requests from your connection"),
        (_("Wait a minute, then try again. Nothing from this request was saved."),),
    ),
    EdgePage(
        "unavailable",
        (500, 502, 503, 504),
        _("This service cannot answer just now"),
        (
            _(
                "Wait a few minutes, then try again. If you were sending a report and did "
                "not see your receipt, it may not have arrived: send it again."
            ),
        ),
    ),
    EdgePage(
        "too_large",
        (413,),
        _("What you sent is too large"),
        (
            _(
                "Nothing was saved: what you sent was larger than this service accepts, "
                "so none of it was read."
            ),
            _(
                "Go back with your browser's back button. What you wrote may still be in the "
                "form. Then choose at most %(max_files)s files of %(max_megabytes)s MB each "
                "and send again."
            ),
        ),
    ),
    EdgePage(
        "not_found",
        (404,),
        _("Page not found"),
        (_("There is no page at this address."),),
    ),
)


def render(page: EdgePage) -> str:
    sections = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            sections.append(
                {
                    "code": code,
                    "name": name,
                    "rtl": translation.get_language_bidi(),
                    "title": str(page.title),
                    "lines": [
                        str(line) % LIMITS if "%(" in str(line) else str(line)
                        for line in page.lines
                    ],
                    "exit": translation.gettext("Leave this site quickly"),
                    "back": translation.gettext("Back to the start"),
                    "home": reverse("home"),
                }
            )
    return render_to_string("intake/edge_page.html", {"sections": sections})


def render_all() -> dict[str, str]:
    """Each page's file name and its HTML."""
    return {f"{page.name}.html": render(page) for page in PAGES}
