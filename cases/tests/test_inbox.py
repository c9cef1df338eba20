import html
import re

from cases import inbox
from intake.models import Report
from tests.base import BaseTestCase
from tests.reports import report_form_data


class InboxTestCase(BaseTestCase):
    def test_it_walks_every_report_once_page_by_page(self):
        total = inbox.PAGE_SIZE * 2 + 7
        with self.settings(INTAKE_SUBMISSIONS_PER_HOUR=1000, INTAKE_SUBMISSIONS_PER_MINUTE=1000):
            for n in range(total):
                self.client.post("/en/report/", report_form_data(name_1=f"Name {n:03d}"))
        self.assertEqual(Report.objects.count(), total)
        self.sign_in(self.ines)
        seen, url, pages = [], "/staff/reports/", 0
        while url:
            body = self.client.get(url).content.decode()
            seen += re.findall(r">Name (\d{3})</a>", body)
            older = re.search(r'href="([^"]+)" rel="next"', body)
            url = html.unescape(older.group(1)) if older else ""
            pages += 1
        self.assertEqual(pages, 3)
        self.assertEqual(sorted(seen), [f"{n:03d}" for n in range(total)])

    def test_a_malformed_cursor_shows_the_first_page(self):
        self.client.post("/en/report/", report_form_data(name_1="Only One"))
        self.sign_in(self.ines)
        self.assertContains(self.client.get("/staff/reports/?before=not-a-cursor"), "Only One")
