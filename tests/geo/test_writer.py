"""Partitioned writing: one pass over the rows fills one file per geometry kind."""

from __future__ import annotations

import pyarrow as pa
import pyogrio
import pytest
import shapely

from geo.crs import STORAGE_SRID
from geo.io import FORMATS
from geo.io.writer import LayerPart, write_partitioned

SCHEMA = pa.schema([("tekst", pa.string()), ("kind", pa.int32()), ("geom", pa.binary())])


def batch(rows: list[tuple[str, int, object]]) -> pa.RecordBatch:
    texts, kinds, geoms = zip(*rows, strict=True)
    wkb = [shapely.to_wkb(g) if g is not None else None for g in geoms]
    return pa.RecordBatch.from_arrays(
        [pa.array(texts), pa.array(kinds, pa.int32()), pa.array(wkb, pa.binary())], schema=SCHEMA
    )


def parts(folder) -> list[LayerPart]:
    return [
        LayerPart(0, folder / "punkt.shp", "punkt", "MultiPoint"),
        LayerPart(1, folder / "uten_sted.dbf", "uten_sted", None),
    ]


def test_each_row_lands_in_its_kinds_file_without_the_key(tmp_path):
    point = shapely.MultiPoint([(600_000, 6_590_000)])
    batches = [
        batch([("a", 0, point), ("b", 1, None)]),
        batch([("c", 0, point), ("d", 0, point)]),
    ]
    write_partitioned(parts(tmp_path), FORMATS["shp"], SCHEMA, batches, key_column="kind",
                      srid=STORAGE_SRID)  # fmt: skip
    points = pyogrio.read_dataframe(tmp_path / "punkt.shp")
    table = pyogrio.read_dataframe(tmp_path / "uten_sted.dbf", read_geometry=False)
    assert sorted(points["tekst"]) == ["a", "c", "d"]
    assert list(table["tekst"]) == ["b"]
    assert "kind" not in points.columns and "kind" not in table.columns


def test_a_failing_layer_raises_instead_of_hanging(tmp_path):
    line = shapely.LineString([(600_000, 6_590_000), (600_010, 6_590_010)])
    batches = [batch([("a", 0, line)])] * 5  # a line cannot go into a point shapefile
    with pytest.raises(Exception, match="(?i)geometry|type"):
        write_partitioned(parts(tmp_path), FORMATS["shp"], SCHEMA, batches, key_column="kind",
                          srid=STORAGE_SRID)  # fmt: skip
