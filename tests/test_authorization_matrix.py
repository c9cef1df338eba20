"""Every staff URL, for every role, holding a wrapping or not, with the expected answer.

The list of URLs comes from the URL configuration: a new staff URL without an entry
in MATRIX fails test_every_staff_url_has_an_entry.
"""

from __future__ import annotations

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp_webauthn.models import WebAuthnCredential
from PIL import Image

import crypto
from accounts import approvals
from accounts import services as accounts
from accounts.access import ACCESS_ATTRIBUTE
from accounts.models import Role, Staff
from cases import persons, services
from cases.models import PersonKey
from disclosure import services as exports
from intake import sealing
from intake.models import Attachment, Report, ReportKey
from tests.base import BaseTestCase
from tests.reports import report_form_data

ANON = "anonymous"
ALL_ROLES = [Role.INTAKE, Role.CASEWORKER, Role.REVIEWER, Role.COORDINATOR, Role.AUDITOR]


def staff_views() -> dict[str, object]:
    views: dict[str, object] = {}

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace in (
                "staff",
                "cases",
                "audit",
                "disclosure",
            ):
                views[f"{namespace}:{pattern.name}"] = pattern.callback

    walk(get_resolver().url_patterns, None)
    return views


def staff_url_names() -> set[str]:
    return set(staff_views())


# Reached before sign-in finishes, or answering JSON with their own checks
# (accounts.passkeys): every other staff view says who may use it through
# accounts.access.
BEFORE_SIGN_IN = {
    "staff:login",
    "staff:verify",
    "staff:enrol",
    "staff:logout",
    "staff:passkey-register-begin",
    "staff:passkey-register-complete",
    "staff:passkey-sign-in-begin",
    "staff:passkey-sign-in-complete",
    "staff:passkey-step-up-begin",
    "staff:passkey-step-up-complete",
    "staff:passkey-messages",
}


def signed_in_only(role, holds):
    return 302 if role == ANON else 200


def report_holders(role, holds):
    if role == ANON:
        return 302
    return 200 if holds else 404


def assigners(role, holds):
    # Allowed roles get 400 here: no step-up code was sent.
    if role == ANON:
        return 302
    return 400 if holds and role in (Role.INTAKE, Role.COORDINATOR) else 404


def messengers(role, holds):
    if role == ANON:
        return 302
    return 302 if holds and role in (Role.INTAKE, Role.CASEWORKER) else 404


def triagers(role, holds):
    if role == ANON:
        return 302
    return 302 if holds and role == Role.INTAKE else 404


def correctors(allowed_status):
    """Merging and unlinking: intake and coordinators who hold the case."""

    def expected(role, holds):
        if role == ANON:
            return 302
        return allowed_status if holds and role in (Role.INTAKE, Role.COORDINATOR) else 404

    return expected


def index_key_roles(role, holds):
    """The name search: roles that hold the blind-index key."""
    if role == ANON:
        return 302
    return 200 if role in (Role.INTAKE, Role.CASEWORKER, Role.COORDINATOR) else 404


def coordinators(allowed_status):
    def expected(role, holds):
        if role == ANON:
            return 302
        return allowed_status if role == Role.COORDINATOR else 404

    return expected


def auditors(role, holds):
    if role == ANON:
        return 302
    return 200 if role == Role.AUDITOR else 404


def auditors_then_back(role, holds):
    """An auditor's POST answers with a redirect back to the log."""
    if role == ANON:
        return 302
    return 302 if role == Role.AUDITOR else 404


def passkey_api(role, holds):
    # The passkey ceremonies answer JSON, never a redirect. Here nobody is half signed in
    # (sign-in), nobody has stepped up (registration) and nobody has a passkey (step-up).
    return 403


def export_drafters(allowed_status):
    """Exports: intake, caseworkers and coordinators who hold the case."""

    def expected(role, holds):
        if role == ANON:
            return 302
        drafting = (Role.INTAKE, Role.CASEWORKER, Role.COORDINATOR)
        return allowed_status if holds and role in drafting else 404

    return expected


