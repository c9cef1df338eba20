"""The demo organisation: about twenty invented reports in the six languages, sent
through the real intake service and so sealed like real ones, triaged, assigned and
answered through the staff services; created once, and only in development.

These tests start from an empty installation (the demo refuses to add itself to an
existing organisation), so they do not use the shared base's organisation.
"""

from __future__ import annotations

import base64
import io
import re
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Model
from django.test import TestCase, override_settings

import crypto
from accounts import demo_accounts
from accounts.models import Organisation, SealedTOTPDevice, Staff
from audit.models import Entry
from cases import case_keys, services
from cases.demo_reports import REPORTS
from cases.models import Note, Person, PersonReport, StatusEvent
from intake import notices, ratelimit
from intake.models import Consent, Message, Report, ReportKey, Status

# Names and words of the demo reports, in each of their scripts.
DEMO_WORDS = [
    "Aygul Niyaz",
    "ئايگۈل نىياز",
    "阿依古丽·尼亚孜",
    "Ербол Қайратұлы",
    "Эркин Мамут",
    "阿布力克木·艾山",
    "Abdureşit Sadık",  # noqa: RUF001 - Turkish dotless i
    "Kamil Niyaz",  # a reporter
    "kamil.n@example.org",  # a contact
    "Ghulja city",
    "ئوقۇتقۇچى",
    "следственном изоляторе",  # from a reply
]


