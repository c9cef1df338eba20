"""The canary: a report whose every field and file carries a unique marker, then a
search for those markers everywhere the server keeps anything. None may appear."""

from __future__ import annotations

import hashlib
import io
import logging
import secrets
import string
import tempfile
from pathlib import Path

import pikepdf
from celery.signals import before_task_publish, task_prerun
from django import forms
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from PIL import Image

import names
from cases.models import Person, PersonBucket, PersonReport
from intake.forms import ReportForm
from intake.models import Report
from names import buckets
from tests.base import BaseTestCase
from tests.reports import receipt_in, report_form_data
from tests.scan import cache_contents

TEXT_FIELDS = [
    name
    for name, field in ReportForm.base_fields.items()
    if isinstance(field, forms.CharField) and name != "form_id"
]


def marker(label: str) -> str:
    return f"CANARY{label.upper().replace('_', '')}{secrets.token_hex(4)}"


def letters(count: int) -> str:
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(count))


def unkeyed_hashes(values: list[str]) -> list[tuple[str, bytes, bool]]:
    """Plain hashes of each value, raw and in hex, and cut to a bucket's length: what a
    blind index derived without the organisation's key would store. (what, needle,
    whole): a cut hash is too short to look for inside other bytes (ciphertext holds any
    three bytes by chance), so it is compared with whole stored values."""
    found = []
    for value in values:
        for algorithm in ("sha256", "sha1", "md5", "blake2b", "sha512"):
            digest = hashlib.new(algorithm, value.encode()).digest()
            what = f"{algorithm} of {value!r}"
            found += [(what, digest, False), (what, digest.hex().encode(), False)]
            found.append((what, digest[: buckets.BUCKET_BYTES], True))
    return found


def jpeg_with(text: str) -> bytes:
    image = Image.new("RGB", (64, 48), (120, 30, 30))
    exif = Image.Exif()
    exif[0x010E] = text  # ImageDescription
    exif[0x013B] = text  # Artist
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=text.encode())
    return out.getvalue()


def pdf_with(text: str, author: str) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    page.obj.Contents = pdf.make_stream(f"BT /F1 12 Tf 10 10 Td ({text}) Tj ET".encode())
    pdf.docinfo["/Author"] = author
    pdf.docinfo["/Title"] = text
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record) + repr(record.__dict__))


