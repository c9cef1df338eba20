"""The staff side of reports. Every view answers 404 when the staff member holds no
wrapping for the report, so a report's existence cannot be guessed either."""

from __future__ import annotations

import datetime
import uuid
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import StaffRequest, StepUpForm, role_required, staff_required
from accounts.models import KeyHolder, Role, Staff
from config.db_router import reads_from_replica
from intake import forms as intake_forms
from intake import returns, sealing
from intake.models import Report
from intake.sanitise import KINDS

from . import duplicates, persons, reading, services, workspace
from . import inbox as work_queue
from .models import PersonReport, PersonStatus, Verification


def _open(request: StaffRequest, report_id: uuid.UUID) -> sealing.OpenReport:
    # Not recorded here: _report_page records the opening where the content is shown,
    # and an action records itself.
    try:
        return services.open_report(request.user, request.private_key, report_id, record=False)
    except services.NoAccess:
        raise Http404 from None


class AssignForm(StepUpForm):
    caseworker = forms.ModelChoiceField(
        queryset=Staff.objects.filter(role__in=services.ASSIGNABLE_ROLES, is_active=True),
        label="Caseworker",
    )
    step_up_error = "Assigning needs a fresh code from your authenticator app (or a passkey)."


NO_SUCH_CASE = (
    "There is no case {number} that you can open. Check the number, or leave the field "
    "empty to create a new person."
)


NEW_PERSON = "new"


