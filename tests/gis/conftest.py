"""Shared set-up for GIS exchange tests: themes, a mix of inputs, isolated caches and temp dirs."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import LineString, Polygon
from django.utils import translation

from geo.crs import WEB_SRID
from inputbank import services
from inputbank.models import Contributor, Outcome
from inputbank.services import ContributorData
from tests.factories import make_input, make_process, make_theme, point

SECRET_NAME = "Kari Hemmelig"
SECRET_EMAIL = "kari.hemmelig@example.no"


@pytest.fixture(autouse=True)
def _english():
    """The import pipeline reports in the active language; these tests read its English source
    (staff pages speak the officer's language, tests/staff/test_language.py checks nynorsk)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets its own cache, temp folder and staging folder (tiles: tests/conftest.py)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "LOCATION": f"default-{tmp_path.name}"},
    }  # fmt: skip
    gis_tmp = tmp_path / "gis-tmp"
    gis_tmp.mkdir()
    settings.GIS_TMP_DIR = str(gis_tmp)
    settings.IMPORTS = {**settings.IMPORTS, "STAGING_DIR": tmp_path / "staging"}
    yield


@pytest.fixture
def themes(db):
    transport = make_theme("transport", name="Transport og veier")
    green = make_theme("green-areas", name="Grøntområder")
    return {"transport": transport, "green-areas": green}


def line():
    return LineString((10.650, 59.430), (10.660, 59.440), srid=WEB_SRID)


def area():
    poly = Polygon.from_bbox((10.650, 59.430, 10.655, 59.433))
    poly.srid = WEB_SRID
    return poly


@pytest.fixture
def sample(db, themes, case_officer):
    """Published point/line/area/no-location inputs, one pending and one rejected input.

    Every input has a contributor with a name and e-mail that must never be exported.
    """
    process = make_process("sentrum-2024")
    contributor = ContributorData(name=SECRET_NAME, email=SECRET_EMAIL, phone="+47 912 34 567")
    kw = {"contributor": contributor, "process": process}
    items = {
        "point": make_input("Trygg skolevei", geom=point(10.658, 59.434),
                            themes=(themes["transport"],), **kw),
        "line": make_input("Sykkelvei langs fjorden", geom=line(),
                           themes=(themes["transport"], themes["green-areas"]), **kw),
        "area": make_input("Bevar parken", geom=area(), themes=(themes["green-areas"],), **kw),
        "nowhere": make_input("Generelt om medvirkning", no_location=True, **kw),
        "pending": make_input("Ikke moderert ennå", geom=point(10.66, 59.435), published=False,
                              **kw),
    }  # fmt: skip
    rejected = make_input("Avvist innspill", geom=point(10.661, 59.436), published=False, **kw)
    services.input_reject(input=rejected, moderator=case_officer, reason="test")
    items["rejected"] = rejected
    services.response_record(
        input=items["point"],
        outcome=Outcome.ADOPTED,
        justification="Vi bygger fortau.",
        decided_by=case_officer,
    )
    assert Contributor.objects.filter(name=SECRET_NAME).exists()
    return items


PUBLISHED = ("point", "line", "area", "nowhere")
