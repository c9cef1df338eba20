"""Reports and messages keep only a day; nothing stored beside them gives the time
back: not a sealed file's times, not a notification's reading."""

import io
import os
import shutil
import tempfile
import uuid
from datetime import datetime, time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from accounts.models import Notification
from cases import services as cases
from intake import storage
from intake.models import Attachment, Report
from tests.base import BaseTestCase
from tests.reports import report_form_data


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(out, "JPEG")
    return out.getvalue()


def midnight_today() -> int:
    day = datetime.combine(timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone())
    return int(day.timestamp())


class SealedFileTimesTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.folder = tempfile.mkdtemp(prefix="amanat-times-")
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        self.enterContext(override_settings(SEALED_STORAGE_DIR=self.folder))

    def test_it_keeps_only_the_day_of_a_sealed_file_and_of_its_folder(self):
        data = report_form_data()
        data["attachments"] = [SimpleUploadedFile("photo.jpg", jpeg())]
        self.client.post("/en/report/", data)
        blob = storage.path_for(Attachment.objects.get().id)
        for path in (blob, blob.parent):
            info = os.stat(path)
            self.assertEqual(info.st_mtime, midnight_today(), path)
            self.assertEqual(info.st_atime, midnight_today(), path)

    def test_removing_a_file_leaves_the_folder_dated_to_the_day(self):
        blob = uuid.uuid4()
        storage.write(blob, [b"sealed bytes"])
        storage.delete(blob)
        self.assertEqual(os.stat(storage.path_for(blob).parent).st_mtime, midnight_today())


class NotificationReadTestCase(BaseTestCase):
    def test_it_keeps_whether_a_notice_was_read_not_when(self):
        self.client.post("/en/report/", report_form_data())
        report = Report.objects.get()
        cases.assign(self.ines, self.private_key(self.ines), report.id, self.alice)
        self.sign_in(self.alice)
        self.assertContains(self.client.get("/staff/"), "A case was assigned to you")
        self.client.get(f"/staff/reports/{report.id}/")
        notice = Notification.objects.get(staff=self.alice)
        self.assertTrue(notice.read)
        timed = [f.name for f in Notification._meta.fields if isinstance(f, models.DateTimeField)]
        self.assertEqual(timed, [])
