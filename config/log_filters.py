"""A logging filter that keeps request data out of every log record."""

import logging


class DropRequestData(logging.Filter):
    """Remove the request (and with it body, headers and client address) from records.

    Django attaches the request to records from django.request and django.server;
    a handler or formatter could otherwise print any part of it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        return True


class HandledResponses(logging.Filter):
    """On django.request: drop the line Django writes for every 4xx/5xx response the
    app answered itself ("Service Unavailable: /en/receipt/"), which would date a
    reporter's visit to the second and name the page; keep unhandled exceptions, but
    without the path."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info:
            return False  # a response the app chose: the app logs what it needs
        record.msg = "unhandled exception (%s)"
        record.args = (record.exc_info[0].__name__ if record.exc_info[0] else "?",)
        return True


class SecurityEvents(logging.Filter):
    """On django.security: no line for a refused form (CSRF: "Forbidden (CSRF cookie not
    set.): /en/report/"), which a reporter whose cookie expired or who took a new Tor
    identity meets, and which would date the visit and name the page; the reporter gets
    the form back. Other events (a host name not served, too many fields) keep a line
    naming their kind, without the text that quotes the request (a Host header, say)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.security.csrf":
            return False
        record.msg = "refused: %s"
        record.args = (record.name.rpartition(".")[2],)
        record.exc_info = None
        record.exc_text = None
        return True
