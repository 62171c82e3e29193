"""Send the area alerts' digests that are due (docs/resident-map.md, "Area alerts").

Run it from cron once a day, in the morning (deploy/innspillsbank.cron): a daily subscription
gets at most one e-mail a day, a weekly one at most one a week, and only when something is
new. The same run resends confirmation e-mails that could not be sent and forgets unconfirmed
subscriptions older than a week.
"""

from django.core.management.base import BaseCommand

from inputbank.services.alerts import alert_digests_send


class Command(BaseCommand):
    help = "Send due area alert digests (one per subscription per day or week)."

    def handle(self, *args, **options):
        report = alert_digests_send()
        self.stdout.write(
            f"sent {len(report.sent)}, nothing new {len(report.empty)}, "
            f"failed {len(report.failed)}, confirmations {report.confirmations}, "
            f"unconfirmed forgotten {report.forgotten}"
        )
