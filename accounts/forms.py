from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from .access import StepUpForm
from .models import Role


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a backup code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class NewAccountForm(StepUpForm):
    """Proposes an account: no password here; the approving coordinator sets the first."""

    username = forms.CharField(
        label=_("Login (letters, digits and @.+-_ only)"),
        max_length=64,
        validators=[UnicodeUsernameValidator()],
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RoleForm(StepUpForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ApproveForm(StepUpForm):
    """Approving a proposal. A new account or a reset needs the first password, chosen
    by the approver and given to the staff member in person."""

    password = forms.CharField(
        label=_("First password (you give it to them in person)"),
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
        label=_("Recovery shares (each trustee types their own, one per line)"),
        max_length=16 * 400,
        widget=_SharesInput(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
    )

    def share_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["shares"].splitlines() if line.strip()]


class PasswordForm(StepUpForm):
    current = forms.CharField(
        label=_("Current password"),
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new = forms.CharField(
        label=_("New password (at least 12 characters)"),
        strip=False,
        min_length=12,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    again = forms.CharField(
        label=_("New password again"),
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("new") and data.get("again") and data["new"] != data["again"]:
            self.add_error("again", _("The two new passwords differ. Type the same one twice."))
        if data.get("new") and data.get("new") == data.get("current"):
            self.add_error("new", _("The new password must differ from the current one."))
        return data


class _LanguageSelect(forms.Select):
    """Each language is named in itself, so each option says which language it is in."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["attrs"]["lang"] = option["value"]
        return option


class LanguageForm(forms.Form):
    """The language of the staff pages (Staff.language). Not a key operation: no code."""

    language = forms.ChoiceField(
        label=_("Language of the staff pages"),
        choices=settings.LANGUAGES,
        widget=_LanguageSelect,
        error_messages={
            "required": _("Choose the language of the staff pages from the list."),
            "invalid_choice": _("Choose one of the languages in the list."),
        },
    )
