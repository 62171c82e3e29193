"""Staff maps start at Moss' centre, which the server sends (geo/crs.py via basemap_attrs)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from geo.crs import MOSS_CENTRE_LONLAT
from inputbank import roles
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_the_staff_draw_map_opens_at_moss_centre(make_page, live_server):
    officer = make_user("kartsjekk", roles.CASE_OFFICERS)
    client = Client()
    client.force_login(officer)
    page, problems = make_page()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{live_server.url}/staff/prior-input/")
    page.wait_for_selector("[data-draw-map].leaflet-container")
    lon, lat = (float(v) for v in page.get_attribute("[data-draw-map]", "data-centre").split(","))
    assert (lon, lat) == pytest.approx(MOSS_CENTRE_LONLAT)
    problems.settle(page)
    assert not problems, problems
