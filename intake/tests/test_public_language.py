"""The public side reads right in every language: Django's Uyghur "This field is
required." is replaced by a correct sentence, Kazakh dates are written the Kazakh
way, and "Your name" says that a first name or another name is enough."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format

from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data

UG_REQUIRED = "بۇ ئورۇننى چوقۇم تولدۇرۇڭ."
NAME_HELP = "A first name, or another name we can reach you by, is enough."


class PublicLanguageTestCase(BaseTestCase):
    def test_it_says_a_field_is_required_in_correct_uyghur(self):
        response = self.client.post("/ug/report/", report_form_data(name_1="", place=""))
        self.assertEqual(response.status_code, 400)
        body = response.content.decode()
        self.assertEqual(body.count(UG_REQUIRED), 4)  # two in the summary, two by the fields
        self.assertNotIn("رايون تەلەپ قىلىنىدۇ", body)  # Django's "this region is required"
        with translation.override("ug"):
            self.assertEqual(translation.gettext("This field is required."), UG_REQUIRED)

    def test_it_writes_kazakh_dates_day_first(self):
        day = datetime.date(2026, 11, 9)
        with translation.override("kk"):
            self.assertEqual(date_format(day, "SHORT_DATE_FORMAT"), "09.11.2026")
            self.assertEqual(date_format(day, "DATE_FORMAT"), "2026 ж. 9 қараша")
            self.assertEqual(date_format(day, "YEAR_MONTH_FORMAT"), "2026 ж. қараша")
        with translation.override("ru"):  # other languages keep Django's formats
            self.assertEqual(date_format(day, "SHORT_DATE_FORMAT"), "09.11.2026")
        with translation.override("en"):
            self.assertEqual(date_format(day, "SHORT_DATE_FORMAT"), "11/09/2026")

    def test_the_kazakh_status_page_shows_the_day_the_kazakh_way(self):
        receipt = receipt_in(self.client.post("/kk/report/", report_form_data()))
        body = self.client.post("/kk/receipt/", {"receipt": receipt}).content.decode()
        today = datetime.date.today()
        self.assertIn(f"<dd>{today:%d.%m.%Y}</dd>", body)
        self.assertNotIn(f"{today:%m/%d/%Y}", body)

    def test_it_says_a_first_name_is_enough_in_every_language(self):
        helps = {}
        for code, _name in settings.LANGUAGES:
            body = self.client.get(f"/{code}/report/").content.decode()
            match = re.search(r'<p class="help" id="id_reporter_name_helptext">([^<]+)</p>', body)
            assert match, code
            helps[code] = match.group(1)
            self.assertIn('aria-describedby="id_reporter_name_helptext"', body, code)
        self.assertEqual(helps["en"], NAME_HELP)
        translated = {code: text for code, text in helps.items() if code != "en"}
        self.assertNotIn(NAME_HELP, translated.values())
        self.assertEqual(len(set(translated.values())), len(translated))
