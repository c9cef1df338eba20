"""The auditor reads the log, filters it, downloads it and has its chain verified;
nobody can change it here."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import StaffRequest, role_required
from accounts.models import Role
from config.db_router import reads_from_replica

from . import chain, display, services
from .models import Action


@require_GET
@role_required(Role.AUDITOR)
@reads_from_replica  # the listing may be a moment behind; verify reads the primary
def log(request: StaffRequest) -> HttpResponse:
    form = services.LogFilter(request.GET or None)
    context: dict[str, object] = {"form": form, "check": chain.last_check()}
    if form.is_bound and not form.is_valid():
        # Say what to fix; show no entries rather than entries the auditor did not ask for.
        return render(request, "audit/log.html", context, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    query = form.query() if form.is_bound else {}
    page = services.chain_page(filters, request.GET.get("page"))
    # Today's day-only entries join the chain when the day is over; until then they are
    # shown apart, in an order that says nothing of when they happened.
    waiting = services.waiting_entries(filters)
    waiting_rows = list(waiting[: services.WAITING_SHOWN])
    rows = display.rows([*waiting_rows, *page.entries], limit=services.SUBJECTS_SHOWN)
    context.update(
        page=page,
        rows=rows[len(waiting_rows) :],
        waiting=rows[: len(waiting_rows)],
        waiting_count=waiting.count() if len(waiting_rows) == services.WAITING_SHOWN else None,
        query=urlencode(query),
        filtered=bool(query),
        listed=True,
    )
    return render(request, "audit/log.html", context)


@require_GET
@role_required(Role.AUDITOR)
def download(request: StaffRequest) -> HttpResponse | StreamingHttpResponse:
    form = services.LogFilter(request.GET)
    if not form.is_valid():
        context = {"form": form, "check": chain.last_check()}
        return render(request, "audit/log.html", context, status=400)
    chain.record(chain.staff_actor(request.user), Action.AUDIT_DOWNLOADED)
    response = StreamingHttpResponse(
        services.csv_lines(form.cleaned_data), content_type="text/csv; charset=utf-8"
    )
    # A fixed name: nothing the auditor typed reaches the header.
    name = f"audit-log-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@role_required(Role.AUDITOR)
def verify(request: StaffRequest) -> HttpResponse:
    check = chain.check("auditor")
    chain.record(chain.staff_actor(request.user), Action.CHAIN_VERIFIED)
    if check.ok:
        messages.success(
            request,
            _("The chain is intact: %(count)s entries checked.") % {"count": check.entries_checked},
        )
    else:
        messages.error(
            request,
            _("The chain is broken at entry #%(number)s.") % {"number": check.broken_at},
        )
    return redirect("audit:log")
