"""The inbox as a work queue: filters, counts per filter, sorts, columns, pages."""

from __future__ import annotations

import datetime
import html
import re
from unittest import mock

from django.core.cache import cache

from accounts import services as accounts
from audit.models import Action, Entry, Waiting
from cases import inbox, persons
from cases import services as cases
from cases.models import Person
from intake.models import Report
from tests.base import PASSWORDS, BaseTestCase

from .queue_data import make_report

DAY = datetime.date


def names(response) -> list[str]:
    return re.findall(r'dir="(?:auto|rtl)">([^<]+)</a>', response.content.decode())


def option_counts(response, name: str) -> dict[str, int]:
    body = response.content.decode()
    select = re.search(rf'<select id="inbox-{name}".*?</select>', body, re.S)
    assert select, f"no {name} filter on the page"
    return {
        value: int(n)
        for value, n in re.findall(r'<option value="([^"]+)"[^>]*>[^<]*\((\d+)\)', select.group(0))
    }


def found(pattern: str, text: str) -> re.Match[str]:
    match = re.search(pattern, text, re.S)
    assert match, f"nothing matches {pattern}"
    return match


class InboxFiltersTestCase(BaseTestCase):
    a1: Report
    a2: Report
    b1: Report
    n1: Report
    case: Person

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ines_key = accounts.unlock_private_key(cls.ines, PASSWORDS["ines"])
        cls._private_keys[cls.ines.pk] = ines_key.to_bytes()
        cls.a1 = make_report("Alice One", language="ug", region="kashgar", consent="internal")
        cls.a2 = make_report("Alice Two", language="kk", region="hotan", consent="un-named")
        cls.b1 = make_report("Bob Only", language="ru", region="aksu", consent="partners")
        cls.n1 = make_report("Nobody Yet", language="en", region="ili", consent="public")
        cases.assign(cls.ines, ines_key, cls.a1.id, cls.alice)
        cases.assign(cls.ines, ines_key, cls.a2.id, cls.alice)
        cases.assign(cls.ines, ines_key, cls.b1.id, cls.bob)
        cls.case = persons.create_from_report(cls.ines, ines_key, cls.a1.id, "unverified")
        for report, status, received, active, replied in (
            (cls.a1, "in-review", DAY(2026, 1, 5), DAY(2026, 6, 1), None),
            (cls.a2, "followed", DAY(2026, 2, 10), DAY(2026, 2, 10), DAY(2026, 2, 11)),
            (cls.b1, "closed", DAY(2026, 3, 1), DAY(2026, 3, 1), None),
            (cls.n1, "received", DAY(2026, 1, 1), DAY(2026, 1, 1), None),
        ):
            Report.objects.filter(id=report.id).update(
                status=status, received_on=received, active_on=active, replied_on=replied
            )

    def test_it_lists_newest_first_with_a_total(self):
        self.sign_in(self.ines)
        response = self.client.get("/staff/reports/")
        self.assertEqual(names(response), ["Bob Only", "Alice Two", "Alice One", "Nobody Yet"])
        self.assertContains(response, "4 reports")
        self.assertContains(response, "page 1 of 1")

    def test_it_sorts_by_last_activity(self):
        self.sign_in(self.ines)
        response = self.client.get("/staff/reports/?sort=activity")
        self.assertEqual(names(response), ["Alice One", "Bob Only", "Alice Two", "Nobody Yet"])

    def test_it_filters_by_each_workflow_field(self):
        self.sign_in(self.ines)
        for query, expected in (
            ("status=closed", ["Bob Only"]),
            ("language=ug", ["Alice One"]),
            ("region=hotan", ["Alice Two"]),
            ("consent=public", ["Nobody Yet"]),
            ("replied=1", ["Alice Two"]),
            ("assigned=none", ["Nobody Yet"]),
            ("status=followed&language=kk", ["Alice Two"]),
            ("status=followed&language=ug", []),
        ):
            with self.subTest(query):
                self.assertEqual(names(self.client.get(f"/staff/reports/?{query}")), expected)

    def test_it_filters_assigned_to_me(self):
        self.sign_in(self.alice)
        response = self.client.get("/staff/reports/?assigned=me")
        self.assertEqual(names(response), ["Alice Two", "Alice One"])
        self.client = self.client_class()
        self.sign_in(self.ines)
        mine = self.client.get("/staff/reports/?assigned=me")
        self.assertEqual(names(mine), [])
        self.assertContains(mine, "0 reports")

    def test_it_counts_each_option_with_the_other_filters_kept(self):
        self.sign_in(self.ines)
        response = self.client.get("/staff/reports/")
        self.assertEqual(
            option_counts(response, "status"),
            {"received": 1, "in-review": 1, "followed": 1, "closed": 1, "withdrawn": 0},
        )
        self.assertEqual(option_counts(response, "assigned"), {"me": 0, "none": 1})
        self.assertContains(response, "Reporter replied, not yet read (1)")
        filtered = self.client.get("/staff/reports/?region=hotan")
        self.assertEqual(option_counts(filtered, "status")["followed"], 1)
        self.assertEqual(option_counts(filtered, "status")["closed"], 0)
        # The region's own options still count as if another region were chosen.
        self.assertEqual(option_counts(filtered, "region")["aksu"], 1)
        self.assertContains(filtered, "1 report")

    def test_it_shows_bob_neither_alices_reports_nor_their_counts(self):
        self.sign_in(self.bob)
        response = self.client.get("/staff/reports/")
        self.assertEqual(names(response), ["Bob Only"])
        self.assertContains(response, "1 report")
        self.assertEqual(sum(option_counts(response, "status").values()), 1)
        self.assertEqual(sum(option_counts(response, "language").values()), 1)
        self.assertContains(response, "Reporter replied, not yet read (0)")
        self.assertEqual(names(self.client.get("/staff/reports/?language=ug")), [])

    def test_it_shows_the_case_number_the_assignee_and_the_reply_marker(self):
        self.sign_in(self.ines)
        body = self.client.get("/staff/reports/").content.decode()
        row = found(r"<tr[^>]*>(?:(?!</tr>).)*Alice One.*?</tr>", body).group(0)
        self.assertIn(f"#{self.case.number}</a>", row)
        self.assertIn(f'href="/staff/reports/persons/{self.case.id}/"', row)
        self.assertIn("alice", row)
        bob_row = found(r"<tr[^>]*>(?:(?!</tr>).)*Bob Only.*?</tr>", body).group(0)
        self.assertIn("bob", bob_row)
        self.assertIn("not linked", bob_row)
        replied = found(r"<tr[^>]*>(?:(?!</tr>).)*Alice Two.*?</tr>", body).group(0)
        self.assertIn("Replied 2026-02-11, unread", replied)
        self.assertIn('class="replied"', replied)

    def test_it_reports_invalid_filter_values_and_leaves_them_out(self):
        self.sign_in(self.ines)
        response = self.client.get(
            "/staff/reports/?status=lost&language=xx&assigned=them&replied=yes&sort=name"
            "&region=%3Cscript%3E&page=abc&before=junk"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(names(response)), 4)
        self.assertContains(response, "Status: there is no option “lost”")
        self.assertContains(response, "Assignment: there is no option “them”")
        self.assertContains(response, "Sort: there is no order “name”")
        self.assertContains(response, "&lt;script&gt;")
        self.assertNotContains(response, "<script>")
        self.assertContains(response, 'href="#inbox-status"')
        self.assertContains(response, 'id="inbox-status"')

    def test_it_pages_with_the_filters_kept_forwards_and_back(self):
        more = [make_report(f"Extra {n}", language="ug") for n in range(4)]
        Report.objects.filter(id__in=[r.id for r in more]).update(received_on=DAY(2025, 5, 5))
        self.sign_in(self.ines)
        with mock.patch.object(inbox, "PAGE_SIZE", 2):
            url, seen, pages, links = "/staff/reports/?language=ug", [], [], []
            while url:
                response = self.client.get(url)
                seen += names(response)
                pages.append(found(r"page (\d+) of (\d+)", response.content.decode()).groups())
                nxt = re.search(r'href="([^"]+)" rel="next"', response.content.decode())
                url = html.unescape(nxt.group(1)) if nxt else ""
                links.append(url)
            self.assertEqual(sorted(seen), sorted(["Alice One"] + [f"Extra {n}" for n in range(4)]))
            self.assertEqual(len(seen), 5)
            self.assertEqual(pages, [("1", "3"), ("2", "3"), ("3", "3")])
            self.assertTrue(all("language=ug" in link for link in links[:-1]))
            prev = found(r'href="([^"]+)" rel="prev"', response.content.decode())
            back = self.client.get(html.unescape(prev.group(1)))
            self.assertEqual(names(back), seen[2:4])
            self.assertContains(back, "page 2 of 3")

    def test_it_records_one_day_only_audit_entry_listing_the_pages_reports(self):
        self.sign_in(self.alice)
        before = list(Waiting.objects.values_list("id", flat=True))
        self.client.get("/staff/reports/?status=followed")
        viewed = Waiting.objects.exclude(id__in=before).get(action=Action.INBOX_VIEWED)
        self.assertEqual(viewed.subjects, [self.a2.id.hex])
        self.assertEqual(viewed.created_at.time(), datetime.time(0, 0))
        self.assertFalse(Entry.objects.filter(action=Action.INBOX_VIEWED).exists())

    def test_it_keeps_a_large_holdings_counts_for_a_little_while_per_holder(self):
        with mock.patch.object(inbox, "BIG_HOLDING", 1):
            self.sign_in(self.ines)
            self.assertContains(self.client.get("/staff/reports/?language=ug"), ">1 report ·")
            make_report("Late Comer", language="ug")
            again = self.client.get("/staff/reports/?language=ug")
            self.assertIn("Late Comer", names(again))  # the rows are always read afresh
            self.assertContains(again, ">1 report ·")  # the counts, within half a minute
            cache.clear()
            self.assertContains(self.client.get("/staff/reports/?language=ug"), ">2 reports ·")
            self.client = self.client_class()
            self.sign_in(self.bob)
            response = self.client.get("/staff/reports/")
            self.assertEqual(names(response), ["Bob Only"])
            self.assertContains(response, ">1 report ·")
            self.assertEqual(sum(option_counts(response, "language").values()), 1)
