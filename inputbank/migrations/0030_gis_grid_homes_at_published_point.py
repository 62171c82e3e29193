"""The tiles' count table counts a home at its published point, as every public output shows it.

Migration 0006 counted each published input in the 64 m cell of its centroid. A home
(``location_is_home``) is shown to the public at the centre of its 50 m square
(``inputbank.location_privacy``); counted by its real place, a 64 m cell could say which side
of a cell border the house is on. The trigger functions now take the same point as
``location_privacy.public_geom_sql``; they already see every column of the changed rows
(transition tables), so ticking or unticking "Her bor jeg" moves the count too. The table is
recounted once. The SQL is written out here (not imported) so this step stays as it ran.
"""

from django.db import migrations

HOME_GRID_M = 50


def _public_point(alias: str) -> str:
    point = f"ST_PointOnSurface({alias}.geom)"
    return (
        f"CASE WHEN {alias}.location_is_home THEN ST_SetSRID(ST_MakePoint("
        f"floor(ST_X({point}) / {HOME_GRID_M}) * {HOME_GRID_M} + {HOME_GRID_M / 2}, "
        f"floor(ST_Y({point}) / {HOME_GRID_M}) * {HOME_GRID_M} + {HOME_GRID_M / 2}), "
        f"ST_SRID({alias}.geom)) ELSE ST_Centroid({alias}.geom) END"
    )


def _cell(alias: str, public: bool) -> str:
    at = _public_point(alias) if public else f"ST_Centroid({alias}.geom)"
    return f"floor(ST_X({at}) / 64)::int, floor(ST_Y({at}) / 64)::int"


def _functions(public: bool) -> str:
    def cells(table: str, sign: int) -> str:
        return (
            f"SELECT {_cell('r', public)}, {sign} FROM {table} r "
            "WHERE r.status = 'published' AND r.geom IS NOT NULL"
        )

    def grouped(*parts: str) -> str:
        union = " UNION ALL ".join(parts)
        return (
            f"SELECT cx, cy, sum(d)::int FROM ({union}) AS delta(cx, cy, d) "
            "GROUP BY cx, cy HAVING sum(d) <> 0 ORDER BY cx, cy"
        )

    def function(name: str, select: str) -> str:
        return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO inputbank_gis_grid AS g (cx, cy, n) {select}
    ON CONFLICT (cx, cy) DO UPDATE SET n = g.n + EXCLUDED.n;
    RETURN NULL;
END
$$;"""

    return "\n".join(
        (
            function("inputbank_gis_grid_insert", grouped(cells("new_rows", 1))),
            function("inputbank_gis_grid_delete", grouped(cells("old_rows", -1))),
            function(
                "inputbank_gis_grid_update",
                grouped(cells("new_rows", 1), cells("old_rows", -1)),
            ),
            "LOCK TABLE inputbank_gis_grid IN EXCLUSIVE MODE;",
            "DELETE FROM inputbank_gis_grid;",
            f"INSERT INTO inputbank_gis_grid (cx, cy, n) SELECT {_cell('i', public)}, count(*) "
            "FROM inputbank_input i WHERE i.status = 'published' AND i.geom IS NOT NULL "
            "GROUP BY 1, 2;",
        )
    )


class Migration(migrations.Migration):
    dependencies = [("inputbank", "0029_input_published_home_geom")]
    operations = [migrations.RunSQL(_functions(public=True), _functions(public=False))]
