"""Vector tiles of published inputs: the SQL of ``geo.tiles`` over the public export view.

Attributes are the public allow-list only (lokalId, themes, outcome, channel, date);
location-restricted input (children's routes) appears only in the grid counts. Tiles are
cached in the ``tiles`` cache for TILE_CACHE_SECONDS and sent with ``Cache-Control`` and an
ETag, so a browser revalidates with a 304. A cached tile is read from the cache without
touching the database. Edits appear within the cache time; ``invalidate()`` (called after an
import) starts a fresh generation at once.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse

from geo import tiles
from inputbank.gis import layers

MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
# Location-restricted input (children's routes) is never drawn as a point; it is counted in
# the aggregated grid, whose small cells are suppressed.
_WHERE = "v.status = 'published' AND NOT v.begrenset"
_GRID_WHERE = "v.status = 'published'"
_ATTRIBUTES = {
    "lokalId": 'v."lokalId"::text',
    "tema": "v.tema",
    "hovedtema": "split_part(v.tema, ',', 1)",
    "utfall": "v.utfall",
    "kanal": "v.kanal",
    "mottatt": "to_char(v.mottatt, 'YYYY-MM-DD')",
}
FEATURES_SQL = tiles.features_tile_sql(
    source=layers.INPUT_SOURCE, where=_WHERE, attributes=_ATTRIBUTES, layer="inputs",
    id_column="fid",
)  # fmt: skip


def _grid_sql() -> str:
    return tiles.grid_tile_sql(
        source=layers.INPUT_SOURCE,
        where=_GRID_WHERE,
        layer="inputs_grid",
        min_count=settings.INPUTBANK["AGGREGATE_MIN_COUNT"],
    )


def _cache():
    return caches[settings.TILE_CACHE_ALIAS]


def _generation() -> int:
    return _cache().get_or_set("tiles:generation", 1, None)


def invalidate() -> None:
    """Start a new cache generation: every cached tile is stale from now on."""
    cache = _cache()
    try:
        cache.incr("tiles:generation")
    except ValueError:
        cache.set("tiles:generation", 2, None)


def cached(key: str, render) -> bytes:
    """Return the bytes cached under key in this generation, rendering and storing on a miss.

    Shared by the tiles and the map's grid counts (inputbank.grid), so ``invalidate()`` after
    an import refreshes both.
    """
    cache = _cache()
    full_key = f"{key}:{_generation()}"
    data = cache.get(full_key)
    if data is None:
        data = render()
        cache.set(full_key, data, settings.TILES["CACHE_SECONDS"])
    return data


def render_tile(z: int, x: int, y: int) -> bytes:
    """Return the MVT bytes of one tile (empty outside Moss and below the minimum zoom)."""
    cfg = settings.TILES
    if z < cfg["MIN_ZOOM"] or not tiles.tile_touches_moss(z, x, y):
        return b""
    if z < cfg["DETAIL_ZOOM"]:
        sql = _grid_sql()
        params = tiles.tile_params(z, x, y, tiles.grid_cell_m(z, cfg["GRID_CELLS"]))
    else:
        sql, params = FEATURES_SQL, tiles.tile_params(z, x, y)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


def tile_response(request: HttpRequest, z: int, x: int, y: int) -> HttpResponse:
    """Serve one tile from the cache, rendering it on a miss; 304 when the ETag matches."""
    if not tiles.valid_tile(z, x, y):
        return HttpResponse(b"no such tile", status=404, content_type="text/plain")
    data = cached(f"tile:{z}:{x}:{y}", lambda: render_tile(z, x, y))
    etag = '"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'
    headers = {
        "Cache-Control": f"public, max-age={settings.TILES['MAX_AGE']}",
        "ETag": etag,
        "Access-Control-Allow-Origin": "*",
    }
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304, headers=headers)
    if not data:
        return HttpResponse(status=204, headers=headers)
    return HttpResponse(data, content_type=MEDIA_TYPE, headers=headers)
