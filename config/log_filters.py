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
