"""Re-grant access with the recovery shares: for a staff member whose password was
reset (a new key pair), or for an organisation that lost every other holder.

The shares are typed (or piped) one per line; any threshold of them rebuilds the
recovery key, which exists only in this process while the command runs.
"""

from __future__ import annotations

import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import keyring
from accounts.models import Reason, Role, Staff
from audit import chain as audit
from audit.models import Action
from cases import case_keys
from cases.management import shares
from cases.models import PersonKey
from intake.models import ReportKey


class Command(BaseCommand):
    help = (
        "Rebuild the recovery key from trustees' shares (one per line on standard input) "
        "and wrap report, person and index keys for a staff member."
    )

    def add_arguments(self, parser):
        parser.add_argument("--grant-to", required=True, help="the staff member's login")
        parser.add_argument(
            "--reports",
            nargs="*",
            default=None,
            help="report ids to grant (default: every report the recovery key can open)",
        )

    def handle(self, *args, **opts):
        staff = Staff.objects.select_related("holder").filter(username=opts["grant_to"]).first()
        if staff is None or not staff.is_active:
            raise CommandError("No active staff member with that login.")
        holder, recovery_key = shares.recovery_key(self)

        # What recovery gives an intake member is what intake receives; anyone else is
        # granted it individually, so a later change of role keeps it.
        reason = Reason.INTAKE if staff.role == Role.INTAKE else Reason.ASSIGNED
        with transaction.atomic():
            if opts["reports"] is None:
                granted = keyring.rewrap(holder, recovery_key, staff, reason)
            else:
                granted = self._grant_cases(holder, recovery_key, staff, reason, opts["reports"])
            for _kind, subject in granted:
                # An organisation key is named by the holder it now reaches, as at its grant.
                subjects = [staff.holder_id] if isinstance(subject, str) else [subject, staff.pk]
                audit.record("recovery", Action.KEY_GRANTED, subjects)
        count = sum(1 for kind, _subject in granted if kind is ReportKey)
        self.stdout.write(f"Granted {count} report(s) to {staff.username}.\n")

    def _grant_cases(self, holder, recovery_key, staff, reason, reports) -> list:
        """Each named report's whole case (cases.case_keys), and what the role carries."""
        try:
            report_ids = [uuid.UUID(report) for report in reports]
        except ValueError:
            raise CommandError("--reports takes report ids (UUIDs).") from None
        granted = []
        for report_id in report_ids:
            if not keyring.holds(ReportKey, report_id, holder.pk):
                raise CommandError(f"The recovery key holds no report {report_id}.")
            shared = case_keys.share(holder, recovery_key, report_id, to={staff.holder_id: reason})
            granted += [key for key, holder_id in shared if holder_id == staff.holder_id]
        # Keys that are not a case's (the index key) come with the role, as without --reports.
        role_keys = {kind: None for kind in keyring.kinds() if kind not in (ReportKey, PersonKey)}
        return granted + keyring.rewrap(holder, recovery_key, staff, reason, only=role_keys)
