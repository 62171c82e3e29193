"""Counts of input per grid cell for a map view, built in PostgreSQL: the map's zoomed-out layer.

Why: a view of all Moss may hold a million inputs; no browser can draw them, and no resident can
read them. The public map asks for counts per cell instead (``GET /api/v1/inputs/grid/``) and
draws one number per cell.

* Cells are squares snapped in metres in the storage CRS (EPSG:25832), keyed by each input's
  centroid (a home's published point in a public count), so there is no per-row transform;
  only the few hundred cells are transformed to lon/lat. A cell is drawn at its centre:
  numbers on a regular grid never cover each other (at mean positions, as marker clusters
  do, neighbours piled up), and say no more about where the inputs are than "in this square".
* Cells with fewer than ``AGGREGATE_MIN_COUNT`` inputs are left out (docs/domain.md: aggregates
  suppress small cells; a lone pin can point at a home). ``numberMatched`` still counts every
  input in the box, so the page can tell the resident that some are not drawn.
* The size of a cell follows the map's zoom: ``CELL_PX`` screen pixels at Moss' latitude.
* Answers are cached in the tile cache (same generation: a public change refreshes both),
  keyed by the parameters after the box is grown to whole small tiles: views a few pixels
  apart share an answer.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import EmptyResultSet

from geo import tiles
from geo.crs import STORAGE_SRID, WEB_SRID
from inputbank.dbrouter import read_connection
from inputbank.location_privacy import public_geom_sql

CELL_PX = 64  # the side of a cell on screen: room for a count of four digits
TILE_PX = 256  # XYZ tile side in pixels (Leaflet's default)
# Boxes are grown to whole tiles of the map's zoom + SNAP_ZOOM_STEP: 16 screen pixels at
# most on each side, so numberMatched stays close to the view's count (the page decides by it)
# while views a few pixels apart (every visitor's first view of Moss) share one answer.
SNAP_ZOOM_STEP = 4


def cell_size_m(zoom: int) -> float:
    """Side of one cell in metres at this map zoom (CELL_PX pixels at Moss' latitude)."""
    return tiles.grid_cell_m(zoom, TILE_PX // CELL_PX)


def snapped_bbox(
    bbox: tuple[float, float, float, float], zoom: int
) -> tuple[float, float, float, float]:
    """The box the counts are computed for: the view grown outwards by at most 16 pixels."""
    return tiles.snap_bbox(bbox, zoom + SNAP_ZOOM_STEP)


def cell_counts(queryset, *, cell_m: float, min_count: int) -> bytes:
    """Return a GeoJSON FeatureCollection (bytes) of counts per cell of the queryset's inputs.

    Features are the cells' centres (lon/lat, 6 decimals) with the property ``count``, in
    reading order (north to south, then west to east), the order a keyboard visits them.
    """
    # A public count puts a home in the cell of its published point, as every public output
    # places it (inputbank.location_privacy); at a street zoom a cell is smaller than 50 m.
    public = queryset.public_places
    anchor = f"ST_Centroid({public_geom_sql('q')})" if public else "ST_Centroid(q.geom)"
    columns = ("geom", "location_is_home") if public else ("geom",)
    try:
        inner, params = queryset.order_by().values(*columns).query.sql_with_params()
    except EmptyResultSet:
        # The filters already say "nothing" (a box wholly outside Moss): no query to run.
        empty = {"type": "FeatureCollection", "numberMatched": 0, "cell_m": round(cell_m, 1),
                 "min_count": min_count, "features": []}  # fmt: skip
        return json.dumps(empty).encode()
    sql = f"""
WITH anchors AS (
  SELECT ST_X(a.c) AS x, ST_Y(a.c) AS y
  FROM (SELECT {anchor} AS c FROM ({inner}) q WHERE q.geom IS NOT NULL) a),
cells AS (
  SELECT floor(x / %s) AS gx, floor(y / %s) AS gy, count(*) AS n FROM anchors GROUP BY 1, 2)
SELECT json_build_object(
  'type', 'FeatureCollection',
  'numberMatched', COALESCE(sum(n), 0),
  'cell_m', round(%s::numeric, 1),
  'min_count', %s,
  'features', COALESCE(json_agg(json_build_object(
      'type', 'Feature',
      'geometry', ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_MakePoint(
          (gx + 0.5) * %s, (gy + 0.5) * %s), {STORAGE_SRID}), {WEB_SRID}), 6)::json,
      'properties', json_build_object('count', n))
    ORDER BY gy DESC, gx) FILTER (WHERE n >= %s), '[]'::json))::text
FROM cells"""
    cell = cell_m
    with read_connection().cursor() as cursor:
        cursor.execute(sql, (*params, cell, cell, cell, min_count, cell, cell, min_count))
        (body,) = cursor.fetchone()
    return body.encode()


def min_count() -> int:
    return settings.INPUTBANK["AGGREGATE_MIN_COUNT"]
