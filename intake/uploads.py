"""Uploads that never touch the disk in clear.

MemoryOnlyUploadHandler replaces Django's handlers (which spill to temporary
files) for every request: files stay in memory, within fixed limits, until they
are cleaned of metadata (intake.sanitise) and stream-encrypted into storage.
"""

from __future__ import annotations

import io
import unicodedata

from django import forms
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from . import sanitise

MAX_FILE = 10 * 1024 * 1024
MAX_FILES = 5
MAX_REQUEST = MAX_FILES * MAX_FILE + 1024 * 1024
ACCEPT = ".jpg,.jpeg,.png,.pdf,.docx,.xlsx,.odt"


# Why sanitise refused a file, in the reporter's language.
REFUSALS = {
    sanitise.NOT_ACCEPTED: _(
        "this kind of file is not accepted. Send a photo (JPEG, PNG), a PDF, or a Word, "
        "Excel or OpenDocument file."
    ),
    sanitise.UNREADABLE: _("the file could not be read. It may be damaged; try another copy."),
    sanitise.TOO_LARGE: _("the file is too large."),
    sanitise.TOO_LARGE_OPENED: _("the file is too large once opened. Send a smaller copy."),
    sanitise.ENCRYPTED: _(
        "the file is protected with a password. Remove the password and send it again."
    ),
}


def upload_errors(request) -> list[str]:
    return request.__dict__.setdefault("_amanat_upload_errors", [])


class MemoryOnlyUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > MAX_REQUEST:
            upload_errors(self.request).append(
                str(_("The files together are too large. Send at most 5 files of 10 MB each."))
            )
            raise StopUpload(connection_reset=False)

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.skipped = False

    def receive_data_chunk(self, raw_data, start):
        if self.buffer.tell() + len(raw_data) > MAX_FILE:
            upload_errors(self.request).append(
                str(_("A file is larger than 10 MB and was not accepted."))
            )
            self.buffer = io.BytesIO()
            raise SkipFile()
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type="application/octet-stream",
            size=file_size,
            charset=None,
            content_type_extra=None,
        )


def clean_name(name: str) -> str:
    """The file's own name, without folders or control characters, for staff to see."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return name[:120] or "file"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadsField(forms.FileField):
    """Up to MAX_FILES files, each checked and cleaned; cleaned value: list of CleanFile."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault(
            "help_text",
            _(
                "Optional. Up to 5 files of 10 MB each: photos (JPEG, PNG), PDF, Word, Excel "
                "or OpenDocument files. Hidden information such as the place a photo was "
                "taken is removed before it is stored."
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, data):
        return data

    def clean(self, data, initial=None):
        from .sealing import CleanFile

        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                ngettext_lazy(
                    "Choose at most %(max)d file.", "Choose at most %(max)d files.", MAX_FILES
                ),
                params={"max": MAX_FILES},
            )
        cleaned = []
        for upload in files:
            raw = upload.read(MAX_FILE + 1)
            name = clean_name(upload.name or "")
            if len(raw) > MAX_FILE:
                raise forms.ValidationError(
                    _("“%(name)s” is larger than 10 MB."), params={"name": name}
                )
            try:
                kind, data_clean = sanitise.sanitise(raw)
            except sanitise.SanitiseError as exc:
                raise forms.ValidationError(
                    _("“%(name)s” was not accepted: %(reason)s"),
                    params={
                        "name": name,
                        "reason": REFUSALS.get(exc.reason, REFUSALS[sanitise.UNREADABLE]),
                    },
                ) from None
            cleaned.append(CleanFile(name=name, kind=kind, data=data_clean))
        return cleaned
