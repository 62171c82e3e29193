"""Exports as production runs them: committed data read through ADBC, ahead of the writer.

Exports read through a connection of their own (``inputbank/publishing/arrow_source.py``), which
cannot see a test's open transaction, so these tests commit their data (transaction=True).
The other export tests run inside a transaction and take the in-transaction path; the two
paths must give the same batches.
"""

from __future__ import annotations

import threading

import pyarrow as pa
import pytest
from django.core.management import call_command
from django.db import connection, transaction

from inputbank.models import Input
from inputbank.publishing import arrow_source, exports, layers
from tests.gis.conftest import PUBLISHED, SECRET_EMAIL, SECRET_NAME
from tests.gis.helpers import all_bytes, read, save, unzip

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/v1/exports/inputs.{}"
SECRETS = (SECRET_NAME, SECRET_EMAIL, "912 34 567", "Ikke moderert", "Avvist innspill")


@pytest.fixture
def restricted(sample):
    """The line becomes a child's route (Barnetråkk): never in a public layer."""
    Input.objects.filter(pk=sample["line"].pk).update(location_restricted=True)
    return str(sample["line"].public_id)


def ids_of(sample, keys) -> set[str]:
    return {str(sample[k].public_id) for k in keys}


def export(client, tmp_path, fmt: str, query: str = ""):
    response = client.get(URL.format(fmt) + (f"?{query}" if query else ""))
    assert response.status_code == 200, getattr(response, "content", b"")[:300]
    return save(response, tmp_path, f"export.{fmt}")


@pytest.mark.parametrize(
    ("fmt", "layer", "keys"),
    [
        ("gpkg", "innspill", ("point", "area", "nowhere")),
        ("geojson", None, ("point", "area", "nowhere")),
        ("fgb", None, ("point", "area")),
        ("csv", None, ("point", "area", "nowhere")),
        ("kml", None, ("point", "area", "nowhere")),
    ],
)
def test_public_export_holds_published_unrestricted_inputs(
    client, sample, restricted, tmp_path, fmt, layer, keys
):
    frame = read(export(client, tmp_path, fmt), layer)
    assert set(frame["lokalId"]) == ids_of(sample, keys)


def test_public_shapefiles_hold_published_unrestricted_inputs(client, sample, restricted, tmp_path):
    names = unzip(export(client, tmp_path, "shp"), tmp_path / "shp")
    found = set()
    for name in names:
        if name.endswith(".shp") or name == "innspill_uten_sted.dbf":
            found |= set(read(tmp_path / "shp" / name)["lokalId"])
    assert found == ids_of(sample, ("point", "area", "nowhere"))


@pytest.mark.parametrize("fmt", ["gpkg", "shp", "geojson", "fgb", "csv", "kml"])
def test_no_export_holds_contributor_data_or_unpublished_text(client, sample, tmp_path, fmt):
    data = all_bytes(export(client, tmp_path, fmt))
    for secret in SECRETS:
        assert secret.encode() not in data


def test_staff_export_marks_restricted_and_unpublished_input(
    client, sample, restricted, gis_user, tmp_path
):
    client.force_login(gis_user)
    frame = read(export(client, tmp_path, "gpkg", "status=all"), "innspill").set_index("lokalId")
    assert bool(frame.loc[restricted, "begrenset"]) is True
    assert frame.loc[str(sample["pending"].public_id), "status"] == "pending"


def test_a_geometry_filter_reaches_the_database_intact(client, sample, tmp_path):
    frame = read(export(client, tmp_path, "gpkg", "intersects=POINT(10.6525 59.4315)"), "innspill")
    assert set(frame["lokalId"]) == ids_of(sample, ("area",))


def test_timestamps_and_themes_survive_the_trip(client, sample, tmp_path):
    frame = read(export(client, tmp_path, "gpkg"), "innspill").set_index("lokalId")
    row = frame.loc[str(sample["line"].public_id)]
    assert row["tema"] == "green-areas,transport"
    received = sample["line"].received_at
    assert row["mottatt"].timestamp() == pytest.approx(received.timestamp(), abs=0.001)


def test_both_transports_give_the_same_batches(sample):
    columns = list(layers.INPUT_COLUMNS)
    sql, params = exports._input_sql(
        exports.input_selection({}, may_see_unpublished=False),
        columns,
        geom_sql="ST_AsBinary(v.geom)",
    )
    schema = exports._schema(columns, True)
    assert not connection.in_atomic_block
    with arrow_source.record_batches(sql, params, schema) as batches:
        streamed = pa.Table.from_batches(list(batches), schema=schema)
    with transaction.atomic(), arrow_source.record_batches(sql, params, schema) as batches:
        fetched = pa.Table.from_batches(list(batches), schema=schema)
    assert streamed.num_rows == len(PUBLISHED)
    assert streamed.equals(fetched)


def test_a_writer_that_stops_early_stops_the_read_ahead(sample):
    columns = list(layers.THEME_COLUMNS)
    sql = f"SELECT {', '.join(exports.select_sql(c) for c in columns)} FROM gis.tema v"
    schema = exports._schema(columns, False)
    with arrow_source.record_batches(sql, [], schema) as batches:
        next(iter(batches))
    assert not [t for t in threading.enumerate() if t.name == "export-read-ahead"]


def test_export_command_writes_committed_data(sample, tmp_path):
    call_command("export_layers", "--format", "gpkg", "--output-dir", str(tmp_path),
                 "--layers", "inputs", stdout=None)  # fmt: skip
    frame = read(tmp_path / "innspill.gpkg", "innspill")
    assert set(frame["lokalId"]) == ids_of(sample, PUBLISHED)
