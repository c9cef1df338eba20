"""The Staff page: coordinators add people, change roles, reset and deactivate, and
approve each other's proposals (accounts.approvals).

Every form on the page posts to an explicit URL, and every row action, whether it
succeeds or fails, comes back to /staff/people/ with a notice that says what
happened, so no form on a re-rendered page can post to another row's URL.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import approvals
from . import people as people_service
from .access import StaffRequest, StepUpForm, role_required
from .forms import ApproveForm, NewAccountForm, RecoveryApproveForm, RoleForm
from .models import Proposal, Role, Staff

coordinators = role_required(Role.COORDINATOR)


@dataclass
class Row:
    person: Staff
    role_form: RoleForm
    reset_form: StepUpForm
    deactivate_form: StepUpForm


@dataclass
class PendingRow:
    proposal: Proposal
    description: str
    mine: bool
    approve_form: ApproveForm
    recovery_form: RecoveryApproveForm


def _rows(request: StaffRequest) -> list[Row]:
    rows = []
    for person in Staff.objects.order_by("username"):
        # Ids carry the row's key, so the labels of one row never point into another.
        auto_id = f"id_staff{person.pk}_%s"
        rows.append(
            Row(
                person=person,
                role_form=RoleForm(request, initial={"role": person.role}, auto_id=auto_id),
                reset_form=StepUpForm(request, auto_id=f"id_staff{person.pk}_reset_%s"),
                deactivate_form=StepUpForm(request, auto_id=f"id_staff{person.pk}_off_%s"),
            )
        )
    return rows


def _pending_rows(request: StaffRequest) -> list[PendingRow]:
    rows = []
    for proposal in approvals.pending():
        key = proposal.pk.hex[:12]
        needs = proposal.needs_password
        rows.append(
            PendingRow(
                proposal=proposal,
                description=approvals.describe(proposal),
                mine=proposal.proposed_by_id == request.user.pk,
                approve_form=ApproveForm(
                    request, needs_password=needs, auto_id=f"id_approve{key}_%s"
                ),
                recovery_form=RecoveryApproveForm(
                    request, needs_password=needs, auto_id=f"id_recover{key}_%s"
                ),
            )
        )
    return rows


def _page(request: StaffRequest, add_form: NewAccountForm | None = None) -> HttpResponse:
    context = {
        "rows": _rows(request),
        "pending": _pending_rows(request),
        "single_coordinator": approvals.coordinators_count() < 2,
        "add_form": add_form or NewAccountForm(request, auto_id="id_new_%s"),
    }
    return render(request, "staff/people.html", context, status=400 if add_form else 200)


def _form_errors(form: StepUpForm) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _back(request: StaffRequest, error: str = "", done: str = "") -> HttpResponseBase:
    if error:
        messages.error(request, error)
    if done:
        messages.success(request, done)
    return redirect("staff:people")


@require_http_methods(["GET", "POST"])
@coordinators
def people(request: StaffRequest) -> HttpResponseBase:
    if request.method == "GET":
        return _page(request)
    form = NewAccountForm(request, request.POST, auto_id="id_new_%s")
    if form.is_valid():
        c = form.cleaned_data
        try:
            proposal = approvals.propose_new_account(request.user, c["username"], c["role"])
        except approvals.Refused as refused:
            form.add_error("username", str(refused))
        else:
            return _back(request, done=_proposed(approvals.describe(proposal)))
    return _page(request, add_form=form)


def _proposed(change: str) -> str:
    return _(
        "Proposed: %(change)s. It waits for a second coordinator (or the recovery "
        "trustees) to approve it."
    ) % {"change": change}


def _target(pk: int) -> Staff:
    return get_object_or_404(Staff, pk=pk)


@require_POST
@coordinators
def change_role(request: StaffRequest, pk: int) -> HttpResponseBase:
    staff = _target(pk)
    form = RoleForm(request, request.POST)
    if not form.is_valid():
        return _back(request, error=_role_unchanged(staff, _form_errors(form)))
    role = form.cleaned_data["role"]
    try:
        done = approvals.change_role(request.user, request.private_key, staff, role)
    except approvals.Refused as refused:
        return _back(request, error=_role_unchanged(staff, str(refused)))
    names = {"login": staff.username, "role": str(Role(role).label).lower()}
    if done:
        return _back(request, done=_("%(login)s is now %(role)s.") % names)
    return _back(request, done=_proposed(_("%(login)s becomes %(role)s") % names))


def _role_unchanged(staff: Staff, reason: str) -> str:
    return _("Role of %(login)s not changed: %(reason)s") % {
        "login": staff.username,
        "reason": reason,
    }


@require_POST
@coordinators
def reset_password(request: StaffRequest, pk: int) -> HttpResponseBase:
    staff = _target(pk)
    form = StepUpForm(request, request.POST)
    if not form.is_valid():
        return _back(request, error=_no_reset(staff, _form_errors(form)))
    try:
        proposal = approvals.propose_reset(request.user, staff)
    except approvals.Refused as refused:
        return _back(request, error=_no_reset(staff, str(refused)))
    return _back(request, done=_proposed(approvals.describe(proposal)))


def _no_reset(staff: Staff, reason: str) -> str:
    return _("No reset proposed for %(login)s: %(reason)s") % {
        "login": staff.username,
        "reason": reason,
    }


@require_POST
@coordinators
def deactivate(request: StaffRequest, pk: int) -> HttpResponseBase:
    """Taking access away needs no second person: it must be quick when an account is lost."""
    staff = _target(pk)
    if staff.pk == request.user.pk:
        return _back(request, error=_("You cannot deactivate your own account."))
    form = StepUpForm(request, request.POST)
    if not form.is_valid():
        return _back(
            request,
            error=_("%(login)s not deactivated: %(reason)s")
            % {"login": staff.username, "reason": _form_errors(form)},
        )
    people_service.deactivate(request.user, staff)
    return _back(
        request,
        done=_("%(login)s is deactivated and holds no keys any more.") % {"login": staff.username},
    )


def _approved(proposal: Proposal) -> str:
    text = _("Approved and done: %(change)s.") % {"change": approvals.describe(proposal)}
    if proposal.needs_password:
        text += " " + _("Give them the first password in person; they must replace it at sign-in.")
    return text


def _not_approved(reason: str) -> str:
    return _("Not approved: %(reason)s") % {"reason": reason}


@require_POST
@coordinators
def approve(request: StaffRequest, proposal_id: uuid.UUID) -> HttpResponseBase:
    proposal = get_object_or_404(Proposal, pk=proposal_id)
    form = ApproveForm(request, request.POST, needs_password=proposal.needs_password)
    if not form.is_valid():
        return _back(request, error=_not_approved(_form_errors(form)))
    try:
        proposal = approvals.approve(
            proposal.pk, request.user, request.private_key, form.cleaned_data["password"]
        )
    except approvals.Refused as refused:
        return _back(request, error=_not_approved(str(refused)))
    except ValidationError as weak:
        return _back(request, error=_not_approved(" ".join(weak.messages)))
    return _back(request, done=_approved(proposal))


@require_POST
@coordinators
def approve_with_shares(request: StaffRequest, proposal_id: uuid.UUID) -> HttpResponseBase:
    proposal = get_object_or_404(Proposal, pk=proposal_id)
    form = RecoveryApproveForm(request, request.POST, needs_password=proposal.needs_password)
    if not form.is_valid():
        return _back(request, error=_not_approved(_form_errors(form)))
    try:
        proposal = approvals.approve_with_shares(
            proposal.pk,
            request.user,
            request.private_key,
            form.share_lines(),
            form.cleaned_data["password"],
        )
    except approvals.Refused as refused:
        return _back(request, error=_not_approved(str(refused)))
    except ValidationError as weak:
        return _back(request, error=_not_approved(" ".join(weak.messages)))
    return _back(request, done=_approved(proposal) + " " + _("The trustees approved it."))


@require_POST
@coordinators
def decline(request: StaffRequest, proposal_id: uuid.UUID) -> HttpResponseBase:
    proposal = get_object_or_404(Proposal, pk=proposal_id)
    try:
        proposal = approvals.decline(proposal.pk, request.user)
    except approvals.Refused as refused:
        return _back(request, error=_("Not declined: %(reason)s") % {"reason": refused})
    return _back(
        request, done=_("Declined: %(change)s.") % {"change": approvals.describe(proposal)}
    )
