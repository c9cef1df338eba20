"""The cases list page (persons). Filters come from a GET form whose values are
checked against fixed lists: a status, or a caseworker assigned to one of the
persons this staff member holds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.access import StaffRequest, staff_required
from accounts.models import Staff

from . import caselist, duplicates
from .models import PersonStatus
from .workspace import OPEN

if TYPE_CHECKING:  # generic only for the type checker
    StaffChoiceField = forms.ModelChoiceField[Staff]
else:
    StaffChoiceField = forms.ModelChoiceField


class CaseworkerField(StaffChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return obj.username


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), (OPEN, _("Open cases")), *PersonStatus.choices],
        error_messages={"invalid_choice": _("Choose a status from the list, or any status.")},
    )
    caseworker = CaseworkerField(
        label=_("Caseworker"),
        required=False,
        queryset=Staff.objects.none(),
        empty_label=_("Anyone"),
        error_messages={
            "invalid_choice": _("Choose a caseworker from the list, or anyone."),
        },
    )
    before = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("The page link is broken: start again from the first page."),
            "min_value": _("The page link is broken: start again from the first page."),
        },
    )

    def __init__(self, staff: Staff, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["caseworker"]
        assert isinstance(field, CaseworkerField)
        field.queryset = caselist.caseworkers(staff)


@require_GET
@staff_required
def persons(request: StaffRequest) -> HttpResponse:
    form = CaseFilterForm(request.user, request.GET or None)
    if form.is_bound and not form.is_valid():
        refused: dict[str, Any] = {"form": form, "page": None}
        return render(request, "cases/case_list.html", refused, status=400)
    c = form.cleaned_data if form.is_bound else {}
    duplicates.reindex_due(request.user, request.private_key)  # names a shredding took
    page = caselist.cases(
        request.user,
        request.private_key,
        status=c.get("status") or "",
        caseworker=c.get("caseworker"),
        before=c.get("before"),
    )
    # The links between pages keep the (valid) filters and nothing else.
    filters = {key: request.GET[key] for key in ("status", "caseworker") if c.get(key)}
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "first_url": f"?{urlencode(filters)}" if filters else "",
        "older_url": f"?{urlencode({**filters, 'before': str(page.older)})}" if page.older else "",
    }
    return render(request, "cases/case_list.html", context)
