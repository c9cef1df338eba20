"""Check the audit log's hash chain; name the first broken entry."""

from django.core.management.base import BaseCommand, CommandError

from audit.chain import verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain. Exits non-zero and names the first broken entry."

    def handle(self, *args, **opts):
        verdict = verify()
        if not verdict.ok:
            raise CommandError(
                f"Audit log broken at entry #{verdict.broken_at}: {verdict.reason} "
                f"({verdict.count} entries read)."
            )
        self.stdout.write(f"Audit log intact: {verdict.count} entries, head {verdict.head}.\n")
