"""Error pages in the visitor's language, saying nothing about what was sent."""

from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.utils.translation import gettext as _

from .uploads import MAX_FILE, MAX_FILES, too_large


def _page(request, status: int, title: str, message: str):
    return render(request, "error.html", {"title": title, "message": message}, status=status)


def request_too_large(request, exception=None):
    """413: the request was over the limits and nothing of it could be kept."""
    context = {"max_files": MAX_FILES, "max_megabytes": MAX_FILE // (1024 * 1024)}
    return render(request, "too_large.html", context, status=413)


def csrf_failure(request, reason: str = ""):
    if too_large(request):  # a body nothing of which was read has no token either
        return request_too_large(request)
    return _page(
        request,
        403,
        _("This page expired"),
        _(
            "For your safety, forms expire. Go back, reload the page and send it again. "
            "Nothing you sent was saved."
        ),
    )


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):  # more typed text than any form allows
        return request_too_large(request, exception)
    return _page(
        request,
        400,
        _("Something in the request was not understood"),
        _("Go back and try again. Nothing you sent was saved."),
    )


def permission_denied(request, exception=None):
    return _page(request, 403, _("Not allowed"), _("You cannot open this page."))


def not_found(request, exception=None):
    return _page(request, 404, _("Page not found"), _("There is no page at this address."))


def server_error(request):
    return _page(
        request,
        500,
        _("Something went wrong on our side"),
        _("Nothing you sent was saved. Please try again later."),
    )
