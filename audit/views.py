"""The auditor reads the log and its verification; nobody can change it here."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import StaffRequest, role_required
from accounts.models import Role

from .chain import verify
from .models import Entry, Waiting


@require_GET
@role_required(Role.AUDITOR)
def log(request: StaffRequest) -> HttpResponse:
    page = Paginator(Entry.objects.order_by("-sequence"), 100).get_page(request.GET.get("page"))
    # Today's day-only entries join the chain when the day is over; until then they are
    # shown here, in an order that says nothing of when they happened.
    waiting = Waiting.objects.order_by("created_at", "action", "actor", "id")
    context = {"page": page, "verdict": verify(), "waiting": waiting}
    return render(request, "audit/log.html", context)
