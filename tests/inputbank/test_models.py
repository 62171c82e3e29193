"""The database itself refuses bad data: constraints and indexes are exercised on real PostGIS."""

import pytest
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import IntegrityError, connection, transaction

from geo.crs import STORAGE_SRID
from inputbank.models import Input, LocationSource, Process
from tests.factories import make_input, make_process, make_theme, point

pytestmark = pytest.mark.django_db


def test_geometry_is_stored_in_the_municipal_crs():
    item = make_input(geom=point(10.658, 59.434))
    item.refresh_from_db()
    assert item.geom.srid == STORAGE_SRID
    assert item.geom.x == pytest.approx(594048.14, abs=0.05)
    assert item.geom.y == pytest.approx(6589551.59, abs=0.05)


def test_database_refuses_an_invalid_polygon():
    bowtie = GEOSGeometry(
        "POLYGON((594000 6589000, 594100 6589100, 594100 6589000, 594000 6589100, 594000 6589000))",
        srid=STORAGE_SRID,
    )
    with pytest.raises(IntegrityError, match="input_geom_valid"), transaction.atomic():
        Input.objects.create(text="x", geom=bowtie)


def test_database_refuses_a_geometry_collection():
    collection = GEOSGeometry("GEOMETRYCOLLECTION(POINT(594000 6589000))", srid=STORAGE_SRID)
    with pytest.raises(IntegrityError, match="input_geom_type"), transaction.atomic():
        Input.objects.create(text="x", geom=collection)


def test_missing_location_must_be_declared():
    with pytest.raises(IntegrityError, match="location_source"), transaction.atomic():
        Input.objects.create(text="x", geom=None, location_source=LocationSource.DRAWN)
    item = Input.objects.create(text="x", geom=None, location_source=LocationSource.NONE)
    assert not item.has_location


def test_published_input_needs_a_publication_date():
    with pytest.raises(IntegrityError, match="published_has_date"), transaction.atomic():
        Input.objects.create(
            text="x", geom=Point(594000, 6589000, srid=STORAGE_SRID), status="published"
        )


def test_process_case_number_is_stored_as_integers_and_formatted_for_display():
    process = make_process(case_year=2024, case_sequence=1234)
    assert process.case_number == "2024/1234"
    with pytest.raises(IntegrityError), transaction.atomic():
        make_process(case_year=2024, case_sequence=None)


def test_process_must_close_after_it_opens():
    import datetime as dt

    with pytest.raises(IntegrityError, match="closes_after"), transaction.atomic():
        make_process(opens_on=dt.date(2025, 5, 1), closes_on=dt.date(2025, 4, 1))


def test_spatial_query_uses_the_gist_index():
    make_input()
    qs = Input.objects.within(point(10.658, 59.434), buffer_m=500).values("id")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert (
        "Index Scan using inputbank_input_geom_" in plan
        or "Bitmap Index Scan on inputbank_input_geom_" in plan
    )


def test_within_is_exact_not_bounding_box_overlap():
    # A point inside the bounding box of an L-shaped area but outside the area itself.
    inside_bbox_only = make_input(geom=point(10.67, 59.44))
    l_shape = GEOSGeometry(
        "POLYGON((10.64 59.42, 10.68 59.42, 10.68 59.43, 10.65 59.43, 10.65 59.45, 10.64 59.45, "
        "10.64 59.42))",
        srid=4326,
    )
    assert inside_bbox_only not in Input.objects.within(l_shape)
    assert inside_bbox_only in Input.objects.within(l_shape, buffer_m=1500)


def test_norwegian_search_finds_inflected_forms():
    hit = make_input(text="Sykkelveien langs Storgata er for smal.")
    make_input(text="Parken trenger flere benker.")
    assert list(Input.objects.search("sykkelveiene")) == [hit]


def test_search_falls_back_to_trigram_for_typos():
    hit = make_input(text="Fotgjengerfeltet ved skolen er farlig.")
    assert hit in Input.objects.search("fotgjengerfelte")
    assert hit in Input.objects.search("fotgjengerfeltte")


def test_search_finds_compounds_the_stemmer_cannot_split():
    hit = make_input(text="Gang- og sykkelveinettet må bygges ut.")
    make_input(text="Parken trenger flere benker.")
    assert list(Input.objects.search("sykkelvei")) == [hit]


def test_search_finds_every_inflected_form():
    hits = {make_input(text="Sykkelveien er smal."), make_input(text="Sykkelveiene er glatte.")}
    make_input(text="Parken trenger flere benker.")
    assert set(Input.objects.search("sykkelveier")) == hits


def test_search_never_matches_redacted_personal_data():
    make_input(text="Ring meg på 912 34 567 om sykkelparkering.")
    assert not Input.objects.search("912").exists()


def test_theme_filter_includes_sub_themes():
    transport = make_theme("transport")
    cycling = make_theme("sykkel", parent=transport)
    item = make_input(themes=(cycling,))
    make_input(themes=(make_theme("kultur"),))
    assert list(Input.objects.about(["transport"])) == [item]


def test_open_processes_are_those_open_today():
    from django.utils import timezone

    today = timezone.localdate()
    open_one = make_process("open-one")
    make_process("planned", status="planned")
    assert list(Process.objects.open_on(today)) == [open_one]
