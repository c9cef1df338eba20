from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from .access import StepUpForm
from .models import Role


class LoginForm(forms.Form):
    username = forms.CharField(
        max_length=64, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app, or a backup code",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class NewAccountForm(StepUpForm):
    """Proposes an account: no password here; the approving coordinator sets the first."""

    username = forms.CharField(
        label="Login (letters, digits and @.+-_ only)",
        max_length=64,
        validators=[UnicodeUsernameValidator()],
    )
    role = forms.ChoiceField(choices=Role.choices)


class RoleForm(StepUpForm):
    role = forms.ChoiceField(choices=Role.choices)


class ApproveForm(StepUpForm):
    """Approving a proposal. A new account or a reset needs the first password, chosen
    by the approver and given to the staff member in person."""

    password = forms.CharField(
        label="First password (you give it to them in person)",
        strip=False,
        required=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, request: Any, *args: Any, needs_password: bool = False, **kwargs: Any):
        super().__init__(request, *args, **kwargs)
        self.fields["password"].required = needs_password


class _SharesInput(forms.Textarea):
    # Shares are never sent back to the browser, not even on a refusal.
    def format_value(self, value: Any) -> None:
        return None


class RecoveryApproveForm(ApproveForm):
    shares = forms.CharField(
        label="Recovery shares (each trustee types their own, one per line)",
        max_length=16 * 400,
        widget=_SharesInput(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
    )

    def share_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["shares"].splitlines() if line.strip()]


class PasswordForm(StepUpForm):
    current = forms.CharField(
        label="Current password",
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new = forms.CharField(
        label="New password (at least 12 characters)",
        strip=False,
        min_length=12,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    again = forms.CharField(
        label="New password again",
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("new") and data.get("again") and data["new"] != data["again"]:
            self.add_error("again", "The two new passwords differ. Type the same one twice.")
        if data.get("new") and data.get("new") == data.get("current"):
            self.add_error("new", "The new password must differ from the current one.")
        return data
