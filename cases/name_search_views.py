"""The name search page: a POST form (the name never goes into a URL) and the persons
found, as cases.name_search finds them."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.access import StaffRequest, role_required
from accounts.models import INDEX_KEY_ROLES

from . import name_search


class NameSearchForm(forms.Form):
    name = forms.CharField(
        label=_("Find a person by any spelling"),
        max_length=name_search.LONGEST,
        error_messages={
            "required": name_search.EMPTY,
            "max_length": name_search.TOO_LONG % {"limit": name_search.LONGEST},
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "dir": "auto"}),
        help_text=_(
            "A name as a family may write it, in Latin, Arabic, Cyrillic or Chinese "
            "characters. Only cases you can open are searched; the name is not kept."
        ),
    )


@require_http_methods(["GET", "POST"])
@role_required(*INDEX_KEY_ROLES)
def find_person(request: StaffRequest) -> HttpResponse:
    if not name_search.can_search(request.user):
        raise Http404
    form = NameSearchForm(request.POST if request.method == "POST" else None)
    found = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            found = name_search.find(request.user, request.private_key, form.cleaned_data["name"])
        else:
            status = 400
    return render(request, "cases/find_person.html", {"form": form, "found": found}, status=status)
