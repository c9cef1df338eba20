"""Consent is the reporter's own choice: nothing is chosen in advance, a form without
a choice is refused with an error naming the question, the safest option comes
first, and the note that the WGEID sends the missing person's details to the
government is shown and read right next to the UN options."""

from __future__ import annotations

import re

from intake.forms import ConsentForm, ReportForm
from intake.models import Consent, Report
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data

NOTE = "sends the missing person&#x27;s details to the government concerned"


def consent_group(body: str) -> str:
    match = re.search(
        r"<fieldset[^>]*>\s*<legend>How may we use your report\?.*?</fieldset>", body, re.S
    )
    assert match, "the page shows no consent group"
    return match.group(0)


class ConsentChoiceTestCase(BaseTestCase):
    def test_it_chooses_nothing_in_advance(self):
        self.assertIsNone(ReportForm.base_fields["consent"].initial)
        response = self.client.get("/en/report/")
        self.assertIsNone(response.context["form"]["consent"].value())
        group = consent_group(response.content.decode())
        self.assertEqual(len(re.findall(r'type="radio"', group)), len(Consent.choices))
        self.assertNotIn("checked", group)

    def test_it_refuses_a_report_without_a_choice_and_names_the_question(self):
        data = report_form_data()
        del data["consent"]
        response = self.client.post("/en/report/", data)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Report.objects.exists())
        message = "Choose how we may use your report"
        self.assertEqual(response.context["form"].errors["consent"][0][: len(message)], message)
        body = response.content.decode()
        # In the summary, linked to the first option, and in the group itself.
        self.assertRegex(body, r'<a href="#id_consent_0">How may we use your report\?</a>: Choose')
        self.assertIn('id="id_consent_error"', consent_group(body))
        # What was typed stays, and still nothing is chosen.
        self.assertNotIn("checked", consent_group(body))
        self.assertIn('value="Abdurehim Tursun"', body)

    def test_it_puts_the_safest_option_first(self):
        group = consent_group(self.client.get("/en/report/").content.decode())
        values = re.findall(r'type="radio" name="consent" value="([^"]+)"', group)
        self.assertEqual(values[0], Consent.INTERNAL)
        self.assertIn("Only the organisation may use my report", group.split('value="', 2)[1])
        self.assertEqual(values, [value for value, _label in Consent.choices])

    def test_it_keeps_the_wgeid_note_next_to_the_un_options(self):
        for form_id in ("report", "status"):
            if form_id == "report":
                body = self.client.get("/en/report/").content.decode()
            else:
                receipt = receipt_in(self.client.post("/en/report/", report_form_data()))
                body = self.client.post("/en/receipt/", {"receipt": receipt}).content.decode()
            group = consent_group(body)
            # Read with each UN option, and with no other option.
            described = re.findall(
                r'value="([^"]+)"[^>]*aria-describedby="id_consent_un_note"', group
            )
            self.assertEqual(described, [Consent.UN_CONFIDENTIAL, Consent.UN_NAMED], form_id)
            # Shown right after the last UN option, before the next one.
            after_un = group.split(f'value="{Consent.UN_NAMED}"', 1)[1]
            before_next = after_un.split('type="radio"', 1)[0]
            self.assertIn('id="id_consent_un_note"', before_next, form_id)
            self.assertIn(NOTE, before_next, form_id)
            self.assertEqual(group.count(NOTE), 1, form_id)
            self.assertEqual(body.count(NOTE), 1, form_id)

    def test_it_keeps_the_reporters_own_choice_on_the_status_page(self):
        receipt = receipt_in(self.client.post("/en/report/", report_form_data(consent="internal")))
        self.assertEqual(Report.objects.get().consent, Consent.INTERNAL)
        body = self.client.post("/en/receipt/", {"receipt": receipt}).content.decode()
        checked = re.findall(r'value="([^"]+)"[^>]*checked', consent_group(body))
        self.assertEqual(checked, [Consent.INTERNAL])
        refused = self.client.post("/en/receipt/", {"receipt": receipt, "action": "consent"})
        self.assertContains(refused, "Choose how we may use your report", status_code=400)
        self.assertEqual(Report.objects.get().consent, Consent.INTERNAL)

    def test_the_status_page_form_has_no_preset_choice_either(self):
        self.assertIsNone(ConsentForm.base_fields["consent"].initial)
