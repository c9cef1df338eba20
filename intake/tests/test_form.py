from django.db import connection
from django.test import TestCase

from intake import submission
from intake.models import Report
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data
from tests.scan import cache_contents


class FormTestCase(BaseTestCase):
    def post(self, lang="en", **overrides):
        return self.client.post(f"/{lang}/report/", report_form_data(**overrides))

    def test_it_asks_only_for_the_minimum_elements(self):
        form = self.client.get("/en/report/").context["form"]
        required = {name for name, field in form.fields.items() if field.required}
        self.assertEqual(
            required,
            {
                "name_1",
                "gone_year",
                "place",
                "what_happened",
                "responsible",
                "steps_taken",
                "reporter_name",
                "relationship",
                "consent",
            },
        )

    def test_it_names_the_missing_field_and_keeps_everything_typed(self):
        response = self.post(name_1="", narrative="Seen last at the bazaar", father_name="Tursun")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "This field is required.", status_code=400)
        self.assertContains(response, 'href="#id_name_1"', status_code=400)
        self.assertContains(response, "Seen last at the bazaar", status_code=400)
        self.assertContains(response, 'value="Tursun"', status_code=400)
        self.assertFalse(Report.objects.exists())

    def test_it_keeps_partial_dates_with_their_precision(self):
        self.assertEqual(self.post(gone_month="", gone_day="").status_code, 200)

    def test_it_refuses_a_day_without_a_month(self):
        response = self.post(gone_month="", gone_day="12")
        self.assertContains(response, "Please give the month as well", status_code=400)

    def test_it_refuses_a_day_that_does_not_exist(self):
        response = self.post(gone_month="2", gone_day="30")
        self.assertContains(response, "This day does not exist", status_code=400)

    def test_it_refuses_a_year_in_the_future(self):
        response = self.post(gone_year="2999")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Report.objects.exists())

    def test_it_refuses_null_characters(self):
        response = self.post(narrative="abc\x00def")
        self.assertContains(response, "Null characters are not allowed", status_code=400)

    def test_it_shows_the_same_receipt_again_when_a_sent_form_is_sent_again(self):
        # The first answer may never have arrived (a dropped circuit, a killed worker).
        data = report_form_data()
        receipt = receipt_in(self.client.post("/en/report/", data))
        response = self.client.post("/en/report/", data)
        self.assertContains(response, "This is your receipt")
        self.assertEqual(receipt_in(response), receipt)
        self.assertEqual(Report.objects.count(), 1)

    def test_it_keeps_the_resend_receipt_sealed_and_opens_it_only_with_the_form_id(self):
        from intake import receipts, submission
        from intake.models import UsedFormId

        data = report_form_data()
        receipt = receipt_in(self.client.post("/en/report/", data))
        digits = receipts.normalise(receipt)
        stored = UsedFormId.objects.get().sealed_receipt
        assert stored is not None
        sealed = bytes(stored)
        for clear in (digits, receipt, data["form_id"]):
            self.assertNotIn(clear.encode(), sealed)
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM intake_usedformid")
            dump = repr(cursor.fetchall())
        self.assertNotIn(digits, dump)
        self.assertNotIn(data["form_id"], dump)
        self.assertIsNone(submission.stored_receipt(data["form_id"][:-1] + "x"))
        self.assertEqual(submission.stored_receipt(data["form_id"]), digits)

    def test_a_short_form_id_keeps_no_receipt_and_says_already_sent(self):
        data = report_form_data(form_id="short")
        self.assertEqual(self.client.post("/en/report/", data).status_code, 200)
        response = self.client.post("/en/report/", data)
        self.assertContains(response, "already sent", status_code=409)
        self.assertEqual(Report.objects.count(), 1)

    def test_it_accepts_each_form_that_lost_its_id(self):
        for name in ("First Person", "Second Person"):
            response = self.client.post("/en/report/", report_form_data(form_id="", name_1=name))
            self.assertEqual(response.status_code, 200)
        self.assertEqual(Report.objects.count(), 2)

    def test_a_form_that_failed_on_the_server_can_be_sent_again(self):
        data = report_form_data()
        original = submission.submit
        self.addCleanup(setattr, submission, "submit", original)

        def broken(*args, **kwargs):
            raise RuntimeError("the database went away")

        submission.submit = broken
        response = self.client.post("/en/report/", {**data, "narrative": "kept text"})
        self.assertContains(response, "nothing was saved", status_code=503)
        self.assertContains(response, "kept text", status_code=503)
        submission.submit = original
        self.assertContains(self.client.post("/en/report/", data), "This is your receipt")

    def test_it_stores_no_client_address(self):
        self.client.post("/en/report/", report_form_data(), REMOTE_ADDR="198.51.100.23")
        for where, data in cache_contents():
            self.assertNotIn(b"198.51.100.23", data, where)
        for row in Report.objects.values():
            self.assertNotIn("198.51.100.23", repr(row))


class NotReadyTestCase(TestCase):
    def test_it_keeps_the_input_when_the_organisation_is_not_set_up(self):
        form_id = "a-form-id-1234567890"
        data = report_form_data(narrative="kept text", form_id=form_id)
        response = self.client.post("/en/report/", data)
        self.assertContains(response, "cannot receive reports yet", status_code=503)
        self.assertContains(response, "kept text", status_code=503)
        self.assertFalse(Report.objects.exists())
        # The same page, sent again once the organisation is set up, is not "already sent".
        again = self.client.post("/en/report/", report_form_data(form_id=form_id))
        self.assertEqual(again.status_code, 503)
