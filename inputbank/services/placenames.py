"""Writes for the place-name register: the offline import of Kartverket's Stedsnavn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from geo.crs import MOSS_EXTENT_25832, STORAGE_SRID
from inputbank.models import PlaceName
from inputbank.services.registers import prune_missing, run_in_one_transaction, stage_points

STAGE = "placename_import"


@dataclass(frozen=True)
class PlaceNameRow:
    """One place as read: its main name, other spellings, and x/y in the file's CRS."""

    number: int  # the place's position in the file (1-based), for messages
    stedsnummer: int
    name: str
    other_names: tuple[str, ...]
    name_type: str
    kommunenummer: str
    x: float
    y: float
    srid: int


@dataclass
class PlaceNameImportResult:
    created: int = 0
    updated: int = 0
    outside: int = 0  # places outside the Moss extent, left out
    pruned: int = 0


def placenames_import(
    *,
    rows: Sequence[PlaceNameRow],
    prune_kommune: str | None = None,
    dry_run: bool = False,
) -> PlaceNameImportResult:
    """Insert or update place names by stedsnummer, in one transaction.

    The points are transformed to the storage CRS in SQL; places outside the Moss extent (the
    national file, a neighbour's sound) are left out and counted. With ``prune_kommune`` the
    municipality's names missing from the file are deleted. The reader has already refused a
    file with broken places, so this either stores every place or (on any database error)
    nothing; a dry run rolls back and reports what would have happened.
    """
    result = PlaceNameImportResult()

    def steps() -> None:
        _load(rows)
        _upsert(result)
        if prune_kommune:
            result.pruned = prune_missing(
                PlaceName._meta.db_table, STAGE, "stedsnummer", prune_kommune
            )

    run_in_one_transaction(STAGE, steps, dry_run=dry_run)
    return result


def _load(rows: Sequence[PlaceNameRow]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(
            f"CREATE TEMP TABLE {STAGE} (number int, stedsnummer bigint, name text, "
            "other_names text, name_type text, kommunenummer text, x float8, y float8, "
            "srid int) ON COMMIT DROP"
        )
        columns = "number, stedsnummer, name, other_names, name_type, kommunenummer, x, y, srid"
        with cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    (
                        row.number,
                        row.stedsnummer,
                        row.name,
                        " ".join(row.other_names),
                        row.name_type,
                        row.kommunenummer,
                        row.x,
                        row.y,
                        row.srid,
                    )
                )
    stage_points(STAGE)


def _upsert(result: PlaceNameImportResult) -> None:
    table = PlaceName._meta.db_table
    envelope = f"ST_MakeEnvelope(%s, %s, %s, %s, {STORAGE_SRID})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {STAGE} WHERE NOT ST_Intersects(geom, {envelope})",
            list(MOSS_EXTENT_25832),
        )
        result.outside = cursor.rowcount
        cursor.execute(
            f"""
            WITH upserted AS (
                INSERT INTO {table}
                    (stedsnummer, name, name_type, kommunenummer, search_text, geom, imported_at)
                SELECT DISTINCT ON (stedsnummer) stedsnummer, name, name_type, kommunenummer,
                       left(lower(concat_ws(' ', name, other_names)), 600), geom, now()
                FROM {STAGE}
                ORDER BY stedsnummer, number DESC
                ON CONFLICT (stedsnummer) DO UPDATE SET name = EXCLUDED.name,
                    name_type = EXCLUDED.name_type, kommunenummer = EXCLUDED.kommunenummer,
                    search_text = EXCLUDED.search_text, geom = EXCLUDED.geom,
                    imported_at = EXCLUDED.imported_at
                RETURNING (xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
            FROM upserted
            """
        )
        result.created, result.updated = cursor.fetchone()
