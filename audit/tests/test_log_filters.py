"""Filtering the log by actor, action, date range and subject: only whitelisted values,
a clear error (never a 500) for anything else, and pages that keep the filters."""

import datetime
import re
from unittest import mock

from django.utils import timezone

from audit import chain, services
from audit.models import Action, Entry
from audit.tests.auditor import AuditorTestCase


def chain_actions(page: str) -> list[str]:
    """The action labels of the chain table (after its heading)."""
    chained = page.split('id="entries-heading"', 1)[1]
    return re.findall(r"</a>\s*</td><td>([^<]+)</td>", chained)


class LogFiltersTestCase(AuditorTestCase):
    def test_it_filters_by_actor(self):
        self.sign_in(self.ada)
        page = self.page(f"?actor=staff:{self.coordinator.pk}")
        actions = chain_actions(page)
        self.assertEqual(actions.count("Staff account created"), 4)  # ines, alice, bob, ada
        self.assertNotIn("Signed in", actions)  # Ada's sign-in is not the coordinator's
        self.assertIn("4 entries match the filters.", page)

    def test_it_filters_by_action(self):
        self.sign_in(self.ada)
        actions = chain_actions(self.page(f"?action={Action.LOGIN.value}"))
        self.assertEqual(actions, ["Signed in"])

    def test_it_filters_by_date_range_inclusive(self):
        today = timezone.localdate()
        old = timezone.now() - datetime.timedelta(days=10)
        with mock.patch("django.utils.timezone.now", return_value=old):
            chain.record("system", Action.LOGIN_FAILED)
        self.sign_in(self.ada)
        ten_days_ago = (today - datetime.timedelta(days=10)).isoformat()
        page = self.page(f"?start={ten_days_ago}&end={ten_days_ago}")
        self.assertEqual(chain_actions(page), ["Sign-in failed"])
        page = self.page(f"?start={today.isoformat()}&end={today.isoformat()}")
        self.assertNotIn("Sign-in failed", chain_actions(page))
        self.assertIn("Signed in", chain_actions(page))

    def test_it_filters_by_subject_without_matching_a_longer_id(self):
        self.sign_in(self.ada)
        page = self.page(f"?subject={self.alice.pk}")
        actions = chain_actions(page)
        self.assertEqual(actions, ["Staff account created"])

    def test_it_combines_filters(self):
        self.sign_in(self.ada)
        query = f"?actor=staff:{self.ada.pk}&action={Action.STAFF_CREATED.value}"
        self.assertIn("No entry in the chain matches these filters.", self.page(query))

    def test_it_refuses_an_action_that_is_not_in_the_list(self):
        self.sign_in(self.ada)
        page = self.page("?action=drop+table", status=400)
        self.assertIn("Choose an action from the list", page)
        self.assertNotIn('id="entries-heading"', page)

    def test_it_refuses_an_actor_that_is_not_in_the_list(self):
        self.sign_in(self.ada)
        page = self.page("?actor=staff:999999", status=400)
        self.assertIn("Choose who from the list", page)

    def test_it_refuses_a_malformed_date_and_says_the_format(self):
        self.sign_in(self.ada)
        for value in ("29/11/2026", "2026-13-01", "x" * 500, "2026-11-29T10:00"):
            page = self.page(f"?start={value}", status=400)
            self.assertIn("Write the date as YYYY-MM-DD", page)

    def test_it_refuses_a_range_that_ends_before_it_starts(self):
        self.sign_in(self.ada)
        page = self.page("?start=2026-11-29&end=2026-11-01", status=400)
        self.assertIn("“To” is before “From”", page)

    def test_it_refuses_a_subject_that_is_no_id(self):
        self.sign_in(self.ada)
        for value in ('"%25', "abc", "g" * 32, "1" * 40):
            page = self.page(f"?subject={value}", status=400)
            self.assertIn("use a link from the log", page)

    def test_its_error_messages_are_linked_to_their_fields(self):
        self.sign_in(self.ada)
        page = self.page("?start=nonsense", status=400)
        described = re.search(r'<input[^>]*name="start"[^>]*>', page)
        assert described is not None
        found = re.search(r'aria-describedby="([^"]+)"', described.group(0))
        assert found is not None
        ids = found.group(1).split()
        for target in ids:
            self.assertIn(f'id="{target}"', page)
        self.assertIn("id_start_error", ids)

    def test_it_pages_the_chain_and_keeps_the_filters_in_the_links(self):
        for _ in range(services.PAGE_SIZE + 5):
            chain.record("system", Action.LOGIN_FAILED)
        self.sign_in(self.ada)
        page = self.page(f"?action={Action.LOGIN_FAILED.value}")
        self.assertIn("Page 1 of 2", page)
        self.assertIn(f"?action={Action.LOGIN_FAILED.value}&amp;page=2", page)
        second = self.page(f"?action={Action.LOGIN_FAILED.value}&page=2")
        self.assertEqual(len(chain_actions(second)), 5)
        # A page number out of range or nonsense shows a page, never an error.
        self.page("?page=999")
        self.page("?page=abc")

    def test_it_pages_the_whole_chain_by_sequence_ranges(self):
        for _ in range(services.PAGE_SIZE + 5):
            chain.record("system", Action.LOGIN_FAILED)
        self.sign_in(self.ada)
        total = Entry.objects.count()
        first = self.page()
        self.assertIn(f"{total} entries in the chain.", first)
        numbers = [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", first)]
        self.assertEqual(numbers, list(range(total, total - services.PAGE_SIZE, -1)))
        last = self.page("?page=2")
        numbers = [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", last)]
        self.assertEqual(numbers, list(range(total - services.PAGE_SIZE, 0, -1)))
        self.assertIn('rel="prev"', last)
        self.assertNotIn('rel="next"', last)

    def test_it_counts_entries_in_sql_and_reads_only_one_page(self):
        for _ in range(services.PAGE_SIZE * 2):
            chain.record("system", Action.LOGIN_FAILED)
        self.sign_in(self.ada)
        with mock.patch("audit.views.chain.verify") as verify:
            self.page()
        verify.assert_not_called()
        self.assertGreater(Entry.objects.count(), services.PAGE_SIZE * 2)
