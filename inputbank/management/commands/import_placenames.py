"""manage.py import_placenames FILE: load Kartverket's place-name register (Stedsnavn) offline."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from inputbank.imports.placenames import PlaceNameFileError, read_placenames
from inputbank.management.commands._register_import import RegisterImportCommand
from inputbank.services.placenames import placenames_import


class Command(RegisterImportCommand):
    help = (
        "Import place names from Kartverket's Stedsnavn register: the GML download (app:Sted, "
        "EPSG:25832/25833/4258) or a GeoJSON with stedsnummer and komplettskrivemåte. "
        "Re-running updates places by stedsnummer. A file with a broken place is refused whole."
    )

    what = "place names"
    file_help = "the GML or GeoJSON file"

    def handle(self, *args, path: Path, kommunenummer, prune, dry_run, **options):
        self.check_options(path, kommunenummer, prune)
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
