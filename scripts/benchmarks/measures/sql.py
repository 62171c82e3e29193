"""Baseline SQL written by hand, as a DBA would for the same answers the API gives.

The public Feature (docs/api.md): id = public UUID, RFC 7946 lon/lat geometry with 7 decimals,
and the properties text, themes, process, channel, language, location_source, received_on,
status, response, supports, comments. JSON is built in PostgreSQL (json_agg), the query area
is transformed and subdivided once in a MATERIALIZED CTE.
"""

from __future__ import annotations

from django.conf import settings

from geo.crs import STORAGE_SRID, WEB_SRID

TZ = settings.TIME_ZONE
# Vertices per piece of a large query area (docs/measurements.md: 6.7 s -> 0.24 s). The best
# raw SQL uses the piece size the product found fastest (256 since session 8, was 64).
SUBDIVIDE = 256
VISIBLE = "i.status = 'published' AND NOT i.location_restricted"


def _date(column: str) -> str:
    """The local date (JSON writes a date as "YYYY-MM-DD"; cheaper than to_char)."""
    return f"(({column}) AT TIME ZONE '{TZ}')::date"


# One public Feature of input ``i`` (joined with process ``p``, response ``r`` and the
# per-input aggregates ``th``, ``sup``, ``com`` of AGGREGATES).
FEATURE = f"""json_build_object(
  'type', 'Feature', 'id', i.public_id,
  'geometry', ST_AsGeoJSON(ST_Transform(i.geom, {WEB_SRID}), 7, 0)::json,
  'properties', json_build_object(
    'text', i.public_text,
    'themes', COALESCE(th.slugs, '{{}}'),
    'process', CASE WHEN p.id IS NULL THEN NULL ELSE json_build_object(
                 'id', p.id, 'slug', p.slug,
                 'title', COALESCE(NULLIF(p.title_nb, ''), p.title)) END,
    'channel', i.channel, 'language', i.language, 'location_source', i.location_source,
    'received_on', {_date("i.received_at")}, 'status', i.status,
    'response', CASE WHEN r.id IS NULL THEN NULL ELSE json_build_object(
                  'outcome', r.outcome, 'justification', r.justification, 'stage', r.stage,
                  'decided_on', {_date("r.decided_at")},
                  'decision_reference', r.decision_reference) END,
    'supports', COALESCE(sup.n, 0),
    'comments', COALESCE(com.n, 0)))"""


def aggregates(ids: str) -> str:
    """CTEs th/sup/com: themes and counts for the inputs ``ids`` selects, grouped once each.

    One grouped pass per table beats a correlated subquery per feature at 10 000 features.
    """
    return f"""th AS (
  SELECT it.input_id, array_agg(t.slug ORDER BY t.sort_order, t.slug) AS slugs
  FROM inputbank_input_themes it JOIN inputbank_theme t ON t.id = it.theme_id
  WHERE it.input_id IN ({ids}) GROUP BY 1),
sup AS (SELECT s.input_id, count(*) AS n FROM inputbank_support s
        WHERE s.input_id IN ({ids}) GROUP BY 1),
com AS (SELECT c.input_id, count(*) AS n FROM inputbank_comment c
        WHERE c.status = 'published' AND c.input_id IN ({ids}) GROUP BY 1)"""


FEATURE_JOINS = """JOIN inputbank_input i ON i.id = h.id
  LEFT JOIN inputbank_process p ON p.id = i.process_id
  LEFT JOIN inputbank_response r ON r.input_id = i.id
  LEFT JOIN th ON th.input_id = h.id
  LEFT JOIN sup ON sup.input_id = h.id
  LEFT JOIN com ON com.input_id = h.id"""


def _counts(expr: str, joins: str = "", order: str = "n DESC, k") -> str:
    return (
        f"(SELECT COALESCE(json_object_agg(k, n ORDER BY {order}), '{{}}') FROM "
        f"(SELECT {expr} AS k, count(*) AS n FROM hits h {joins} GROUP BY 1) s)"
    )


# The query area, computed once before the query (EWKB pieces): as a parameter the planner
# sees its real size. Inside the query, ST_Subdivide's default estimate of 1 000 rows makes
# plans look far more expensive than they are (with JIT on it compiled for ~250 ms).
# Parameters: geojson (text, lon/lat), buffer_m.
PRIOR_AREA = f"""
SELECT ARRAY(SELECT ST_AsEWKB(ST_Subdivide(ST_Buffer(ST_Transform(ST_SetSRID(
  ST_GeomFromGeoJSON(%(geojson)s), {WEB_SRID}), {STORAGE_SRID}), %(buffer_m)s), {SUBDIVIDE})))
"""

