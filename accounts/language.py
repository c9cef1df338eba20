"""The language of the staff pages.

Staff URLs (/staff/...) carry no language prefix. A signed-in staff member (second
factor verified) sees the staff pages in the language stored on their account
(Staff.language, chosen on the Security page); before sign-in, the sign-in pages
follow the browser's Accept-Language among settings.LANGUAGES. Nothing here sets a
cookie or touches the public side, whose language comes from its URL prefix.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

STAFF_PREFIX = "/staff/"


def supported(code: str) -> str | None:
    """The entry of settings.LANGUAGES that `code` names (a variant such as zh-CN
    included), or None."""
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def from_browser(accept_language: str) -> str:
    """The first of the browser's languages that the staff pages speak, or the default."""
    for code, _quality in parse_accept_lang_header(accept_language):
        if code == "*":
            break
        found = supported(code)
        if found is not None:
            return found
    return settings.LANGUAGE_CODE


def for_request(request: HttpRequest) -> str:
    """The staff member's own language once signed in; the browser's before."""
    user = request.user
    is_verified = getattr(user, "is_verified", None)
    if user.is_authenticated and is_verified is not None and is_verified():
        own = supported(getattr(user, "language", ""))
        if own is not None:
            return own
    return from_browser(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))


class StaffLanguageMiddleware:
    """Activates the staff language for /staff/ requests (after authentication and
    OTPMiddleware, which tell a signed-in staff member)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info.startswith(STAFF_PREFIX):
            translation.activate(for_request(request))
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
