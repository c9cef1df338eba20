"""What every public page promises: nothing from another host, a strict CSP, no
caching, a quick exit, a language picker, and a light form."""

import gzip
import re

from django.conf import settings
from django.test import TestCase

from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data

PAGES = ["/en/", "/en/report/", "/en/receipt/", "/ug/report/", "/zh-hans/receipt/"]


class PublicPagesTestCase(TestCase):
    def test_it_loads_nothing_from_another_host(self):
        for url in PAGES:
            body = self.client.get(url).content.decode()
            for attr in re.findall(r'(?:src|href|action)="([^"]*)"', body):
                if attr.startswith("https://www.wikipedia.org/"):  # the quick-exit link
                    continue
                self.assertFalse(re.match(r"^(?:[a-z]+:)?//", attr), f"{url}: {attr}")

    def test_it_sends_a_strict_content_security_policy(self):
        csp = self.client.get("/en/report/")["Content-Security-Policy"]
        self.assertIn("default-src 'none'", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertNotIn("unsafe-eval", csp)

    def test_it_forbids_caching_and_sends_no_referrer(self):
        response = self.client.get("/en/report/")
        self.assertEqual(response["Cache-Control"], "no-store, max-age=0")
        self.assertEqual(response["Referrer-Policy"], "same-origin")

    def test_it_has_a_quick_exit_on_every_page(self):
        for url in PAGES:
            self.assertContains(self.client.get(url), 'class="exit"')

    def test_it_offers_every_language_without_javascript(self):
        body = self.client.get("/en/report/").content.decode()
        for code, _name in settings.LANGUAGES:
            self.assertIn(f'href="/{code}/report/"', body)
        self.assertNotIn("<script", body)

    def test_it_lays_out_uyghur_right_to_left(self):
        self.assertContains(self.client.get("/ug/report/"), '<html lang="ug" dir="rtl">')
        self.assertContains(self.client.get("/kk/report/"), '<html lang="kk" dir="ltr">')

    def test_the_form_page_weighs_under_100_kb(self):
        page = self.client.get("/ug/report/").content
        css = self.client.get("/static/css/amanat.css").getvalue()
        # Over the wire, as a server compressing text would send it.
        total = len(gzip.compress(page)) + len(gzip.compress(css))
        self.assertLess(total, 100 * 1024)
        self.assertLess(len(page) + len(css), 100 * 1024)

    def test_it_sets_no_session_cookie_for_reporters(self):
        self.client.get("/en/report/")
        self.assertNotIn(settings.SESSION_COOKIE_NAME, self.client.cookies)

    def test_the_csrf_cookie_ends_with_the_browser_session(self):
        self.client.get("/en/report/")
        self.assertEqual(self.client.cookies[settings.CSRF_COOKIE_NAME]["max-age"], "")

    def test_an_expired_form_gets_a_clear_page_in_the_users_language(self):
        from django.test import Client

        response = Client(enforce_csrf_checks=True).post("/en/report/", {"name_1": "x"})
        self.assertContains(response, "This page expired", status_code=403)

    def test_an_unknown_page_gets_a_plain_404(self):
        self.assertContains(self.client.get("/en/nothing-here/"), "Page not found", status_code=404)


class FormActionTestCase(BaseTestCase):
    def test_every_form_has_an_explicit_action(self):
        receipt = receipt_in(self.client.post("/en/report/", report_form_data()))
        bodies = [self.client.get(url).content.decode() for url in PAGES]
        bodies.append(self.client.post("/en/receipt/", {"receipt": receipt}).content.decode())
        bodies.append(self.client.post("/en/report/", {}).content.decode())
        forms = [tag for body in bodies for tag in re.findall(r"<form[^>]*>", body)]
        self.assertGreaterEqual(len(forms), 6)
        for tag in forms:
            self.assertRegex(tag, r'action="/[^"]+"', tag)