class CanaryTestCase(BaseTestCase):
    def test_it_marks_every_text_field_of_the_form(self):
        self.assertGreaterEqual(len(TEXT_FIELDS), 19)
        self.assertIn("reporter_name", TEXT_FIELDS)
        self.assertIn("narrative", TEXT_FIELDS)

    def setUp(self):
        super().setUp()
        self.storage = self.enterContext(tempfile.TemporaryDirectory())
        self.upload_tmp = self.enterContext(tempfile.TemporaryDirectory())
        self.enterContext(
            override_settings(SEALED_STORAGE_DIR=self.storage, FILE_UPLOAD_TEMP_DIR=self.upload_tmp)
        )
        self.log = Recorder()
        self.tasks: list[str] = []

    def start_recording(self):
        """Record every log line (at DEBUG) and every task message from now on."""
        root = logging.getLogger()
        root.addHandler(self.log)
        old_level = root.level
        root.setLevel(logging.DEBUG)
        self.addCleanup(root.setLevel, old_level)
        self.addCleanup(root.removeHandler, self.log)
        before_task_publish.connect(self._published, weak=False)
        task_prerun.connect(self._ran, weak=False)
        self.addCleanup(before_task_publish.disconnect, self._published)
        self.addCleanup(task_prerun.disconnect, self._ran)

    def _published(self, body=None, headers=None, **kwargs):
        self.tasks.append(repr((body, headers)))

    def _ran(self, args=None, kwargs=None, **extra):
        self.tasks.append(repr((args, kwargs)))

    def places(self) -> list[tuple[str, bytes]]:
        """Everything the server keeps, as (where, bytes)."""
        found = []
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
                for row in cursor.fetchall():
                    for value in row:
                        if isinstance(value, memoryview | bytes | bytearray):
                            found.append((f"table {table}", bytes(value)))
                        else:
                            found.append((f"table {table}", str(value).encode()))
        for path in Path(self.storage).rglob("*"):
            if path.is_file():
                found.append((f"file {path}", path.read_bytes()))
        for path in Path(self.upload_tmp).rglob("*"):
            found.append((f"upload temp {path}", path.read_bytes() if path.is_file() else b""))
        found.append(("logs", "\n".join(self.log.lines).encode()))
        found.append(("task messages", "\n".join(self.tasks).encode()))
        found.extend(cache_contents())
        return found

    def assert_nowhere(self, markers: list[str]) -> None:
        places = self.places()
        self.assertTrue(any(where.startswith("table intake_report") for where, _ in places))
        for text in markers:
            needles = [text.encode(), text.encode().hex().encode(), text.encode("utf-16-le")]
            for where, data in places:
                for needle in needles:
                    self.assertNotIn(needle, data, f"{text!r} found in {where}")

    def assert_no_unkeyed_hash(self, values: list[str]) -> None:
        places = self.places()
        for what, needle, whole in unkeyed_hashes(sorted(set(values))):
            for where, data in places:
                if whole:
                    self.assertNotEqual(needle, data, f"{what} stored in {where}")
                else:
                    self.assertNotIn(needle, data, f"{what} found in {where}")

    def test_no_marker_reaches_any_storage(self):
        data = report_form_data()
        markers = []
        for name in TEXT_FIELDS:
            data[name] = marker(name)
            markers.append(data[name])
        data["name_2"] = "ئابدۇرەھىم" + secrets.token_hex(3)  # Uyghur script too
        markers.append(data["name_2"])
        photo, pdf_text, pdf_author = marker("photo"), marker("pdftext"), marker("pdfauthor")
        file_name = marker("filename")
        markers += [photo, pdf_author, file_name]
        # 3 MB of padding makes Django's default handlers spill the file to disk.
        big_pdf = pdf_with(pdf_text, pdf_author) + b"\n%" + b"x" * (3 * 1024 * 1024) + b"\n"
        data["attachments"] = [
            SimpleUploadedFile(f"{file_name}.jpg", jpeg_with(photo)),
            SimpleUploadedFile("scan.pdf", big_pdf),
        ]
        note, note_file = marker("note"), marker("notefile")
        markers += [note, note_file]
        note_jpeg = jpeg_with(note_file)
        self.start_recording()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/ug/report/", data)
        self.assertEqual(response.status_code, 200, response.content[-3000:])
        receipt = receipt_in(response)
        markers += [receipt, receipt.replace(" ", "")]

        # A return visit that adds information and a file.
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                "/ug/receipt/",
                {
                    "receipt": receipt,
                    "action": "message",
                    "text": note,
                    "attachments": [SimpleUploadedFile(f"{note_file}.jpg", note_jpeg)],
                },
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn(note, response.content.decode())
        self.assert_nowhere(markers)
        self.assertEqual(list(Path(self.upload_tmp).iterdir()), [])

    def test_the_canary_finds_a_marker_that_is_stored_in_clear(self):
        """The scan itself works: a marker written in clear is found."""
        from accounts.models import Organisation

        leak = marker("leak")
        self.start_recording()
        Organisation.objects.update(name=leak)
        with self.assertRaises(AssertionError):
            self.assert_nowhere([leak])
        cache.set("some-key", leak)
        Organisation.objects.update(name="Test org")
        with self.assertRaises(AssertionError):
            self.assert_nowhere([leak])

    def test_no_name_of_a_triaged_person_or_an_unkeyed_hash_of_it_reaches_any_storage(self):
        """Persons, their sealed identities and blind-index buckets, and the triage
        page's proposals: the names stay sealed, and no plain hash of a name, of one of
        its parts or of their folded forms is kept anywhere."""
        given, family = "Canar" + letters(6), "Nurmet" + letters(5)
        latin = f"{given.capitalize()} {family.capitalize()}"
        father = "Ablet" + letters(5)
        first = report_form_data(name_1=latin, script_1="latin", name_2="", father_name=father)
        again = report_form_data(name_1=latin.upper(), script_1="latin", name_2="")
        again["father_name"] = father
        self.start_recording()
        for data in (first, again):
            with self.captureOnCommitCallbacks(execute=True):
                self.assertEqual(self.client.post("/ug/report/", data).status_code, 200)
        self.sign_in(self.ines)
        reports = list(Report.objects.all())
        response = self.client.post(
            f"/staff/reports/{reports[0].id}/triage/", {"verification": "unverified"}
        )
        self.assertEqual(response.status_code, 302)
        person = Person.objects.get()
        page = self.client.get(f"/staff/reports/{reports[1].id}/")
        self.assertContains(page, f'value="{person.id.hex}"')
        response = self.client.post(
            f"/staff/reports/{reports[1].id}/triage/",
            {"person": person.id.hex, "verification": "unverified"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(PersonReport.objects.filter(person=person).count(), 2)
        self.assertTrue(PersonBucket.objects.filter(person=person).exists())

        values = [latin, latin.upper(), latin.lower(), given, family, father, father.lower()]
        for text in (latin, father):
            for part in names.parse(text, "Latn").parts:
                values += [part.written, part.folded, *part.keys]
        self.assert_nowhere([latin, latin.upper(), given, family, father, given.lower()])
        self.assertTrue(any(where == "table cases_personbucket" for where, _ in self.places()))
        self.assert_no_unkeyed_hash(values)

    def test_the_scan_finds_an_unkeyed_hash_of_a_name(self):
        from accounts.models import Organisation

        folded = "canar" + letters(6)
        self.start_recording()
        Organisation.objects.update(name=hashlib.sha256(folded.encode()).hexdigest())
        with self.assertRaises(AssertionError):
            self.assert_no_unkeyed_hash([folded])
        # A bucket row holding a plain hash cut to the bucket's length is found too.
        person = Person.objects.create(number=1, sealed_name=b"")
        cut = hashlib.md5(folded.encode()).digest()[: buckets.BUCKET_BYTES]  # noqa: S324
        PersonBucket.objects.create(person=person, bucket=cut, version=names.VERSION)
        Organisation.objects.update(name="Test org")
        with self.assertRaises(AssertionError):
            self.assert_no_unkeyed_hash([folded])
        PersonBucket.objects.all().delete()
        self.assert_no_unkeyed_hash([folded])
