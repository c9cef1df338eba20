"""The export pages: prepare a case for a recipient, redact, approve, release.

The logic is in disclosure.services; every page answers 404 to a staff member who
cannot open the export's case, so an export's existence cannot be guessed either.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import StaffRequest, StepUpForm, role_required
from accounts.models import OrganisationKey, Role
from audit import chain as audit
from audit.models import Action
from cases import persons
from cases import services as cases

from . import drafts, recipients, sending, services
from .models import Export, RecipientKind, State, Template
from .render import missing_glyphs

DRAFTING = services.DRAFTING_ROLES
OPENING = (Role.INTAKE, Role.CASEWORKER, Role.REVIEWER, Role.COORDINATOR)
TEXT_MAX = 20_000


class NewExportForm(forms.Form):
    template = forms.ChoiceField(
        label=_("What to prepare"),
        choices=Template.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what to prepare.")},
    )
    recipient = forms.ChoiceField(
        label=_("Recipient, from the organisation's register"),
        help_text=_(
            "The family will read this name on their receipt page. A coordinator adds "
            "recipients to the register."
        ),
        error_messages={
            "required": _("Choose who the export is for."),
            "invalid_choice": _("Choose a recipient from the list."),
        },
    )
    reporter_named = forms.BooleanField(
        label=_("Name the reporter (only to the UN, and only if they chose to be named)"),
        required=False,
    )

    def __init__(self, entries: list[recipients.Entry], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = {str(e.id): e for e in entries if e.readable}
        kinds = dict(RecipientKind.choices)
        field = self.fields["recipient"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [
            (key, f"{e.name} ({kinds[e.kind]})") for key, e in self.entries.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        entry = self.entries.get(data.get("recipient", ""))
        template = data.get("template")
        if entry is not None and template and entry.kind != services.KIND_OF[Template(template)]:
            self.add_error(
                "recipient",
                _("This recipient is not of the kind this template is for. Choose another."),
            )
        data["entry"] = entry
        return data


class TextsForm(forms.Form):
    def __init__(self, fields: list[dict[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for entry in fields:
            self.fields[entry["key"]] = forms.CharField(
                label=entry["heading"],
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
                initial=entry["text"],
                error_messages={
                    "max_length": _("Shorten this part to %(limit_value)d characters.")
                },
            )


class MarkForm(forms.Form):
    words = forms.CharField(
        label=_("Hide more: a word or phrase to redact wherever it appears"),
        max_length=recipients.NAME_MAX,
        error_messages={"required": _("Write the word or phrase to hide.")},
    )


class ReleaseForm(StepUpForm):
    step_up_error = _("Releasing needs a fresh code from your authenticator app (or a passkey).")


def _open(request: StaffRequest, export_id: uuid.UUID) -> services.OpenExport:
    try:
        return services.open_export(request.user, request.private_key, export_id)
    except services.NoAccess:
        raise Http404 from None


def _open_person(request: StaffRequest, person_id: uuid.UUID) -> persons.OpenPerson:
    try:
        return persons.open_person(request.user, request.private_key, person_id, record=False)
    except cases.NoAccess:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@role_required(*DRAFTING)
def new(request: StaffRequest, person_id: uuid.UUID) -> HttpResponseBase:
    opened = _open_person(request, person_id)
    try:
        entries = recipients.entries(request.user, request.private_key)
    except recipients.NoKey:
        entries = []
    form = NewExportForm(entries, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                export = services.start(
                    request.user,
                    request.private_key,
                    person_id,
                    data["template"],
                    data["entry"].name,
                    reporter_named=data["reporter_named"],
                )
            except services.NoAccess:
                raise Http404 from None
            except services.NotAllowed as refused:
                form.add_error("template", refused.message)
            else:
                return redirect("disclosure:export", export_id=export.id)
        status = 400
    persons.record_opening(request.user, person_id)
    contents = services.case_contents(request.user, request.private_key, person_id)
    context = {
        "person": opened.person,
        "name": persons.name(opened),
        "form": form,
        "allowed": services.allowed_templates(person_id),
        "register_empty": not entries,
        "missing": [
            heading for key, heading in drafts.MINIMUM if key in drafts.minimum_elements(contents)
        ],
    }
    return render(request, "disclosure/new.html", context, status=status)


def _page(
    request: StaffRequest,
    opened: services.OpenExport,
    texts: TextsForm | None = None,
    mark: MarkForm | None = None,
    release: ReleaseForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    export = opened.export
    persons.record_opening(request.user, export.person_id)
    author = export.author_id == request.user.pk
    editable = author and export.state in (State.DRAFT, State.APPROVED)
    fields: list[dict[str, Any]] = []
    kept: list[services.Proposal] = []
    found_by_field = []
    for entry in opened.draft.fields:
        found = services.proposals(opened, entry["text"])
        found_by_field.append(found)
        fields.append({"heading": entry["heading"], "key": entry["key"], "proposals": found})
        kept += [p for p in found if not p.redacted]
    document = services.final_document(opened, found_by_field)
    context = {
        "export": export,
        "person": opened.person.person,
        "draft": opened.draft,
        "fields": fields,
        "document": document,
        "hash": services.version_hash(opened, document),
        "author": author,
        "editable": editable,
        "can_approve": not author
        and export.state == State.DRAFT
        and request.user.role in services.REVIEWING_ROLES,
        "can_release": export.state == State.APPROVED,
        "texts": texts or TextsForm(opened.draft.fields),
        "mark": mark or MarkForm(),
        "release": release or ReleaseForm(request),
        "error": error,
        "missing": [h for key, h in drafts.MINIMUM if key in opened.draft.missing],
        "kept": kept,
        # Characters no shipped font draws would show as boxes in the PDF.
        "missing_glyphs": "".join(missing_glyphs(document)),
    }
    return render(request, "disclosure/export.html", context, status=status)


@require_GET
@role_required(*OPENING)
def export(request: StaffRequest, export_id: uuid.UUID) -> HttpResponseBase:
    return _page(request, _open(request, export_id))


def _refused(request: StaffRequest, opened: services.OpenExport, message: str) -> HttpResponse:
    return _page(request, opened, error=message, status=400)


@require_POST
@role_required(*DRAFTING)
def save_texts(request: StaffRequest, export_id: uuid.UUID) -> HttpResponseBase:
    opened = _open(request, export_id)
    form = TextsForm(opened.draft.fields, request.POST)
    if not form.is_valid():
        return _page(request, opened, texts=form, status=400)
    try:
        services.save_texts(request.user, opened, form.cleaned_data)
    except services.NotAllowed as refused:
        return _refused(request, opened, refused.message)
    messages.success(request, gettext("The draft was saved. Any approval of it is void."))
    return redirect("disclosure:export", export_id=export_id)


@require_POST
@role_required(*DRAFTING)
def choose(request: StaffRequest, export_id: uuid.UUID) -> HttpResponseBase:
    opened = _open(request, export_id)
    key = request.POST.get("key", "")
    keep = request.POST.get("keep") == "1"
    known = {p.key for f in opened.draft.fields for p in services.proposals(opened, f["text"])}
    if key not in known:
        return _refused(request, opened, gettext("That proposal is no longer in the draft."))
    try:
        services.choose(request.user, opened, key, keep)
    except services.NotAllowed as refused:
        return _refused(request, opened, refused.message)
    return redirect("disclosure:export", export_id=export_id)


@require_POST
@role_required(*DRAFTING)
def mark(request: StaffRequest, export_id: uuid.UUID) -> HttpResponseBase:
    opened = _open(request, export_id)
    form = MarkForm(request.POST)
    if not form.is_valid():
        return _page(request, opened, mark=form, status=400)
    try:
        services.mark(request.user, opened, form.cleaned_data["words"])
    except services.NotAllowed as refused:
        return _refused(request, opened, refused.message)
    return redirect("disclosure:export", export_id=export_id)


@require_POST
@role_required(*services.REVIEWING_ROLES)
def approve(request: StaffRequest, export_id: uuid.UUID) -> HttpResponseBase:
    opened = _open(request, export_id)
    try:
        sending.approve(request.user, request.private_key, opened, request.POST.get("hash", ""))
    except services.NotAllowed as refused:
        return _refused(request, opened, refused.message)
    messages.success(request, gettext("Approved. It can now be released."))
    return redirect("disclosure:export", export_id=export_id)


@require_POST
@role_required(*OPENING)
def release(request: StaffRequest, export_id: uuid.UUID) -> HttpResponseBase:
    opened = _open(request, export_id)
    form = ReleaseForm(request, request.POST)
    if not form.is_valid():
        return _page(request, opened, release=form, status=400)
    try:
        sending.release(request.user, request.private_key, opened)
    except services.NotAllowed as refused:
        return _refused(request, opened, refused.message)
    except sending.LeakFound as found:
        context = {"export": opened.export, "person": opened.person.person, "hits": found.hits}
        return render(request, "disclosure/leaks.html", context, status=409)
    messages.success(request, gettext("Released. The package is kept sealed in the case."))
    return redirect("disclosure:export", export_id=export_id)


@require_GET
@role_required(*OPENING)
def download(request: StaffRequest, export_id: uuid.UUID, kind: str) -> HttpResponseBase:
    opened = _open(request, export_id)
    if opened.export.state != State.RELEASED or kind not in ("pdf", "json"):
        raise Http404
    files = sending.package(opened)
    audit.record_view(
        audit.staff_actor(request.user), Action.PERSON_OPENED, opened.export.person_id
    )
    types = {"pdf": "application/pdf", "json": "application/json"}
    response = HttpResponse(files[kind], content_type=types[kind])
    name = f"{opened.export.public_id}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@role_required(Role.AUDITOR, Role.COORDINATOR)
def register(request: StaffRequest) -> HttpResponseBase:
    """Every export's record, for auditors and coordinators: ids, kinds, states, days and
    who wrote and approved it. Never the recipient's name or the content."""
    rows = Export.objects.select_related("person", "author", "reviewer").order_by(
        "-created_on", "public_id"
    )
    return render(request, "disclosure/register.html", {"exports": rows[:500]})


