"""SQL for Mapbox vector tiles built by PostGIS (``ST_AsMVT``), and tile arithmetic.

Plain Python: functions return SQL text with ``%s`` placeholders and the parameter list;
the caller runs it. Tiles are XYZ in Web Mercator (EPSG:3857), the scheme every web map uses.

Why the SQL looks like this:
* The tile envelope is computed once in a ``MATERIALIZED`` CTE and transformed to the storage
  CRS (EPSG:25832), so the filter is ``geom && <constant box>`` on the stored column and uses
  the GiST index (a per-row ``ST_Transform(geom)`` in the filter would scan everything). The
  box gets the tile's buffer as margin, which also covers the slight curvature of a Mercator
  square's edges in UTM.
* Only the rows inside the box are transformed to 3857 and clipped by ``ST_AsMVTGeom``.
* Below the detail zoom a tile would hold everything (LESSONS.md: z10 ≈ 3 s, 10 MB), so it
  holds counts on a grid instead. The grid is snapped in metres in the storage CRS (no
  per-row transform), and cells with fewer than ``min_count`` inputs are left out so that
  sparse, possibly identifying locations are not published (DOMAIN.md privacy rule).
"""

from __future__ import annotations

import math

from geo.crs import MOSS_CENTRE_LONLAT, MOSS_EXTENT_LONLAT, STORAGE_SRID, WEB_MERCATOR_SRID

EXTENT = 4096  # MVT coordinate units per tile side
BUFFER = 64  # units of buffer around the tile so symbols at the edge are not cut
MAX_ZOOM = 22
EARTH_CIRCUMFERENCE_M = 40_075_016.686  # Web Mercator world width at the equator


def valid_tile(z: int, x: int, y: int) -> bool:
    """True when z/x/y names an existing XYZ tile (0 ≤ x, y < 2^z, z ≤ MAX_ZOOM)."""
    return 0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z


def tile_lonlat_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """Return (west, south, east, north) in degrees of an XYZ tile."""
    n = 2**z

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return x / n * 360 - 180, lat(y + 1), (x + 1) / n * 360 - 180, lat(y)


def snap_bbox(bbox: tuple[float, float, float, float], z: int) -> tuple[float, float, float, float]:
    """Grow a lon/lat box (CRS84, degrees) outwards to whole XYZ tiles of zoom z.

    Views that differ by less than a tile then ask the same question, so the answer can be
    cached and shared. Latitudes are clamped to Web Mercator's ±85.05°.
    """
    n = 2**z
    limit = math.degrees(math.atan(math.sinh(math.pi)))

    def column(lon: float) -> float:
        return (lon + 180) / 360 * n

    def row(lat: float) -> float:
        phi = math.radians(max(-limit, min(limit, lat)))
        return (1 - math.asinh(math.tan(phi)) / math.pi) / 2 * n

    minlon, minlat, maxlon, maxlat = bbox
    x0 = max(0, math.floor(column(minlon)))
    x1 = min(n - 1, math.ceil(column(maxlon)) - 1)
    y0 = max(0, math.floor(row(maxlat)))
    y1 = min(n - 1, math.ceil(row(minlat)) - 1)
    west, _s, _e, north = tile_lonlat_bounds(z, x0, y0)
    _w, south, east, _n = tile_lonlat_bounds(z, max(x0, x1), max(y0, y1))
    return west, south, east, north


def tile_touches_moss(z: int, x: int, y: int) -> bool:
    """False for tiles wholly outside the Moss extent: they are empty without asking the DB."""
    w, s, e, n = tile_lonlat_bounds(z, x, y)
    minx, miny, maxx, maxy = MOSS_EXTENT_LONLAT
    return not (e < minx or w > maxx or n < miny or s > maxy)


def grid_cell_m(z: int, cells_per_tile: int) -> float:
    """Ground size in metres of one aggregation cell at zoom z, at Moss' latitude."""
    scale = math.cos(math.radians(MOSS_CENTRE_LONLAT[1]))
    return EARTH_CIRCUMFERENCE_M / 2**z * scale / cells_per_tile


def _bounds_cte() -> str:
    margin = BUFFER / EXTENT
    return (
        "bounds AS MATERIALIZED (SELECT ST_TileEnvelope(%s, %s, %s) AS mercator, "
        f"ST_Transform(ST_TileEnvelope(%s, %s, %s, margin => {margin}), {STORAGE_SRID}) "
        "AS native)"
    )


def features_tile_sql(
    *, source: str, where: str, attributes: dict[str, str], layer: str, id_column: str
) -> str:
    """SQL for a tile of features. Parameters: ``tile_params(z, x, y)``.

    ``source`` is a table or view aliased ``v`` with a ``geom`` column in the storage CRS;
    ``attributes`` maps MVT attribute names to SQL expressions over ``v``; ``where`` is a
    trusted SQL condition (no user input).
    """
    attrs = "".join(f', {expr} AS "{name}"' for name, expr in attributes.items())
    sql = (
        f"WITH {_bounds_cte()}, features AS ("
        f" SELECT ST_AsMVTGeom(ST_Transform(v.geom, {WEB_MERCATOR_SRID}), b.mercator,"
        f" {EXTENT}, {BUFFER}, true) AS geom, v.{id_column} AS mvt_id{attrs}"
        f" FROM {source} v, bounds b WHERE v.geom && b.native AND ({where}))"
        f" SELECT ST_AsMVT(features.*, '{layer}', {EXTENT}, 'geom', 'mvt_id') FROM features"
        " WHERE geom IS NOT NULL"
    )
    return sql


def grid_tile_sql(*, source: str, where: str, layer: str, min_count: int) -> str:
    """SQL for a tile of counts per grid cell. Parameters: ``tile_params(z, x, y, cell_m)``."""
    sql = (
        f"WITH {_bounds_cte()}, cells AS ("
        " SELECT ST_SnapToGrid(ST_Centroid(v.geom), %s) AS cell, count(*) AS n"
        f" FROM {source} v, bounds b WHERE v.geom && b.native AND ({where})"
        f" GROUP BY 1 HAVING count(*) >= {int(min_count)}),"
        f" features AS (SELECT ST_AsMVTGeom(ST_Transform(c.cell, {WEB_MERCATOR_SRID}),"
        f" b.mercator, {EXTENT}, {BUFFER}, true) AS geom, c.n::int AS antall"
        " FROM cells c, bounds b)"
        f" SELECT ST_AsMVT(features.*, '{layer}', {EXTENT}, 'geom') FROM features"
        " WHERE geom IS NOT NULL"
    )
    return sql


def tile_params(z: int, x: int, y: int, cell_m: float | None = None) -> list[float]:
    """Parameters for the SQL above, in placeholder order."""
    params: list[float] = [z, x, y, z, x, y]
    if cell_m is not None:
        params.append(cell_m)
    return params
