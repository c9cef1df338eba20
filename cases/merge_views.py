"""The person page's corrections: merge another case into this one (a confirmation
page with both cases, and a fresh second factor) and unlink a wrongly linked report.
The logic is in cases.merging; as everywhere in cases/, a case the staff member
cannot open is a 404 (or, typed as a number, the same form error as a case that does
not exist)."""

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

from accounts.access import StaffRequest, StepUpForm, role_required, staff_required
from accounts.models import Role

from . import merging, persons, services, views

CORRECTING_ROLES = (Role.INTAKE, Role.COORDINATOR)

NO_SUCH_CASE = _(
    "There is no case %(number)s that you can open. Check the number on the other case's page."
)
SAME_CASE = _("This is the number of this case. Type the number of the other case.")
LAST_REPORT = _(
    "This is the only report of this case, so it cannot be unlinked. If the whole case is "
    "about someone else's relative, merge it into the right case instead (from that case's "
    "page)."
)


class _OtherCase(forms.Form):
    """The case to merge into this one, by its number: found and openable, or an error
    on the field."""

    number = forms.IntegerField(
        label=_("Number of the case to merge into this one"),
        min_value=1,
        error_messages={
            "required": _("Type the number of the case to merge into this one."),
            "min_value": _("Case numbers start at 1. Check the number."),
            "invalid": _("Type a case number in digits, like 12."),
        },
    )

    def __init__(self, request: StaffRequest, survivor: persons.OpenPerson, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.request, self.survivor = request, survivor
        self.other: persons.OpenPerson | None = None

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        person = persons.by_number(number)
        if person is not None and person.id == self.survivor.person.id:
            raise forms.ValidationError(SAME_CASE)
        try:
            if person is None:
                raise services.NoAccess("no such case")
            self.other = persons.open_person(
                self.request.user, self.request.private_key, person.id, record=False
            )
        except services.NoAccess:
            raise forms.ValidationError(NO_SUCH_CASE % {"number": number}) from None
        return number


class MergeForm(_OtherCase, StepUpForm):
    step_up_error = _("Merging needs a fresh code from your authenticator app (or a passkey).")

    def __init__(self, request: StaffRequest, survivor: persons.OpenPerson, *args: Any, **kw: Any):
        StepUpForm.__init__(self, request, *args, **kw)
        self.survivor, self.other = survivor, None


def _open(request: StaffRequest, person_id: uuid.UUID) -> persons.OpenPerson:
    try:
        return persons.open_person(request.user, request.private_key, person_id, record=False)
    except services.NoAccess:
        raise Http404 from None


def _page(
    request: StaffRequest, survivor: persons.OpenPerson, form: forms.Form, status: int = 200
) -> HttpResponse:
    other = getattr(form, "other", None)
    persons.record_opening(request.user, survivor.person.id)
    if other is not None:
        persons.record_opening(request.user, other.person.id)
    context = {
        "person": survivor.person,
        "name": persons.name(survivor),
        "other": other.person if other else None,
        "other_name": persons.name(other) if other else None,
        "other_reports": other.person.links.count() if other else 0,
        "form": form,
    }
    return render(request, "cases/merge.html", context, status=status)


@require_GET
@staff_required
def person(request: StaffRequest, person_id: uuid.UUID) -> HttpResponseBase:
    """The person page (cases.views.person); a merged case's old page leads to the case
    it is part of now, for whoever can open that one."""
    moved = merging.leads_to(request.user, person_id)
    if moved is not None:
        return redirect("cases:person", person_id=moved)
    return views.person(request, person_id)


@require_http_methods(["GET", "POST"])
@role_required(*CORRECTING_ROLES)
def merge(request: StaffRequest, person_id: uuid.UUID) -> HttpResponseBase:
    """GET: the number to merge, then both cases side by side. POST: merge, with a
    fresh second factor; the case of this page is the one that stays."""
    survivor = _open(request, person_id)
    if request.method == "GET":
        asked = "number" in request.GET
        checked = _OtherCase(request, survivor, request.GET if asked else None)
        if not (asked and checked.is_valid()):
            return _page(request, survivor, checked, status=400 if asked else 200)
        # Both cases side by side, and the code to confirm.
        form = MergeForm(request, survivor, initial={"number": checked.cleaned_data["number"]})
        form.other = checked.other
        return _page(request, survivor, form)
    form = MergeForm(request, survivor, request.POST)
    if not form.is_valid() or form.other is None:
        return _page(request, survivor, form, status=400)
    number = form.other.person.number
    try:
        person = merging.merge(
            request.user, request.private_key, survivor.person.id, form.other.person.id
        )
    except services.NoAccess:
        raise Http404 from None
    messages.success(
        request,
        gettext("Case %(merged)s was merged into case %(number)s.")
        % {"merged": number, "number": person.number},
    )
    return redirect("cases:person", person_id=person.id)


@require_POST
@role_required(*CORRECTING_ROLES)
def unlink(request: StaffRequest, person_id: uuid.UUID, report_id: uuid.UUID) -> HttpResponseBase:
    try:
        merging.unlink(request.user, request.private_key, person_id, report_id)
    except (services.NoAccess, merging.NotLinked):
        raise Http404 from None
    except merging.LastReport:
        messages.error(request, LAST_REPORT)
        return redirect("cases:person", person_id=person_id)
    messages.success(
        request,
        gettext(
            "The report was unlinked: it is back in the inbox, not triaged. The intake team "
            "and you hold it; assign it again if a caseworker should follow it."
        ),
    )
    return redirect("cases:report", report_id=report_id)
