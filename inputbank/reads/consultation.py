"""How often, and how recently, each part of Moss has been consulted (participation fatigue).

Two reads, both in PostgreSQL:

* ``consultation_grid``: a hexagon grid (ST_HexagonGrid, metres in the storage CRS) over the
  Moss extent; each cell that any process area touches gets the number of processes, the last
  day one of them was open, and the number of inputs received in the cell. Built as one GeoJSON
  FeatureCollection (lon/lat) in SQL.
* ``consultation_history``: the earlier processes whose area overlaps a given area, when they
  ran and how many inputs each received (in total and inside the area).
* ``process_areas``: the open processes' areas (or one process's), drawn as context on every
  staff map.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import orjson
from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Count, Q

from geo.crs import MOSS_EXTENT_25832, STORAGE_SRID, WEB_SRID
from inputbank.dbrouter import read_connection
from inputbank.models import Input, Process, ProcessStatus
from inputbank.models.tables import quoted_table
from inputbank.public import counted_q, counted_sql

MIN_CELL_M = 100
MAX_CELL_M = 5000


def consultation_grid(
    *, cell_m: int = 500, since: dt.date | None = None, until: dt.date | None = None
) -> bytes:
    """Return a GeoJSON FeatureCollection (CRS84) of hexagons with consultation counts.

    Properties per cell: ``processes`` (how many processes covered it), ``last_consulted``
    (ISO date the most recent one closed, or opened when it has no closing date) and
    ``inputs`` (published inputs inside the cell in the same period). Only processes that
    actually ran (not ``planned``) count; cells no process touched are left out.
    """
    cell_m = max(MIN_CELL_M, min(MAX_CELL_M, int(cell_m)))
    conditions = ["p.area IS NOT NULL", "p.status <> %s"]
    params: list = [ProcessStatus.PLANNED]
    if since:
        conditions.append("COALESCE(p.closes_on, p.opens_on) >= %s")
        params.append(since)
    if until:
        conditions.append("p.opens_on <= %s")
        params.append(until)
    input_conditions = [counted_sql("i"), "ST_Intersects(i.geom, c.geom)"]
    input_params: list = []
    if since:
        input_conditions.append("i.received_at >= %s")
        input_params.append(since)
    if until:
        input_conditions.append("i.received_at < %s")
        input_params.append(until + dt.timedelta(days=1))
    xmin, ymin, xmax, ymax = MOSS_EXTENT_25832
    sql = f"""
        WITH p AS MATERIALIZED (
            SELECT p.id, p.area, COALESCE(p.closes_on, p.opens_on) AS last_day
            FROM {quoted_table(Process)} p WHERE {" AND ".join(conditions)}
        ),
        c AS MATERIALIZED (
            SELECT h.geom, count(p.id) AS processes, max(p.last_day) AS last_day
            FROM ST_HexagonGrid(%s, ST_MakeEnvelope(%s, %s, %s, %s, {int(STORAGE_SRID)})) h
            JOIN p ON ST_Intersects(p.area, h.geom)
            GROUP BY h.geom
        )
        SELECT json_build_object(
            'type', 'FeatureCollection',
            'cell_m', %s,
            'features', COALESCE(json_agg(json_build_object(
                'type', 'Feature',
                'geometry', ST_AsGeoJSON(ST_Transform(c.geom, {int(WEB_SRID)}), 6)::json,
                'properties', json_build_object(
                    'processes', c.processes,
                    'last_consulted', c.last_day,
                    'inputs', (SELECT count(*) FROM {quoted_table(Input)} i
                               WHERE {" AND ".join(input_conditions)})
                )) ORDER BY c.processes DESC), '[]'::json)
        )::text
        FROM c
    """
    with read_connection().cursor() as cursor:
        cursor.execute(sql, [*params, cell_m, xmin, ymin, xmax, ymax, cell_m, *input_params])
        return cursor.fetchone()[0].encode()


@dataclass(frozen=True)
class EarlierConsultation:
    process: Process
    inputs_total: int
    inputs_in_area: int


def consultation_history(area: GEOSGeometry, *, user=None) -> list[EarlierConsultation]:
    """Return the processes overlapping an area (storage CRS), newest first, with input counts.

    Counts are of published input; staff who see unpublished input get the same numbers, so a
    printed report means the same thing whoever prints it.
    """
    published = counted_q("inputs__")
    processes = (
        Process.objects.filter(area__intersects=area)
        .annotate(
            inputs_total=Count("inputs", filter=published),
            inputs_in_area=Count("inputs", filter=published & Q(inputs__geom__intersects=area)),
        )
        .order_by("-opens_on", "slug")
    )
    return [EarlierConsultation(p, p.inputs_total, p.inputs_in_area) for p in processes]


def process_areas(process_id: int | None = None) -> bytes:
    """The areas staff maps draw as context: one process's, or every open process's.

    A GeoJSON FeatureCollection (lon/lat, 5 decimals: about a metre, enough for an outline)
    with each process's ``id`` and ``title``; processes without an area are left out.
    """
    processes = Process.objects.filter(area__isnull=False)
    if process_id is not None:
        processes = processes.filter(pk=process_id)
    else:
        processes = processes.filter(status=ProcessStatus.OPEN)
    rows = (
        processes.with_area_geojson(precision=5)
        .order_by("title")
        .values_list("id", "title", "area_geojson")
    )
    features = [
        {
            "type": "Feature",
            "geometry": orjson.Fragment(geometry),
            "properties": {"id": pk, "title": title},
        }
        for pk, title, geometry in rows
    ]
    return orjson.dumps({"type": "FeatureCollection", "features": features})
