"""Statistics for coordinators: counts from clear workflow fields, small counts shown
as "< 5" everywhere (table, chart, CSV), counts a total would give back withheld, a
CSV that a spreadsheet cannot run, a period filter with clear errors, coordinators
only, and one audit entry per view naming no report."""

from __future__ import annotations

import csv
import io
import itertools
import re
import unittest
import uuid
from datetime import date
from html import unescape

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from accounts import services as accounts
from accounts.models import Role, Staff
from audit.models import Action, Entry
from cases import statistics
from cases.models import Person
from cases.statistics import SMALL, Month, Period
from cases.statistics_views import csv_cell
from intake.models import Report
from tests.base import PASSWORDS, BaseTestCase

URL = "/staff/reports/statistics/"
CSV_URL = "/staff/reports/statistics/csv/"
PERIOD = {"from_month": "2026-01", "to_month": "2026-04"}


def add_report(received_on: date, region="", language="ug", consent="internal", status="received"):
    return Report.objects.create(
        received_on=received_on,
        region=region,
        language=language,
        consent=consent,
        status=status,
        schema_version=1,
        sealed_content=b"sealed",
        receipt_lookup=uuid.uuid4().hex,
        reporter_public_key=b"",
        reporter_key=b"",
    )


def add_person(created_on: date, status="missing", verification="unverified") -> Person:
    number = (Person.objects.order_by("-number").values_list("number", flat=True).first()) or 0
    return Person.objects.create(
        number=number + 1,
        created_on=created_on,
        status=status,
        verification=verification,
        sealed_name=b"sealed",
    )


def known_data_set() -> None:
    """22 reports from January to April 2026, one in December 2025; 10 cases."""
    days = [date(2026, 1, d) for d in (1, 5, 9, 13, 17, 21, 31)]  # 7 in January
    days += [date(2026, 2, d) for d in (1, 14, 28)]  # 3 in February, none in March
    days += [date(2026, 4, d) for d in range(1, 13)]  # 12 in April, up to the 12th
    regions = ["kashgar"] * 10 + ["hotan"] * 6 + ["ili"] * 2 + [""] * 4
    languages = ["ug"] * 15 + ["kk"] * 5 + ["ru"] * 2
    consents = ["internal"] * 20 + ["un-confidential"] * 2
    statuses = ["received"] * 18 + ["in-review"] * 4
    for row in zip(days, regions, languages, consents, statuses, strict=True):
        add_report(*row)
    add_report(date(2025, 12, 31), region="aksu", language="tr")
    for status in ["missing"] * 5 + ["camp"] * 2 + ["detained"] * 2:
        add_person(date(2026, 2, 1), status=status)
    add_person(date(2025, 12, 1), status="died", verification="confirmed")


def table(figures: statistics.Statistics, slug: str) -> dict[str, str]:
    (found,) = [t for t in figures.tables if t.slug == slug]
    rows = {f.key: f.shown for f in found.figures}
    rows["total"] = found.total.shown
    return rows


