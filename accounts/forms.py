from django import forms

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


class StepUpMixin(forms.Form):
    code = forms.CharField(label="Code from your authenticator app", max_length=8, required=False)


class AddStaffForm(StepUpMixin):
    username = forms.CharField(max_length=64)
    role = forms.ChoiceField(choices=Role.choices)
    password = forms.CharField(
        label="First password (give it to them in person)",
        strip=False,
        min_length=12,
        max_length=1024,
    )


class RoleForm(StepUpMixin):
    role = forms.ChoiceField(choices=Role.choices)


class ResetForm(StepUpMixin):
    password = forms.CharField(label="New password", strip=False, min_length=12, max_length=1024)


class PasswordForm(StepUpMixin):
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

    def clean(self):
        data = super().clean()
        if data.get("new") and data.get("again") and data["new"] != data["again"]:
            self.add_error("again", "The two new passwords differ. Type the same one twice.")
        if data.get("new") and data.get("new") == data.get("current"):
            self.add_error("new", "The new password must differ from the current one.")
        return data
