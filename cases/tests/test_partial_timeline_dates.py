"""Staff timeline dates are known as far as they are known, like the public form's:
a year, a month of a year, or a day. The precision is stored and the person page
writes each date by it ("2017", "April 2017")."""

from __future__ import annotations

import datetime
from unittest import mock

from django.utils import timezone

from cases import persons, services
from cases.models import StatusEvent
from intake import forms as intake_forms
from tests.base import BaseTestCase
from tests.reports import report_form_data, report_named


class PartialTimelineDatesTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client.post("/en/report/", report_form_data(name_1="Dated Person"))
        ines_key = self.private_key(self.ines)
        report = report_named("Dated Person", self.ines, ines_key)
        services.assign(self.ines, ines_key, report.id, self.alice)
        self.person = persons.create_from_report(self.ines, ines_key, report.id, "unverified")
        self.url = f"/staff/reports/persons/{self.person.id}/status/"
        self.page = f"/staff/reports/persons/{self.person.id}/"

    def post(self, year="", month="", day="", status="camp"):
        data = {"status": status, "on_year": year, "on_month": month, "on_day": day}
        return self.client.post(self.url, {**data, "source": "A released neighbour"})

    def test_it_keeps_a_year_a_month_or_a_day_with_its_precision(self):
        self.sign_in(self.alice)
        self.post("2017")
        self.post("2018", "4", status="detained")
        self.post("2019", "5", "6", status="sentenced")
        events = {e.status: (e.on, e.precision) for e in StatusEvent.objects.all()}
        self.assertEqual(events["camp"], (datetime.date(2017, 1, 1), "year"))
        self.assertEqual(events["detained"], (datetime.date(2018, 4, 1), "month"))
        self.assertEqual(events["sentenced"], (datetime.date(2019, 5, 6), "day"))
        page = self.client.get(self.page)
        self.assertContains(page, "<strong>2017</strong>", html=False)
        self.assertContains(page, "<strong>April 2018</strong>", html=False)
        self.assertContains(page, "<strong>May 6, 2019</strong>", html=False)
        self.assertNotContains(page, "Jan. 1, 2017")
        self.assertNotContains(page, "April 1, 2018")

    def test_it_uses_the_public_forms_partial_date_cleaning(self):
        self.sign_in(self.alice)
        with mock.patch.object(
            intake_forms, "partial_date", wraps=intake_forms.partial_date
        ) as shared:
            self.post("2017", "3")
        shared.assert_called_once()
        self.assertEqual(shared.call_args.args[1], "on")

    def test_it_refuses_an_incomplete_or_impossible_date_naming_the_fix(self):
        self.sign_in(self.alice)
        cases = [
            (("", "", ""), "Give at least the year of this status"),
            (("", "4", ""), "Please give the year as well."),
            (("2018", "", "5"), "Please give the month as well, or remove the day."),
            (("2019", "2", "30"), "This day does not exist in that month."),
            (("1850", "", ""), "1900"),
        ]
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        if tomorrow.year == timezone.localdate().year:  # next year's is refused as a year
            day = (str(tomorrow.year), str(tomorrow.month), str(tomorrow.day))
            cases.append((day, "This date is in the future."))
        for parts, error in cases:
            with self.subTest(parts=parts):
                response = self.post(*parts)
                self.assertContains(response, error, status_code=400)
                self.assertContains(response, "A released neighbour", status_code=400)
        self.assertFalse(StatusEvent.objects.exists())

    def test_it_lets_bob_add_nothing_to_alices_timeline(self):
        self.sign_in(self.bob)
        self.assertEqual(self.post("2017").status_code, 404)
        self.assertFalse(StatusEvent.objects.exists())

    def test_it_groups_the_date_fields_under_one_legend(self):
        self.sign_in(self.alice)
        page = self.client.get(self.page)
        self.assertContains(page, "<legend>Date of this status, as far as it is known</legend>")
        for name in ("on_year", "on_month", "on_day"):
            self.assertContains(page, f'name="{name}"')