def export_openers(allowed_status):
    """An export's page and its release: every holder of the case but auditors (who hold
    no keys and see the register)."""

    def expected(role, holds):
        if role == ANON:
            return 302
        return allowed_status if holds and role != Role.AUDITOR else 404

    return expected


def register_readers(role, holds):
    if role == ANON:
        return 302
    return 200 if role in (Role.AUDITOR, Role.COORDINATOR) else 404


# url name: (method, path template, data, expected(role, holds_a_wrapping))
MATRIX = {
    "staff:home": ("get", "/staff/", None, signed_in_only),
    "staff:login": ("get", "/staff/login/", None, lambda role, holds: 200),
    "staff:verify": ("get", "/staff/verify/", None, lambda role, holds: 302),
    "staff:enrol": ("get", "/staff/enrol/", None, lambda role, holds: 302),
    "staff:logout": ("get", "/staff/logout/", None, lambda role, holds: 405),
    "cases:inbox": ("get", "/staff/reports/", None, signed_in_only),
    "cases:persons": ("get", "/staff/reports/persons/", None, signed_in_only),
    "cases:report": ("get", "/staff/reports/{report}/", None, report_holders),
    "cases:download": ("get", "/staff/reports/{report}/files/{file}/", None, report_holders),
    "cases:preview": (
        "get",
        "/staff/reports/{report}/files/{file}/preview/",
        None,
        report_holders,
    ),
    "cases:assign": ("post", "/staff/reports/{report}/assign/", {"caseworker": "{bob}"}, assigners),
    "cases:message": (
        "post",
        "/staff/reports/{report}/message/",
        {"text": "A question"},
        messengers,
    ),
    "audit:log": ("get", "/staff/audit/", None, auditors),
    "audit:download": ("get", "/staff/audit/download/", None, auditors),
    "audit:verify": ("post", "/staff/audit/verify/", None, auditors_then_back),
    "staff:people": ("get", "/staff/people/", None, coordinators(200)),
    "cases:overview": ("get", "/staff/reports/overview/", None, coordinators(200)),
    "cases:statistics": ("get", "/staff/reports/statistics/", None, coordinators(200)),
    "cases:statistics-csv": ("get", "/staff/reports/statistics/csv/", None, coordinators(200)),
    # Without a fresh code a coordinator is sent back to the Staff page with the error
    # (302); so is the proposer approving their own proposal.
    "staff:change-role": (
        "post",
        "/staff/people/{bob}/role/",
        {"role": "reviewer"},
        coordinators(302),
    ),
    "staff:deactivate": ("post", "/staff/people/{bob}/deactivate/", {}, coordinators(302)),
    "staff:reset-password": ("post", "/staff/people/{bob}/reset/", {}, coordinators(302)),
    "staff:approve": (
        "post",
        "/staff/people/proposals/{proposal}/approve/",
        {},
        coordinators(302),
    ),
    "staff:approve-with-shares": (
        "post",
        "/staff/people/proposals/{proposal}/recovery/",
        {},
        coordinators(302),
    ),
    "staff:decline": (
        "post",
        "/staff/people/proposals/{proposal}/decline/",
        {},
        coordinators(302),
    ),
    # The report is already triaged, so an allowed triage is sent back to the report.
    "cases:triage": (
        "post",
        "/staff/reports/{report}/triage/",
        {"verification": "partly"},
        triagers,
    ),
    "staff:security": ("get", "/staff/security/", None, signed_in_only),
    # Everyone's own language only; an unknown one is refused with the page (400).
    "staff:language": (
        "post",
        "/staff/security/language/",
        {"language": "xx"},
        lambda role, holds: 302 if role == ANON else 400,
    ),
    # Everyone's own password only: there is no one else's to name in the URL.
    "staff:password": ("get", "/staff/password/", None, signed_in_only),
    # Bob's passkey: nobody else may remove it.
    "staff:remove-passkey": (
        "post",
        "/staff/passkeys/{passkey}/remove/",
        {},
        lambda role, holds: 302 if role == ANON else 404,
    ),
    "staff:passkey-register-begin": ("post", "/staff/passkeys/register/begin/", {}, passkey_api),
    "staff:passkey-register-complete": (
        "post",
        "/staff/passkeys/register/complete/",
        {},
        passkey_api,
    ),
    "staff:passkey-sign-in-begin": ("post", "/staff/passkeys/sign-in/begin/", {}, passkey_api),
    "staff:passkey-sign-in-complete": (
        "post",
        "/staff/passkeys/sign-in/complete/",
        {},
        passkey_api,
    ),
    "staff:passkey-step-up-begin": ("post", "/staff/passkeys/step-up/begin/", {}, passkey_api),
    "staff:passkey-step-up-complete": (
        "post",
        "/staff/passkeys/step-up/complete/",
        {},
        passkey_api,
    ),
    # The passkey scripts' messages: public text, needed before sign-in finishes.
    "staff:passkey-messages": ("get", "/staff/passkeys/messages.js", None, lambda r, h: 200),
    "cases:person": ("get", "/staff/reports/persons/{person}/", None, report_holders),
    "cases:record-status": (
        "post",
        "/staff/reports/persons/{person}/status/",
        {"status": "camp", "on_year": "2020", "on_month": "1", "on_day": "1", "source": "A source"},
        messengers,
    ),
    "cases:add-note": (
        "post",
        "/staff/reports/persons/{person}/notes/",
        {"text": "A note"},
        messengers,
    ),
    "cases:find-person": ("get", "/staff/reports/find/", None, index_key_roles),
    "disclosure:register": ("get", "/staff/exports/", None, register_readers),
    "disclosure:recipients": ("get", "/staff/exports/recipients/", None, coordinators(200)),
    # An unknown recipient: a coordinator gets 404 too; everyone else by role.
    "disclosure:recipient-active": (
        "post",
        "/staff/exports/recipients/00000000-0000-4000-8000-000000000000/active/",
        {},
        lambda role, holds: 302 if role == ANON else 404,
    ),
    "disclosure:new": ("get", "/staff/exports/new/{person}/", None, export_drafters(200)),
    "disclosure:export": ("get", "/staff/exports/{export}/", None, export_openers(200)),
    # The export is Ines's: anyone else's change is refused on the page (400); Ines's
    # empty change is refused too (nothing to hide), so no one changes it here.
    "disclosure:mark": ("post", "/staff/exports/{export}/mark/", {}, export_drafters(400)),
    "disclosure:texts": (
        "post",
        "/staff/exports/{export}/texts/",
        {"narrative": "x" * 20_001},
        export_drafters(400),
    ),
    "disclosure:choose": (
        "post",
        "/staff/exports/{export}/choose/",
        {"key": "name|x|y"},
        export_drafters(400),
    ),
    # A stale version: refused (400) for every reviewing holder, the author too.
    "disclosure:approve": (
        "post",
        "/staff/exports/{export}/approve/",
        {"hash": "0"},
        export_openers(400),
    ),
    # No code: refused (400).
    "disclosure:release": ("post", "/staff/exports/{export}/release/", {}, export_openers(400)),
    # Not released: nothing to download.
    "disclosure:download": (
        "get",
        "/staff/exports/{export}/files/pdf/",
        None,
        lambda role, holds: 302 if role == ANON else 404,
    ),
    "cases:merge": ("get", "/staff/reports/persons/{person}/merge/", None, correctors(200)),
    # The case's only report: refused with a message, back to the case page.
    "cases:unlink": (
        "post",
        "/staff/reports/persons/{person}/reports/{report}/unlink/",
        {},
        correctors(302),
    ),
}


