"""What the register import commands share (import_addresses, import_placenames).

A module whose name starts with "_" is not a command of its own (Django skips it).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class RegisterImportCommand(BaseCommand):
    """FILE, --kommunenummer, --prune and --dry-run, checked the same way for every register."""

    what = "rows"  # "addresses", "place names": said in the help texts
    file_help = "the file"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=self.file_help)
        parser.add_argument(
            "--kommunenummer",
            help="keep only this municipality's rows (e.g. 3103 for Moss; the national file "
            "holds every municipality)",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help=f"delete {self.what} of --kommunenummer that the file no longer has",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count, store nothing")

    def check_options(self, path: Path, kommunenummer: str | None, prune: bool) -> None:
        """Refuse options that cannot work before any file is read."""
        if prune and not kommunenummer:
            raise CommandError("--prune needs --kommunenummer (which municipality to prune)")
        if kommunenummer and not (kommunenummer.isdigit() and len(kommunenummer) == 4):
            raise CommandError(f"--kommunenummer must be four digits, not {kommunenummer!r}")
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
