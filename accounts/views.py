"""Staff sign-in: password (which unlocks the key), then a second factor."""

from __future__ import annotations

import time
from functools import wraps

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from audit import chain as audit
from audit.models import Action

from . import people as people_service
from . import second_factor, services, session_keys
from .access import end_session, staff_required, stepped_up
from .forms import AddStaffForm, CodeForm, LoginForm, ResetForm, RoleForm, StepUpMixin
from .login import LoginRefused, check_password
from .models import Role, SealedTOTPDevice, Staff

PENDING = "pending_staff"


def _pending(request) -> tuple[Staff | None, object]:
    """The staff member between password and second factor, with their key."""
    pk = request.session.get(PENDING)
    if pk is None or time.time() - request.session.get("pending_at", 0) > 300:
        return None, None
    staff = Staff.objects.select_related("holder").filter(pk=pk, is_active=True).first()
    key = session_keys.load(request, pk) if staff else None
    return (staff, key) if key else (None, None)


def _finish(request, staff: Staff, device) -> None:
    login(request, staff, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    request.session.pop(PENDING, None)
    request.session["login_at"] = request.session["last_seen"] = time.time()
    audit.record(audit.staff_actor(staff), Action.LOGIN, [staff.pk])


@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff, key = check_password(
                form.cleaned_data["username"], form.cleaned_data["password"]
            )
        except LoginRefused as refused:
            form.add_error(None, str(refused))
        else:
            request.session.cycle_key()
            request.session[PENDING] = staff.pk
            request.session["pending_at"] = time.time()
            confirmed = SealedTOTPDevice.objects.filter(user=staff, confirmed=True).exists()
            response = redirect("staff:verify" if confirmed else "staff:enrol")
            session_keys.keep(request, response, staff.pk, key)
            return response
    return render(request, "staff/login.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def verify_view(request):
    staff, key = _pending(request)
    if staff is None:
        return redirect("staff:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        device = SealedTOTPDevice.objects.filter(user=staff, confirmed=True).first()
        if device and code.isdigit() and second_factor.verify_totp(device, key, code):
            _finish(request, staff, device)
            return redirect("staff:home")
        backup = None if code.isdigit() else second_factor.verify_backup_code(staff, key, code)
        if backup is not None:
            _finish(request, staff, backup)
            return redirect("staff:home")
        audit.record(audit.staff_actor(staff), Action.LOGIN_FAILED, [staff.pk])
        form.add_error("code", "This code is wrong or was already used.")
    return render(request, "staff/verify.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def enrol_view(request):
    """First sign-in: set up the authenticator app (no way round it)."""
    staff, key = _pending(request)
    if staff is None:
        return redirect("staff:login")
    if SealedTOTPDevice.objects.filter(user=staff, confirmed=True).exists():
        return redirect("staff:verify")
    device = SealedTOTPDevice.objects.filter(user=staff, confirmed=False).first()
    if device is None:
        device, _ = second_factor.enrol_totp(staff)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify_totp(device, key, form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = second_factor.make_backup_codes(staff)
            _finish(request, staff, device)
            audit.record(audit.staff_actor(staff), Action.KEY_GRANTED, [staff.holder_id])
            return render(request, "staff/backup_codes.html", {"codes": codes})
        form.add_error("code", "This code does not match. Check the time on your phone.")
    seed = second_factor.totp_seed(device, key)
    uri = second_factor.totp_uri(staff, seed)
    context = {
        "form": form,
        "qr": second_factor.qr_svg(uri),
        "secret": uri.split("secret=")[1].split("&")[0],
    }
    return render(request, "staff/enrol.html", context, status=400 if form.errors else 200)


@staff_required
def home(request):
    """Notifications carry no content: a kind, a date and an opaque id to follow."""
    notifications = list(request.user.notifications.filter(read_at=None)[:50])
    request.user.notifications.filter(pk__in=[n.pk for n in notifications]).update(
        read_at=timezone.now()
    )
    return render(
        request, "staff/home.html", {"staff": request.user, "notifications": notifications}
    )


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit.record(audit.staff_actor(request.user), Action.LOGOUT, [request.user.pk])
    return end_session(request)


def coordinator_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.COORDINATOR:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _people_page(request, add_form=None, status=200):
    context = {
        "people": Staff.objects.order_by("username"),
        "add_form": add_form or AddStaffForm(),
        "role_form": RoleForm(),
        "reset_form": ResetForm(),
    }
    return render(request, "staff/people.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
@coordinator_only
def people(request):
    if request.method == "GET":
        return _people_page(request)
    form = AddStaffForm(request.POST)
    if form.is_valid():
        if not stepped_up(request, form.cleaned_data["code"]):
            form.add_error("code", "Adding staff needs a fresh code from your authenticator app.")
        elif Staff.objects.filter(username=form.cleaned_data["username"]).exists():
            form.add_error("username", "This login is taken.")
        else:
            c = form.cleaned_data
            try:
                services.add_staff(
                    c["username"], c["role"], c["password"], request.user, request.private_key
                )
            except ValidationError as refused:
                form.add_error("password", refused)
            else:
                return redirect("staff:people")
    return _people_page(request, add_form=form, status=400)


def _person_action(request, pk, form_class, act):
    staff = get_object_or_404(Staff, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid() or staff.pk == request.user.pk:
        return _people_page(request, status=400)
    if not stepped_up(request, form.cleaned_data["code"]):
        return _people_page(request, status=403)
    act(staff, form.cleaned_data)
    return redirect("staff:people")


@require_POST
@staff_required
@coordinator_only
def change_role(request, pk):
    return _person_action(
        request,
        pk,
        RoleForm,
        lambda staff, c: people_service.change_role(
            request.user, request.private_key, staff, c["role"]
        ),
    )


@require_POST
@staff_required
@coordinator_only
def deactivate(request, pk):
    return _person_action(
        request, pk, StepUpMixin, lambda staff, c: people_service.deactivate(request.user, staff)
    )


@require_POST
@staff_required
@coordinator_only
def reset_password(request, pk):
    return _person_action(
        request,
        pk,
        ResetForm,
        lambda staff, c: people_service.reset_password(request.user, staff, c["password"]),
    )
