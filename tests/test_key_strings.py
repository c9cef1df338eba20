"""Golden bytes: every associated-data and HPKE info string, for fixed ids.

Each ciphertext and wrapping already stored was made with these exact bytes; a change
to any of them makes stored data unreadable, so they are pinned here literally."""

import uuid

from django.db import models
from django.test import SimpleTestCase

from accounts import keyring, second_factor, session_keys
from accounts import services as accounts
from accounts.models import KeyHolder, OrganisationKey
from cases import persons
from cases.models import PersonKey
from crypto import keys
from intake import sealing as intake
from intake.models import ReportKey

REPORT = uuid.UUID("11111111-2222-4333-8444-555555555555")
HOLDER = uuid.UUID("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")
PERSON = uuid.UUID("99999999-8888-4777-8666-555555555555")
FILE = uuid.UUID("12345678-1234-4234-8234-123456789abc")
ROW = uuid.UUID("0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f")

REPORT_KEY_INFO = (
    b"amanat/report-key/11111111222243338444555555555555/holder/aaaaaaaabbbb4ccc8dddeeeeeeeeeeee"
)
PERSON_KEY_INFO = (
    b"amanat/person-key/99999999888847778666555555555555/holder/aaaaaaaabbbb4ccc8dddeeeeeeeeeeee"
)
INDEX_KEY_INFO = b"amanat/org-key/index/holder/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"


class KeyStringsTestCase(SimpleTestCase):
    def test_it_keeps_every_hpke_info_string(self):
        holder = KeyHolder(id=HOLDER)
        self.assertEqual(intake.key_info(REPORT, HOLDER), REPORT_KEY_INFO)
        self.assertEqual(
            intake.reporter_key_info(REPORT),
            b"amanat/report-key/11111111222243338444555555555555/reporter",
        )
        self.assertEqual(persons.key_info(PERSON, HOLDER), PERSON_KEY_INFO)
        self.assertEqual(accounts.org_key_info("index", holder), INDEX_KEY_INFO)
        self.assertEqual(
            second_factor.totp_info(holder),
            b"amanat/totp-seed/holder/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
        )
        self.assertEqual(
            second_factor.backup_info(holder),
            b"amanat/backup-codes/holder/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
        )
        self.assertEqual(keys.RECOVERY_PURPOSE, b"amanat/recovery-key-pair/v1")
        self.assertEqual(keys.REPORTER_PURPOSE, b"amanat/reporter-key-pair/v1")

    def test_it_finds_each_kind_of_wrapped_key_with_its_own_info(self):
        expected: dict[keyring.Kind, tuple[uuid.UUID | str, bytes]] = {
            ReportKey: (REPORT, REPORT_KEY_INFO),
            PersonKey: (PERSON, PERSON_KEY_INFO),
            OrganisationKey: ("index", INDEX_KEY_INFO),
        }
        self.assertEqual(set(keyring.kinds()), set(expected))
        for kind, (subject, info) in expected.items():
            field = kind._meta.get_field(kind.subject_field)
            assert isinstance(field, models.Field)  # a column, not a reverse relation
            row = kind(holder_id=HOLDER, **{field.attname: subject})
            self.assertEqual(row.own_info(), info, kind)
            self.assertEqual(kind.info(subject, HOLDER), info, kind)

    def test_it_keeps_every_associated_data_string(self):
        report_hex = b"\x00\x00\x00\x2011111111222243338444555555555555"
        file_hex = b"\x00\x00\x00\x2012345678123442348234123456789abc"
        person_hex = b"\x00\x00\x00\x2099999999888847778666555555555555"
        row_str = b"\x00\x00\x00\x240f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f"
        version = b"\x00\x00\x00\x011"
        self.assertEqual(
            intake.content_aad(REPORT),
            b"\x00\x00\x00\x0dintake.report" + report_hex + b"\x00\x00\x00\x07content" + version,
        )
        for part in (b"meta", b"key", b"file"):
            self.assertEqual(
                intake.attachment_aad(FILE, part.decode()),
                b"\x00\x00\x00\x11intake.attachment"
                + file_hex
                + len(part).to_bytes(4, "big")
                + part
                + version,
            )
        self.assertEqual(
            intake.message_aad(FILE, REPORT),
            b"\x00\x00\x00\x0eintake.message" + file_hex + report_hex + b"\x00\x00\x00\x04body"
            b"\x00\x00\x00\x011",
        )
        person = b"\x00\x00\x00\x0ccases.person" + person_hex
        self.assertEqual(
            persons.aad(PERSON, "name"),
            person + b"\x00\x00\x00\x04name" + b"\x00\x00\x00\x00" + version,
        )
        self.assertEqual(
            persons.aad(PERSON, "status", ROW),
            person + b"\x00\x00\x00\x06status" + row_str + version,
        )
        self.assertEqual(
            persons.aad(PERSON, "note", ROW), person + b"\x00\x00\x00\x04note" + row_str + version
        )
        self.assertEqual(
            session_keys._aad(7),
            b"\x00\x00\x00\x14accounts.session-key\x00\x00\x00\x017" + version,
        )
