"""Invite the contributors of recently closed processes to evaluate them (once each).

Run it from cron once a day (deploy/innspillsbank.cron); running it again invites nobody twice
(inputbank/services/evaluations.py).
"""

from django.core.management.base import BaseCommand

from inputbank.services.evaluations import evaluations_invite


class Command(BaseCommand):
    help = "Invite contributors of processes closed in the last 60 days to a short evaluation."

    def handle(self, *args, **options):
        report = evaluations_invite()
        self.stdout.write(
            f"invited {report.invited}, sent {len(report.sent)}, failed {len(report.failed)}"
        )