def html_table(content: str, slug: str) -> dict[str, str]:
    """The rows of a table on the page: label -> count shown."""
    section = content.split(f'id="{slug}-table"')[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', section)
    return {unescape(label): unescape(count) for label, count in rows}


def svg_rows(content: str, slug: str) -> dict[str, str]:
    """The rows of a chart on the page, from each row's title: label -> count drawn."""
    svg = content.split(f'aria-labelledby="chart-{slug}-title')[1].split("</svg>")[0]
    rows = re.findall(r"<g><title>(.*?)</title>", svg)
    return dict(unescape(row).rsplit(": ", 1) for row in rows)


class StatisticsTestCase(BaseTestCase):
    rui: Staff
    ada: Staff

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        key = accounts.unlock_private_key(cls.coordinator, PASSWORDS["coordinator"])
        cls.rui = accounts.add_staff("rui", Role.REVIEWER, PASSWORDS["rui"], cls.coordinator, key)
        cls.ada = accounts.add_staff("ada", Role.AUDITOR, PASSWORDS["ada"], cls.coordinator, key)
        known_data_set()

    def figures(self, first="2026-01", last="2026-04") -> statistics.Statistics:
        start, end = Month.parse(first), Month.parse(last)
        assert start is not None and end is not None
        return statistics.compute(Period(start, end))

    def test_it_counts_a_known_data_set(self):
        figures = self.figures()
        self.assertEqual(
            table(figures, "months"),
            # February's 3 is small; January is withheld, or the total (22) would give it back.
            {
                "2026-01": "withheld",
                "2026-02": "< 5",
                "2026-03": "0",
                "2026-04": "12",
                "total": "22",
            },
        )
        regions = table(figures, "regions")
        self.assertEqual(
            {k: v for k, v in regions.items() if v != "0"},
            {"kashgar": "10", "hotan": "6", "ili": "< 5", "": "< 5", "total": "22"},
        )
        self.assertEqual(len(regions), 15 + 1 + 1)  # every region, "not given", the total
        self.assertEqual(
            table(figures, "languages"), {"kk": "withheld", "ru": "< 5", "ug": "15", "total": "22"}
        )
        consent = table(figures, "consent")
        self.assertEqual(consent["internal"], "withheld")
        self.assertEqual(consent["un-confidential"], "< 5")
        self.assertEqual(consent["public"], "0")
        status = table(figures, "report-status")
        self.assertEqual((status["received"], status["in-review"]), ("withheld", "< 5"))
        self.assertEqual(
            {k: v for k, v in table(figures, "case-status").items() if v != "0"},
            # Two small counts that add up to 4 (the total, 9, minus 5) can be 1 and 3 or 2 and 2.
            {"missing": "5", "camp": "< 5", "detained": "< 5", "total": "9"},
        )
        self.assertEqual(
            table(figures, "verification"),
            {"unverified": "9", "partly": "0", "confirmed": "0", "total": "9"},
        )

    def test_it_counts_the_period_asked_for_only(self):
        figures = self.figures("2025-12", "2025-12")
        self.assertEqual(table(figures, "months"), {"2025-12": "< 5", "total": "< 5"})
        self.assertEqual(table(figures, "languages"), {"tr": "< 5", "total": "< 5"})
        self.assertEqual(table(figures, "case-status")["died"], "< 5")

    def test_it_reads_nothing_sealed_and_no_key(self):
        with CaptureQueriesContext(connection) as queries:
            self.figures()
            statistics.default_period(date(2026, 11, 29))
        sql = " ".join(q["sql"] for q in queries.captured_queries).lower()
        self.assertNotIn("sealed", sql)
        self.assertNotIn("reporter_key", sql)
        self.assertNotIn("reportkey", sql)
        self.assertNotIn("personkey", sql)
        self.assertLessEqual(len(queries.captured_queries), 10)

    def test_it_shows_small_counts_as_under_five_in_the_table_chart_and_csv(self):
        self.sign_in(self.coordinator)
        page = self.client.get(URL, PERIOD)
        self.assertEqual(page.status_code, 200)
        content = page.content.decode()
        for slug, label in (
            ("months", "February 2026"),
            ("regions", "Ili prefecture"),
            ("regions", "Not given"),
            ("languages", "Russian"),
            ("case-status", "Located in a camp"),
        ):
            self.assertEqual(html_table(content, slug)[label], "< 5", (slug, label))
            self.assertEqual(svg_rows(content, slug)[label], "< 5", (slug, label))
        self.assertEqual(html_table(content, "months")["January 2026"], "withheld")
        self.assertEqual(svg_rows(content, "months")["January 2026"], "withheld")
        self.assertEqual(html_table(content, "months")["April 2026"], "12")
        # No small count appears as a number anywhere: not in a cell, not in a chart.
        for section in re.findall(r"<section.*?</section>", content, re.S):
            cells = re.findall(r"<td>(.*?)</td>", section)
            drawn = re.findall(r'text-anchor="start">([^<]*)</text>', section)
            for shown in cells + drawn:
                self.assertNotIn(shown, {"1", "2", "3", "4"}, section[:80])
        # The small bars are hatched at the length of 5, never at their count.
        months = content.split('aria-labelledby="chart-months-title')[1].split("</svg>")[0]
        self.assertIn('fill="url(#chart-months-hatch)"', months)

        # The download covers all time whatever the page shows, and holds no small count.
        download = self.client.get(CSV_URL, PERIOD)
        self.assertEqual(download.content, self.client.get(CSV_URL).content)
        rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0], ["Table", "Row", "Count"])
        everything = statistics.default_period(date.today())
        assert everything is not None
        self.assertEqual(rows[1], ["Period", everything.describe(), ""])
        by_row = {(r[0], r[1]): r[2] for r in rows[2:]}
        self.assertEqual(by_row[("Reports per month", "February 2026")], "< 5")
        self.assertEqual(by_row[("Reports by region", "Ili prefecture")], "< 5")
        self.assertFalse({"1", "2", "3", "4"} & set(by_row.values()))

    def test_it_gives_a_csv_with_a_safe_name_and_no_formula(self):
        add_report(date(2026, 3, 2), language="=cmd|x")
        add_report(date(2026, 3, 3), language="@sum")
        self.sign_in(self.coordinator)
        response = self.client.get(CSV_URL, PERIOD)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        everything = statistics.default_period(date.today())
        assert everything is not None
        name = f"amanat-statistics-{everything.first.iso()}-to-{everything.last.iso()}.csv"
        self.assertEqual(response["Content-Disposition"], f'attachment; filename="{name}"')
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        labels = [row[1] for row in rows]
        self.assertIn("'=cmd|x", labels)
        self.assertIn("'@sum", labels)
        for row in rows:
            for cell in row:
                self.assertFalse(cell.startswith(("=", "+", "-", "@")), cell)

    def test_it_prefixes_every_cell_that_would_start_a_formula(self):
        for cell in ("=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"):
            self.assertEqual(csv_cell(cell), "'" + cell)
        for cell in ("< 5", "12", "Kashgar prefecture", ""):
            self.assertEqual(csv_cell(cell), cell)

    def test_it_escapes_stored_values_in_the_page_and_charts(self):
        add_report(date(2026, 3, 2), language="<b>x</b>")
        self.sign_in(self.coordinator)
        content = self.client.get(URL, PERIOD).content.decode()
        self.assertNotIn("<b>x</b>", content)
        self.assertIn("&lt;b&gt;x&lt;/b&gt;", content)

    def test_it_writes_labels_and_months_in_the_staff_members_language(self):
        with translation.override("ru"):
            figures = self.figures()
            months = [f.label for f in figures.reports[0].figures]
        self.assertEqual(months[3], "Апрель 2026 г.")  # noqa: RUF001
        with translation.override("en"):
            figures = self.figures()
        labels = {f.key: f.label for f in figures.reports[2].figures}
        self.assertEqual(labels["ug"], "Uyghur")
        consent = {f.key: f.label for f in figures.reports[3].figures}
        self.assertEqual(consent["internal"], "Organisation only")

    def test_it_refuses_every_role_but_coordinators_as_other_coordinator_pages_do(self):
        for staff in (self.ines, self.alice, self.bob, self.rui, self.ada):
            self.client.logout()
            self.client.cookies.clear()
            self.sign_in(staff)
            refusal = self.client.get("/staff/reports/overview/")
            self.assertEqual(refusal.status_code, 404)
            for url in (URL, CSV_URL):
                response = self.client.get(url, PERIOD)
                self.assertEqual(response.status_code, 404, (staff.role, url))
                # The same page, but for the links back to it in other languages.
                self.assertEqual(
                    response.content.decode().replace(url, "/staff/reports/overview/"),
                    refusal.content.decode(),
                )
        self.assertFalse(
            Entry.objects.filter(
                action__in=[Action.STATISTICS_VIEWED, Action.STATISTICS_DOWNLOADED]
            ).exists()
        )

    def test_it_sends_anyone_signed_out_to_sign_in(self):
        self.assertEqual(self.client.get(URL).status_code, 302)
        self.assertEqual(self.client.get(CSV_URL).status_code, 302)

    def test_it_audits_each_view_once_without_naming_a_report(self):
        self.sign_in(self.coordinator)
        before = Entry.objects.count()
        self.client.get(URL, PERIOD)
        self.client.get(CSV_URL, PERIOD)
        entries = list(Entry.objects.order_by("sequence")[before:])
        self.assertEqual(
            [(e.action, e.subjects) for e in entries],
            [(Action.STATISTICS_VIEWED, []), (Action.STATISTICS_DOWNLOADED, [])],
        )
        self.assertEqual({e.actor for e in entries}, {f"staff:{self.coordinator.pk}"})

    def test_it_explains_a_period_it_cannot_use(self):
        self.sign_in(self.coordinator)
        cases = [
            ({"from_month": "April"}, "Write the month as year and month, for example 2027-04."),
            ({"to_month": "2026-13"}, "Write the month as year and month, for example 2027-04."),
            ({"to_month": "9999-12"}, "Write the month as year and month, for example 2027-04."),
            ({"from_month": "0000-01"}, "Write the month as year and month, for example 2027-04."),
            (
                {"to_month": "\uff12\uff10\uff12\uff16-04"},  # full-width digits
                "Write the month as year and month, for example 2027-04.",
            ),
            (
                {"from_month": "2026-04", "to_month": "2026-01"},
                "The end month is before the start month. Choose a later end month.",
            ),
            (
                {"from_month": "2000-01", "to_month": "2026-01"},
                "A period covers at most 120 months.",
            ),
            ({"from_month": "x" * 5000}, "Ensure this value has at most 7 characters"),
        ]
        for query, message in cases:
            for url in (URL,):  # the download takes no period
                response = self.client.get(url, query)
                self.assertEqual(response.status_code, 400, query)
                self.assertEqual(response["Content-Type"], "text/html; charset=utf-8")
                self.assertIn(message, unescape(response.content.decode()), query)
                self.assertNotIn('id="months-table"', response.content.decode())
        self.assertFalse(Entry.objects.filter(action=Action.STATISTICS_VIEWED).exists())

    def test_it_answers_odd_months_with_a_page_never_a_failure(self):
        self.sign_in(self.coordinator)
        odd = ["2026-1", "-2026-01", "2026-01-01", " 2026-01 ", "\u0662\u0660\u0662\u0666-01"]
        odd += ["2999-12", "1900-01", "2026-00", "", "2026-", "\x00", "1e10-01"]
        for value in odd:
            for name in ("from_month", "to_month"):
                for url in (URL, CSV_URL):
                    response = self.client.get(url, {name: value})
                    self.assertIn(response.status_code, (200, 400), (url, name, value))

    def test_it_labels_the_form_and_points_to_help_and_errors_that_exist(self):
        self.sign_in(self.coordinator)
        content = self.client.get(URL, {"from_month": "nope"}).content.decode()
        self.assertIn('action="/staff/reports/statistics/"', content)
        content = self.client.get(URL, {**PERIOD, "other": "<x>"}).content.decode()
        # The download link asks for no period: it always covers all time.
        self.assertIn('href="/staff/reports/statistics/csv/"', content)
        ids = set(re.findall(r'id="([^"]+)"', content))
        for described in re.findall(r'aria-describedby="([^"]+)"', content):
            for target in described.split():
                self.assertIn(target, ids)
        self.assertIn('<label for="id_from_month">', content)
        self.assertIn('<label for="id_to_month">', content)
        self.assertNotIn("style=", content)
        self.assertNotIn("<script", content)

    def test_it_fills_an_open_end_of_the_period(self):
        self.sign_in(self.coordinator)
        content = self.client.get(URL, {"from_month": "2026-02"}).content.decode()
        months = list(html_table(content, "months"))
        self.assertEqual(months[0], "February 2026")
        content = self.client.get(URL, {"to_month": "2026-02"}).content.decode()
        months = list(html_table(content, "months"))
        self.assertEqual(months[:3], ["December 2025", "January 2026", "February 2026"])
        self.assertEqual(len(months), 3 + 1)  # and the total
        content = self.client.get(URL).content.decode()
        self.assertEqual(next(iter(html_table(content, "months"))), "December 2025")


