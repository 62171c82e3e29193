"""Writes for the address register: the bulk import from Kartverket's CSV."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection

from geo.crs import GEOGRAPHIC_SRIDS, MOSS_EXTENT_25832, STORAGE_SRID
from inputbank.models import Address
from inputbank.redaction_streets import register_streets_changed
from inputbank.services.registers import prune_missing, run_in_one_transaction, stage_points

_COLUMNS = (
    "line",
    "lokal_id",
    "kommunenummer",
    "adressenavn",
    "nummer",
    "bokstav",
    "gardsnummer",
    "bruksnummer",
    "festenummer",
    "adressetekst",
    "postnummer",
    "poststed",
    "x",
    "y",
    "srid",
)
_STORED = _COLUMNS[1:12]

STAGE = "address_import"

# Errors kept in full per import; the rest are only counted.
MAX_ERRORS_KEPT = 200


@dataclass(frozen=True)
class AddressRow:
    """One address as read, coordinates still in the file's CRS (x = Øst, y = Nord)."""

    line: int
    lokal_id: str
    kommunenummer: str
    adressenavn: str
    nummer: int | None
    bokstav: str
    gardsnummer: int | None
    bruksnummer: int | None
    festenummer: int | None
    adressetekst: str
    postnummer: str
    poststed: str
    x: float
    y: float
    srid: int


@dataclass
class AddressImportResult:
    """What an import did. ``errors`` holds (line, reason) for the first rows refused here."""

    received: int = 0
    created: int = 0
    updated: int = 0
    pruned: int = 0
    duplicates: int = 0
    refused: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _plausible(row: AddressRow) -> str:
    """Return why the coordinates cannot be transformed at all, or "" when they can."""
    if row.srid in GEOGRAPHIC_SRIDS:
        if not (-180 <= row.x <= 180 and -90 <= row.y <= 90):
            return f"Nord {row.y} / Øst {row.x} are not degrees, but the row says EPSG:{row.srid}"
    elif not (-1e7 <= row.x <= 1e7 and 0 <= row.y <= 1e7):
        return f"Nord {row.y} / Øst {row.x} are not metres in EPSG:{row.srid}"
    return ""


def addresses_import(
    *,
    rows: Iterable[AddressRow],
    prune_kommune: str | None = None,
    dry_run: bool = False,
) -> AddressImportResult:
    """Insert or update addresses by lokalId, transforming every point to storage CRS in SQL.

    Rows are COPied into a temporary table (fast enough for the national file), transformed
    with ST_Transform from the CRS each row names, checked against the Moss extent (a point
    outside is refused with its line number; a hint says when Nord and Øst look swapped), then
    upserted. With ``prune_kommune``, addresses of that municipality missing from the file are
    deleted: the file is the whole register. Everything happens in one transaction; a dry run
    rolls it back and reports what would have happened.
    """
    result = AddressImportResult()

    def steps() -> None:
        _load(rows, result)
        _check_extent(result)
        _upsert(result)
        if prune_kommune:
            result.pruned = prune_missing(Address._meta.db_table, STAGE, "lokal_id", prune_kommune)

    run_in_one_transaction(STAGE, steps, dry_run=dry_run)
    register_streets_changed()  # redaction knows the register's street names
    return result


def _load(rows: Iterable[AddressRow], result: AddressImportResult) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(
            f"CREATE TEMP TABLE {STAGE} (line int, lokal_id text, kommunenummer text, "
            "adressenavn text, nummer int, bokstav text, gardsnummer int, bruksnummer int, "
            "festenummer int, adressetekst text, postnummer text, poststed text, "
            "x float8, y float8, srid int) ON COMMIT DROP"
        )
        with cursor.copy(f"COPY {STAGE} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                problem = _plausible(row)
                if problem:
                    _refuse(result, row.line, problem)
                    continue
                result.received += 1
                copy.write_row(tuple(getattr(row, name) for name in _COLUMNS))
    stage_points(STAGE)


def _refuse(result: AddressImportResult, line: int, message: str) -> None:
    result.refused += 1
    if len(result.errors) < MAX_ERRORS_KEPT:
        result.errors.append((line, message))


def _check_extent(result: AddressImportResult) -> None:
    envelope = f"ST_MakeEnvelope(%s, %s, %s, %s, {STORAGE_SRID})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT line, x, y, srid, ST_Intersects(ST_Transform(ST_SetSRID("
            f"ST_MakePoint(y, x), srid), {STORAGE_SRID}), {envelope}) AS swapped_fits "
            f"FROM {STAGE} WHERE NOT ST_Intersects(geom, {envelope}) ORDER BY line",
            [*MOSS_EXTENT_25832, *MOSS_EXTENT_25832],
        )
        for line, x, y, srid, swapped_fits in cursor.fetchall():
            hint = "; Nord and Øst look swapped" if swapped_fits else ""
            _refuse(
                result,
                line,
                f"Nord {y} / Øst {x} (EPSG:{srid}) is outside Moss{hint}",
            )
        cursor.execute(
            f"DELETE FROM {STAGE} WHERE NOT ST_Intersects(geom, {envelope})",
            list(MOSS_EXTENT_25832),
        )
        result.received -= cursor.rowcount


def _upsert(result: AddressImportResult) -> None:
    table = Address._meta.db_table
    stored = ", ".join(_STORED)
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in (*_STORED[1:], "search_text"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH upserted AS (
                INSERT INTO {table} ({stored}, search_text, geom, imported_at)
                SELECT DISTINCT ON (lokal_id) {stored},
                       lower(concat_ws(' ', adressetekst, postnummer, poststed)), geom, now()
                FROM {STAGE}
                ORDER BY lokal_id, line DESC
                ON CONFLICT (lokal_id) DO UPDATE SET {updates}, geom = EXCLUDED.geom,
                    imported_at = EXCLUDED.imported_at
                RETURNING (xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
            FROM upserted
            """
        )
        result.created, result.updated = cursor.fetchone()
    result.duplicates = result.received - result.created - result.updated