NO_REGISTER_KEY = _(
    "You do not hold the register's key, so its names cannot be shown to you. Ask a "
    "coordinator who holds it to set your role again on the Staff page, or the trustees to "
    "use the recovery key."
)
REGISTER_PURPOSE = OrganisationKey.Purpose.REGISTER


class RecipientForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of recipient"),
        choices=RecipientKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of recipient.")},
    )
    name = forms.CharField(
        label=_("Name, as the export and the family will read it"),
        max_length=recipients.NAME_MAX,
        error_messages={
            "required": _("Write the recipient's name."),
            "max_length": _("Shorten the name to %(limit_value)d characters."),
        },
    )

    def __init__(self, entries: list[recipients.Entry], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = entries

    def clean_name(self) -> str:
        try:
            name = recipients.clean_name(self.cleaned_data["name"])
        except ValueError:
            raise forms.ValidationError(
                _("Remove the control characters from the name (they can disguise it).")
            ) from None
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        taken = {(e.kind, e.name.casefold()) for e in self.entries}
        if (data.get("kind"), (data.get("name") or "").casefold()) in taken:
            self.add_error("name", _("This recipient is already in the register."))
        return data


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def recipient_register(request: StaffRequest) -> HttpResponseBase:
    """The register of recipients: add one, retire one, use one again."""
    try:
        entries = recipients.entries(request.user, request.private_key, only_active=False)
        holds = True
    except recipients.NoKey:
        entries, holds = [], False
    form = RecipientForm(entries, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                recipients.add(request.user, request.private_key, data["kind"], data["name"])
            except recipients.NoKey:
                form.add_error(None, NO_REGISTER_KEY)
            else:
                messages.success(request, gettext("The recipient was added to the register."))
                return redirect("disclosure:recipients")
        status = 400
    # Someone else holds the register's key, and this coordinator does not.
    missing_key = not holds and OrganisationKey.objects.filter(purpose=REGISTER_PURPOSE).exists()
    context = {"form": form, "entries": entries, "missing_key": missing_key}
    return render(request, "disclosure/recipients.html", context, status=status)


@require_POST
@role_required(Role.COORDINATOR)
def recipient_active(request: StaffRequest, recipient_id: uuid.UUID) -> HttpResponseBase:
    if not recipients.set_active(request.user, recipient_id, request.POST.get("active") == "1"):
        raise Http404
    return redirect("disclosure:recipients")
