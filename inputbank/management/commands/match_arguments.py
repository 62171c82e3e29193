"""Put every input that has no argument yet into one (after the demo loader, an import of an
archive, or an upgrade); ``--all`` regroups the whole bank from scratch (docs/arguments.md)."""

from django.core.management.base import BaseCommand

from inputbank.services import arguments_regroup, arguments_reset


class Command(BaseCommand):
    help = (
        "Match inputs without an argument into arguments: the bank in blocks, oldest first in "
        "each, one transaction per block (resumable). --all first takes back every placing "
        "an officer did not pin, then regroups everything."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="regroup from scratch: officers' pinned inputs and their arguments stay",
        )
        parser.add_argument(
            "--block",
            type=float,
            default=1_000,
            help="side of a block in metres (storage CRS); larger = fewer queries, more memory",
        )

    def handle(self, *args, all: bool, block: float, **options):  # noqa: A002
        if all:
            freed = arguments_reset()
            self.stdout.write(f"{freed} machine placings taken back")
        result = arguments_regroup(block_m=block, log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"done: {result.placed} inputs placed, {result.opened} arguments opened, "
                f"{result.blocks} blocks in {result.seconds:.1f} s, "
                f"{result.kept_max} kept at most, peak memory {result.peak_rss_mb:.0f} MB"
            )
        )
