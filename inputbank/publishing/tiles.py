"""Vector tiles of published inputs: the SQL of ``geo.tiles`` over the public export view.

Attributes are the public allow-list only (lokalId, themes, outcome, channel, date);
location-restricted input (children's routes) appears only in the grid counts. Below the
detail zoom, and from it where a tile holds more than ``TILES["FEATURES_MAX"]`` inputs, tiles
add up the pre-counted grid table (migration 0006). Tiles are kept as raw
bytes in files (``inputbank.cache``, with the map's grid counts and public lists) for
TILE_CACHE_SECONDS and sent with ``Cache-Control`` and an ETag, so a browser revalidates with
a 304. A cached tile is read without touching the database. A public change starts a fresh
cache generation once it commits (``inputbank.cache.invalidate_after_commit``).
"""

from __future__ import annotations

import logging

import psycopg
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse

from geo import tiles
from geo.tilestore import StoredTile
from inputbank import cache as answer_cache
from inputbank.dbrouter import read_connection
from inputbank.location_privacy import public_geom_sql
from inputbank.models import Input
from inputbank.models.place_sql import published_homes_drawn_in_sql
from inputbank.models.tables import quoted_table
from inputbank.public import VIEW_PUBLIC, counted_sql
from inputbank.publishing import layers

logger = logging.getLogger(__name__)
MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
# Location-restricted input (children's routes) is never drawn as a point; it is counted in
# the aggregated grid, whose small cells are suppressed (inputbank.public: public vs counted).
_WHERE = VIEW_PUBLIC
_ATTRIBUTES = {
    "lokalId": 'v."lokalId"::text',
    "tema": "v.tema",
    "hovedtema": "split_part(v.tema, ',', 1)",
    "utfall": "v.utfall",
    "kanal": "v.kanal",
    "mottatt": "to_char(v.mottatt, 'YYYY-MM-DD')",
}
# Homes are drawn at their grid cell's centre (inputbank.location_privacy, migration 0011),
# and a tile holds a home where that centre is, never by its real place: those whose real
# place lies outside the tile are added by id (a small partial index, migration 0029).
_BOX = "(SELECT native FROM bounds)"  # a scalar: the home index's condition, not a join
_HOMES_DRAWN_FROM_OUTSIDE = (
    f"{published_homes_drawn_in_sql(quoted_table(Input), _BOX)} AND NOT w.geom && {_BOX}"
)
FEATURES_SQL = tiles.features_tile_sql(
    source=layers.INPUT_SOURCE, where=_WHERE, attributes=_ATTRIBUTES, layer="inputs",
    id_column="fid", drawn="v.offentlig_geom", drawn_from_outside=_HOMES_DRAWN_FROM_OUTSIDE,
)  # fmt: skip


GRID_TABLE = "inputbank_gis_grid"  # published inputs per base cell (migration 0006)


def _grid_sql() -> str:
    return tiles.grid_tile_sql(
        counts_table=GRID_TABLE,
        layer="inputs_grid",
        min_count=settings.INPUTBANK["AGGREGATE_MIN_COUNT"],
    )


def tile_query(z: int, x: int, y: int) -> tuple[str, list[float]] | None:
    """The SQL and parameters of one tile, or None when the tile is empty without asking.

    Below the detail zoom: counts. From it: the inputs, or the counts where the tile holds
    more than ``TILES["FEATURES_MAX"]`` (decided in the statement, from the count table).
    """
    cfg = settings.TILES
    if z < cfg["MIN_ZOOM"] or not tiles.tile_touches_moss(z, x, y):
        return None
    level = tiles.grid_level(z, cfg["GRID_CELLS"])
    if z < cfg["DETAIL_ZOOM"]:
        return _grid_sql(), tiles.grid_tile_params(z, x, y, level)
    sql = tiles.sized_tile_sql(
        features=FEATURES_SQL, grid=_grid_sql(), counts_table=GRID_TABLE,
        max_features=cfg["FEATURES_MAX"],
    )  # fmt: skip
    return sql, tiles.sized_tile_params(z, x, y, level)


class _BinaryCursor(psycopg.Cursor):
    """A cursor with binary results: a tile arrives as its bytes.

    Django's cursors ask for text, in which PostgreSQL sends bytea as hex twice its size and
    psycopg decodes it again: ~15 ms for a 2 MB tile (a z14 tile at M), against ~1.5 ms.
    """

    def execute(self, query, params=None, **kwargs):
        kwargs.setdefault("binary", True)
        return super().execute(query, params, **kwargs)


def render_tile(z: int, x: int, y: int) -> bytes:
    """Return the MVT bytes of one tile (empty outside Moss and below the minimum zoom)."""
    query = tile_query(z, x, y)
    if query is None:
        return b""
    conn = read_connection()  # a read replica inside a read-only view (inputbank.dbrouter)
    conn.ensure_connection()
    raw = _BinaryCursor(conn.connection)
    # Through Django's cursor wrappers, so query logging and execute wrappers see it.
    wrap = conn.make_debug_cursor if conn.queries_logged else conn.make_cursor
    with wrap(raw) as cursor:
        cursor.execute(*query)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


def rebuild_grid() -> int:
    """Recount the grid table from scratch (after a load with triggers off); return cells."""
    # A home at its published point, as the triggers count it (migration 0030).
    cx, cy = tiles.base_cell_sql(public_geom_sql("i"))
    inputs = quoted_table(Input)
    # What the triggers of migration 0006 count: counted input that has a geometry.
    counted = f"{counted_sql('i')} AND i.geom IS NOT NULL"
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {GRID_TABLE} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {GRID_TABLE}")
        cursor.execute(
            f"INSERT INTO {GRID_TABLE} (cx, cy, n) SELECT {cx}, {cy}, count(*) "
            f"FROM {inputs} i WHERE {counted} GROUP BY 1, 2"
        )
        return cursor.rowcount


def tile_response(request: HttpRequest, z: int, x: int, y: int) -> HttpResponse:
    """Serve one tile from the cache, rendering it on a miss; 304 when the ETag matches."""
    if not tiles.valid_tile(z, x, y):
        return HttpResponse(b"no such tile", status=404, content_type="text/plain")
    cache = answer_cache.store()
    generation = cache.generation()
    stored = cache.get(generation, z, x, y)
    if stored is None:
        answer_cache.render_for_generation()
        data = render_tile(z, x, y)
        try:
            stored = cache.put(generation, z, x, y, data)
        except OSError:
            # A full or read-only cache disk must not take the map down: serve it uncached.
            logger.exception("tile cache: cannot store %s/%s/%s", z, x, y)
            stored = StoredTile(data, "")
    headers = {
        "Cache-Control": f"public, max-age={settings.TILES['MAX_AGE']}",
        "Access-Control-Allow-Origin": "*",
    }
    if stored.etag:
        headers["ETag"] = stored.etag
    if stored.etag and request.headers.get("If-None-Match") == stored.etag:
        return HttpResponse(status=304, headers=headers)
    if not stored.data:
        # Empty, but still a tile: labelled as one (clients check the type, not only 204).
        return HttpResponse(status=204, content_type=MEDIA_TYPE, headers=headers)
    return HttpResponse(stored.data, content_type=MEDIA_TYPE, headers=headers)