class NoDataTestCase(BaseTestCase):
    def test_it_says_there_is_nothing_yet(self):
        self.sign_in(self.coordinator)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There are no reports or cases yet.")
        response = self.client.get(CSV_URL)
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="amanat-statistics.csv"'
        )


def pinned(counts: list[int], small: list[bool], withheld: list[bool]) -> bool:
    """Whether a reader who knows the total and every shown count can work out a hidden
    count exactly, trying every possible value: 1 to 4 for a small count; for a withheld
    one, 5 and up next to small ones, and anything from 1 up when none is marked small."""
    total = sum(counts)
    hidden = [i for i in range(len(counts)) if small[i] or withheld[i]]
    if not hidden:
        return False
    rest = total - sum(c for i, c in enumerate(counts) if i not in hidden)
    least = SMALL if any(small) else 1
    ranges = [range(1, SMALL) if small[i] else range(least, rest + 1) for i in hidden]
    possible: list[set[int]] = [set() for _ in hidden]
    for values in itertools.product(*ranges[:-1]):
        last = rest - sum(values)
        if last in ranges[-1]:
            for place, value in enumerate((*values, last)):
                possible[place].add(value)
    return any(len(values) == 1 for values in possible)


class SuppressionTestCase(unittest.TestCase):
    def test_it_leaves_tables_without_small_counts_as_they_are(self):
        self.assertEqual(statistics.suppress([0, 5, 17]), ([False] * 3, [False] * 3))

    def test_it_withholds_the_smallest_count_next_to_a_lone_small_one(self):
        small, withheld = statistics.suppress([3, 40, 9, 0])
        self.assertEqual(small, [True, False, False, False])
        self.assertEqual(withheld, [False, False, True, False])

    def test_it_withholds_more_while_a_small_count_can_still_be_worked_out(self):
        # 1 + 5 + 5 = 11 could only be split one way: the 50 goes too.
        _small, withheld = statistics.suppress([1, 5, 5, 50])
        self.assertEqual(withheld, [False, True, True, True])

    def test_it_keeps_small_counts_that_cannot_be_told_apart(self):
        self.assertEqual(statistics.suppress([2, 3, 20]), ([True, True, False], [False] * 3))
        # Two ones add up to 2, which only one and one make.
        self.assertEqual(statistics.suppress([1, 1, 20])[1], [False, False, True])

    def test_it_withholds_everything_when_nothing_else_hides_a_small_count(self):
        self.assertEqual(statistics.suppress([1, 5, 0]), ([False] * 3, [True, True, False]))

    @given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=4))
    def test_it_never_lets_the_total_give_back_a_hidden_count(self, counts):
        small, withheld = statistics.suppress(counts)
        for count, is_small, is_withheld in zip(counts, small, withheld, strict=True):
            # Every count from 1 to 4 is hidden; nothing is both small and withheld.
            if 0 < count < SMALL:
                self.assertTrue(is_small or is_withheld)
            self.assertFalse(is_small and is_withheld)
            if count == 0:
                self.assertFalse(is_small or is_withheld)
        if sum(counts) >= SMALL:
            self.assertFalse(pinned(counts, small, withheld), (counts, small, withheld))


@unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL's month truncation")
class PostgreSQLStatisticsTestCase(BaseTestCase):
    def test_it_counts_months_on_their_edges_on_postgresql(self):
        for day in (date(2026, 1, 31),) * 5 + (date(2026, 2, 1),) * 6 + (date(2026, 2, 28),):
            add_report(day, region="hotan", language="kk")
        with CaptureQueriesContext(connection) as queries:
            figures = statistics.compute(Period(Month(2026, 1), Month(2026, 2)))
        self.assertEqual(table(figures, "months"), {"2026-01": "5", "2026-02": "7", "total": "12"})
        self.assertEqual(table(figures, "languages"), {"kk": "12", "total": "12"})
        self.assertNotIn("sealed", " ".join(q["sql"] for q in queries.captured_queries))
