"""manage.py import_inputs FILE [--mapping M] [--srid N] [--commit] ...

Dry run by default: prints the row-level report and stores nothing. With --commit the valid
rows are stored in one transaction (with --all-or-nothing: only if every row is valid).
Exit status 1 when the file was refused or (with --all-or-nothing) had errors.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from geo.io import HostileFile, UnsupportedFile, check_plain_path
from inputbank.imports import ImportOptions, Mapping, MappingError, parse_mapping, run_import
from inputbank.imports.mapping import parse_source_srid


class Command(BaseCommand):
    help = "Import inputs from GeoPackage, Shapefile (zip), GeoJSON, FlatGeobuf, CSV or XLSX."
    # Django's system checks load every URL, view and API schema module first: 1.3 s of CPU
    # (2 s at load) before an import that needs none of them. ``manage.py check`` (run by
    # ./scripts/test and at deploy) is where they belong.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the file to import (a plain local file)")
        parser.add_argument("--mapping", help="TOML or JSON mapping of columns (docs/gis.md)")
        parser.add_argument("--srid", help="EPSG code to assume when the file has no CRS")
        parser.add_argument("--layer", help="layer to read (GeoPackage with several layers)")
        parser.add_argument("--sheet", help="sheet to read (XLSX)")
        parser.add_argument("--encoding", help="text encoding of a shapefile's .dbf")
        parser.add_argument("--commit", action="store_true", help="store the valid rows")
        parser.add_argument(
            "--all-or-nothing", action="store_true", help="store nothing unless every row is valid"
        )
        parser.add_argument("--publish", action="store_true", help="publish at once")
        parser.add_argument("--user", help="username recorded as the registering officer")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **opts):
        try:
            path = check_plain_path(opts["file"])
        except (HostileFile, UnsupportedFile) as exc:
            raise CommandError(str(exc)) from exc
        mapping = Mapping()
        if opts["mapping"]:
            try:
                mapping = parse_mapping(check_plain_path(opts["mapping"]).read_text("utf-8"))
            except (MappingError, HostileFile, UnsupportedFile, UnicodeDecodeError) as exc:
                raise CommandError(f"mapping: {exc}") from exc
        srid = None
        if opts["srid"]:
            try:
                srid = parse_source_srid(opts["srid"])
            except ValueError as exc:
                raise CommandError(f"--srid: {exc}") from exc
        user = None
        if opts["user"]:
            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(f"--user: no user {opts['user']!r}")
        options = ImportOptions(
            mapping=mapping,
            srid=srid,
            layer=opts["layer"],
            sheet=opts["sheet"],
            encoding=opts["encoding"],
            publish=opts["publish"],
            all_or_nothing=opts["all_or_nothing"],
        )
        # The command speaks English throughout; the pipeline's messages follow the active
        # language (the officer's on the staff page), so they are asked for in English here.
        with translation.override("en"):
            report = run_import(Path(path), options=options, user=user, commit=opts["commit"])
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report.as_text())
        if report.refused or (opts["all_or_nothing"] and report.error_count):
            raise CommandError("nothing was imported")
