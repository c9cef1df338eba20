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
