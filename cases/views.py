"""The staff side of reports. Every view answers 404 when the staff member holds no
wrapping for the report, so a report's existence cannot be guessed either."""

from __future__ import annotations

import uuid
from functools import wraps

from django import forms
from django.db.models import Count, Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.access import staff_required, stepped_up
from accounts.models import KeyHolder, Role, Staff
from intake import returns, sealing
from intake.models import Consent, Report, Status
from intake.sanitise import KINDS

from . import persons, services
from .models import PersonStatus, Verification


def roles(*allowed: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.role not in allowed:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _open(request, report_id: uuid.UUID) -> sealing.OpenReport:
    try:
        return services.open_report(request.user, request.private_key, report_id)
    except services.NoAccess:
        raise Http404 from None


class AssignForm(forms.Form):
    caseworker = forms.ModelChoiceField(
        queryset=Staff.objects.filter(role__in=services.ASSIGNABLE_ROLES, is_active=True),
        label="Caseworker",
    )
    code = forms.CharField(label="Code from your authenticator app", max_length=8, required=False)


class TriageForm(forms.Form):
    case_number = forms.IntegerField(
        label="Existing case number (leave empty to create a new person)",
        required=False,
        min_value=1,
    )
    verification = forms.ChoiceField(choices=Verification.choices, initial=Verification.UNVERIFIED)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=PersonStatus.choices)
    on = forms.DateField(label="Date (YYYY-MM-DD)")
    source = forms.CharField(
        label="Source", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    text = forms.CharField(label="Note", max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))


class MessageForm(forms.Form):
    text = forms.CharField(
        label="Question or message to the reporter",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@require_GET
@staff_required
def inbox(request):
    before = request.GET.get("before", "")[:80]
    rows, older = services.inbox(request.user, request.private_key, before)
    return render(
        request, "cases/inbox.html", {"rows": rows, "older": older, "paged": bool(before)}
    )


def _report_page(request, opened, assign_form=None, message_form=None, status=200):
    data = services.content(opened)
    context = {
        "report": opened.report,
        "data": data,
        "status": Status(opened.report.status).label,
        "consent": Consent(opened.report.consent).label,
        "files": services.files(opened),
        "thread": returns.thread(opened),
        "can_assign": request.user.role in (Role.INTAKE, Role.COORDINATOR),
        "assign_form": assign_form or AssignForm(),
        "message_form": message_form or MessageForm(),
        "link": getattr(opened.report, "person_link", None),
        "triage_form": TriageForm(),
    }
    return render(request, "cases/report.html", context, status=status)


@require_GET
@staff_required
@roles(Role.COORDINATOR)
def overview(request):
    """Workflow metadata of every report, for coordinators: nothing is decrypted."""
    rows = (
        Report.objects.defer("sealed_content", "reporter_public_key", "reporter_key")
        .annotate(staff_holders=Count("keys", filter=Q(keys__holder__kind=KeyHolder.Kind.STAFF)))
        .order_by("-received_on", "-id")[:500]
    )
    return render(request, "cases/overview.html", {"rows": rows})


@require_GET
@staff_required
def report(request, report_id):
    return _report_page(request, _open(request, report_id))


@require_GET
@staff_required
def download(request, report_id, file_id):
    opened = _open(request, report_id)
    try:
        info, chunks = services.download(request.user, opened, file_id)
    except services.NoAccess:
        raise Http404 from None
    content_type, extension, _label = KINDS.get(info.kind, ("application/octet-stream", "bin", ""))
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="file-{file_id.hex[:8]}.{extension}"'
    return response


@require_POST
@staff_required
@roles(Role.INTAKE, Role.COORDINATOR)
def assign(request, report_id):
    form = AssignForm(request.POST)
    if form.is_valid():
        if stepped_up(request, form.cleaned_data["code"]):
            caseworker = form.cleaned_data["caseworker"]
            try:
                services.assign(request.user, request.private_key, report_id, caseworker)
            except services.NoAccess:
                raise Http404 from None
            return redirect("cases:report", report_id=report_id)
        form.add_error("code", "Assigning needs a fresh code from your authenticator app.")
    return _report_page(request, _open(request, report_id), assign_form=form, status=400)


@require_POST
@staff_required
@roles(Role.INTAKE, Role.CASEWORKER)
def message(request, report_id):
    opened = _open(request, report_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        services.ask_reporter(request.user, opened, form.cleaned_data["text"])
        return redirect("cases:report", report_id=report_id)
    return _report_page(request, opened, message_form=form, status=400)


@require_POST
@staff_required
@roles(Role.INTAKE)
def triage(request, report_id):
    form = TriageForm(request.POST)
    if not form.is_valid():
        return _report_page(request, _open(request, report_id), status=400)
    c = form.cleaned_data
    try:
        if c["case_number"]:
            person = persons.link_report(
                request.user, request.private_key, report_id, c["case_number"]
            )
        else:
            person = persons.create_from_report(
                request.user, request.private_key, report_id, c["verification"]
            )
    except persons.AlreadyLinked:
        return redirect("cases:report", report_id=report_id)
    except services.NoAccess:
        raise Http404 from None
    return redirect("cases:person", person_id=person.id)


def _open_person(request, person_id) -> persons.OpenPerson:
    try:
        return persons.open_person(request.user, request.private_key, person_id)
    except services.NoAccess:
        raise Http404 from None


def _person_page(request, opened, status_form=None, note_form=None, status=200):
    context = {
        "person": opened.person,
        "name": persons.name(opened),
        "timeline": persons.timeline(opened),
        "notes": persons.notes(opened),
        "reports": opened.person.links.select_related("report"),
        "status_form": status_form or StatusForm(),
        "note_form": note_form or NoteForm(),
    }
    return render(request, "cases/person.html", context, status=status)


@require_GET
@staff_required
def person(request, person_id):
    return _person_page(request, _open_person(request, person_id))


@require_POST
@staff_required
@roles(Role.INTAKE, Role.CASEWORKER)
def record_status(request, person_id):
    opened = _open_person(request, person_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _person_page(request, opened, status_form=form, status=400)
    c = form.cleaned_data
    persons.record_status(request.user, opened, c["status"], c["on"], c["source"])
    return redirect("cases:person", person_id=person_id)


@require_POST
@staff_required
@roles(Role.INTAKE, Role.CASEWORKER)
def add_note(request, person_id):
    opened = _open_person(request, person_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _person_page(request, opened, note_form=form, status=400)
    persons.add_note(request.user, opened, form.cleaned_data["text"])
    return redirect("cases:person", person_id=person_id)
