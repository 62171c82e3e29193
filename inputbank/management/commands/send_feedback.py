"""Send the feedback e-mails that are due: new ones and failed ones whose retry time has come.

Run it from cron every few minutes. Each message is sent at most once (see
inputbank/services/feedback_email.py); failures are retried with back-off and listed on
/staff/feedback/.
"""

from django.core.management.base import BaseCommand

from inputbank.services import feedback_send


class Command(BaseCommand):
    help = "Send due feedback e-mails to contributors (at most once each; failures are retried)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200, help="at most this many per run")

    def handle(self, *args, limit: int, **options):
        report = feedback_send(limit=limit)
        self.stdout.write(
            f"sent {len(report.sent)}, failed {len(report.failed)}, "
            f"skipped {len(report.skipped)} (taken by another sender)"
        )
