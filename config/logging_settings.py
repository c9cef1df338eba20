"""How Amanat logs, in every mode: config.settings takes LOGGING from here.

Logs carry no request bodies, no client addresses, no request objects and no time finer
than the day: a line could otherwise date a report or a visit, or name a visitor.
"""

# The formatter prints only the message, and a filter drops the request from records.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_request_data": {"()": "config.log_filters.DropRequestData"},
        "handled_responses": {"()": "config.log_filters.HandledResponses"},
        "security_events": {"()": "config.log_filters.SecurityEvents"},
    },
    # The day only: a line's time could date a report or a visit.
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s", "datefmt": "%Y-%m-%d"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_request_data"],
        },
        # django.security's loggers (csrf, DisallowedHost ...) are children: a filter on
        # the handler sees their records, one on the "django.security" logger would not.
        "security": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_request_data", "security_events"],
        },
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Only unhandled exceptions, without the path: a line per 4xx/5xx dates a visit.
        "django.request": {
            "handlers": ["console"],
            "level": "ERROR",
            "filters": ["handled_responses"],
            "propagate": False,
        },
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.security": {"handlers": ["security"], "level": "WARNING", "propagate": False},
        "celery": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
