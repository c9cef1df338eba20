"""A real browser through Amanat's real edge: Chromium (JavaScript off, as many Tor Browser
users have it) reports through nginx's TLS entrance on a port of its own, comes back with
its receipt, and a staff member's sign-in form answers a wrong password with an error, not
"This page expired". The form posts carry the browser's own Origin (with the port), which
the plain-HTTP tests of test_edge.py write by hand."""

from __future__ import annotations

import shutil
import unittest
from typing import Any

import pytest

from tests.deploy import edge
from tests.e2e.conftest import CHROMIUM, FLAGS

pytestmark = pytest.mark.slow
WHY_NOT = edge.missing_tools() or (
    "" if shutil.which(CHROMIUM) else "chromium is not installed: `make test` installs it"
)


class EdgeInBrowserTestCase(unittest.TestCase):
    app: edge.App
    nginx: edge.Nginx
    base: str
    browser: Any

    @classmethod
    def setUpClass(cls) -> None:
        if WHY_NOT:
            raise AssertionError(WHY_NOT)
        from playwright.sync_api import sync_playwright

        cls.app = edge.App()
        cls.addClassCleanup(cls.app.close)
        cls.nginx = edge.Nginx(cls.app.gunicorn.port)
        cls.addClassCleanup(cls.nginx.close)
        cls.base = f"https://{edge.HOST}:{cls.nginx.https}"
        playwright = sync_playwright().start()
        cls.addClassCleanup(playwright.stop)
        cls.browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[*FLAGS, f"--host-resolver-rules=MAP {edge.HOST} 127.0.0.1"],
        )
        cls.addClassCleanup(cls.browser.close)

    def page(self, **options):
        context = self.browser.new_context(ignore_https_errors=True, **options)
        self.addCleanup(context.close)
        return context.new_page()

    def test_it_reports_through_nginx_and_comes_back_with_the_receipt(self):
        page = self.page(java_script_enabled=False, locale="ug")
        answer = page.goto(f"{self.base}/ug/report/")
        self.assertEqual(answer.headers["onion-location"], f"http://{edge.ONION}/ug/report/")
        # A mistake first: nothing chosen. The form comes back with what was typed and
        # an error, never an expired page.
        page.fill("[name=name_1]", "ئابدۇرەھىم تۇرسۇن")
        page.click("button[type=submit]")
        self.assertNotIn("expired", page.content())
        self.assertGreater(page.locator("ul.errors").count(), 0)
        self.assertEqual(page.input_value("[name=name_1]"), "ئابدۇرەھىم تۇرسۇن")

        page.select_option("[name=script_1]", "ug-arab")
        page.fill("[name=gone_year]", "2018")
        page.select_option("[name=gone_month]", "4")
        page.fill("[name=place]", "يەكەن ناھىيەسى")
        page.select_option("[name=what_happened]", "camp")
        page.select_option("[name=responsible]", "police")
        page.fill("[name=steps_taken]", "ئەلچىخانىغا خەت يازدۇق")
        page.fill("[name=reporter_name]", "گۈلنار")
        page.select_option("[name=relationship]", "sibling")
        page.check("[name=consent][value=internal]")
        page.click("button[type=submit]")
        receipt = page.locator(".receipt").inner_text().strip()
        self.assertEqual(len(receipt.replace(" ", "")), 21)

        page.goto(f"{self.base}/ug/receipt/")
        page.fill("[name=receipt]", receipt)
        page.click("button[type=submit]")
        self.assertTrue(page.locator("dl.status").is_visible())

    def test_it_answers_a_wrong_staff_password_with_an_error(self):
        page = self.page()
        page.goto(f"{self.base}/staff/login/")
        page.fill("[name=username]", "coordinator")
        page.fill("[name=password]", "not the password at all")
        page.locator("form button[type=submit]").first.click()
        self.assertNotIn("expired", page.content())
        self.assertTrue(page.url.endswith("/staff/login/"))
        self.assertGreater(page.locator(".errorlist, [role=alert]").count(), 0)
