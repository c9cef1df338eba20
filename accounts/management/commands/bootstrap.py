"""Create the organisation on a fresh database: first coordinator, recovery key, index key."""

from __future__ import annotations

import getpass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.recovery_sheet import format_shares


class Command(BaseCommand):
    help = (
        "Create the organisation: the first coordinator, the recovery key (its shares are "
        "printed once and never stored) and the blind-index key. Refuses if it exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org-name", default="Amanat")
        parser.add_argument("--username", required=True, help="the first coordinator's login")
        parser.add_argument(
            "--password-file",
            help="read the coordinator's password from this file (for automation); "
            "otherwise it is asked for interactively",
        )
        parser.add_argument("--threshold", type=int, default=3, help="shares needed (k)")
        parser.add_argument("--shares", type=int, default=5, help="shares made (n)")

    def handle(self, *args, **opts):
        if services.Organisation.objects.exists():
            raise CommandError(
                "This installation already has an organisation; bootstrap runs only once. "
                "To add staff, a coordinator does it in the staff area."
            )
        if not 2 <= opts["threshold"] <= opts["shares"] <= 16:
            raise CommandError("--threshold and --shares need 2 <= threshold <= shares <= 16.")
        password = self._password(opts["password_file"])
        try:
            result = services.bootstrap(
                opts["org_name"], opts["username"], password, opts["threshold"], opts["shares"]
            )
        except services.AlreadyBootstrapped as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from None
        self.stdout.write(
            f"Organisation {result.organisation.name!r} created; "
            f"coordinator {result.coordinator.username!r}.\n"
        )
        self.stdout.write(format_shares(result.shares, opts["threshold"]))

    def _password(self, path: str | None) -> str:
        if path:
            try:
                password = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
            except OSError as exc:
                raise CommandError(f"Cannot read --password-file: {exc.strerror}") from None
            if not password:
                raise CommandError("--password-file is empty.")
            return password
        try:
            first = getpass.getpass("Password for the first coordinator: ")
            second = getpass.getpass("Repeat it: ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError(
                "No password given. Run interactively or pass --password-file."
            ) from None
        if first != second:
            raise CommandError("The two passwords differ; nothing was created.")
        return first
