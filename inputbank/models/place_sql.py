"""SQL for place questions over many pieces, and for homes by their published point.

Raw SQL handed to the querysets (``InputQuerySet.within_pieces``) as ``id__in=`` subqueries:
the planner's choices behind each are measured in docs/benchmarks.md (B1, B3).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.gis.geos import GeometryCollection, GEOSGeometry
from django.db import connection
from django.db.models.expressions import RawSQL

from geo.crs import STORAGE_SRID
from inputbank.location_privacy import home_drawn_in_sql
from inputbank.public import counted_sql


def pieces_param(pieces: list[GEOSGeometry]) -> str:
    """Return the pieces as one hex EWKB geometry collection, for ``ST_Dump(%s::geometry)``.

    One parameter of a few hundred kB is quoted and parsed in ~1.5 ms; the same pieces as a
    text array took ~6.6 ms (psycopg quotes every element in Python).
    """
    return GeometryCollection(*pieces, srid=STORAGE_SRID).hexewkb.decode()


def ids_intersecting(
    model,
    column: str,
    pieces: list[GEOSGeometry],
    statuses: Sequence[str] = (),
    *,
    public: bool = False,
) -> RawSQL:
    """SQL for the ids of rows whose ``column`` intersects any piece: for ``id__in=``.

    The hits are collected first, one GiST index scan per piece, into an array: the planner
    then expects few rows and fetches them by primary key. A plain IN over the join made it
    expect most of the table, read all of it and hash it (B1 in docs/benchmarks.md). (An
    ``id__in`` subquery, unlike a condition naming the table, stays right when Django
    aliases the table inside a larger query.) With ``statuses`` only rows in one of them are
    collected: for published rows alone the scan uses the smaller partial index of published
    input (migration 0007) and the primary-key fetches skip the rest (B1.complex: 1.6 → 1.1 s
    for 105 000 hits at size M). ``public``: homes by their published point
    (``homes_drawn_in``).
    """
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(column)
    params: tuple = (pieces_param(pieces),)
    where = ""
    if list(statuses) == ["published"]:
        where = f" WHERE {counted_sql('w')}"  # a literal: the partial index's predicate
    elif statuses:
        where, params = " WHERE w.status = ANY(%s)", (*params, list(statuses))
    select = (
        f"SELECT w.id FROM {table} w JOIN ST_Dump(%s::geometry) AS piece "
        f"ON ST_Intersects(w.{column}, piece.geom){where}"
    )
    if public:
        homes, home_params = homes_drawn_in(model, pieces)
        select += f"{' AND' if where else ' WHERE'} NOT w.location_is_home UNION ALL {homes}"
        params = (*params, *home_params)
    # Table and column names are our own; the pieces and statuses are parameters.
    return RawSQL(f"SELECT unnest(ARRAY({select}))", params)  # noqa: S611


def published_homes_drawn_in_sql(table: str, piece: str) -> str:
    """SQL for the ids of published homes in ``table`` whose *published* point lies in
    ``piece`` (one SQL geometry: a parameter, a scalar subquery): the one statement the
    querysets, the OGC API's provider and the vector tiles share.

    Through the partial index of published homes (input_published_home_geom): the box
    widened by HOME_DRAWN_MARGIN_M finds the candidates, the drawn point decides.
    """
    return (
        f"SELECT w.id FROM {table} w WHERE {counted_sql('w')} AND {home_drawn_in_sql('w', piece)}"
    )


def homes_drawn_in(model, pieces: list[GEOSGeometry]) -> tuple[str, tuple]:
    """SQL and parameters for the ids of published homes whose *published* point is in a piece."""
    table = connection.ops.quote_name(model._meta.db_table)
    if len(pieces) == 1:  # the piece itself: an index condition, not a join's filter
        piece = pieces[0].hexewkb.decode()
        return published_homes_drawn_in_sql(table, "%s::geometry"), (piece, piece)
    homes = home_drawn_in_sql("w", "piece.geom")
    sql = (
        f"SELECT w.id FROM {table} w JOIN ST_Dump(%s::geometry) AS piece ON {homes}"
        f" WHERE {counted_sql('w')}"
    )
    return sql, (pieces_param(pieces),)
