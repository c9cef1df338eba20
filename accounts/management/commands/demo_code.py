"""Print the current TOTP code of a demo account (development only)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import demo_accounts


class Command(BaseCommand):
    help = (
        "Print the current second-factor code of a demo account, e.g. `demo_code intake` "
        "(development only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("login", help=f"one of: {', '.join(demo_accounts.LOGINS)}")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            code = demo_accounts.current_code(options["login"])
        except demo_accounts.Refused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(code)
