"""Demo organisation for `make run` only: staff with printed passwords and TOTP secrets."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import second_factor, services
from accounts.models import Role
from accounts.recovery_sheet import format_shares

DEMO_STAFF = [
    ("intake", Role.INTAKE),
    ("caseworker", Role.CASEWORKER),
    ("reviewer", Role.REVIEWER),
    ("auditor", Role.AUDITOR),
]


def _password() -> str:
    return "-".join(secrets.token_hex(3) for _ in range(4))


class Command(BaseCommand):
    help = "Create the demo organisation (development mode only). Safe to run twice."

    def handle(self, *args, **opts):
        if not settings.AMANAT_DEMO:
            raise CommandError("The demo organisation exists only in development mode.")
        if services.Organisation.objects.exists():
            self.stdout.write(
                "Demo organisation already exists; its passwords and second-factor secrets "
                "were printed when it was created. To start over, stop the server and "
                "delete the data/ folder.\n"
            )
            return
        accounts = []
        coordinator_password = _password()
        result = services.bootstrap("Amanat demo", "coordinator", coordinator_password)
        coordinator = result.coordinator
        coordinator_key = services.unlock_private_key(coordinator, coordinator_password)
        accounts.append((coordinator, coordinator_password))
        for username, role in DEMO_STAFF:
            password = _password()
            staff = services.add_staff(username, role, password, coordinator, coordinator_key)
            accounts.append((staff, password))

        self.stdout.write("\nDEMO STAFF ACCOUNTS (development only; shown once)\n")
        self.stdout.write(f"{'login':<12} {'role':<12} {'password':<28} TOTP secret (base32)\n")
        for staff, password in accounts:
            _, secret = second_factor.enrol_totp(staff, confirmed=True)
            self.stdout.write(f"{staff.username:<12} {staff.role:<12} {password:<28} {secret}\n")
        self.stdout.write(
            "Add a TOTP secret to an authenticator app (or `oathtool --totp -b SECRET`).\n"
        )
        self.stdout.write(format_shares(result.shares, result.organisation.recovery_threshold))
