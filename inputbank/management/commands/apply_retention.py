"""Pseudonymise contributors whose retention period has ended (run daily from cron)."""

from django.core.management.base import BaseCommand

from inputbank.services.privacy import contributors_due_for_pseudonymisation, retention_apply


class Command(BaseCommand):
    help = "Pseudonymise personal data of contributors past the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count, change nothing")

    def handle(self, *args, **opts):
        from django.utils import timezone

        if opts["dry_run"]:
            count = contributors_due_for_pseudonymisation(timezone.localdate()).count()
            self.stdout.write(f"{count} contributor(s) would be pseudonymised.")
            return
        count = retention_apply()
        self.stdout.write(f"Pseudonymised {count} contributor(s).")
