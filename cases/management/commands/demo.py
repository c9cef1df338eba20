"""The demo organisation for `make run` (development only): staff whose passwords and
second-factor secrets are printed, and about twenty invented reports to work on."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts import demo_accounts
from accounts.models import Organisation
from accounts.recovery_sheet import format_shares
from cases import demo


class Command(BaseCommand):
    help = (
        "Create the demo organisation with invented reports (development mode only). "
        "Safe to run twice: the second run adds nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo_accounts.require_development()
            created = demo.create()
        except demo_accounts.Refused as refused:
            raise CommandError(str(refused)) from None
        except demo.AlreadyExists:
            self._already()
            return
        self.stdout.write("\nDEMO STAFF ACCOUNTS (development only; all demo data is invented)\n")
        self.stdout.write(f"{'login':<12} {'role':<12} {'password':<28} TOTP secret (base32)\n")
        for account in created.accounts:
            staff = account.staff
            self.stdout.write(
                f"{staff.username:<12} {staff.role:<12} {account.password:<28} "
                f"{account.totp_secret}\n"
            )
        self.stdout.write(
            "Add a TOTP secret to an authenticator app (or `oathtool --totp -b SECRET`), or "
            "print the current code with `python manage.py demo_code LOGIN`.\n"
        )
        self.stdout.write(f"{created.reports} invented reports were sent, some triaged.\n")
        self.stdout.write(format_shares(created.shares, created.threshold))

    def _already(self) -> None:
        if not demo_accounts.is_demo_organisation():
            name = Organisation.objects.values_list("name", flat=True).first()
            self.stdout.write(
                f"An organisation ({name}) exists already; the demo adds nothing to it. "
                "To start over with the demo, stop the server and delete the data/ folder.\n"
            )
            return
        self.stdout.write(
            f"\nThe demo organisation exists already ({demo.count()} reports); nothing was "
            "added. Its logins (passwords as first printed, unless changed since):\n"
        )
        for login, role in demo_accounts.STAFF:
            self.stdout.write(f"  {login:<12} {role:<12} {demo_accounts.password(login)}\n")
        self.stdout.write(
            "Second-factor code: `python manage.py demo_code LOGIN`. To start over, stop the "
            "server and delete the data/ folder.\n"
        )
