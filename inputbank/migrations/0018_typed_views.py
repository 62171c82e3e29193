"""The single-kind views report their geometry type: MultiPoint, MultiLineString, MultiPolygon.

``gis.innspill_punkt``/``_linje``/``_flate`` exposed ``gis.innspill.geom`` as it is (type
``geometry``, any kind), so GDAL, QGIS and ArcGIS saw "Unknown (any)" and ArcGIS would not add
them. Each view now casts ``ST_Multi(geom)`` to ``geometry(Multi…, 25832)``: the typmod is what
``geometry_columns`` reports, and a point and a multipoint fit the same column. (Since 0011 the
column is the public geometry, a CASE expression, so no index on it was used before either.)

A view's column type cannot change with CREATE OR REPLACE, so the views are dropped and made
again; whatever SELECT grants they had (the read-only GIS role of scripts/sql/readonly_role.sql)
are read before and given again after.
"""

from django.db import migrations

_COLUMNS = """fid, "lokalId", navnerom, "versjonId", tekst, tema, temanavn, kanal, spraak, mottatt,
       publisert, kilde, prosess, saksnr, utfall, svar, fase, svardato, vedtaksref"""
# (view, the typed column's type, GeometryType() values of the kind)
_KINDS = (
    ("innspill_punkt", "MultiPoint", "'POINT', 'MULTIPOINT'"),
    ("innspill_linje", "MultiLineString", "'LINESTRING', 'MULTILINESTRING'"),
    ("innspill_flate", "MultiPolygon", "'POLYGON', 'MULTIPOLYGON'"),
)
_NAMES = ", ".join(f"'{view}'" for view, _, _ in _KINDS)

_SAVE_GRANTS = f"""
CREATE TEMP TABLE _typed_view_grants AS
SELECT c.relname AS view, a.privilege_type, a.grantee
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(c.relacl) a
WHERE n.nspname = 'gis' AND c.relname IN ({_NAMES}) AND a.grantee <> c.relowner;
"""
_RESTORE_GRANTS = """
DO $$
DECLARE g record;
BEGIN
    FOR g IN SELECT * FROM _typed_view_grants LOOP
        EXECUTE format(
            'GRANT %s ON gis.%I TO %s', g.privilege_type, g.view,
            CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE g.grantee::regrole::text END
        );
    END LOOP;
END $$;
DROP TABLE _typed_view_grants;
"""


def _views(typed: bool) -> str:
    parts = []
    for view, kind, kinds in _KINDS:
        geom = f"ST_Multi(geom)::geometry({kind}, 25832)" if typed else "geom"
        parts.append(
            f"DROP VIEW gis.{view};\n"
            f"CREATE VIEW gis.{view} AS\nSELECT {_COLUMNS},\n       {geom} AS geom\n"
            f"FROM gis.innspill WHERE GeometryType(geom) IN ({kinds});\n"
        )
    return "".join(parts)


FORWARD = _SAVE_GRANTS + _views(typed=True) + _RESTORE_GRANTS
BACKWARD = _SAVE_GRANTS + _views(typed=False) + _RESTORE_GRANTS


class Migration(migrations.Migration):
    dependencies = [("inputbank", "0017_argument_labels")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
