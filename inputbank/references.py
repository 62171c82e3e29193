"""Short human references for input: "MOSS-2026-0142" (prefix, year of receipt, number).

A resident can read one aloud on the phone, type it into the list search and open
``/innspill/MOSS-2026-0142/``. Stored as two integers on the input (year, number within the
year; unique together), numbered by the database as rows arrive (migration 0016), so every path
that inserts input (the API, staff registration, the importer, the demo loader) gets one. The
prefix is configuration (``INPUTBANK["REFERENCE_PREFIX"]``) and only formatted for display: a
reference printed under an earlier prefix still finds its input.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from django.conf import settings

# Optional letters, then year and number: "MOSS-2026-0142", "moss 2026 142", "2026-0142".
_REFERENCE_RE = re.compile(
    r"^\s*(?:[A-Za-zÆØÅæøå]{1,12}\s*[-\s]\s*)?(\d{4})\s*[-/\s]\s*(\d{1,7})\s*$"
)
# Zero-padded to four digits, so references of one year sort and read alike.
NUMBER_DIGITS = 4


class Reference(NamedTuple):
    year: int
    number: int

    def __str__(self) -> str:
        return format_reference(self.year, self.number)


def reference_prefix() -> str:
    return str(settings.INPUTBANK.get("REFERENCE_PREFIX", "MOSS"))


def format_reference(year: int | None, number: int | None) -> str:
    """Return "MOSS-2026-0142", or "" for an input the database has not numbered yet."""
    if not year or not number:
        return ""
    return f"{reference_prefix()}-{year}-{number:0{NUMBER_DIGITS}d}"


def year_sql(column: str) -> str:
    """SQL for the reference year of a receipt time: the year in the municipality's time zone.

    The same rule as migration 0016's trigger (which numbers rows one by one); the bulk import
    numbers its rows set-based with it (``services.imports``).
    """
    return f"extract(year FROM {column} AT TIME ZONE '{settings.TIME_ZONE}')::int"


def parse_reference(text: str | None) -> Reference | None:
    """Return the reference written in ``text``, or None when it does not look like one."""
    match = _REFERENCE_RE.match(text or "")
    if not match:
        return None
    year, number = int(match.group(1)), int(match.group(2))
    if not 1900 <= year <= 2999 or number == 0:
        return None
    return Reference(year, number)
