"""Staff sign-in: password (which unlocks the key), then a second factor."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit import chain as audit
from audit.models import Action

from . import passkeys, second_factor, signin, throttle
from .access import StaffRequest, StepUpForm, end_session, fresh_step_up, safe_next, staff_required
from .forms import CodeForm, LanguageForm, LoginForm, PasswordForm
from .home import counts as home_counts
from .login import LoginRefused, TryLater, check_password
from .login import change_password as change_own_password
from .models import SealedTOTPDevice


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    too_many = False  # refused before any key derivation: 429, not 400
    if request.method == "POST" and form.is_valid():
        try:
            staff, key = check_password(
                form.cleaned_data["username"],
                form.cleaned_data["password"],
                throttle.client_of(request),
            )
        except LoginRefused as refused:
            form.add_error(None, str(refused))
            too_many = isinstance(refused, TryLater)
        else:
            confirmed = SealedTOTPDevice.objects.filter(user=staff, confirmed=True).exists()
            response = redirect("staff:verify" if confirmed else "staff:enrol")
            signin.start(request, response, staff, key)
            return response
    status = 429 if too_many else 400 if form.errors else 200
    return render(request, "staff/login.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@csp_update({"connect-src": ["'self'"]})  # the passkey script talks to /staff/passkeys/
def verify_view(request: HttpRequest) -> HttpResponseBase:
    staff, key = signin.pending(request)
    if staff is None or key is None:
        return redirect("staff:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        device = SealedTOTPDevice.objects.filter(user=staff, confirmed=True).first()
        if device and code.isdigit() and second_factor.verify_totp(device, key, code):
            signin.finish(request, staff, device)
            return redirect("staff:home")
        backup = None if code.isdigit() else second_factor.verify_backup_code(staff, key, code)
        if backup is not None:
            signin.finish(request, staff, backup)
            return redirect("staff:home")
        audit.record(audit.staff_actor(staff), Action.LOGIN_FAILED, [staff.pk])
        form.add_error("code", _("This code is wrong or was already used."))
    context = {
        "form": form,
        "passkey": passkeys.passkeys_of(staff).exists(),
        "passkey_config": passkeys.page_config(request),
    }
    return render(request, "staff/verify.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def enrol_view(request: HttpRequest) -> HttpResponseBase:
    """First sign-in: set up the authenticator app (no way round it)."""
    staff, key = signin.pending(request)
    if staff is None or key is None:
        return redirect("staff:login")
    if SealedTOTPDevice.objects.filter(user=staff, confirmed=True).exists():
        return redirect("staff:verify")
    device = SealedTOTPDevice.objects.filter(user=staff, confirmed=False).first()
    if device is None:
        device, _seed = second_factor.enrol_totp(staff)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify_totp(device, key, form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = second_factor.make_backup_codes(staff)
            signin.finish(request, staff, device)
            audit.record(audit.staff_actor(staff), Action.AUTHENTICATOR_ENROLLED, [staff.pk])
            return render(request, "staff/backup_codes.html", {"codes": codes})
        form.add_error("code", _("This code does not match. Check the time on your phone."))
    seed = second_factor.totp_seed(device, key)
    uri = second_factor.totp_uri(staff, seed)
    context = {
        "form": form,
        "qr": second_factor.qr_svg(uri),
        "secret": uri.split("secret=")[1].split("&")[0],
    }
    return render(request, "staff/enrol.html", context, status=400 if form.errors else 200)


@staff_required
def home(request: StaffRequest) -> HttpResponse:
    """Counts that link into the lists, and the unread notices. A notice carries no
    content (a kind, a day and an opaque id to follow) and stays unread until the
    report or case it points to is opened, not merely because this page was shown."""
    context = {
        "staff": request.user,
        "counts": home_counts(request.user),
        "notifications": list(request.user.notifications.filter(read=False)[:50]),
    }
    return render(request, "staff/home.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponseBase:
    if request.user.is_authenticated:
        audit.record(audit.staff_actor(request.user), Action.LOGOUT, [request.user.pk])
    return end_session(request)


def _security_page(
    request: StaffRequest,
    form: StepUpForm | None = None,
    status: int = 200,
    language_form: LanguageForm | None = None,
) -> HttpResponse:
    mine = passkeys.passkeys_of(request.user).order_by("created_at")
    fresh = fresh_step_up(request)
    context = {
        "passkeys": mine,
        "fresh": fresh,
        "can_add": fresh and mine.count() < passkeys.MAX_PASSKEYS,
        "form": form or StepUpForm(request),
        "next": safe_next(request),
        "passkey_config": passkeys.page_config(request, step_up=True),
        "language_form": language_form or LanguageForm(initial={"language": request.user.language}),
    }
    return render(request, "staff/security.html", context, status=status)


@require_http_methods(["GET", "POST"])
@csp_update({"connect-src": ["'self'"]})  # the passkey scripts talk to /staff/passkeys/
@staff_required
def security(request: StaffRequest) -> HttpResponseBase:
    """Second factors: confirm it is you (step-up), then add or remove passkeys."""
    if request.method == "GET":
        return _security_page(request)
    form = StepUpForm(request, request.POST)
    if form.is_valid():
        messages.success(request, _("Confirmed: for five minutes, key operations need no code."))
        return redirect(safe_next(request) or "staff:security")
    return _security_page(request, form, status=403)


@require_POST
@csp_update({"connect-src": ["'self'"]})  # a refusal shows the security page again
@staff_required
def remove_passkey(request: StaffRequest, pk: int) -> HttpResponseBase:
    credential = get_object_or_404(passkeys.passkeys_of(request.user), pk=pk)
    form = StepUpForm(request, request.POST)
    if not form.is_valid():
        return _security_page(request, form, status=403)
    with transaction.atomic():
        credential.delete()
        audit.record(audit.staff_actor(request.user), Action.PASSKEY_REMOVED, [request.user.pk, pk])
    messages.success(request, _("The passkey was removed."))
    return redirect("staff:security")


@require_POST
@csp_update({"connect-src": ["'self'"]})  # a refusal shows the security page again
@staff_required
def set_language(request: StaffRequest) -> HttpResponseBase:
    """The language of the staff pages for this staff member, from the next page on.
    A preference, not a key operation: no code needed, and no audit entry."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return _security_page(request, language_form=form, status=400)
    staff = request.user
    staff.language = form.cleaned_data["language"]
    staff.save(update_fields=["language"])
    translation.activate(staff.language)  # the notice is already in the new language
    messages.success(request, _("The staff pages are now in this language."))
    return redirect("staff:security")


@require_http_methods(["GET", "POST"])
@staff_required
def change_password(request: StaffRequest) -> HttpResponse:
    """Re-lock your own key under a new password: a fresh second factor (a key
    operation), the current password, and the new one twice."""
    form = PasswordForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            _staff, key = check_password(
                request.user.username, c["current"], throttle.client_of(request)
            )
        except TryLater as busy:
            form.add_error("current", str(busy))
        except LoginRefused:
            form.add_error("current", _("This is not your current password."))
        else:
            try:
                change_own_password(request.user, key, c["new"])
            except ValidationError as refused:
                form.add_error("new", refused)
            else:
                return render(request, "staff/password.html", {"changed": True})
    status = 400 if form.errors else 200
    return render(request, "staff/password.html", {"form": form}, status=status)
