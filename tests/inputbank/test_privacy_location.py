"""Public maps do not point at homes; children's input is public only in aggregates."""

import json

import pytest
from django.db import connection

from geo.crs import STORAGE_SRID
from inputbank.location_privacy import HOME_GRID_M, home_cell_centre, public_geom_sql
from inputbank.models import Channel, Input
from inputbank.reads.features import Audience, feature_collection_page
from inputbank.services import ContributorData, input_publish, input_register, input_submit
from tests.factories import make_user, point

pytestmark = pytest.mark.django_db
HOME = ContributorData(name="Kari Nordmann", postal_address="Fjordveien 3B, 1530 Moss")


def _published(**kwargs):
    item = input_submit(
        text="Fartsdumper her, takk.", geom=point(10.6581, 59.4342), themes=[], **kwargs
    )
    input_publish(input=item, moderator=None)
    item.refresh_from_db()
    return item


def _public_xy(item, audience=Audience.PUBLIC):
    body, _n, _more = feature_collection_page(
        Input.objects.filter(pk=item.pk), audience=audience, srid=STORAGE_SRID, offset=0, limit=5
    )
    return tuple(json.loads(body)[0]["geometry"]["coordinates"])


def test_input_at_the_contributors_own_address_is_a_home():
    home = _published(contributor=HOME, location_description="Fjordveien 3b")
    elsewhere = _published(contributor=HOME, location_description="Torget")
    assert home.location_is_home and not elsewhere.location_is_home


def test_the_public_sees_a_home_at_its_grid_cell_centre_every_time_and_staff_see_the_place():
    item = _published(contributor=HOME, location_is_home=True)
    exact = (item.geom.x, item.geom.y)
    shown = _public_xy(item)
    assert shown == pytest.approx(home_cell_centre(*exact), abs=0.01)
    assert _public_xy(item) == shown  # deterministic, not random per request
    assert all(abs(s - e) <= HOME_GRID_M / 2 for s, e in zip(shown, exact, strict=True))
    assert shown != pytest.approx(exact, abs=0.01)
    assert _public_xy(item, Audience.CASE_OFFICER) == pytest.approx(exact, abs=0.01)


def test_other_input_keeps_its_exact_place_in_public():
    item = _published()
    assert _public_xy(item) == pytest.approx((item.geom.x, item.geom.y), abs=0.01)


def test_the_public_gis_view_shows_homes_generalised_like_the_api():
    item = _published(contributor=HOME, location_is_home=True)
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT ST_X(geom), ST_Y(geom) FROM gis.innspill WHERE "lokalId" = %s',
            [item.public_id],
        )
        view_xy = cursor.fetchone()
        cursor.execute(
            f"SELECT ST_X(g), ST_Y(g) FROM (SELECT {public_geom_sql('i')} AS g "
            "FROM inputbank_input i WHERE i.id = %s) s",
            [item.pk],
        )
        module_xy = cursor.fetchone()
    assert view_xy == pytest.approx(module_xy, abs=0.01)
    assert view_xy == pytest.approx(_public_xy(item), abs=0.01)


def test_childrens_walks_are_never_public_points():
    officer = make_user("barnetrakk", "case_officers")
    walk = input_register(
        text="Skoleveien min", geom=point(), themes=[], channel=Channel.BARNETRAKK,
        registered_by=officer, publish=True,
    )  # fmt: skip
    assert walk.location_restricted
    assert not Input.objects.published().filter(pk=walk.pk).exists()


def test_the_ogc_api_shows_a_home_at_its_grid_cell_centre(client):
    item = _published(contributor=HOME, location_is_home=True)
    uri = "http://www.opengis.net/def/crs/EPSG/0/25832"
    doc = client.get(f"/ogc/collections/inputs/items/{item.public_id}", {"crs": uri}).json()
    shown = tuple(doc["geometry"]["coordinates"])
    assert shown == pytest.approx(home_cell_centre(item.geom.x, item.geom.y), abs=0.01)
    assert shown != pytest.approx((item.geom.x, item.geom.y), abs=0.01)
