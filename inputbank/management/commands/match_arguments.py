"""Put every input that has no argument yet into one (after the demo loader, or an upgrade)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from inputbank.models import Input
from inputbank.services import arguments_match_many


class Command(BaseCommand):
    help = "Match inputs without an argument into arguments, oldest first, in batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2_000)

    def handle(self, *args, batch: int, **options):
        total = 0
        while True:
            ids = list(
                Input.objects.filter(argument__isnull=True)
                .exclude(status="rejected")
                .order_by("received_at", "id")
                .values_list("id", flat=True)[:batch]
            )
            if not ids:
                break
            with transaction.atomic():  # one batch per transaction: memory stays bounded
                total += arguments_match_many(input_ids=ids)
            self.stdout.write(f"{total} inputs matched")
        self.stdout.write(self.style.SUCCESS(f"done: {total} inputs matched"))
