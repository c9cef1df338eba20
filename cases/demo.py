"""The demo organisation (development only): staff, and about twenty invented reports
sent, triaged, assigned and answered through the same services as real ones, so each
is sealed exactly as a real report is and the staff tour has something to show.

Everything is created in one transaction, once: a second run finds the organisation
and adds nothing. Each staff key is unlocked once (an Argon2id derivation) and reused
for every report.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

import crypto
from accounts import demo_accounts, second_factor
from accounts import services as accounts_services
from accounts.models import Organisation, Staff
from intake import returns, submission
from intake.models import Message, Report

from . import persons, services
from .demo_reports import REPORTS, DemoReport
from .models import Person


class AlreadyExists(Exception):
    """An organisation exists already: the demo adds nothing to it."""


@dataclass
class Account:
    staff: Staff
    password: str = field(repr=False)
    totp_secret: str = field(repr=False)


@dataclass
class Created:
    accounts: list[Account]
    shares: list[str] = field(repr=False)
    threshold: int
    reports: int


@dataclass
class _Desk:
    """The demo staff who work on the reports, with their keys unlocked once."""

    intake: Staff
    intake_key: crypto.PrivateKey
    caseworker: Staff
    caseworker_key: crypto.PrivateKey
    # Assigned the caseworker's cases too: the second person who approves their exports.
    reviewer: Staff


def create() -> Created:
    """Create the demo organisation with its staff and reports (development only)."""
    demo_accounts.require_development()
    if Organisation.objects.exists():
        raise AlreadyExists("an organisation exists already")
    demo_accounts.make_secret()
    with transaction.atomic():
        result = accounts_services.bootstrap(
            demo_accounts.ORGANISATION_NAME,
            "coordinator",
            demo_accounts.password("coordinator"),
        )
        coordinator = result.coordinator
        coordinator_key = accounts_services.unlock_private_key(
            coordinator, demo_accounts.password("coordinator")
        )
        staff = {"coordinator": coordinator}
        for login, role in demo_accounts.STAFF[1:]:
            staff[login] = accounts_services.add_staff(
                login, role, demo_accounts.password(login), coordinator, coordinator_key
            )
        accounts = []
        for login, member in staff.items():
            _, secret = second_factor.enrol_totp(member, confirmed=True)
            accounts.append(Account(member, demo_accounts.password(login), secret))
        desk = _Desk(
            intake=staff["intake"],
            intake_key=accounts_services.unlock_private_key(
                staff["intake"], demo_accounts.password("intake")
            ),
            caseworker=staff["caseworker"],
            caseworker_key=accounts_services.unlock_private_key(
                staff["caseworker"], demo_accounts.password("caseworker")
            ),
            reviewer=staff["reviewer"],
        )
        count = seed_reports(desk)
    return Created(accounts, result.shares, result.organisation.recovery_threshold, count)


def seed_reports(desk: _Desk) -> int:
    """Send every demo report through intake, then do with it what its entry says."""
    people: dict[str, Person] = {}
    for entry in sorted(REPORTS, key=lambda r: -r.days_ago):  # oldest first
        _work_on(desk, entry, people)
    return len(REPORTS)


def _work_on(desk: _Desk, entry: DemoReport, people: dict[str, Person]) -> None:
    today = timezone.localdate()
    received = today - timedelta(days=entry.days_ago)
    sent = submission.submit(
        entry.content(),
        language=entry.language,
        consent=entry.consent,
        region=entry.region,
        files=[],
    )
    report_id = sent.report.id
    # The demo's reports arrived over the last months, not all today.
    Report.objects.filter(id=report_id).update(received_on=received)

    if entry.triage == "new":
        person = persons.create_from_report(
            desk.intake, desk.intake_key, report_id, entry.verification
        )
        Person.objects.filter(id=person.id).update(created_on=received + timedelta(days=1))
        people[entry.key] = person
    elif entry.triage:
        person = persons.link_report(
            desk.intake, desk.intake_key, report_id, people[entry.triage].number
        )
        people[entry.key] = person
    if entry.assign:
        services.assign(desk.intake, desk.intake_key, report_id, desk.caseworker)
        services.assign(desk.intake, desk.intake_key, report_id, desk.reviewer)

    holder, holder_key = (
        (desk.caseworker, desk.caseworker_key) if entry.assign else (desk.intake, desk.intake_key)
    )
    if entry.question:
        opened = services.open_report(holder, holder_key, report_id)
        question = services.ask_reporter(holder, opened, entry.question)
        _date_message(question.id, min(received + timedelta(days=2), today))
    if entry.reply or entry.withdraw:
        access = returns.open_with_receipt(sent.receipt)
        assert access is not None  # the receipt submit just returned
        if entry.reply:
            reply = returns.add_message(access, Message.Sender.REPORTER, entry.reply, [])
            _date_message(reply.id, min(received + timedelta(days=6), today))
        if entry.withdraw:
            returns.withdraw(access)
    if entry.key in people and (entry.timeline or entry.note):
        opened_person = persons.open_person(holder, holder_key, people[entry.key].id)
        for event in entry.timeline:
            persons.record_status(holder, opened_person, event.status, event.on, event.source)
        if entry.note:
            persons.add_note(holder, opened_person, entry.note)


def _date_message(message_id: uuid.UUID, day: date) -> None:
    Message.objects.filter(id=message_id).update(sent_on=day)


def count() -> int:
    """How many reports the installation holds (a clear count, nothing sealed)."""
    return Report.objects.count()
