"""The CSV download of the filtered entries: the same words as the page, a fixed safe
file name, cells a spreadsheet cannot run as formulas, and an entry of its own."""

import csv
import io

from audit import chain, services
from audit.models import Action, Entry
from audit.tests.auditor import AuditorTestCase


class LogCsvTestCase(AuditorTestCase):
    def download(self, query: str = "", status: int = 200) -> list[list[str]]:
        response = self.client.get(f"/staff/audit/download/{query}")
        self.assertEqual(response.status_code, status)
        if status != 200:
            return []
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertRegex(
            response["Content-Disposition"],
            r'^attachment; filename="audit-log-\d{4}-\d\d-\d\d\.csv"$',
        )
        body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
        return list(csv.reader(io.StringIO(body)))

    def test_it_downloads_the_filtered_entries_in_words(self):
        self.sign_in(self.ada)
        rows = self.download(f"?action={Action.STAFF_CREATED.value}")
        self.assertEqual(rows[0][:3], ["Entry", "Day or time (UTC)", "Who"])
        body = rows[1:]
        self.assertEqual(len(body), 4)
        self.assertEqual({row[2] for row in body}, {"coordinator"})
        self.assertEqual({row[4] for row in body}, {"Staff account created"})
        self.assertEqual({row[6] for row in body}, {"ines", "alice", "bob", "ada"})

    def test_it_records_the_download_once(self):
        self.sign_in(self.ada)
        self.download()
        self.assertEqual(Entry.objects.filter(action=Action.AUDIT_DOWNLOADED).count(), 1)
        downloaded = Entry.objects.get(action=Action.AUDIT_DOWNLOADED)
        self.assertEqual(downloaded.actor, chain.staff_actor(self.ada))

    def test_its_cells_cannot_run_as_formulas(self):
        from accounts.models import Staff

        Staff.objects.filter(pk=self.bob.pk).update(username="=HYPERLINK(1)")
        self.sign_in(self.ada)
        rows = self.download(f"?subject={self.bob.pk}")
        cells = [cell for row in rows for cell in row]
        self.assertIn("'=HYPERLINK(1)", cells)
        for cell in cells:
            self.assertFalse(cell.startswith(services.FORMULA_START), cell)

    def test_it_refuses_bad_filters_with_the_page_and_its_errors(self):
        self.sign_in(self.ada)
        response = self.client.get("/staff/audit/download/?action=nope&start=x")
        self.assertContains(response, "Choose an action from the list", status_code=400)
        self.assertFalse(Entry.objects.filter(action=Action.AUDIT_DOWNLOADED).exists())

    def test_the_file_name_never_carries_what_was_typed(self):
        self.sign_in(self.ada)
        response = self.client.get('/staff/audit/download/?subject=1&x="%0d%0aSet-Cookie:a=b')
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Set-Cookie", response["Content-Disposition"])

    def test_a_caseworker_cannot_download_it(self):
        self.sign_in(self.bob)
        self.assertEqual(self.client.get("/staff/audit/download/").status_code, 404)
