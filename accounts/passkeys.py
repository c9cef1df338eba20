"""Passkeys (WebAuthn) as a second factor, through django-otp-webauthn.

The plugin's views are used here as subclasses, mounted under /staff/passkeys/. Its own
URLs are not mounted: their defaults would let any verified session register a passkey
without a fresh step-up, and would take the user of a sign-in from request.user.

Three ceremonies:
- register: a signed-in staff member, stepped up within five minutes, adds a passkey;
- sign-in: the second step after the password. Its user is the staff member the password
  step left pending (accounts.signin), never request.user, so another person's passkey
  cannot finish it, and without the password step there is no one to sign in;
- step-up: a signed-in staff member confirms with a passkey, which opens the same five
  minutes a fresh TOTP code does (accounts.access.stepped_up).

Every malformed request is answered 4xx, never 500: the plugin lets some parsing errors
through, so they are turned into its own API errors here.
"""

from __future__ import annotations

import time

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)
from webauthn.helpers.exceptions import WebAuthnException

from audit import chain as audit
from audit.models import Action

from . import access, signin
from .models import Staff

MAX_PASSKEYS = 10
# What a hostile body can raise inside py_webauthn or the plugin besides their own errors:
# bad base64 or CBOR (ValueError), wrong JSON types (TypeError, KeyError, AttributeError).
_MALFORMED = (
    WebAuthnException,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
)


class StepUpRequired(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "step_up_required"
    default_detail = _("Confirm it is you first: a code from your authenticator app, or a passkey.")


class NoPasskey(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "no_passkey"
    default_detail = _("You have no passkey yet.")


class TooManyPasskeys(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "too_many_passkeys"

    def __init__(self) -> None:
        # Formatted here, in the language of the request, not once at import.
        text = gettext("You have %(count)s passkeys already: remove one first.")
        super().__init__(detail=text % {"count": MAX_PASSKEYS})


def passkeys_of(staff: Staff) -> QuerySet[WebAuthnCredential]:
    return WebAuthnCredential.objects.filter(user=staff, confirmed=True)


def page_config(request: HttpRequest, *, step_up: bool = False) -> dict:
    """What the plugin's scripts read from the page (json_script, so no inline script).
    The authentication URLs are the sign-in ceremony's, or the step-up's."""
    ceremony = "step-up" if step_up else "sign-in"
    return {
        "csrfToken": get_token(request),
        "nextFieldSelector": "input[name='next']",
        "autocompleteLoginFieldSelector": None,
        "beginAuthenticationUrl": reverse(f"staff:passkey-{ceremony}-begin"),
        "completeAuthenticationUrl": reverse(f"staff:passkey-{ceremony}-complete"),
        "beginRegistrationUrl": reverse("staff:passkey-register-begin"),
        "completeRegistrationUrl": reverse("staff:passkey-register-complete"),
    }


def _unverifiable() -> exceptions.OTPWebAuthnApiError:
    return exceptions.UnprocessableEntity(
        code="invalid_response", detail=_("The passkey's answer could not be verified.")
    )


class Helper(WebAuthnHelper):
    """The plugin's helper (OTP_WEBAUTHN_HELPER_CLASS), with names, audit entries and
    malformed input answered 422."""

    def create_credential(self, user, response, parsed_credential, original_data):
        device = super().create_credential(user, response, parsed_credential, original_data)
        # Stored as shown: in the language of the staff member who added it.
        device.name = gettext("Passkey added %(day)s") % {"day": f"{timezone.now():%Y-%m-%d}"}
        return device

    def register_complete(self, user, state, data):
        try:
            with transaction.atomic():
                device = super().register_complete(user, state, data)
                audit.record(
                    audit.staff_actor(user), Action.PASSKEY_REGISTERED, [user.pk, device.pk]
                )
        except exceptions.OTPWebAuthnApiError:
            raise
        except IntegrityError as error:
            # A credential id already stored, for this staff member or another one.
            raise exceptions.UnprocessableEntity(
                code="credential_exists", detail=_("This passkey is registered already.")
            ) from error
        except _MALFORMED as error:
            raise _unverifiable() from error
        return device

    def authenticate_complete(self, user, state, data):
        try:
            return super().authenticate_complete(user, state, data)
        except exceptions.OTPWebAuthnApiError:
            raise
        except _MALFORMED as error:
            raise _unverifiable() from error


class _Api:
    """JSON bodies that do not even decode are a 400, not a 500."""

    def _parse_request_data(self, request):
        try:
            return super()._parse_request_data(request)
        except (ValueError, RecursionError) as error:
            raise exceptions.MalformedRequest() from error


def _signed_in(request: HttpRequest) -> Staff | None:
    """The user of a live, verified staff session (the same test as staff_required)."""
    if access.session_key(request) is None:
        return None
    request.session["last_seen"] = time.time()
    return request.user


# Registration --------------------------------------------------------------------------


class _Registration(_Api):
    def get_user(self):
        return _signed_in(self.request)

    def check_can_register(self):
        # Runs before both steps: a passkey is a new way in, so it needs a fresh factor.
        if not access.fresh_step_up(self.request):
            raise StepUpRequired()
        if passkeys_of(self.request.user).count() >= MAX_PASSKEYS:
            raise TooManyPasskeys()


class RegisterBegin(_Registration, BeginCredentialRegistrationView):
    pass


class RegisterComplete(_Registration, CompleteCredentialRegistrationView):
    pass


# Sign-in (second step) and step-up -------------------------------------------------------


class _Authentication(_Api):
    def ceremony_user(self) -> Staff | None:
        raise NotImplementedError

    def get_user(self):
        if not hasattr(self, "_user"):
            self._user = self.ceremony_user()
        return self._user

    def check_can_authenticate(self):
        # Never passwordless: without a user from our side there is no ceremony at all.
        user = self.get_user()
        if user is None:
            raise exceptions.NotAuthenticated()
        if not passkeys_of(user).exists():
            raise NoPasskey()


class _Failures:
    """A failed assertion for a known staff member is a failed sign-in in the audit log."""

    def handle_exception(self, exc):
        user = self.get_user()
        if user is not None and isinstance(exc, exceptions.OTPWebAuthnApiError):
            audit.record(audit.staff_actor(user), Action.LOGIN_FAILED, [user.pk])
        return super().handle_exception(exc)


class _SignIn(_Authentication):
    def ceremony_user(self):
        return signin.pending(self.request)[0]


class SignInBegin(_SignIn, BeginCredentialAuthenticationView):
    pass


class SignInComplete(_Failures, _SignIn, CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        staff = self.get_user()
        # The helper already refuses another user's credential; checked again where it counts.
        if device.user_id != staff.pk:
            raise exceptions.CredentialUserMismatch()
        signin.finish(self.request, staff, device)

    def get_success_url(self):
        return reverse("staff:home")


class _StepUp(_Authentication):
    def ceremony_user(self):
        return _signed_in(self.request)


class StepUpBegin(_StepUp, BeginCredentialAuthenticationView):
    pass


class StepUpComplete(_Failures, _StepUp, CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        if device.user_id != self.get_user().pk:
            raise exceptions.CredentialUserMismatch()
        access.mark_stepped_up(self.request)

    def get_success_url(self):
        return access.safe_next(self.request) or reverse("staff:security")