# Parameters: pieces (EWKB list from PRIOR_AREA), limit.
PRIOR_INPUT = f"""
WITH area AS MATERIALIZED (SELECT unnest(%(pieces)s::bytea[]::geometry[]) AS g),
-- The hits as an array: the planner then expects few rows and joins by primary key, instead
-- of hashing whole tables on a guess (a MATERIALIZED CTE's row estimate is blind).
ids AS MATERIALIZED (
  SELECT u.id, u.ord FROM unnest(ARRAY(
    SELECT w.id FROM area a JOIN inputbank_input w ON ST_Intersects(w.geom, a.g)
    WHERE w.status = 'published' AND NOT w.location_restricted
    GROUP BY w.id, w.received_at  -- a row touching two pieces counts once
    ORDER BY w.received_at DESC, w.id DESC)) WITH ORDINALITY AS u(id, ord)
),
hits AS MATERIALIZED (
  SELECT ids.id, ids.ord, i.received_at, i.channel, i.process_id
  FROM ids JOIN inputbank_input i ON i.id = ids.id
),
{aggregates("SELECT id FROM hits WHERE ord <= %(limit)s")}
SELECT json_build_object(
  'summary', json_build_object(
    'total', (SELECT count(*) FROM hits),
    'by_theme', {
    _counts(
        "t.slug",
        "JOIN inputbank_input_themes it ON it.input_id = h.id "
        "JOIN inputbank_theme t ON t.id = it.theme_id",
    )
},
    'by_outcome', {
    _counts("COALESCE(r.outcome, 'none')", "LEFT JOIN inputbank_response r ON r.input_id = h.id")
},
    'by_channel', {_counts("h.channel")},
    'by_year', {
    _counts(f"extract(year FROM h.received_at AT TIME ZONE '{TZ}')::int::text", order="k")
},
    'by_process', (SELECT COALESCE(json_agg(json_build_object(
          'id', pid, 'slug', slug, 'title', title, 'count', n) ORDER BY n DESC, pid), '[]')
        FROM (SELECT p.id AS pid, p.slug, COALESCE(NULLIF(p.title_nb, ''), p.title) AS title,
                     count(*) AS n
              FROM hits h LEFT JOIN inputbank_process p ON p.id = h.process_id
              GROUP BY p.id, p.slug, 3) s),
    'processes_overlapping', (SELECT COALESCE(json_agg(json_build_object(
          'id', p.id, 'slug', p.slug, 'title', COALESCE(NULLIF(p.title_nb, ''), p.title),
          'status', p.status, 'opens_on', p.opens_on, 'closes_on', p.closes_on)
          ORDER BY p.opens_on DESC, p.slug), '[]')
        FROM inputbank_process p
        WHERE EXISTS (SELECT 1 FROM area a WHERE ST_Intersects(p.area, a.g)))),
  'features', json_build_object(
    'type', 'FeatureCollection',
    'numberMatched', (SELECT count(*) FROM hits),
    'numberReturned', (SELECT count(*) FROM hits WHERE ord <= %(limit)s),
    'features', (SELECT COALESCE(json_agg({FEATURE} ORDER BY h.ord), '[]')
                 FROM hits h {FEATURE_JOINS} WHERE h.ord <= %(limit)s))
)::text
"""

# The box in the storage CRS. Inline, not in a CTE: immutable functions of constants are folded
# at planning (run unprepared), so the planner sees the real box and picks the GiST index.
BOX = (
    f"ST_Transform(ST_MakeEnvelope(%(minlon)s, %(minlat)s, %(maxlon)s, %(maxlat)s, {WEB_SRID}),"
    f" {STORAGE_SRID})"
)

# Parameters: minlon, minlat, maxlon, maxlat, limit. The newest first, as the API lists.
BBOX_COLLECTION = f"""
-- The page's ids as an array: the planner then joins the 10 000 rows by primary key.
WITH h AS MATERIALIZED (
  SELECT u.id, u.ord FROM unnest(ARRAY(
    SELECT i.id FROM inputbank_input i
    WHERE ST_Intersects(i.geom, {BOX}) AND {VISIBLE}
    ORDER BY i.received_at DESC, i.id DESC
    LIMIT %(limit)s)) WITH ORDINALITY AS u(id, ord)
),
{aggregates("SELECT id FROM h")}
SELECT json_build_object('type', 'FeatureCollection',
  'features', COALESCE(json_agg({FEATURE} ORDER BY h.ord), '[]'))::text
FROM h {FEATURE_JOINS}
"""


# The box corners in the storage CRS, computed before the query as pygeoapi does: as plain
# numbers the planner sees the box (an expression here made it walk the primary key).
OGC_CORNERS = (
    "SELECT ST_X(a), ST_Y(a), ST_X(b), ST_Y(b) FROM (SELECT "
    f"ST_Transform(ST_SetSRID(ST_MakePoint(%(minlon)s, %(minlat)s), {WEB_SRID}), {STORAGE_SRID})"
    f" AS a, ST_Transform(ST_SetSRID(ST_MakePoint(%(maxlon)s, %(maxlat)s), {WEB_SRID}),"
    f" {STORAGE_SRID}) AS b) s"
)


def ogc_collection() -> str:
    """The OGC API items of a box (corners from OGC_CORNERS as x0, y0, x1, y1), by fid.

    Properties: the export view's public columns; ids first, then the view for those rows.
    """
    from inputbank.publishing import layers

    namespace = settings.INPUTBANK["NAMESPACE"].replace("'", "''")
    props = ", ".join(
        f"'{c.name}', {c.sql.replace('%s', repr(namespace))}"
        for c in layers.INPUT_COLUMNS
        if c.name != "lokalId"
    )
    box = f"ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, {STORAGE_SRID})"
    return f"""
WITH ids AS MATERIALIZED (
  SELECT u.fid, u.ord FROM unnest(ARRAY(
    SELECT v.fid FROM {layers.INPUT_SOURCE} v
    WHERE ST_Intersects(v.geom, {box}) AND v.status = 'published' AND NOT v.begrenset
    ORDER BY v.fid LIMIT %(limit)s)) WITH ORDINALITY AS u(fid, ord)
)
SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(
  json_build_object('type', 'Feature', 'id', v."lokalId"::text,
    'geometry', ST_AsGeoJSON(ST_Transform(v.geom, {WEB_SRID}), 7, 0)::json,
    'properties', json_build_object({props})) ORDER BY ids.ord), '[]'))::text
FROM ids JOIN {layers.INPUT_SOURCE} v ON v.fid = ids.fid
"""
