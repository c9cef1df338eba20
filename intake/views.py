"""The public side: the report form, the receipt, and return visits.

Views only read forms and render; sealing and storage are in intake.submission
and intake.returns. No view writes anything a reporter typed anywhere but through
submission.submit and returns.add_message, and none keeps it in a session or cookie.
"""

from __future__ import annotations

import logging
import secrets
from functools import lru_cache

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from . import ratelimit, receipts, returns, submission, uploads
from .forms import ConsentForm, MessageForm, ReceiptForm, ReportForm, WithdrawForm
from .models import Consent, Message, Status
from .uploads import upload_errors

log = logging.getLogger(__name__)


@require_GET
def home(request):
    return render(request, "intake/home.html")


def _attach_upload_errors(request, form) -> None:
    for message in upload_errors(request):
        form.add_error("attachments", message)


# Shown whenever nothing was stored, beside what the page says happened.
def _files_again(request, form) -> None:
    if request.FILES:
        form.add_error(None, _("Files are not kept: please choose them again before sending."))


def _not_saved(request, form, message: str, status: int, retry_after: int = 0):
    """The form again, with everything typed, saying why nothing was saved."""
    if not hasattr(form, "cleaned_data"):  # never validated: do not clean uploads now
        form = ReportForm(request.POST)
    form.add_error(None, message)
    _files_again(request, form)
    response = render(request, "intake/report_form.html", {"form": form}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_http_methods(["GET", "POST"])
def report(request):
    if request.method == "GET":
        form = ReportForm(initial={"form_id": secrets.token_urlsafe(16)})
        return render(request, "intake/report_form.html", {"form": form})

    form = ReportForm(request.POST, request.FILES)
    try:
        return _receive_report(request, form)
    except Exception as exc:  # noqa: BLE001 - a reporter never gets a bare server error
        log.error("a report could not be stored (%s); nothing was saved", type(exc).__name__)
        message = _(
            "Something went wrong on our side and nothing was saved. Please send it "
            "again in a few minutes; what you wrote is still here."
        )
        return _not_saved(request, form, message, 503, retry_after=120)


def _receive_report(request, form):
    form_id = request.POST.get("form_id", "")[:64]
    # A form sent again (a reload, a second click, an answer lost on the way) is
    # recognised where its report would be stored, by the form id's unique key: a
    # separate look before would cost every first send a query.
    # Mistakes in the fields cost no attempt: a family correcting the form is not
    # refused, and an empty flood does not fill the global budget. Files are only
    # cleaned after admission.
    _attach_upload_errors(request, form)
    if not form.is_valid():
        status = uploads.refused_status(request)
        return render(request, "intake/report_form.html", {"form": form}, status=status)
    decision = ratelimit.admit_submission(request)
    if decision.admission is ratelimit.Admission.TOO_MANY:
        message = _(
            "Too many reports were sent from your connection in the last hour. "
            "Please wait an hour and send again; what you wrote is still here."
        )
        return _not_saved(request, form, message, 429, decision.retry_after)
    if decision.admission is ratelimit.Admission.BUSY:
        message = _(
            "Many reports are arriving just now, so this one was not saved. Please send "
            "it again in a few minutes; what you wrote is still here."
        )
        # 429, not 503: Django logs every 5xx with its time, and a refusal is no fault.
        return _not_saved(request, form, message, 429, decision.retry_after)
    # Files are cleaned only now, once the form is valid and the attempt was counted.
    refused = uploads.clean_attachments(form)
    if refused:
        return render(request, "intake/report_form.html", {"form": form}, status=refused)
    c = form.cleaned_data
    try:
        submitted = submission.submit(
            form.content(),
            language=get_language(),
            consent=c["consent"],
            region=c["region"],
            files=c["attachments"],
            form_id=c["form_id"],
        )
    except submission.AlreadySent:
        return _sent_before(request, form_id)
    except submission.NotReady:
        message = _(
            "This service cannot receive reports yet. Nothing was saved; please try "
            "again later. What you wrote is still here."
        )
        return _not_saved(request, form, message, 503)
    return _receipt_page(request, submitted.receipt)


def _sent_before(request, form_id: str) -> HttpResponse:
    """A form sent again: its answer may have been lost (a dropped circuit, a worker
    killed after the commit), so its receipt is shown again, opened with the form's
    id that only this page holds. Forms that keep none say "already sent"."""
    receipt = submission.stored_receipt(form_id)
    if receipt is None:
        return render(request, "intake/already_sent.html", status=409)
    return _receipt_page(request, receipt)


_SLOT = "RECEIPT-SLOT"
_CSRF_SLOT = "CSRF-SLOT"


@lru_cache(maxsize=64)
def _receipt_page_around(language: str) -> tuple[str, str] | None:
    """The receipt page before and after the receipt. Rendering it cost a tenth of a
    submission, and it is the same for everyone in a language but for the receipt and
    the confirm form's token, so it is rendered once per language and both are put in
    their places."""
    # Rendered without the request, so nothing of one reporter's request can be kept.
    context = {"receipt": _SLOT, "csrf_token": _CSRF_SLOT}
    page = render_to_string("intake/receipt_shown.html", context)
    before, slot, after = page.partition(_SLOT)
    if not slot or _SLOT in after or (before + after).count(_CSRF_SLOT) != 1:
        return None  # a template that shows the receipt other than once: render it whole
    return before, after


def _receipt_page(request, receipt: str) -> HttpResponse:
    parts = _receipt_page_around(get_language())
    if parts is None:
        context = {"receipt": receipts.display(receipt)}
        return render(request, "intake/receipt_shown.html", context)
    token = get_token(request)
    before, after = (part.replace(_CSRF_SLOT, token) for part in parts)
    return HttpResponse(before + receipts.display(receipt) + after)


@require_http_methods(["GET", "POST"])
def receipt_noted(request):
    """After the receipt page: the reporter says they wrote it down, and the ordinary
    page with its links follows. Nothing here needs or sees the receipt."""
    return render(request, "intake/receipt_noted.html")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: answer it, not a 404."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))


def _status_page(
    request, access, receipt: str, notice: str = "", forms: dict | None = None, status: int = 0
):
    forms = forms or {}
    context = {
        "receipt": receipts.display(receipt),
        "report": access.report,
        "status": Status(access.report.status).label,
        "consent": Consent(access.report.consent).label,
        "thread": returns.thread(access),
        "shared": returns.sharings(access),
        "message_form": forms.get("message") or MessageForm(),
        # A form shown again keeps its id: nothing was stored from it yet.
        "message_form_id": (request.POST.get("form_id", "")[:64] if "message" in forms else "")
        or secrets.token_urlsafe(16),
        "consent_form": forms.get("consent")
        or ConsentForm(initial={"consent": access.report.consent}),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(),
        "notice": notice,
        "withdrawn": access.report.status == Status.WITHDRAWN,
    }
    status = status or (400 if any(f.errors for f in forms.values()) else 200)
    return render(request, "intake/return_status.html", context, status=status)


def _refuse(request, form, message: str, status: int):
    form.add_error("receipt", message)
    return render(request, "intake/receipt_enter.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def receipt(request):
    """Return visits. Every action carries the receipt again: nothing is remembered
    between requests, so a closed tab leaves nothing behind on the server."""
    if request.method == "GET":
        return render(request, "intake/receipt_enter.html", {"form": ReceiptForm()})

    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return render(request, "intake/receipt_enter.html", {"form": form}, status=400)
    try:
        typed = receipts.normalise(form.cleaned_data["receipt"])
    except receipts.MalformedReceipt:
        return _refuse(
            request,
            form,
            _(
                "A receipt has 21 digits, and one of these is wrong or missing. "
                "Check each digit against what you wrote down."
            ),
            400,
        )
    try:
        return _return_visit(request, form, typed)
    except Exception as exc:  # noqa: BLE001 - a reporter never gets a bare server error
        log.error("a return visit failed (%s); nothing was changed", type(exc).__name__)
        message = _(
            "Something went wrong on our side and nothing was changed. Please try again "
            "in a few minutes."
        )
        return _refuse(request, form, message, 503)


def _return_visit(request, form, typed: str):
    # The receipt is checked first: a correct one opens whatever was tried before it.
    access = returns.open_with_receipt(typed)
    if access is None:
        wait = ratelimit.wrong_receipt(request, typed)
        if wait:
            minutes = max(1, (wait + 59) // 60)
            message = _(
                "This receipt does not open a report, and many wrong receipts were tried. "
                "Check each digit against what you wrote down, and wait %(minutes)d "
                "minute(s) before the next try."
            ) % {"minutes": minutes}
            response = _refuse(request, form, message, 429)
            response["Retry-After"] = str(wait)
            return response
        return _refuse(
            request,
            form,
            _(
                "This receipt does not open a report. Check each digit against what you "
                "wrote down. If your report was withdrawn, it has been deleted."
            ),
            400,
        )

    action = request.POST.get("action", "view")
    if action == "message" and access.report.status != Status.WITHDRAWN:
        return _add_message(request, access, typed)
    if action == "consent" and access.report.status != Status.WITHDRAWN:
        consent_form = ConsentForm(request.POST)
        if not consent_form.is_valid():
            return _status_page(request, access, typed, forms={"consent": consent_form})
        returns.change_consent(access, consent_form.cleaned_data["consent"])
        return _status_page(request, access, typed, _("Your choice was saved."))
    if action == "withdraw" and access.report.status != Status.WITHDRAWN:
        withdraw_form = WithdrawForm(request.POST)
        if not withdraw_form.is_valid():
            return _status_page(request, access, typed, forms={"withdraw": withdraw_form})
        returns.withdraw(access)
        return _status_page(
            request,
            access,
            typed,
            _("Your report was withdrawn. Nothing more will be shared, and it will be deleted."),
        )
    return _status_page(request, access, typed)


_ADDED_BEFORE = _lazy("This message was already added. It is shown below.")


def _add_message(request, access, typed: str):
    form_id = request.POST.get("form_id", "")[:64]
    if returns.message_sent(form_id):  # a reload of a page whose message was stored
        return _status_page(request, access, typed, str(_ADDED_BEFORE))
    message_form = MessageForm(request.POST, request.FILES)
    _attach_upload_errors(request, message_form)
    if not message_form.is_valid():
        return _status_page(request, access, typed, forms={"message": message_form})
    upload_bytes = sum(f.size or 0 for f in request.FILES.getlist("attachments"))
    admission = ratelimit.admit_message(request, access.report.id, upload_bytes)
    if admission is not ratelimit.MessageAdmission.ACCEPTED:
        if admission is ratelimit.MessageAdmission.TOO_MANY:
            refusal = _(
                "Too many messages were sent from your connection in the last hour. "
                "Please wait an hour and send it again; what you wrote is still here."
            )
        else:
            refusal = _(
                "This report received as many messages and files as it can take in one "
                "day. Please send this tomorrow; what you wrote is still here."
            )
        message_form.add_error(None, refusal)
        _files_again(request, message_form)
        forms = {"message": message_form}
        return _status_page(request, access, typed, forms=forms, status=429)
    # Files are cleaned only once the receipt, the form and the limits are good.
    if uploads.clean_attachments(message_form):
        return _status_page(request, access, typed, forms={"message": message_form})
    try:
        returns.add_message(
            access,
            Message.Sender.REPORTER,
            message_form.cleaned_data["text"],
            message_form.cleaned_data["attachments"],
            form_id=form_id,
        )
    except submission.AlreadySent:
        return _status_page(request, access, typed, str(_ADDED_BEFORE))
    except Exception as exc:  # noqa: BLE001 - the reporter keeps what they typed
        log.error("a reporter's message could not be stored (%s)", type(exc).__name__)
        message_form.add_error(
            None,
            _(
                "Something went wrong on our side and nothing was saved. Please send it "
                "again in a few minutes; what you wrote is still here."
            ),
        )
        _files_again(request, message_form)
        forms = {"message": message_form}
        return _status_page(request, access, typed, forms=forms, status=503)
    return _status_page(request, access, typed, _("Thank you. Your information was added."))