class AuthorizationMatrixTestCase(BaseTestCase):
    rui: Staff
    ada: Staff

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        key = accounts.unlock_private_key(cls.coordinator, "coordinator-pass-9f3k")
        cls.rui = accounts.add_staff(
            "rui", Role.REVIEWER, "rui-reviewer-pass-5t", cls.coordinator, key
        )
        cls.ada = accounts.add_staff(
            "ada", Role.AUDITOR, "ada-auditor-pass-8m", cls.coordinator, key
        )

    def setUp(self):
        super().setUp()
        image = io.BytesIO()
        Image.new("RGB", (8, 8)).save(image, "JPEG")
        data = report_form_data()
        data["attachments"] = [SimpleUploadedFile("p.jpg", image.getvalue())]
        self.client.post("/en/report/", data)
        self.report = Report.objects.get()
        self.file = Attachment.objects.get()
        self.person = persons.create_from_report(
            self.ines, self.private_key(self.ines), self.report.id, "unverified"
        )
        self.bobs_passkey = WebAuthnCredential.objects.create(
            user=self.bob, credential_id=os.urandom(32), public_key=b"\xa0", confirmed=True
        )
        self.proposal = approvals.propose_reset(self.coordinator, self.bob)
        self.export = exports.start(
            self.ines, self.private_key(self.ines), self.person.id, "wgeid", "UN WGEID"
        )
        self.by_role: dict[str, Staff] = {
            Role.INTAKE: self.ines,
            Role.CASEWORKER: self.alice,
            Role.REVIEWER: self.rui,
            Role.COORDINATOR: self.coordinator,
            Role.AUDITOR: self.ada,
        }

    def wrappings(self) -> dict[int, tuple[bytes, bytes]]:
        """For each staff member, wrappings of the report's and the person's keys made for
        their own key pair, as an assignment would make them."""
        ines_key = self.private_key(self.ines)
        report_key = services.open_report(self.ines, ines_key, self.report.id).dek
        person_key = persons.open_person(self.ines, ines_key, self.person.id).key
        return {
            staff.pk: (
                crypto.wrap(
                    report_key,
                    staff.holder.public,
                    sealing.key_info(self.report.id, staff.holder_id),
                ),
                crypto.wrap(
                    person_key,
                    staff.holder.public,
                    persons.key_info(self.person.id, staff.holder_id),
                ),
            )
            for staff in self.by_role.values()
        }

    def hold(self, staff, holds: bool, wrapped: tuple[bytes, bytes]) -> None:
        ReportKey.objects.filter(report=self.report, holder=staff.holder).delete()
        PersonKey.objects.filter(person=self.person, holder=staff.holder).delete()
        if holds:
            ReportKey.objects.create(report=self.report, holder=staff.holder, wrapped=wrapped[0])
            PersonKey.objects.create(person=self.person, holder=staff.holder, wrapped=wrapped[1])

    def test_every_staff_url_has_an_entry(self):
        self.assertEqual(staff_url_names() - set(MATRIX), set())

    def test_it_guards_every_staff_view_with_the_access_decorators(self):
        unguarded = {
            name
            for name, view in staff_views().items()
            if name not in BEFORE_SIGN_IN and not hasattr(view, ACCESS_ATTRIBUTE)
        }
        self.assertEqual(unguarded, set())

    def test_every_url_role_and_holding_gets_the_expected_answer(self):
        wrappings = self.wrappings()
        for role in [ANON, *ALL_ROLES]:
            staff = self.by_role.get(role)
            self.client.logout()
            self.client.cookies.clear()
            if staff:
                self.sign_in(staff)
            for holds in (False, True):
                if staff:
                    self.hold(staff, holds, wrappings[staff.pk])
                for name, (method, template, data, expected) in MATRIX.items():
                    path = template.format(
                        report=self.report.id,
                        file=self.file.id,
                        person=self.person.id,
                        bob=self.bob.pk,
                        passkey=self.bobs_passkey.pk,
                        proposal=self.proposal.pk,
                        export=self.export.id,
                    )
                    body = {k: v.format(bob=self.bob.pk) for k, v in (data or {}).items()}
                    response = getattr(self.client, method)(path, body)
                    want = expected(role, holds)
                    self.assertEqual(response.status_code, want, f"{name} as {role}, holds={holds}")
