"""Counts of published input per 64 m cell, kept current by triggers, for low-zoom tiles.

A vector tile below the detail zoom shows counts on a grid. Counting every input under a z10
tile reads the whole table (~0.35 s at 1.1 M inputs); adding up at most a few thousand
pre-counted cells takes milliseconds. ``inputbank_gis_grid`` holds (cx, cy, n): published
inputs whose centroid lies in the 64 m cell (cx, cy) of the storage CRS (EPSG:25832), i.e.
``floor(x / 64)``; location-restricted input is counted too (only ever shown as a count, and
cells under the minimum are suppressed when a tile is made; docs/gis.md).

Statement-level triggers with transition tables keep the counts on every write path (forms,
API, moderation, bulk imports, COPY, erasure) in one set-based statement per SQL statement,
so a bulk import of a million rows costs one aggregate, not a million updates. Cells are
upserted in key order so concurrent writers lock them in the same order. Cells that drop to
zero stay (harmless; ``manage.py rebuild_tile_grid`` rebuilds the table).

The cell size must equal ``geo.tiles.BASE_CELL_M``; a test compares the triggers' counts with
a rebuild from ``geo.tiles``.
"""

from django.db import migrations

CELL = "floor(ST_X(ST_Centroid({g})) / 64)::int, floor(ST_Y(ST_Centroid({g})) / 64)::int"
COUNTED = "status = 'published' AND geom IS NOT NULL"
UPSERT = (
    "INSERT INTO inputbank_gis_grid AS g (cx, cy, n) {select} "
    "ON CONFLICT (cx, cy) DO UPDATE SET n = g.n + EXCLUDED.n"
)


def _function(name: str, select: str) -> str:
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {UPSERT.format(select=select)};
    RETURN NULL;
END
$$;"""


def _cells(table: str, sign: int) -> str:
    return f"SELECT {CELL.format(g='geom')}, {sign} FROM {table} WHERE {COUNTED}"


def _grouped(*parts: str) -> str:
    union = " UNION ALL ".join(parts)
    return (
        f"SELECT cx, cy, sum(d)::int FROM ({union}) AS delta(cx, cy, d) "
        "GROUP BY cx, cy HAVING sum(d) <> 0 ORDER BY cx, cy"
    )


FORWARD = f"""
CREATE TABLE inputbank_gis_grid (
    cx integer NOT NULL,
    cy integer NOT NULL,
    n integer NOT NULL,
    PRIMARY KEY (cx, cy)
);
COMMENT ON TABLE inputbank_gis_grid IS
    'Published inputs per 64 m cell (EPSG:25832, by centroid); kept by triggers on '
    'inputbank_input; summed by low-zoom vector tiles. Rebuild: manage.py rebuild_tile_grid.';

INSERT INTO inputbank_gis_grid (cx, cy, n)
SELECT {CELL.format(g="geom")}, count(*) FROM inputbank_input WHERE {COUNTED} GROUP BY 1, 2;

{_function("inputbank_gis_grid_insert", _grouped(_cells("new_rows", 1)))}
{_function("inputbank_gis_grid_delete", _grouped(_cells("old_rows", -1)))}
{_function("inputbank_gis_grid_update", _grouped(_cells("new_rows", 1), _cells("old_rows", -1)))}

CREATE FUNCTION inputbank_gis_grid_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE inputbank_gis_grid;
    RETURN NULL;
END
$$;

CREATE TRIGGER gis_grid_insert AFTER INSERT ON inputbank_input
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION inputbank_gis_grid_insert();
CREATE TRIGGER gis_grid_delete AFTER DELETE ON inputbank_input
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION inputbank_gis_grid_delete();
CREATE TRIGGER gis_grid_update AFTER UPDATE ON inputbank_input
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION inputbank_gis_grid_update();
CREATE TRIGGER gis_grid_truncate AFTER TRUNCATE ON inputbank_input
    FOR EACH STATEMENT EXECUTE FUNCTION inputbank_gis_grid_truncate();
"""

BACKWARD = """
DROP TRIGGER gis_grid_insert ON inputbank_input;
DROP TRIGGER gis_grid_delete ON inputbank_input;
DROP TRIGGER gis_grid_update ON inputbank_input;
DROP TRIGGER gis_grid_truncate ON inputbank_input;
DROP FUNCTION inputbank_gis_grid_insert();
DROP FUNCTION inputbank_gis_grid_delete();
DROP FUNCTION inputbank_gis_grid_update();
DROP FUNCTION inputbank_gis_grid_truncate();
DROP TABLE inputbank_gis_grid;
"""


class Migration(migrations.Migration):
    dependencies = [("inputbank", "0005_addresses")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
