"""The receipt is shown once, so its page has no link that leaves it (no language
picker, no home link) until the reporter confirms, with a plain POST form, that they
wrote it down; then the ordinary page with its links follows. The confirm step never
needs the receipt: it is not put in a form, the session, a URL, a cookie or a log."""

from __future__ import annotations

import contextlib
import logging
import re
from unittest import mock

from django.conf import settings
from django.test import Client

from intake import receipts, views
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data
from tests.scan import cache_contents


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.args!r}")


def links(body: str) -> list[str]:
    return re.findall(r"<a\s[^>]*>", body)


def token_in(body: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert match, "the page has no form token"
    return match.group(1)


def forms(body: str) -> list[str]:
    return re.findall(r"<form\b.*?</form>", body, re.S)


class ReceiptConfirmTestCase(BaseTestCase):
    def capture_logs(self) -> Capture:
        """A handler on every logger that writes anywhere, at the levels they write at."""
        capture = Capture()
        loggers = [logging.getLogger()] + [
            logger
            for logger in logging.root.manager.loggerDict.values()
            if isinstance(logger, logging.Logger) and logger.handlers
        ]
        for logger in loggers:
            logger.addHandler(capture)
            self.addCleanup(logger.removeHandler, capture)
        return capture

    def test_it_offers_no_link_away_from_the_receipt_but_the_quick_exit(self):
        for language in ("en", "ug", "kk"):
            for cached in (True, False):
                views._receipt_page_around.cache_clear()
                # Spliced into the page rendered once, or rendered whole when it cannot be.
                splice = None if cached else mock.patch.object(views, "_receipt_page_around")
                with splice or contextlib.nullcontext() as around:
                    if around is not None:
                        around.return_value = None
                    shown = self.client.post(f"/{language}/report/", report_form_data())
                receipts.normalise(receipt_in(shown))
                body = shown.content.decode()
                only = links(body)
                self.assertEqual(len(only), 1, (language, cached, only))
                self.assertIn('class="exit"', only[0])
                self.assertNotIn('class="langs"', body)
                # One form: a POST to the confirm page, carrying nothing but its token.
                (form,) = forms(body)
                self.assertIn('method="post"', form)
                self.assertIn(f'action="/{language}/receipt/noted/"', form)
                inputs = re.findall(r"<input[^>]*>", form)
                self.assertEqual(len(inputs), 1)
                self.assertIn('name="csrfmiddlewaretoken"', inputs[0])
                self.assertNotRegex(inputs[0], r'value="(CSRF-SLOT)?"')

    def test_it_shows_the_ordinary_page_with_links_after_the_confirmation(self):
        client = Client(enforce_csrf_checks=True)
        form_page = client.get("/kk/report/").content.decode()
        token = token_in(form_page)
        shown = client.post("/kk/report/", {**report_form_data(), "csrfmiddlewaretoken": token})
        self.assertEqual(shown.status_code, 200)
        page_token = token_in(shown.content.decode())
        noted = client.post("/kk/receipt/noted/", {"csrfmiddlewaretoken": page_token})
        self.assertEqual(noted.status_code, 200)
        body = noted.content.decode()
        self.assertIn('lang="kk"', body)
        for code, _name in settings.LANGUAGES:
            self.assertIn(f'href="/{code}/receipt/noted/"', body)
        self.assertIn('href="/kk/"', body)
        self.assertIn('href="/kk/receipt/"', body)
        self.assertNotRegex(body, r"\d{3} \d{3} \d{3}")

    def test_the_confirmation_is_refused_without_its_token(self):
        response = Client(enforce_csrf_checks=True).post("/en/receipt/noted/")
        self.assertContains(response, "This page expired", status_code=403)

    def test_the_receipt_is_never_kept_for_the_confirmation(self):
        logs = self.capture_logs()
        shown = self.client.post("/en/report/", report_form_data())
        receipt = receipt_in(shown)
        digits = receipts.normalise(receipt)
        noted = self.client.post("/en/receipt/noted/")
        self.assertEqual(noted.status_code, 200)
        wrong = self.client.post("/en/receipt/noted/", {"receipt": digits})  # ignored
        self.assertEqual(wrong.status_code, 200)
        self.assertNotIn(digits, wrong.content.decode())

        self.assertNotIn(settings.SESSION_COOKIE_NAME, self.client.cookies)
        for morsel in self.client.cookies.values():
            self.assertNotIn(digits, morsel.value.replace(" ", ""))
        for where, contents in cache_contents():
            self.assertNotIn(digits.encode(), contents.replace(b" ", b""), where)
        for line in logs.lines:
            self.assertNotIn(digits, line.replace(" ", ""))
        for response in (shown, noted):
            self.assertNotIn("Location", response)
            for name, value in response.items():
                self.assertNotIn(digits, value.replace(" ", ""), name)
        self.assertNotIn(digits, noted.content.decode().replace(" ", ""))

    def test_a_get_of_the_confirmation_page_shows_it_too(self):
        self.assertContains(self.client.get("/en/receipt/noted/"), "Come back with a receipt")
