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
* Below the detail zoom a tile would hold everything (docs/measurements.md: z10 ≈ 3 s, 10 MB), so it
  holds counts on a grid instead. Counting every input under a z10 tile still reads them all
  (~0.35 s at 1.1 M inputs), so the counts per small base cell (``BASE_CELL_M`` metres in the
  storage CRS) are kept in a table and a tile only adds up base cells into its display cells
  (power-of-two multiples, so they nest). Cells with fewer than ``min_count`` inputs are left
  out so that sparse, possibly identifying locations are not published (docs/domain.md privacy
  rule).
* From the detail zoom a tile holds its features, unless the count table says it holds more
  than a limit: then it holds counts too (``sized_tile_sql``). At 10 M inputs a town-centre
  z13 tile held 3.1 M inputs and took 48 s (docs/benchmarks.md, size L).
"""

from __future__ import annotations

import math

from geo.crs import MOSS_CENTRE_LONLAT, MOSS_EXTENT_LONLAT, STORAGE_SRID, WEB_MERCATOR_SRID

EXTENT = 4096  # MVT coordinate units per tile side
BUFFER = 64  # units of buffer around the tile so symbols at the edge are not cut
MAX_ZOOM = 22
EARTH_CIRCUMFERENCE_M = 40_075_016.686  # Web Mercator world width at the equator
# Side in metres (storage CRS) of the cells whose counts low-zoom tiles add up; display cells
# are power-of-two multiples. Migration 0006 (the counting triggers) uses the same number.
BASE_CELL_M = 64


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


def tile_range(z: int, bbox: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    """Return (min col, min row, max col, max row) of the XYZ tiles of zoom z over a lon/lat box."""
    n = 2**z
    limit = math.degrees(math.atan(math.sinh(math.pi)))

    def row(lat: float) -> int:
        phi = math.radians(max(-limit, min(limit, lat)))
        return min(n - 1, max(0, math.floor((1 - math.asinh(math.tan(phi)) / math.pi) / 2 * n)))

    def column(lon: float) -> int:
        return min(n - 1, max(0, math.floor((lon + 180) / 360 * n)))

    minlon, minlat, maxlon, maxlat = bbox
    return column(minlon), row(maxlat), column(maxlon), row(minlat)


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
    *,
    source: str,
    where: str,
    attributes: dict[str, str],
    layer: str,
    id_column: str,
    drawn: str = "v.geom",
    drawn_from_outside: str = "",
) -> str:
    """SQL for a tile of features. Parameters: ``tile_params(z, x, y)``.

    ``source`` is a table or view aliased ``v`` with a ``geom`` column in the storage CRS,
    which selects the rows through its index; ``drawn`` is the geometry drawn (where it is
    not ``geom``: clipped away when it falls outside the tile); ``drawn_from_outside`` is SQL
    for the ids (``id_column``) of rows whose ``geom`` is outside the tile's box (``bounds``) but
    whose ``drawn`` is inside it, added as a second arm (a UNION ALL, not an OR: each arm
    keeps its own index scan); ``attributes`` maps MVT attribute names to SQL expressions
    over ``v``; ``where`` is a trusted SQL condition (no user input).
    """
    attrs = "".join(f', {expr} AS "{name}"' for name, expr in attributes.items())
    select = (
        f" SELECT ST_AsMVTGeom(ST_Transform({drawn}, {WEB_MERCATOR_SRID}), b.mercator,"
        f" {EXTENT}, {BUFFER}, true) AS geom, v.{id_column} AS mvt_id{attrs}"
        f" FROM {source} v, bounds b WHERE"
    )
    arms = f"{select} v.geom && b.native AND ({where})"
    if drawn_from_outside:
        arms += (
            f" UNION ALL{select} v.{id_column} = ANY(ARRAY("
            f"SELECT o.id FROM ({drawn_from_outside}) o)) AND ({where})"
        )
    sql = (
        f"WITH {_bounds_cte()}, features AS ({arms})"
        f" SELECT ST_AsMVT(features.*, '{layer}', {EXTENT}, 'geom', 'mvt_id') FROM features"
        " WHERE geom IS NOT NULL"
    )
    return sql


def grid_level(z: int, cells_per_tile: int) -> int:
    """The aggregation level at zoom z: display cells are ``BASE_CELL_M * 2**level`` metres.

    The level whose cell size is nearest (on a log scale) to ``grid_cell_m(z, cells_per_tile)``.
    Cells of every level are unions of base cells, so one table of base-cell counts serves all
    zooms.
    """
    ratio = grid_cell_m(z, cells_per_tile) / BASE_CELL_M
    return max(0, round(math.log2(ratio))) if ratio > 0 else 0


def base_cell_sql(geom: str) -> tuple[str, str]:
    """SQL for the base cell (column, row) of a geometry in the storage CRS (by its centroid)."""
    point = f"ST_Centroid({geom})"
    return (
        f"floor(ST_X({point}) / {BASE_CELL_M})::int",
        f"floor(ST_Y({point}) / {BASE_CELL_M})::int",
    )


def grid_tile_sql(*, counts_table: str, layer: str, min_count: int) -> str:
    """SQL for a tile of counts per grid cell. Parameters: ``grid_tile_params(z, x, y, level)``.

    ``counts_table`` holds (cx, cy, n): inputs per base cell (``base_cell_sql``). Every display
    cell that overlaps the tile (with its buffer) is summed from *all* its base cells, so a
    cell on the tile's edge shows the same count in both neighbouring tiles; cells with fewer
    than ``min_count`` are left out. A tile reads at most a few thousand rows however many
    inputs it covers.
    """
    sql = (
        f"WITH {_bounds_cte()}, span AS MATERIALIZED ("
        " SELECT p.k, p.size,"
        " floor(ST_XMin(b.native) / p.size)::int AS gx0,"
        " floor(ST_XMax(b.native) / p.size)::int AS gx1,"
        " floor(ST_YMin(b.native) / p.size)::int AS gy0,"
        " floor(ST_YMax(b.native) / p.size)::int AS gy1"
        " FROM bounds b, (SELECT %s::int AS k, %s::float8 AS size) p),"
        " cells AS ("
        " SELECT c.cx >> s.k AS gx, c.cy >> s.k AS gy, sum(c.n) AS n"
        f" FROM {counts_table} c, span s"
        " WHERE c.cx BETWEEN s.gx0 << s.k AND ((s.gx1 + 1) << s.k) - 1"
        " AND c.cy BETWEEN s.gy0 << s.k AND ((s.gy1 + 1) << s.k) - 1"
        f" GROUP BY 1, 2 HAVING sum(c.n) >= {int(min_count)}),"
        " features AS (SELECT ST_AsMVTGeom(ST_Transform(ST_SetSRID(ST_MakePoint("
        f"(c.gx::float8 + 0.5) * s.size, (c.gy::float8 + 0.5) * s.size), {STORAGE_SRID}),"
        f" {WEB_MERCATOR_SRID}),"
        f" b.mercator, {EXTENT}, {BUFFER}, true) AS geom, c.n::int AS antall"
        " FROM cells c, span s, bounds b)"
        f" SELECT ST_AsMVT(features.*, '{layer}', {EXTENT}, 'geom') FROM features"
        " WHERE geom IS NOT NULL"
    )
    return sql


def sized_tile_sql(*, features: str, grid: str, counts_table: str, max_features: int) -> str:
    """SQL for a tile that holds its features when they are few, otherwise its grid counts.

    Parameters: ``sized_tile_params(z, x, y, level)``. How many inputs a tile holds is read
    from the count table (the base cells under the tile and its buffer, a few thousand rows
    at most), not from the inputs: a town-centre tile of a large bank holds millions, and
    drawing them costs seconds to minutes while no client can show them apart. The
    ``CASE`` evaluates only the branch it takes (PostgreSQL runs an uncorrelated scalar
    subquery when it is first needed), so a tile is one statement and one round trip.
    """
    return (
        f"SELECT CASE WHEN (WITH {_bounds_cte()} SELECT coalesce(sum(c.n), 0)"
        f" FROM {counts_table} c, bounds b"
        f" WHERE c.cx BETWEEN floor(ST_XMin(b.native) / {BASE_CELL_M})::int"
        f" AND floor(ST_XMax(b.native) / {BASE_CELL_M})::int"
        f" AND c.cy BETWEEN floor(ST_YMin(b.native) / {BASE_CELL_M})::int"
        f" AND floor(ST_YMax(b.native) / {BASE_CELL_M})::int) <= {int(max_features)}"
        f" THEN ({features}) ELSE ({grid}) END"
    )


def sized_tile_params(z: int, x: int, y: int, level: int) -> list[float]:
    """Parameters for ``sized_tile_sql``, in placeholder order."""
    return tile_params(z, x, y) + tile_params(z, x, y) + grid_tile_params(z, x, y, level)


def grid_tile_params(z: int, x: int, y: int, level: int) -> list[float]:
    """Parameters for ``grid_tile_sql``, in placeholder order."""
    return [z, x, y, z, x, y, level, BASE_CELL_M * 2**level]


def tile_params(z: int, x: int, y: int) -> list[float]:
    """Parameters for ``features_tile_sql``, in placeholder order."""
    return [z, x, y, z, x, y]
