"""Read Kartverket's "Matrikkelen – Adresse" CSV: ``;``-separated, a header row, UTF-8.

Columns are found by their header NAME, never by position: the column order differs between
the variants Geonorge has published (and between the EPSG:25832, 25833 and 4258 downloads).
Each row names its own CRS in "EPSG-kode"; "Nord"/"Øst" are northing/easting in metres for
UTM, and latitude/longitude in degrees for EPSG:4258. Coordinates are not transformed here: the
service does that in SQL.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from geo.crs import (
    ETRS89_GEOGRAPHIC_SRID,
    STORAGE_SRID,
    UTM33_SRID,
    WEB_SRID,
    UnknownCRS,
    parse_srid,
)
from inputbank.services.addresses import MAX_ERRORS_KEPT, AddressRow

# CRSs the register is published in (plus WGS 84, which some tools write).
ADDRESS_SRIDS = (STORAGE_SRID, UTM33_SRID, ETRS89_GEOGRAPHIC_SRID, WEB_SRID)

# Our name -> the header names it may have (compared lower-case, without spaces).
COLUMNS = {
    "lokal_id": ("lokalid",),
    "kommunenummer": ("kommunenummer", "kommunenr"),
    "adressenavn": ("adressenavn",),
    "nummer": ("nummer", "husnummer"),
    "bokstav": ("bokstav",),
    "gardsnummer": ("gardsnummer", "gnr"),
    "bruksnummer": ("bruksnummer", "bnr"),
    "festenummer": ("festenummer", "fnr"),
    "adressetekst": ("adressetekst",),
    "epsg": ("epsg-kode", "epsg", "epsgkode"),
    "nord": ("nord",),
    "ost": ("øst", "ost", "oest"),
    "postnummer": ("postnummer", "postnr"),
    "poststed": ("poststed",),
}
REQUIRED = ("lokal_id", "adressenavn", "adressetekst", "epsg", "nord", "ost")
# What to call our names in messages: the header names people see in the file.
DISPLAY = {"lokal_id": "lokalId", "epsg": "EPSG-kode", "nord": "Nord", "ost": "Øst"}


class AddressFileError(ValueError):
    """The file cannot be read at all (wrong separator, missing columns, wrong encoding)."""


@dataclass
class ReadReport:
    """Rows that could not be read: a count, and the first few with line and reason."""

    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        self.skipped += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append((line, message))


def _normalise_header(name: str) -> str:
    return name.strip().lstrip("\ufeff").replace(" ", "").lower()


def map_header(header: list[str]) -> dict[str, int]:
    """Return our column name -> index, or raise naming the missing columns."""
    index = {_normalise_header(name): i for i, name in enumerate(header)}
    found: dict[str, int] = {}
    for ours, names in COLUMNS.items():
        for name in names:
            if name in index:
                found[ours] = index[name]
                break
    missing = [DISPLAY.get(name, name) for name in REQUIRED if name not in found]
    if missing:
        if len(header) == 1 and ("," in header[0] or "\t" in header[0]):
            raise AddressFileError(
                "the header has one column: the file must be separated by semicolons (;)"
            )
        raise AddressFileError(
            f"missing columns: {', '.join(missing)} "
            f"(found: {', '.join(h.strip() for h in header[:25])})"
        )
    return found


def _int_or_none(value: str, name: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(f"{name} must be a whole number, not {value[:20]!r}")
    return int(value)


def _coordinate(value: str, name: str) -> float:
    text = value.strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{name} is not a number ({value[:20]!r})") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} is not a finite number")
    return number


def _row(cells: list[str], columns: dict[str, int], line: int) -> AddressRow:
    def get(name: str) -> str:
        i = columns.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    lokal_id = get("lokal_id")
    if not lokal_id:
        raise ValueError("lokalId is empty")
    adressetekst = get("adressetekst")
    if not adressetekst:
        raise ValueError("adresseTekst is empty")
    try:
        srid = parse_srid(get("epsg"), allowed=ADDRESS_SRIDS)
    except UnknownCRS:
        raise ValueError(
            f"EPSG-kode {get('epsg')[:20]!r} is not one of "
            + ", ".join(str(s) for s in ADDRESS_SRIDS)
        ) from None
    kommune = get("kommunenummer")
    if kommune and not kommune.isdigit():
        raise ValueError(f"kommunenummer must be digits, not {kommune[:10]!r}")
    return AddressRow(
        line=line,
        lokal_id=lokal_id[:64],
        kommunenummer=kommune.zfill(4) if kommune else "",
        adressenavn=get("adressenavn")[:200],
        nummer=_int_or_none(get("nummer"), "nummer"),
        bokstav=get("bokstav")[:4],
        gardsnummer=_int_or_none(get("gardsnummer"), "gardsnummer"),
        bruksnummer=_int_or_none(get("bruksnummer"), "bruksnummer"),
        festenummer=_int_or_none(get("festenummer"), "festenummer"),
        adressetekst=adressetekst[:255],
        postnummer=get("postnummer")[:4],
        poststed=get("poststed")[:80],
        x=_coordinate(get("ost"), "Øst"),
        y=_coordinate(get("nord"), "Nord"),
        srid=srid,
    )


def read_addresses(
    stream: IO[str], report: ReadReport, kommunenummer: str | None = None
) -> Iterator[AddressRow]:
    """Yield the readable rows of an address CSV; record the others in ``report``.

    Streams: the national file has millions of rows. With ``kommunenummer`` only that
    municipality's rows are kept (others are not errors, just not ours).
    """
    reader = csv.reader(stream, delimiter=";")
    try:
        header = next(reader)
    except StopIteration:
        raise AddressFileError("the file is empty") from None
    except UnicodeDecodeError as exc:
        raise AddressFileError(f"the file is not {exc.encoding}: try --encoding latin-1") from None
    columns = map_header(header)
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            try:
                row = _row(cells, columns, line)
            except ValueError as exc:
                report.add(line, str(exc))
                continue
            if kommunenummer and row.kommunenummer and row.kommunenummer != kommunenummer:
                continue
            yield row
    except UnicodeDecodeError as exc:
        raise AddressFileError(
            f"line {reader.line_num + 1} is not {exc.encoding}: try --encoding latin-1"
        ) from None
    except csv.Error as exc:
        raise AddressFileError(f"line {reader.line_num}: {exc}") from None
