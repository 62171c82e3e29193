"""Apply the retention rules (run daily from cron): pseudonymise contributors whose retention
period has ended and delete audit events older than AUDIT_RETENTION_DAYS."""

from django.core.management.base import BaseCommand

from inputbank.models import AuditEvent
from inputbank.services.audit import audit_events_expire, audit_retention_cutoff
from inputbank.services.privacy import contributors_due_for_pseudonymisation, retention_apply


class Command(BaseCommand):
    help = (
        "Pseudonymise personal data of contributors past the retention period and delete "
        "audit events past AUDIT_RETENTION_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count, change nothing")

    def handle(self, *args, **opts):
        from django.utils import timezone

        if opts["dry_run"]:
            count = contributors_due_for_pseudonymisation(timezone.localdate()).count()
            self.stdout.write(f"{count} contributor(s) would be pseudonymised.")
            events = AuditEvent.objects.filter(at__lt=audit_retention_cutoff()).count()
            self.stdout.write(f"{events} audit event(s) would be deleted.")
            return
        count = retention_apply()
        self.stdout.write(f"Pseudonymised {count} contributor(s).")
        events = audit_events_expire()
        self.stdout.write(f"Deleted {events} audit event(s) past retention.")
