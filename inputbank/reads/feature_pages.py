"""The API list's reads of inputs, one statement each: a page of Features, one Feature, a
capped count and a page of dots for the map.

Apart from ``reads.features``, which says what a Feature holds for each audience and builds
its SQL over ``ids(id, ord)`` (prior input builds its Features with it too, in its own
statement): here the ids come from a queryset (its filters and ordering) and are paged in the
same statement, which runs on ``read_connection()`` (a read-only view may send it to a replica).
"""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import EmptyResultSet

from geo.crs import WEB_SRID
from inputbank.dbrouter import read_connection
from inputbank.location_privacy import public_geom_sql
from inputbank.models import Input
from inputbank.models.tables import quoted_table
from inputbank.reads.features import Audience, features_array_sql, ids_cte, per_input_lateral


def _page_ids_sql(queryset, offset: int, limit: int) -> tuple[str, tuple] | None:
    """SQL for the ids of one page of a queryset, one more to tell whether a next page exists;
    None when the queryset can hold nothing (``none()``, e.g. a box outside the area)."""
    try:
        return queryset.values_list("id", flat=True)[
            offset : offset + limit + 1
        ].query.sql_with_params()
    except EmptyResultSet:
        return None


def feature_collection_page(
    queryset,
    *,
    audience: Audience,
    srid: int = WEB_SRID,
    offset: int,
    limit: int,
    only: Collection[str] | None = None,
    anchor: bool = False,
) -> tuple[bytes, int, bool]:
    """Return (features JSON array, number returned, has more) for one page of a queryset.

    The queryset carries the filters and the ordering; one statement pages the ids (one extra
    row tells whether a next page exists) and builds the Features (with only the properties
    in ``only`` when it is given, and a point on each geometry with ``anchor``).
    """
    page_ids = _page_ids_sql(queryset, offset, limit)
    if page_ids is None:
        return b"[]", 0, False
    id_sql, params = page_ids
    array = features_array_sql(audience, srid, limit_param=True, only=only, anchor=anchor)
    sql = f"WITH {ids_cte(id_sql)} SELECT {array}::text, (SELECT count(*) FROM ids)"
    with read_connection().cursor() as cursor:
        cursor.execute(sql, (*params, limit))
        features, fetched = cursor.fetchone()
    return features.encode(), min(fetched, limit), fetched > limit


def single_feature(item_id: int, *, audience: Audience, srid: int = WEB_SRID) -> bytes:
    """Return one Feature (with its comment list) as JSON bytes."""
    sql = (
        f"WITH {ids_cte('SELECT %s::bigint')} "
        f"SELECT {features_array_sql(audience, srid, with_comments=True)}::text"
    )
    with read_connection().cursor() as cursor:
        cursor.execute(sql, (item_id,))
        (features,) = cursor.fetchone()
    # An array of exactly one feature: strip the brackets.
    return features.strip()[1:-1].encode()


def count_up_to(queryset, cap: int) -> int | None:
    """How many rows the queryset holds, counted only up to ``cap``: None when more.

    What a map needs to choose between dots and numbers per place without a second request
    (the dots answer's ``numberMatched``): an index scan stops after ``cap`` + 1 rows, where a
    full count of a dense box at L reads hundreds of thousands.
    """
    try:
        sql, params = (
            queryset.order_by().values_list("id", flat=True)[: cap + 1].query.sql_with_params()
        )
    except EmptyResultSet:
        return 0
    with read_connection().cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) AS capped", params)
        counted = cursor.fetchone()[0]
    return counted if counted <= cap else None


# Decimals of a dot's lon/lat: 5 is ~1 m at Moss, finer than a screen pixel at the map's
# highest zoom (~0.6 m at zoom 18), and a third of the bytes of full precision.
DOT_PRECISION = 5


def dots_page(queryset, *, audience: Audience, offset: int, limit: int) -> tuple[bytes, int, bool]:
    """Return (the dots' JSON members, number returned, has more) for one page of a queryset.

    What a map needs to draw many inputs as dots, as columns instead of Features: ``ids``
    (public ids), ``coordinates`` (lon, lat, lon, lat, ... of a point on each geometry, CRS84,
    DOT_PRECISION decimals), ``theme_sets`` (each distinct list of theme slugs, in the order
    first met) and ``themes`` (per input, its list's index in ``theme_sets``). Inputs without
    a place are left out by the caller (the queryset); the ordering is the queryset's.
    """
    page_ids = _page_ids_sql(queryset, offset, limit)
    if page_ids is None:
        return b'"ids":[],"coordinates":[],"theme_sets":[],"themes":[]', 0, False
    id_sql, params = page_ids
    geom = public_geom_sql("i") if audience == Audience.PUBLIC else "i.geom"
    x, y = (f"round({axis}(d.pt)::numeric, {DOT_PRECISION})::text" for axis in ("ST_X", "ST_Y"))
    sql = (
        f"WITH {ids_cte(id_sql)}, "
        "d AS (SELECT ids.ord, i.public_id, COALESCE(th.slugs, '{}') AS slugs, "
        f"ST_Transform(ST_PointOnSurface({geom}), {WEB_SRID}) AS pt "
        f"FROM ids JOIN {quoted_table(Input)} i ON i.id = ids.id {per_input_lateral('th')}"
        "WHERE ids.ord <= %s), "
        # Each distinct theme list once, numbered in the order first met.
        "s AS (SELECT slugs, row_number() OVER (ORDER BY min(ord)) - 1 AS n "
        "FROM d GROUP BY slugs) "
        """SELECT '"ids":[' || COALESCE(string_agg('"' || d.public_id || '"', ','"""
        " ORDER BY d.ord), '') "
        f"""|| '],"coordinates":[' || COALESCE(string_agg({x} || ',' || {y}, ','"""
        " ORDER BY d.ord), '') "
        """|| '],"theme_sets":' || (SELECT COALESCE(json_agg(s.slugs ORDER BY s.n), '[]')"""
        " FROM s)::text "
        """|| ',"themes":[' || COALESCE(string_agg(s.n::text, ',' ORDER BY d.ord), '') || ']', """
        "(SELECT count(*) FROM ids) "
        "FROM d JOIN s ON s.slugs = d.slugs"
    )
    with read_connection().cursor() as cursor:
        cursor.execute(sql, (*params, limit))
        body, fetched = cursor.fetchone()
    return body.encode(), min(fetched, limit), fetched > limit
