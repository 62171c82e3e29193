"""Writes for participation processes: slugs, the area in the storage CRS, checks and history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import MultiPolygon
from django.core.exceptions import ValidationError
from django.utils import translation

from geo.crs import STORAGE_SRID, WEB_MERCATOR_SRID, WEB_SRID
from inputbank.casenumbers import CaseRef
from inputbank.models import LadderStep, Process, ProcessStatus
from inputbank.services import ProcessData, process_create, process_save, process_update
from tests.factories import box, make_process, make_user, point

pytestmark = pytest.mark.django_db

KANALEN = box(10.655, 59.432, 10.665, 59.438)


def _hearing(**extra) -> ProcessData:
    defaults = {
        "title": "Reguleringsplan Kanalen",
        "ladder_step": LadderStep.DIALOGUE,
        "area": KANALEN,
        "opens_on": dt.date(2025, 3, 1),
        "closes_on": dt.date(2025, 4, 15),
        "case": CaseRef(2025, 321),
        "status": ProcessStatus.OPEN,
    }
    return ProcessData(**{**defaults, **extra})


def _centre(process: Process) -> tuple[float, float]:
    lon, lat = process.area.centroid.transform(WEB_SRID, clone=True).coords
    return round(lon, 3), round(lat, 3)


def test_a_polygon_drawn_in_lon_lat_is_stored_as_a_multipolygon_in_the_storage_crs():
    process = process_create(data=_hearing(), created_by=None)
    process.refresh_from_db()
    assert (process.area.geom_type, process.area.srid) == ("MultiPolygon", STORAGE_SRID)
    assert _centre(process) == (10.66, 59.435)


def test_a_point_is_not_an_area():
    # Shown on the staff process form as it is: in the officer's language.
    with pytest.raises(ValueError, match="Et prosessområde må være en flate"):
        process_create(data=_hearing(area=point()), created_by=None)
    assert not Process.objects.exists()


def test_a_process_without_an_area_is_allowed():
    process = process_create(data=_hearing(area=None), created_by=None)
    assert process.area is None


def test_the_slug_comes_from_the_title_and_a_second_one_gets_a_number():
    old = make_process("reguleringsplan-kanalen", status=ProcessStatus.EVALUATED)
    new = process_create(data=_hearing(), created_by=None)
    assert (old.slug, new.slug) == ("reguleringsplan-kanalen", "reguleringsplan-kanalen-2")


def test_closing_before_opening_is_refused():
    with pytest.raises(ValidationError):
        process_create(
            data=_hearing(opens_on=dt.date(2025, 4, 1), closes_on=dt.date(2025, 3, 1)),
            created_by=None,
        )


def test_an_edit_keeps_the_earlier_version_and_its_author():
    officer = make_user("planlegger")
    process = process_create(data=_hearing(), created_by=officer)
    process_update(
        process=process,
        data=_hearing(title="Reguleringsplan Kanalen, revidert"),
        changed_by=officer,
    )
    titles = [h.title for h in process.history.order_by("history_date")]
    assert titles == ["Reguleringsplan Kanalen", "Reguleringsplan Kanalen, revidert"]
    assert process.history.first().history_user == officer


def test_the_bokmal_title_is_written_whatever_the_interface_language():
    with translation.override("en"):
        process = process_create(data=_hearing(title="Kyststien"), created_by=None)
    process.refresh_from_db()
    assert process.title_nb == "Kyststien"


def test_a_process_saved_field_by_field_gets_its_area_in_the_storage_crs():
    process = make_process("kyststien")
    area = MultiPolygon(KANALEN.clone(), srid=WEB_SRID)
    area.transform(WEB_MERCATOR_SRID)
    process.area = area
    process.status = ProcessStatus.CLOSED
    process_save(process=process, changed_by=None)
    process.refresh_from_db()
    assert (process.area.srid, process.status) == (STORAGE_SRID, ProcessStatus.CLOSED)
    assert _centre(process) == (10.66, 59.435)


def test_a_process_saved_field_by_field_without_a_slug_gets_one_from_the_title():
    process = Process(title="Ny gangvei ved Verket", ladder_step=LadderStep.INFORMATION)
    process_save(process=process, changed_by=None)
    assert process.slug == "ny-gangvei-ved-verket"
