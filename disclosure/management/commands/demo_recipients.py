"""The demo organisation's register of recipients (development only): the UN Working
Group, an invented partner and an invented press contact. Safe to run twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts import demo_accounts
from accounts import services as accounts
from accounts.models import Staff
from disclosure import recipients
from disclosure.models import Recipient

DEMO = (
    ("un", "UN Working Group on Enforced or Involuntary Disappearances"),
    ("partner", "Partner organisation (invented, for the demo)"),
    ("public", "Press contact (invented, for the demo)"),
)


class Command(BaseCommand):
    help = "Add the demo recipients to the register (development mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo_accounts.require_development()
        except demo_accounts.Refused as refused:
            raise CommandError(str(refused)) from None
        if Recipient.objects.exists():
            return
        coordinator = Staff.objects.filter(username="coordinator").first()
        if coordinator is None:
            raise CommandError("Run `manage.py demo` first.")
        key = accounts.unlock_private_key(coordinator, demo_accounts.password("coordinator"))
        try:
            for kind, name in DEMO:
                recipients.add(coordinator, key, kind, name)
        except recipients.NoKey:
            raise CommandError("The demo coordinator holds no register key.") from None
        self.stdout.write(f"{len(DEMO)} demo recipients are in the register.\n")
