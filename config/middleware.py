"""Headers for every dynamic response: nothing is cached, nothing is shared."""

from __future__ import annotations


class PrivacyHeadersMiddleware:
    """No page may be kept in a browser's or proxy's cache (a shared or seized
    device must not show what was typed or read), and no browser feature that
    could identify or track a visitor is allowed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store, max-age=0"
        response.setdefault(
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), interest-cohort=(), browsing-topics=()",
        )
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
