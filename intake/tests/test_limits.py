"""Limits on the public side: per client where a client can be told apart (a header
set by a trusted proxy, a Tor circuit's address), a global budget that asks everyone
to come back in a few minutes, wrong receipts counted but a right one always opening,
and nothing in the cache that names a client."""

from typing import Any

from django.test import SimpleTestCase

from config.clients import client_signal
from config.tests.test_settings import PRODUCTION_ENV, load_settings
from intake import ratelimit, receipts
from intake.models import Report
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data
from tests.scan import cache_contents


class SubmissionLimitTestCase(BaseTestCase):
    def post(self, client: str | None = None, remote: str = "127.0.0.1", **data):
        # WSGI environ entries; typed Any as Client.post takes them through **extra.
        extra: dict[str, Any] = {"REMOTE_ADDR": remote}
        if client is not None:
            extra["HTTP_X_AMANAT_CLIENT"] = client
        return self.client.post("/en/report/", report_form_data(**data), **extra)

    def test_it_limits_each_client_behind_the_proxy_apart_and_keeps_the_input(self):
        with self.settings(INTAKE_SUBMISSIONS_PER_HOUR=2):
            self.assertEqual(self.post("circuit-a").status_code, 200)
            self.assertEqual(self.post("circuit-a").status_code, 200)
            refused = self.post("circuit-a", narrative="third try")
            # Another visitor behind the same proxy address is not held back.
            self.assertEqual(self.post("circuit-b").status_code, 200)
        self.assertContains(refused, "Too many reports", status_code=429)
        self.assertContains(refused, "third try", status_code=429)
        self.assertGreater(int(refused["Retry-After"]), 0)
        self.assertEqual(Report.objects.count(), 3)

    def test_it_counts_clear_web_visitors_by_the_token_nginx_sends(self):
        # deploy/nginx/client.js: "c1." and an HMAC of the address, never the address.
        first, second = "c1." + "0a" * 32, "c1." + "0b" * 32
        with self.settings(INTAKE_SUBMISSIONS_PER_HOUR=1):
            self.assertEqual(self.post(first).status_code, 200)
            self.assertEqual(self.post(first).status_code, 429)
            self.assertEqual(self.post(second).status_code, 200)
        self.assertEqual(client_signal(self.request_with(first)), f"proxy:{first}")

    def request_with(self, client: str):
        from django.test import RequestFactory

        return RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_AMANAT_CLIENT=client)

    def test_it_trusts_the_client_header_only_from_a_configured_proxy(self):
        with self.settings(INTAKE_SUBMISSIONS_PER_HOUR=1):
            self.assertEqual(self.post("one", remote="198.51.100.7").status_code, 200)
            # A visitor who sends the header themselves is still known by its address.
            self.assertEqual(self.post("two", remote="198.51.100.7").status_code, 429)
            with self.settings(AMANAT_TRUSTED_PROXIES=["198.51.100.0/24"]):
                self.assertEqual(self.post("two", remote="198.51.100.7").status_code, 200)

    def test_a_shared_address_without_a_signal_meets_only_the_global_budget(self):
        data = report_form_data(narrative="kept text")
        with self.settings(INTAKE_SUBMISSIONS_PER_HOUR=1):
            # No per-client count without a signal: one proxy address is many people.
            for name in ("First Person", "Second Person"):
                self.assertEqual(self.post(name_1=name).status_code, 200)
            with self.settings(INTAKE_SUBMISSIONS_PER_MINUTE=2):
                busy = self.client.post("/en/report/", data)
        self.assertContains(busy, "Many reports are arriving", status_code=429)
        self.assertContains(busy, "kept text", status_code=429)
        self.assertGreater(int(busy["Retry-After"]), 0)
        # The same page, sent again when the budget allows, is stored, not "already sent".
        response = self.client.post("/en/report/", data)
        self.assertContains(response, "This is your receipt")
        self.assertEqual(Report.objects.count(), 3)

    def test_it_asks_for_files_again_when_nothing_was_saved(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from intake.tests.test_sanitise import FIXTURES

        photo = SimpleUploadedFile("p.png", (FIXTURES / "author.png").read_bytes(), "image/png")
        with self.settings(INTAKE_SUBMISSIONS_PER_MINUTE=0):
            busy = self.client.post("/en/report/", {**report_form_data(), "attachments": photo})
        self.assertContains(busy, "choose them again", status_code=429)

    def test_invalid_forms_do_not_fill_the_global_budget(self):
        with self.settings(INTAKE_SUBMISSIONS_PER_MINUTE=5):
            for _ in range(30):
                self.assertEqual(self.client.post("/en/report/", {}).status_code, 400)
            response = self.client.post("/en/report/", report_form_data())
        self.assertContains(response, "This is your receipt")

    def test_a_family_correcting_form_mistakes_is_not_refused(self):
        with self.settings(INTAKE_SUBMISSIONS_PER_HOUR=2):
            for _ in range(10):
                wrong = self.post("family", consent="")
                self.assertEqual(wrong.status_code, 400)
            response = self.post("family")
        self.assertContains(response, "This is your receipt")

    def test_an_ipv6_client_is_counted_by_its_64(self):
        with self.settings(INTAKE_SUBMISSIONS_PER_HOUR=1):
            self.assertEqual(self.post(remote="2001:db8:1:2::a").status_code, 200)
            # Another address in the same /64 is the same subscriber.
            self.assertEqual(self.post(remote="2001:db8:1:2::b").status_code, 429)
            self.assertEqual(self.post(remote="2001:db8:1:3::a").status_code, 200)
            # Onion circuits share one /64 in Tor's naming, and each stays apart.
            self.assertEqual(self.post("fc00:dead:beef:4dad::1").status_code, 200)
            self.assertEqual(self.post("fc00:dead:beef:4dad::2").status_code, 200)

    def test_it_keeps_no_day_key_and_no_client_signal_in_the_cache(self):
        ratelimit.reset()  # as in a fresh process: today's key is made again
        self.post("203.0.113.9")
        self.post(remote="198.51.100.23")
        self.client.post("/en/receipt/", {"receipt": receipts.display(receipts.new())})
        today = ratelimit._day_key()
        for where, data in cache_contents():
            for secret in (b"203.0.113.9", b"198.51.100.23", today, today.hex().encode()):
                self.assertNotIn(secret, data, where)
            self.assertNotIn(b"rl:key", data, where)

    def test_the_try_again_page_speaks_the_reporters_language(self):
        with self.settings(INTAKE_SUBMISSIONS_PER_MINUTE=0):
            busy = self.client.post("/ug/report/", report_form_data())
        self.assertContains(busy, "نۇرغۇن مەلۇمات كېلىۋاتىدۇ", status_code=429)
        self.assertNotContains(busy, "Many reports are arriving", status_code=429)


class ReceiptLimitTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.receipt = receipt_in(self.client.post("/en/report/", report_form_data()))

    def visit(self, receipt: str, client: str = "circuit-a", remote: str = "127.0.0.1"):
        data = {"receipt": receipt}
        return self.client.post(
            "/en/receipt/", data, HTTP_X_AMANAT_CLIENT=client, REMOTE_ADDR=remote
        )

    def wrong(self) -> str:
        return receipts.display(receipts.new())

    def test_it_opens_the_right_receipt_after_many_wrong_ones_from_the_same_client(self):
        for _ in range(15):
            self.assertIn(self.visit(self.wrong()).status_code, (400, 429))
        self.assertContains(self.visit(self.receipt), "Your report")

    def test_it_opens_the_right_receipt_while_everyone_guesses(self):
        with self.settings(INTAKE_WRONG_RECEIPTS_PER_MINUTE=1):
            for n in range(3):
                self.visit(self.wrong(), client=f"guesser-{n}")
            self.assertContains(self.visit(self.receipt, client="family"), "Your report")

    def test_wrong_receipts_from_one_client_are_asked_to_wait(self):
        statuses = [self.visit(self.wrong()).status_code for _ in range(ratelimit.FREE_FAILURES)]
        self.assertEqual(statuses, [400] * ratelimit.FREE_FAILURES)
        response = self.visit(self.wrong())
        self.assertContains(response, "many wrong receipts were tried", status_code=429)
        self.assertContains(response, "does not open a report", status_code=429)
        self.assertGreater(int(response["Retry-After"]), 0)
        # Another client is not asked to wait for this one's guesses.
        self.assertEqual(self.visit(self.wrong(), client="circuit-b").status_code, 400)

    def test_the_same_wrong_receipt_tried_again_and_again_is_slowed_for_everyone(self):
        wrong = self.wrong()
        for n in range(ratelimit.FREE_FAILURES):
            self.assertEqual(self.visit(wrong, remote=f"198.51.100.{n}").status_code, 400)
        self.assertEqual(self.visit(wrong, remote="203.0.113.1").status_code, 429)


class DayKeyTestCase(SimpleTestCase):
    def test_the_day_key_comes_from_its_own_secret_and_changes_each_day(self):
        first = ratelimit.day_key("2026-03-01")
        self.assertNotEqual(first, ratelimit.day_key("2026-03-02"))
        with self.settings(SECRET_KEY="another-secret-key-" * 4):
            self.assertEqual(ratelimit.day_key("2026-03-01"), first)
        with self.settings(RATELIMIT_SECRET=b"another-ratelimit-secret-0123456789"):
            self.assertNotEqual(ratelimit.day_key("2026-03-01"), first)

    def test_it_needs_its_own_ratelimit_secret_in_production(self):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "RATELIMIT_SECRET"}
        result = load_settings(env, "1")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("RATELIMIT_SECRET is not set", result.stderr)
        same = {**PRODUCTION_ENV, "RATELIMIT_SECRET": PRODUCTION_ENV["SECRET_KEY"]}
        self.assertIn("a secret of its own", load_settings(same, "1").stderr)
