"""Django admin for every model, with a map widget that needs no CDN."""

import pytest
from django.contrib.auth.models import User

from tests.factories import make_input, make_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    User.objects.create_superuser("root", "root@example.no", "pass-123-word")
    client.login(username="root", password="pass-123-word")
    return client


@pytest.mark.parametrize(
    "model", ["input", "process", "theme", "contributor", "response", "comment", "support"]
)
def test_every_model_has_an_admin_list(admin_client, model):
    assert admin_client.get(f"/admin/inputbank/{model}/").status_code == 200


def test_map_widget_loads_openlayers_locally_with_the_configured_basemap(admin_client, settings):
    item = make_input()
    html = admin_client.get(f"/admin/inputbank/input/{item.pk}/change/").content.decode()
    assert "vendor/ol/ol.js" in html
    assert "cdn.jsdelivr" not in html
    assert "openstreetmap" not in html.lower().replace("openstreetmap.org/copyright", "")
    assert "cache.kartverket.no" in html


def test_process_area_is_editable_in_the_admin(admin_client):
    process = make_process()
    response = admin_client.get(f"/admin/inputbank/process/{process.pk}/change/")
    assert response.status_code == 200
    assert b'name="area"' in response.content
