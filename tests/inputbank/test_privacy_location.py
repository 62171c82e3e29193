"""Public maps do not point at homes; children's input is public only in aggregates."""

import json

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.db import connection

from geo.crs import STORAGE_SRID, WEB_SRID
from inputbank.location_privacy import HOME_GRID_M, home_cell_centre, public_geom_sql
from inputbank.models import Channel, Input
from inputbank.reads.feature_pages import feature_collection_page
from inputbank.reads.features import Audience
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


# --- Questions about a place find a home where the public sees it, never by where it is -----


def _lonlat_box(x: float, y: float, half_m: float = 4) -> tuple[float, float, float, float]:
    """A lon/lat box of about 2 × half_m metres around storage coordinates (x, y)."""
    corners = [Point(x - half_m, y - half_m, srid=STORAGE_SRID), Point(x + half_m, y + half_m,
               srid=STORAGE_SRID)]  # fmt: skip
    (w, s), (e, n) = [c.transform(WEB_SRID, clone=True).coords for c in corners]
    return w, s, e, n


def _ids_in(client, bbox) -> set[str]:
    response = client.get("/api/v1/inputs/", {"bbox": ",".join(f"{v:.7f}" for v in bbox)})
    assert response.status_code == 200
    return {f["id"] for f in response.json()["features"]}


def test_a_box_around_a_homes_real_place_does_not_find_it_in_public(client):
    # Narrowing boxes around the published point would otherwise tell where the home is.
    home = _published(contributor=HOME, location_is_home=True)
    beside = _published()  # not a home, at the same place: found by its place as always
    real = _lonlat_box(home.geom.x, home.geom.y)
    cx, cy = home_cell_centre(home.geom.x, home.geom.y)
    assert abs(cx - home.geom.x) > 5 or abs(cy - home.geom.y) > 5  # the boxes do not overlap
    drawn = _lonlat_box(cx, cy)
    assert _ids_in(client, real) == {str(beside.public_id)}
    assert str(home.public_id) in _ids_in(client, drawn)
    client.force_login(make_user("saksbehandler", "case_officers"))
    assert str(home.public_id) in _ids_in(client, real)  # staff ask of the place itself


def test_an_area_in_pieces_finds_homes_by_their_published_point_too():
    home = _published(contributor=HOME, location_is_home=True)
    other = _published()
    cx, cy = home_cell_centre(home.geom.x, home.geom.y)
    far = Polygon.from_bbox((cx + 500, cy + 500, cx + 600, cy + 600))
    around_real = Polygon.from_bbox((home.geom.x - 3, home.geom.y - 3, home.geom.x + 3,
                                     home.geom.y + 3))  # fmt: skip
    around_drawn = Polygon.from_bbox((cx - 3, cy - 3, cx + 3, cy + 3))
    for piece in (far, around_real, around_drawn):
        piece.srid = STORAGE_SRID
    public = Input.objects.published()
    assert set(public.within_pieces([far, around_real])) == {other}
    assert set(public.within_pieces([far, around_drawn])) == {home}
    assert set(Input.objects.all().within_pieces([far, around_real])) == {home, other}
