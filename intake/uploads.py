"""Uploads that never touch the disk in clear, and are cleaned only once they are admitted.

MemoryOnlyUploadHandler replaces Django's handlers (which spill to temporary files) for every
request: files stay in memory, within fixed limits. The form only collects them (RawFile); the
view cleans them with `clean_attachments` after the rest of the form is valid and the submission
was admitted, so an invalid or refused request costs no cleaning. Cleaning runs in a bounded
pool of sandboxed children (intake.cleaning.pool) within a time budget per request; the cleaned
files are then stream-encrypted into storage. Plaintext goes from memory to the child through a
pipe and back: never to a file, never through the broker.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from . import sanitise
from .cleaning import pool
from .sealing import CleanFile

MAX_FILE = 10 * 1024 * 1024
MAX_FILES = 5
MAX_REQUEST = MAX_FILES * MAX_FILE + 1024 * 1024
# Up to this size a request is read so that what the reporter typed can be shown again (its
# files are skipped, never held); past it nothing is read and the 413 page says so.
MAX_READ = 128 * 1024 * 1024
ACCEPT = ".jpg,.jpeg,.png,.pdf,.docx,.xlsx,.odt"

# What happened to an oversized request (request attribute set by the handler).
FILES_DROPPED = "files_dropped"
NOTHING_KEPT = "nothing_kept"
_MARK = "_amanat_upload_too_large"

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
    sanitise.OVER_BUDGET: _(
        "the files together take too long to prepare. Send fewer or smaller files."
    ),
    sanitise.CLEANED_TOO_LARGE: _(
        "once prepared for safe keeping the file would be too large. Send fewer pages, or "
        "photos of the pages."
    ),
}
CHOOSE_AGAIN = _("What you wrote is still here; choose your files again before sending.")
BUSY = _(
    "Many files are being received right now, so yours could not be prepared. Nothing was "
    "saved. What you wrote is still here: wait a minute, choose your files again and send."
)


def upload_errors(request) -> list[str]:
    return request.__dict__.setdefault("_amanat_upload_errors", [])


def too_large(request) -> str | None:
    """FILES_DROPPED or NOTHING_KEPT if the request was over the limits, else None."""
    return request.__dict__.get(_MARK)


def refused_status(request) -> int:
    """The status of a form page shown again: 413 when its files were over the limits."""
    return 413 if too_large(request) else 400


class MemoryOnlyUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.over_limit = bool(content_length and content_length > MAX_REQUEST)
        if content_length and content_length > MAX_READ:
            # Read nothing: an empty POST. It has no CSRF token either, so the CSRF check
            # refuses it and its view (intake.errors.csrf_failure) sees this mark and shows
            # the 413 page: nothing was saved, go back. No exception: that keeps DEBUG's
            # technical page out of the way, so development answers as production does.
            self.request.__dict__[_MARK] = NOTHING_KEPT
            return QueryDict(encoding=encoding), MultiValueDict()
        if self.over_limit:
            # Read the fields, skip every file: the form comes back with what was typed.
            self.request.__dict__[_MARK] = FILES_DROPPED
            upload_errors(self.request).append(
                str(
                    _(
                        "The files together are larger than 50 MB, so none of them was kept. "
                        "Send at most 5 files of 10 MB each."
                    )
                )
                + " "
                + str(CHOOSE_AGAIN)
            )
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.over_limit:
            raise SkipFile()
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if self.buffer.tell() + len(raw_data) > MAX_FILE:
            self.request.__dict__.setdefault(_MARK, FILES_DROPPED)
            upload_errors(self.request).append(
                str(
                    _("“%(name)s” is larger than 10 MB and was not kept.")
                    % {"name": clean_name(self.file_name or "")}
                )
                + " "
                + str(CHOOSE_AGAIN)
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


@dataclass
class RawFile:
    """An upload as sent, not cleaned yet. It has no `kind` and no `data` on purpose: storing
    one without cleaning it first fails loudly instead of keeping its metadata."""

    name: str = field(repr=False)
    raw: bytes = field(repr=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadsField(forms.FileField):
    """Up to MAX_FILES files, read into memory; cleaned value: list of RawFile.

    The files are cleaned later by `clean_attachments`, not here: cleaning during validation
    would spend the cleaning on requests that are then refused for other reasons."""

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
        raw_files = []
        for upload in files:
            raw = upload.read(MAX_FILE + 1)
            name = clean_name(upload.name or "")
            if len(raw) > MAX_FILE:
                raise forms.ValidationError(
                    _("“%(name)s” is larger than 10 MB."), params={"name": name}
                )
            raw_files.append(RawFile(name=name, raw=raw))
        return raw_files


def clean_attachments(form: forms.Form, field_name: str = "attachments") -> int | None:
    """Clean the form's files in place (RawFile -> CleanFile).

    Call it only once the form is valid and the request was admitted. Returns None when every
    file was cleaned; otherwise the errors are on the form (what was typed stays in it) and the
    HTTP status to answer with is returned: 400 for a refused file, 503 when the pool is busy.
    """
    raw_files = form.cleaned_data.get(field_name) or []
    if not raw_files:
        return None
    cleaned, refused = [], []
    try:
        with pool.slot(settings.CLEANING_SLOTS_DIR, settings.CLEANING_SLOTS, _wait_seconds()):
            budget = sanitise.Budget(settings.CLEANING_SECONDS_PER_REQUEST)
            for upload in raw_files:
                try:
                    kind, data = sanitise.sanitise(upload.raw, budget)
                except sanitise.SanitiseError as exc:
                    refused.append((upload.name, exc.reason))
                    if exc.reason == sanitise.OVER_BUDGET:
                        break  # the rest would be refused for the same reason
                    continue
                cleaned.append(CleanFile(name=upload.name, kind=kind, data=data))
    except pool.Busy:
        form.add_error(None, BUSY)
        return 503
    if refused:
        for name, reason in refused:
            message = _("“%(name)s” was not accepted: %(reason)s")
            params = {"name": name, "reason": REFUSALS.get(reason, REFUSALS[sanitise.UNREADABLE])}
            form.add_error(field_name, forms.ValidationError(message, params=params))
        form.add_error(field_name, CHOOSE_AGAIN)
        return 400
    form.cleaned_data[field_name] = cleaned
    return None


def _wait_seconds() -> float:
    return float(settings.CLEANING_SLOT_WAIT_SECONDS)