def table_contents() -> list[tuple[str, bytes]]:
    """Every value of every row of every table, as bytes."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes | bytearray):
                        found.append((table, bytes(value)))
                    else:
                        found.append((table, str(value).encode()))
    return found


class DemoTestCase(TestCase):
    output: str
    data_dir: str

    @classmethod
    def setUpClass(cls) -> None:
        cls.data_dir = cls.enterClassContext(tempfile.TemporaryDirectory())
        cls.enterClassContext(override_settings(AMANAT_DEMO=True, DATA_DIR=cls.data_dir))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls) -> None:
        out = io.StringIO()
        call_command("demo", stdout=out)
        cls.output = out.getvalue()

    def setUp(self) -> None:
        cache.clear()
        notices.dispatcher.reset()
        ratelimit.reset()

    def unlocked(self, login: str) -> tuple[Staff, crypto.PrivateKey]:
        return demo_accounts.unlock(login)

    def test_it_sends_about_twenty_reports_in_the_six_languages(self) -> None:
        self.assertEqual(Report.objects.count(), len(REPORTS))
        self.assertTrue(18 <= len(REPORTS) <= 25)
        languages = set(Report.objects.values_list("language", flat=True))
        self.assertEqual(languages, {code for code, _name in settings.LANGUAGES})
        self.assertEqual(set(Report.objects.values_list("consent", flat=True)), set(Consent.values))
        self.assertGreaterEqual(len(set(Report.objects.values_list("region", flat=True))), 8)
        statuses = set(Report.objects.values_list("status", flat=True))
        self.assertLessEqual({Status.RECEIVED, Status.FOLLOWED, Status.WITHDRAWN}, statuses)
        self.assertGreater(len(set(Report.objects.values_list("received_on", flat=True))), 10)
        self.assertIn(f"{len(REPORTS)} invented reports", self.output)

    def test_it_gives_partial_dates_of_every_precision_and_names_in_several_scripts(self) -> None:
        intake, key = self.unlocked("intake")
        precisions, scripts, names = set(), set(), set()
        for report in Report.objects.all():
            data = services.content(services.open_report(intake, key, report.id))
            for partial in (data["missing"]["birth_date"], data["disappearance"]["date"]):
                precisions.add(partial["precision"] if partial else None)
            for name in data["missing"]["names"]:
                scripts.add(name["script"])
                names.add(name["name"])
        self.assertEqual(precisions, {"year", "month", "day", None})
        self.assertLessEqual({"latin", "ug-arab", "cyrillic", "hani", "pinyin"}, scripts)
        self.assertIn("ئايگۈل نىياز", names)
        self.assertIn("Aygul Niyaz", names)

    def test_it_triages_assigns_and_answers_through_the_services(self) -> None:
        triaged = [r for r in REPORTS if r.triage]
        self.assertEqual(PersonReport.objects.count(), len(triaged))
        self.assertEqual(Person.objects.count(), len([r for r in REPORTS if r.triage == "new"]))
        linked = Person.objects.filter(links__isnull=False).distinct()
        self.assertTrue(any(person.links.count() == 2 for person in linked))
        # The caseworker holds the keys of the assigned cases, and of nothing else.
        caseworker, _key = self.unlocked("caseworker")
        held = set(
            ReportKey.objects.filter(holder_id=caseworker.holder_id).values_list(
                "report_id", flat=True
            )
        )
        followed = Report.objects.filter(status=Status.FOLLOWED).values_list("id", flat=True)
        cases = {report_id for f in followed for report_id in case_keys.case_of(f).report_ids}
        self.assertEqual(held, cases)
        self.assertEqual(len(held), len([r for r in REPORTS if r.assign or r.triage == "aygul-en"]))
        # Threads: staff questions and the reporters' replies, readable with the report key.
        senders = set(Message.objects.values_list("sender", flat=True))
        self.assertEqual(senders, {Message.Sender.STAFF, Message.Sender.REPORTER})
        self.assertEqual(
            Message.objects.filter(sender=Message.Sender.REPORTER).count(),
            len([r for r in REPORTS if r.reply]),
        )
        # Timelines on several persons, and notes.
        self.assertGreaterEqual(StatusEvent.objects.values("person").distinct().count(), 2)
        self.assertGreaterEqual(StatusEvent.objects.count(), 4)
        self.assertGreaterEqual(Note.objects.count(), 2)
        # Every action is in the audit log, as real work would be.
        self.assertTrue(Entry.objects.exists())

    def test_it_keeps_no_demo_name_or_second_factor_secret_in_clear(self) -> None:
        secrets = re.findall(r"\b[A-Z2-7]{32}\b", self.output)
        self.assertEqual(len(secrets), len(demo_accounts.STAFF))
        markers = [word.encode() for word in DEMO_WORDS]
        markers += [secret.encode() for secret in secrets]
        markers += [base64.b32decode(secret) for secret in secrets]  # the raw seeds
        contents = table_contents()
        contents += [
            (str(path), path.read_bytes())
            for path in Path(self.data_dir).rglob("*")
            if path.is_file()
        ]
        self.assertGreater(len(contents), 500)
        leaks = [(where, m) for where, value in contents for m in markers if m in value]
        self.assertEqual(leaks, [])

    def test_it_adds_nothing_the_second_time(self) -> None:
        models: list[type[Model]] = [Organisation, Staff, SealedTOTPDevice, Report, ReportKey]
        models += [Message, Person, PersonReport, StatusEvent, Note, Entry]
        before = {model.__name__: model._default_manager.count() for model in models}
        out = io.StringIO()
        call_command("demo", stdout=out)
        after = {model.__name__: model._default_manager.count() for model in models}
        self.assertEqual(before, after)
        self.assertIn("exists already", out.getvalue())
        # The logins and passwords are shown again: the same ones as the first time.
        for login, _role in demo_accounts.STAFF:
            self.assertIn(demo_accounts.password(login), self.output)
            self.assertIn(demo_accounts.password(login), out.getvalue())

    def test_it_shows_the_caseworker_only_the_cases_assigned_to_them(self) -> None:
        caseworker, _key = self.unlocked("caseworker")
        self.client.post(
            "/staff/login/",
            {"username": "caseworker", "password": demo_accounts.password("caseworker")},
        )
        response = self.client.post(
            "/staff/verify/", {"code": demo_accounts.current_code("caseworker")}
        )
        self.assertEqual(response.status_code, 302)
        inbox = self.client.get("/staff/reports/").content.decode()
        self.assertIn("Aygul Niyaz", inbox)
        self.assertIn("Ербол Қайратұлы", inbox)
        self.assertNotIn("Rustem Oraz", inbox)  # triaged, not assigned
        self.assertNotIn("Зульфия", inbox)  # not triaged
        assigned = (
            ReportKey.objects.filter(holder_id=caseworker.holder_id)
            .filter(report__status=Status.FOLLOWED)
            .filter(report__messages__sender=Message.Sender.REPORTER)
            .first()
        )
        assert assigned is not None
        page = self.client.get(f"/staff/reports/{assigned.report_id}/")
        self.assertEqual(page.status_code, 200)
        self.assertTrue(page.context["thread"][0].from_staff)  # the question first
        self.assertFalse(page.context["thread"][1].from_staff)  # then the family's reply
        others = Report.objects.exclude(keys__holder_id=caseworker.holder_id)
        self.assertTrue(others.exists())
        for report in others[:3]:
            self.assertEqual(self.client.get(f"/staff/reports/{report.id}/").status_code, 404)

    def test_it_proposes_the_tours_duplicate_across_scripts(self) -> None:
        """The README's tour: the newest report, a name copied from a Chinese ID card, is
        proposed the case first reported in Uyghur and Latin letters."""
        from cases import duplicates

        intake, key = self.unlocked("intake")
        index_key = duplicates.index_key(intake.holder, key)
        assert index_key is not None
        first = next(r for r in REPORTS if r.key == "dilmurat")
        newest = min(REPORTS, key=lambda r: r.days_ago)
        self.assertEqual(newest.key, "dilmurat-zh")
        reports = {
            services.display_name(services.content(services.open_report(intake, key, r.id)))[0]: r
            for r in Report.objects.all()
        }
        new_report = reports[newest.names[0][0]]
        case = PersonReport.objects.get(report=reports[first.names[0][0]]).person
        proposals = duplicates.propose(intake, key, index_key, new_report.id)
        self.assertEqual(proposals[0].person_id, case.id)
        self.assertEqual(proposals[0].strength, "strong")


class DemoRefusalTestCase(TestCase):
    def test_it_refuses_outside_development(self) -> None:
        with tempfile.TemporaryDirectory() as data:
            with override_settings(AMANAT_DEMO=False, DATA_DIR=data):
                with self.assertRaisesMessage(CommandError, "only in development"):
                    call_command("demo", stdout=io.StringIO())
            self.assertEqual(list(Path(data).iterdir()), [])
        self.assertFalse(Organisation.objects.exists())
        self.assertFalse(Report.objects.exists())

    def test_it_adds_nothing_to_an_organisation_that_is_not_the_demo(self) -> None:
        from accounts import services as accounts_services

        accounts_services.bootstrap("Our NGO", "first", "first-coordinator-pass-1")
        with tempfile.TemporaryDirectory() as data:
            with override_settings(AMANAT_DEMO=True, DATA_DIR=data):
                out = io.StringIO()
                call_command("demo", stdout=out)
        self.assertIn("Our NGO", out.getvalue())
        self.assertEqual(Staff.objects.count(), 1)
        self.assertFalse(Report.objects.exists())
