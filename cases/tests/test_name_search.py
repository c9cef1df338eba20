import logging

from django.db import connection

from accounts import services as accounts
from accounts.models import Role
from audit.models import Action, Waiting
from cases import name_search, persons, services
from tests.base import PASSWORDS, BaseTestCase
from tests.reports import report_form_data, report_named
from tests.scan import cache_contents

LATIN = "Abdurehim Tursun"
CYRILLIC = "Абдурехим Турсун"
MARKER = "Qasimjan Zeynidin"  # searched for, never stored


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record) + repr(record.args))


class NameSearchTestCase(BaseTestCase):
    """Alice's case, a man whose family wrote his name in Latin letters only; Bob's
    case, another man."""

    def setUp(self):
        super().setUp()
        self.client.post("/en/report/", report_form_data(name_1=LATIN, name_2="", script_2=""))
        self.client.post(
            "/en/report/",
            report_form_data(
                name_1="Mehmet Yilmaz",
                name_2="",
                script_2="",
                father_name="Ahmet",
                birth_year="1960",
                home_county="Ghulja",
            ),
        )
        self.ines_key = self.private_key(self.ines)
        alices = report_named(LATIN, self.ines, self.ines_key)
        bobs = report_named("Mehmet Yilmaz", self.ines, self.ines_key)
        self.a = persons.create_from_report(self.ines, self.ines_key, alices.id, "unverified")
        self.b = persons.create_from_report(self.ines, self.ines_key, bobs.id, "unverified")
        services.assign(self.ines, self.ines_key, alices.id, self.alice)
        services.assign(self.ines, self.ines_key, bobs.id, self.bob)

    def search(self, name: str):
        return self.client.post("/staff/reports/find/", {"name": name})

    def test_it_finds_a_person_written_in_another_script(self):
        self.sign_in(self.alice)
        response = self.search(CYRILLIC)
        self.assertContains(response, f"Case {self.a.number}")
        self.assertContains(response, LATIN)
        self.assertContains(response, "Strong match")
        self.assertContains(response, "same full name")
        self.assertNotContains(response, f"Case {self.b.number}<")
        found = name_search.find(self.alice, self.private_key(self.alice), "ئابدۇرېھىم تۇرسۇن")
        self.assertEqual([p.person_id for p in found], [self.a.id])

    def test_it_never_shows_bob_alices_person(self):
        found = name_search.find(self.bob, self.private_key(self.bob), LATIN)
        self.assertNotIn(self.a.id, [p.person_id for p in found])
        self.sign_in(self.bob)
        response = self.search(CYRILLIC)
        self.assertNotContains(response, LATIN)
        self.assertNotContains(response, f"Case {self.a.number}<")
        self.assertContains(response, "No case you can open has a name like this one.")

    def test_it_records_the_persons_shown_by_id_and_the_day_only(self):
        self.sign_in(self.alice)
        self.search(CYRILLIC)
        entry = Waiting.objects.get(action=Action.PERSONS_SEARCHED)
        self.assertEqual(entry.subjects, [self.a.id.hex])
        self.assertEqual(entry.created_at.time().isoformat(), "00:00:00")

    def test_the_name_reaches_no_table_log_record_or_cache_key(self):
        handler = Lines()
        root = logging.getLogger()
        root.addHandler(handler)
        old_level = root.level
        root.setLevel(logging.DEBUG)
        self.addCleanup(root.setLevel, old_level)
        self.addCleanup(root.removeHandler, handler)
        self.sign_in(self.alice)
        self.assertEqual(self.search(MARKER).status_code, 200)
        self.assertEqual(self.search(CYRILLIC).status_code, 200)
        places = [("logs", "\n".join(handler.lines).encode()), *cache_contents()]
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema
                for row in cursor.fetchall():
                    for value in row:
                        data = value if isinstance(value, bytes) else str(value).encode()
                        places.append((f"table {table}", bytes(data)))
        self.assertTrue(any(where == "table django_session" for where, _ in places))
        for term in (MARKER, CYRILLIC, "Zeynidin", "Турсун"):
            for needle in (term.encode(), term.encode().hex().encode()):
                for where, data in places:
                    self.assertNotIn(needle, data, f"{term!r} found in {where}")

    def test_the_box_posts_the_name_and_a_get_never_searches(self):
        self.sign_in(self.alice)
        inbox = self.client.get("/staff/reports/")
        self.assertContains(inbox, 'action="/staff/reports/find/"')
        self.assertContains(inbox, 'method="post" action="/staff/reports/find/"')
        page = self.client.get("/staff/reports/find/", {"name": CYRILLIC})
        self.assertNotContains(page, LATIN)
        self.assertFalse(Waiting.objects.filter(action=Action.PERSONS_SEARCHED).exists())

    def test_it_refuses_an_empty_or_overlong_name_with_a_clear_error(self):
        self.sign_in(self.alice)
        self.assertContains(self.search("  "), "Type a name, in any script", status_code=400)
        self.assertContains(self.search("x" * 201), "A name is at most 200", status_code=400)
        self.assertFalse(Waiting.objects.filter(action=Action.PERSONS_SEARCHED).exists())

    def test_an_auditor_without_the_index_key_gets_no_box_and_no_search(self):
        key = accounts.unlock_private_key(self.coordinator, PASSWORDS["coordinator"])
        ada = accounts.add_staff("ada", Role.AUDITOR, PASSWORDS["ada"], self.coordinator, key)
        self.assertFalse(name_search.can_search(ada))
        with self.assertRaises(name_search.NoIndexKey):
            name_search.find(ada, self.private_key(ada), LATIN)
        self.sign_in(ada)
        self.assertEqual(self.search(LATIN).status_code, 404)
        self.assertNotContains(self.client.get("/staff/reports/"), "/staff/reports/find/")

    def test_the_cases_list_has_the_box_too(self):
        self.sign_in(self.alice)
        self.assertContains(
            self.client.get("/staff/reports/persons/"),
            'method="post" action="/staff/reports/find/"',
        )
