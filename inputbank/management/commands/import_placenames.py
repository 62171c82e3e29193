"""manage.py import_placenames FILE: load Kartverket's place-name register (Stedsnavn) offline."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inputbank.imports.placenames import PlaceNameFileError, read_placenames
from inputbank.services.placenames import placenames_import


class Command(BaseCommand):
    help = (
        "Import place names from Kartverket's Stedsnavn register: the GML download (app:Sted, "
        "EPSG:25832/25833/4258) or a GeoJSON with stedsnummer and komplettskrivemåte. "
        "Re-running updates places by stedsnummer. A file with a broken place is refused whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the GML or GeoJSON file")
        parser.add_argument(
            "--kommunenummer",
            help="keep only this municipality's places (e.g. 3103 for Moss; the national file "
            "holds every municipality)",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="delete place names of --kommunenummer that the file no longer has",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count, store nothing")

    def handle(self, *args, path: Path, kommunenummer, prune, dry_run, **options):
        if prune and not kommunenummer:
            raise CommandError("--prune needs --kommunenummer (which municipality to prune)")
        if kommunenummer and not (kommunenummer.isdigit() and len(kommunenummer) == 4):
            raise CommandError(f"--kommunenummer must be four digits, not {kommunenummer!r}")
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            read = read_placenames(path, kommunenummer)
        except PlaceNameFileError as exc:
            raise CommandError(f"{path.name}: {exc}") from None
        result = placenames_import(
            rows=read.rows, prune_kommune=kommunenummer if prune else None, dry_run=dry_run
        )
        verb = "Would import" if dry_run else "Imported"
        notes = [
            f"{result.created} new",
            f"{result.updated} updated",
        ]
        if prune:
            notes.append(f"{result.pruned} removed")
        if result.outside:
            notes.append(f"{result.outside} outside Moss left out")
        if read.other_kommune:
            notes.append(f"{read.other_kommune} of other municipalities left out")
        if read.inactive:
            notes.append(f"{read.inactive} historic left out")
        self.stdout.write(
            f"{verb} {result.created + result.updated} place names from {path.name}: "
            + ", ".join(notes)
            + "."
        )
