"""manage.py import_addresses FILE: load Kartverket's "Matrikkelen – Adresse" CSV offline."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from inputbank.imports.addresses import AddressFileError, ReadReport, read_addresses
from inputbank.management.commands._register_import import RegisterImportCommand
from inputbank.services.addresses import addresses_import

SHOWN_ERRORS = 20


class Command(RegisterImportCommand):
    help = (
        "Import addresses from Kartverket's 'Matrikkelen – Adresse' CSV (';'-separated, header "
        "row, EPSG:25832/25833/4258). Re-running updates rows by lokalId."
    )

    what = "addresses"
    file_help = "the CSV file"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--encoding", default="utf-8-sig", help="default: utf-8-sig")

    def handle(self, *args, path: Path, kommunenummer, prune, encoding, dry_run, **options):
        self.check_options(path, kommunenummer, prune)
        report = ReadReport()
        try:
            with path.open(encoding=encoding, newline="") as stream:
                result = addresses_import(
                    rows=read_addresses(stream, report, kommunenummer),
                    prune_kommune=kommunenummer if prune else None,
                    dry_run=dry_run,
                )
        except LookupError:
            raise CommandError(f"unknown encoding {encoding!r}") from None
        except AddressFileError as exc:
            raise CommandError(f"{path.name}: {exc}") from None
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {result.created + result.updated} addresses from {path.name}: "
            f"{result.created} new, {result.updated} updated"
            + (f", {result.pruned} removed" if prune else "")
            + (
                f", {result.duplicates} duplicate lokalId rows (the last one wins)"
                if result.duplicates
                else ""
            )
            + "."
        )
        errors = sorted(report.errors + result.errors)
        skipped = report.skipped + result.refused
        if skipped:
            self.stderr.write(f"{skipped} rows skipped:")
            for line, message in errors[:SHOWN_ERRORS]:
                self.stderr.write(f"  line {line}: {message}")
            if skipped > SHOWN_ERRORS:
                self.stderr.write(f"  ... and {skipped - SHOWN_ERRORS} more")
