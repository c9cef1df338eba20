"""Re-grant access with the recovery shares: for a staff member whose password was
reset (a new key pair), or for an organisation that lost every other holder.

The shares are typed (or piped) one per line; any threshold of them rebuilds the
recovery key, which exists only in this process while the command runs.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import crypto
from accounts import services
from accounts.models import OrganisationKey, Staff
from audit import chain as audit
from audit.models import Action
from cases.models import PersonKey
from cases.persons import key_info as person_key_info
from crypto import recovery
from intake.models import ReportKey
from intake.sealing import key_info


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
        org = services.organisation()
        if sys.stdin.isatty():
            self.stdout.write(
                f"Type {org.recovery_threshold} or more shares, one per line, then an empty line.\n"
            )
        shares = []
        for line in sys.stdin:
            if not line.strip():
                break
            shares.append(line.strip())
        try:
            recovery_key = recovery.recover(shares)
        except crypto.RecoveryError as exc:
            raise CommandError(str(exc)) from None
        holder = org.recovery_holder
        if recovery_key.public_key() != holder.public:
            raise CommandError("These shares rebuild a different key than this organisation's.")

        report_rows = ReportKey.objects.filter(holder=holder)
        if opts["reports"] is not None:
            report_rows = report_rows.filter(report_id__in=opts["reports"])
        actor = "recovery"
        with transaction.atomic():
            granted = 0
            for row in report_rows:
                dek = crypto.unwrap(
                    bytes(row.wrapped), recovery_key, key_info(row.report_id, holder.id)
                )
                ReportKey.objects.update_or_create(
                    report_id=row.report_id,
                    holder=staff.holder,
                    defaults={
                        "wrapped": crypto.wrap(
                            dek, staff.holder.public, key_info(row.report_id, staff.holder_id)
                        )
                    },
                )
                audit.record(actor, Action.KEY_GRANTED, [row.report_id, staff.pk])
                granted += 1
            for row in PersonKey.objects.filter(holder=holder):
                key = crypto.unwrap(
                    bytes(row.wrapped), recovery_key, person_key_info(row.person_id, holder.id)
                )
                PersonKey.objects.update_or_create(
                    person_id=row.person_id,
                    holder=staff.holder,
                    defaults={
                        "wrapped": crypto.wrap(
                            key,
                            staff.holder.public,
                            person_key_info(row.person_id, staff.holder_id),
                        )
                    },
                )
            if staff.role in services.INDEX_KEY_ROLES:
                index = OrganisationKey.Purpose.INDEX
                index_key = services.open_org_key(index, holder, recovery_key)
                OrganisationKey.objects.filter(purpose=index, holder=staff.holder).delete()
                services.grant_org_key(index, index_key, staff.holder)
                audit.record(actor, Action.KEY_GRANTED, [staff.holder_id])
        self.stdout.write(f"Granted {granted} report(s) to {staff.username}.\n")
