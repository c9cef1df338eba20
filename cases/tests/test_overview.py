"""The coordinators' overview of every report's workflow metadata: newest first, in
pages, so that no report drops off the end however many there are."""

from __future__ import annotations

import re
from unittest import mock

from intake.models import Report
from tests.base import BaseTestCase
from tests.reports import report_form_data

URL = "/staff/reports/overview/"


class OverviewTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        for number in range(5):
            self.client.post("/en/report/", report_form_data(name_1=f"Person {number}"))
        self.sign_in(self.coordinator)

    def shown(self, response) -> list[str]:
        return re.findall(r"<td><code>([0-9a-f]{8})</code></td>", response.content.decode())

    def test_it_reaches_every_report_through_its_pages(self):
        with mock.patch("cases.views.OVERVIEW_PAGE", 2):
            pages = [self.client.get(URL, {"page": n}) for n in (1, 2, 3)]
        self.assertContains(pages[0], "Page 1 of 3")
        self.assertContains(pages[0], 'href="?page=2" rel="next"')
        self.assertNotContains(pages[0], 'rel="prev"')
        self.assertContains(pages[2], 'href="?page=2" rel="prev"')
        self.assertNotContains(pages[2], 'rel="next"')
        shown = [row for page in pages for row in self.shown(page)]
        newest_first = Report.objects.order_by("-received_on", "-id").values_list("id", flat=True)
        self.assertEqual(shown, [str(i)[:8] for i in newest_first])
        self.assertEqual(len(shown), 5)

    def test_a_page_number_that_is_not_one_gives_the_nearest_page(self):
        with mock.patch("cases.views.OVERVIEW_PAGE", 2):
            first = self.shown(self.client.get(URL))
            self.assertEqual(self.shown(self.client.get(URL, {"page": "x'--"})), first)
            self.assertEqual(self.shown(self.client.get(URL, {"page": "-4"})), first)
            last = self.client.get(URL, {"page": "99999999999999999999"})
        self.assertEqual(last.status_code, 200)
        self.assertContains(last, "Page 3 of 3")

    def test_one_page_shows_no_page_links(self):
        response = self.client.get(URL)
        self.assertEqual(len(self.shown(response)), 5)
        self.assertNotContains(response, 'class="pages"')

    def test_bob_without_the_coordinator_role_cannot_open_it(self):
        self.client.logout()
        self.sign_in(self.bob)
        self.assertEqual(self.client.get(URL).status_code, 404)