class TriageForm(forms.Form):
    """Link the report to a proposed case (cases.duplicates), to a case by number, or
    create a new person. Only proposals made for this staff member are accepted."""

    person = forms.ChoiceField(
        label=_("Who is this report about?"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _(
                "That case is not among the cases proposed for this report. Pick one of "
                "the cases listed, create a new person, or type a case number."
            )
        },
    )
    case_number = forms.IntegerField(
        label="Existing case number (leave empty to create a new person)",
        required=False,
        min_value=1,
        error_messages={
            "min_value": "Case numbers start at 1. Check the number, or leave the field empty.",
            "invalid": "Type a case number in digits, or leave the field empty.",
        },
    )
    verification = forms.ChoiceField(choices=Verification.choices, initial=Verification.UNVERIFIED)

    def __init__(
        self, *args: Any, proposals: list[duplicates.Proposal] | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.proposals = proposals or []
        choices = [(p.person_id.hex, str(p.number)) for p in self.proposals]
        person = self.fields["person"]
        assert isinstance(person, forms.ChoiceField)
        person.choices = [*choices, (NEW_PERSON, _("Create a new person"))]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = cleaned.get("person") or NEW_PERSON
        cleaned["proposal"] = None
        if chosen != NEW_PERSON:
            if cleaned.get("case_number"):
                self.add_error(
                    "case_number",
                    _(
                        "Either pick one of the proposed cases or type a case number, not "
                        "both. Empty this field to link to the case you picked."
                    ),
                )
            cleaned["proposal"] = next(p for p in self.proposals if p.person_id.hex == chosen)
        return cleaned


class StatusForm(forms.Form):
    """A status on a date known as far as it is known: a year, a month or a day."""

    status = forms.ChoiceField(label=_("Status"), choices=PersonStatus.choices)
    on_year = intake_forms.year(_("Year"), required=True)
    on_year.error_messages["required"] = _("Give at least the year of this status, like 2018.")
    on_month = intake_forms.choice(_("Month (if known)"), intake_forms.MONTHS)
    on_day = intake_forms.day(_("Day (if known)"))
    source = forms.CharField(
        label=_("Source"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        known = intake_forms.partial_date(self, "on")
        if known is not None:
            cleaned["on"] = datetime.date(known["year"], known["month"] or 1, known["day"] or 1)
            cleaned["precision"] = known["precision"]
        return cleaned


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
def inbox(request: StaffRequest) -> HttpResponse:
    """The work queue: filters, sort, search, counts and keyset pages (cases.inbox)."""
    # A shredded report's person gets its names back from the reports left.
    duplicates.reindex_due(request.user, request.private_key)
    query, errors = work_queue.parse(request.GET)
    result = work_queue.page(request.user, request.private_key, query)
    kept = {name: value for name, value in query.filters.items()}
    if query.sort != work_queue.Sort.RECEIVED:
        kept["sort"] = query.sort
    if query.search and "q" not in errors:
        kept["q"] = request.GET.get("q", "").strip()[:100]
    filters = [
        {
            "name": name,
            "label": work_queue.LABELS[name],
            "options": [
                (value, label, result.counts[name].get(value, 0), query.filters.get(name) == value)
                for value, label in work_queue.CHOICES[name]
            ],
            "error": errors.get(name, ""),
        }
        for name in ("status", "language", "region", "consent", "assigned")
    ]
    replied_count = result.counts["replied"].get("1", 0)
    context = {
        "page": result,
        "filters": filters,
        "replied": query.filters.get("replied") == "1",
        "replied_count": replied_count,
        "sort": query.sort,
        "sorts": work_queue.Sort.CHOICES,
        "q": request.GET.get("q", "").strip()[:100],
        "search": query.search,
        "errors": errors,
        "kept": urlencode(kept),
        "filtered": bool(kept),
        "has_filters": bool(query.filters),
    }
    return render(request, "cases/inbox.html", context)


def _report_page(
    request: StaffRequest,
    opened: sealing.OpenReport,
    assign_form: AssignForm | None = None,
    message_form: MessageForm | None = None,
    triage_form: TriageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    services.record_opening(request.user, opened.report.id)
    data = services.content(opened)
    link = getattr(opened.report, "person_link", None)
    if triage_form is None:
        triage_form = TriageForm(proposals=[] if link else _proposals(request, opened.report.id))
    duplicates.record_shown(request.user, triage_form.proposals)
    context = {
        "report": opened.report,
        "sections": reading.sections(data),
        "elements": reading.wgeid_elements(data),
        "metadata": reading.metadata(opened.report),
        "files": reading.file_rows(services.files(opened)),
        "thread": reading.thread_rows(returns.thread(opened)),
        "can_assign": request.user.role in (Role.INTAKE, Role.COORDINATOR),
        "assign_form": assign_form or AssignForm(request),
        "message_form": message_form or MessageForm(),
        "link": link,
        "triage_form": triage_form,
    }
    return render(request, "cases/report.html", context, status=status)


def _proposals(request: StaffRequest, report_id: uuid.UUID) -> list[duplicates.Proposal]:
    """The cases this report may be about, for the staff member who triages it (intake
    holding the index key); nobody else sees a triage form."""
    if request.user.role != Role.INTAKE:
        return []
    key = duplicates.index_key(request.user.holder, request.private_key)
    if key is None:
        return []
    return duplicates.propose(request.user, request.private_key, key, report_id)


OVERVIEW_PAGE = 200


@require_GET
@role_required(Role.COORDINATOR)
@reads_from_replica  # workflow metadata a moment old is good enough
def overview(request: StaffRequest) -> HttpResponse:
    """Workflow metadata of every report, for coordinators: nothing is decrypted. Newest
    first, OVERVIEW_PAGE a page: every report is reachable, however many there are."""
    rows = (
        Report.objects.defer("sealed_content", "reporter_public_key", "reporter_key")
        .annotate(staff_holders=Count("keys", filter=Q(keys__holder__kind=KeyHolder.Kind.STAFF)))
        .order_by("-received_on", "-id")
    )
    paginator = Paginator(rows, OVERVIEW_PAGE)
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    page = paginator.page(min(number, paginator.num_pages))
    return render(request, "cases/overview.html", {"page": page})


@require_GET
@staff_required
def report(request: StaffRequest, report_id: uuid.UUID) -> HttpResponse:
    workspace.report_seen(request.user, report_id)  # its notices, if they hold it
    duplicates.reindex_due(request.user, request.private_key)  # before any proposal
    return _report_page(request, services.replies_read(_open(request, report_id)))


@require_GET
@staff_required
def download(
    request: StaffRequest, report_id: uuid.UUID, file_id: uuid.UUID
) -> StreamingHttpResponse:
    opened = _open(request, report_id)
    try:
        info, chunks = services.download(request.user, opened, file_id)
    except services.NoAccess:
        raise Http404 from None
    content_type, extension, _label = KINDS.get(info.kind, ("application/octet-stream", "bin", ""))
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="file-{file_id.hex[:8]}.{extension}"'
    return response


@require_GET
@staff_required
def preview(
    request: StaffRequest, report_id: uuid.UUID, file_id: uuid.UUID
) -> StreamingHttpResponse:
    """An image attachment shown inline on the report page (services.preview)."""
    try:
        content_type, chunks = services.preview(
            request.user, request.private_key, report_id, file_id
        )
    except (services.NoAccess, services.NoPreview):
        raise Http404 from None
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the image is a sandboxed document that may load nothing.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@role_required(Role.INTAKE, Role.COORDINATOR)
def assign(request: StaffRequest, report_id: uuid.UUID) -> HttpResponseBase:
    form = AssignForm(request, request.POST)
    if form.is_valid():
        caseworker = form.cleaned_data["caseworker"]
        try:
            services.assign(request.user, request.private_key, report_id, caseworker)
        except services.NoAccess:
            raise Http404 from None
        messages.success(request, f"Assigned to {caseworker.username}.")
        return redirect("cases:report", report_id=report_id)
    return _report_page(request, _open(request, report_id), assign_form=form, status=400)


@require_POST
@role_required(Role.INTAKE, Role.CASEWORKER)
def message(request: StaffRequest, report_id: uuid.UUID) -> HttpResponseBase:
    opened = _open(request, report_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        services.ask_reporter(request.user, opened, form.cleaned_data["text"])
        messages.success(request, "Your message was sent to the reporter.")
        return redirect("cases:report", report_id=report_id)
    return _report_page(request, opened, message_form=form, status=400)


@require_POST
@role_required(Role.INTAKE)
def triage(request: StaffRequest, report_id: uuid.UUID) -> HttpResponseBase:
    opened = _open(request, report_id)
    linked = PersonReport.objects.filter(report_id=report_id).exists()
    form = TriageForm(request.POST, proposals=[] if linked else _proposals(request, report_id))
    if not form.is_valid():
        return _report_page(request, opened, triage_form=form, status=400)
    c = form.cleaned_data
    try:
        if c["proposal"] is not None:
            person = persons.link_report(
                request.user, request.private_key, report_id, c["proposal"].number
            )
            done = f"The report is linked to case {person.number}."
        elif c["case_number"]:
            person = persons.link_report(
                request.user, request.private_key, report_id, c["case_number"]
            )
            done = f"The report is linked to case {person.number}."
        else:
            person = persons.create_from_report(
                request.user, request.private_key, report_id, c["verification"]
            )
            done = f"Case {person.number} was opened from this report."
    except persons.AlreadyLinked:
        messages.error(request, "This report already belongs to a case.")
        return redirect("cases:report", report_id=report_id)
    except services.NoAccess:
        # The report itself: a 404 as everywhere (checked above). Otherwise the case
        # number: a form error that says the same for a case that does not exist and one
        # this person cannot open.
        if c["proposal"] is not None:
            form.add_error("person", form.fields["person"].error_messages["invalid_choice"])
        else:
            form.add_error("case_number", NO_SUCH_CASE.format(number=c["case_number"]))
        return _report_page(request, opened, triage_form=form, status=400)
    messages.success(request, done)
    return redirect("cases:person", person_id=person.id)


def _open_person(request: StaffRequest, person_id: uuid.UUID) -> persons.OpenPerson:
    try:
        return persons.open_person(request.user, request.private_key, person_id, record=False)
    except services.NoAccess:
        raise Http404 from None


def _person_page(
    request: StaffRequest,
    opened: persons.OpenPerson,
    status_form: StatusForm | None = None,
    note_form: NoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    persons.record_opening(request.user, opened.person.id)
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
def person(request: StaffRequest, person_id: uuid.UUID) -> HttpResponse:
    workspace.person_seen(request.user, person_id)  # its notices, if they hold it
    # A shredded report took the case's names: sealed again from its reports left.
    duplicates.reindex_due(request.user, request.private_key, person_ids=[person_id])
    return _person_page(request, _open_person(request, person_id))


@require_POST
@role_required(Role.INTAKE, Role.CASEWORKER)
def record_status(request: StaffRequest, person_id: uuid.UUID) -> HttpResponseBase:
    opened = _open_person(request, person_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _person_page(request, opened, status_form=form, status=400)
    c = form.cleaned_data
    persons.record_status(request.user, opened, c["status"], c["on"], c["source"], c["precision"])
    messages.success(request, "Added to the timeline.")
    return redirect("cases:person", person_id=person_id)


@require_POST
@role_required(Role.INTAKE, Role.CASEWORKER)
def add_note(request: StaffRequest, person_id: uuid.UUID) -> HttpResponseBase:
    opened = _open_person(request, person_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _person_page(request, opened, note_form=form, status=400)
    persons.add_note(request.user, opened, form.cleaned_data["text"])
    messages.success(request, "The note was added.")
    return redirect("cases:person", person_id=person_id)
