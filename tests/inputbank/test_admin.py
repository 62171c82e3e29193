"""Django admin for every model, with a map widget that needs no CDN."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import MultiPolygon
from django.http import HttpResponse

from geo.crs import STORAGE_SRID, WEB_MERCATOR_SRID, WEB_SRID
from inputbank import services
from inputbank.models import LocationSource, ModerationStatus, Outcome
from tests.factories import box, make_input, make_process, point

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    User.objects.create_superuser("root", "root@example.no", "pass-123-word")
    client.login(username="root", password="pass-123-word")
    return client


@pytest.mark.parametrize(
    "model",
    ["input", "process", "theme", "contributor", "response", "comment", "support", "argument"],
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


class _FormFields(HTMLParser):
    """The fields a browser would post back from an admin change form, as it shows them."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(name, a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value") or "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def _change(admin_client, url: str, **changes) -> HttpResponse:
    """Open the admin change form, change some fields and save it like a person would."""
    parser = _FormFields()
    parser.feed(admin_client.get(url).content.decode())
    data = {k: v for k, v in parser.data.items() if not k.startswith("_")}
    data.update({k: [v] if isinstance(v, str) else v for k, v in changes.items()})
    return admin_client.post(url, {**data, "_save": "Save"})


def _input_url(item) -> str:
    return f"/admin/inputbank/input/{item.pk}/change/"


def test_a_corrected_text_is_redacted_again_for_the_public(admin_client):
    item = make_input("Lys i parken.")
    response = _change(admin_client, _input_url(item), text="Lys i parken. Ring 912 34 567.")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == "Lys i parken. Ring 912 34 567."
    assert "912 34 567" not in item.public_text
    assert item.history.first().history_user.username == "root"


def test_moderation_status_cannot_be_changed_in_the_form(admin_client):
    item = make_input("Venter på moderering.", published=False)
    page = admin_client.get(_input_url(item)).content.decode()
    assert 'name="status"' not in page
    _change(admin_client, _input_url(item), status="published", text="Venter fortsatt.")
    item.refresh_from_db()
    assert (item.status, item.text) == (ModerationStatus.PENDING, "Venter fortsatt.")


def test_removing_the_place_in_the_admin_declares_no_location(admin_client):
    item = make_input("Generelt innspill om kommuneplanen.")
    _change(admin_client, _input_url(item), geom="")
    item.refresh_from_db()
    assert item.geom is None
    assert item.location_source == LocationSource.NONE


def test_a_changed_case_number_is_stored_as_one_reference(admin_client):
    item = make_input("Brev om kaia.")
    _change(admin_client, _input_url(item), case_year="2024", case_sequence="77")
    item.refresh_from_db()
    assert (item.case_year, item.case_sequence, item.case_document) == (2024, 77, None)


def test_input_is_not_added_through_the_admin(admin_client):
    assert admin_client.get("/admin/inputbank/input/add/").status_code == 403


def test_the_admin_publish_action_publishes_pending_input_only(admin_client):
    pending = make_input("Venter.", published=False)
    rejected = make_input("Avvist.", published=False)
    services.input_reject(input=rejected, moderator=None, reason="Sjikane")
    admin_client.post(
        "/admin/inputbank/input/",
        {"action": "publish_inputs", "_selected_action": [pending.pk, rejected.pk]},
    )
    pending.refresh_from_db()
    rejected.refresh_from_db()
    assert (pending.status, rejected.status) == (
        ModerationStatus.PUBLISHED,
        ModerationStatus.REJECTED,
    )
    assert pending.moderated_by.username == "root"


def test_a_response_is_shown_but_not_changed_in_the_admin(admin_client):
    item = make_input("Benk ved fjorden.")
    services.response_record(
        input=item, outcome=Outcome.NOTED, justification="Notert.", decided_by=None
    )
    url = f"/admin/inputbank/response/{item.response.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "Notert." in page
    assert 'name="justification"' not in page
    assert admin_client.get("/admin/inputbank/response/add/").status_code == 403
    assert (
        'name="response-0-justification"' not in admin_client.get(_input_url(item)).content.decode()
    )


def test_a_comment_is_published_by_the_admin_action_with_its_text_redacted(admin_client):
    comment = services.comment_submit(input=make_input(), text="Enig! Mail meg på a@b.no")
    admin_client.post(
        "/admin/inputbank/comment/",
        {"action": "publish_comments", "_selected_action": [comment.pk]},
    )
    comment.refresh_from_db()
    assert comment.status == ModerationStatus.PUBLISHED
    assert "a@b.no" not in comment.public_text
    page = admin_client.get(f"/admin/inputbank/comment/{comment.pk}/change/").content.decode()
    assert 'name="public_text"' not in page


def test_a_process_area_from_the_admin_map_is_stored_in_the_storage_crs(admin_client):
    process = make_process("kyststien")
    web_area = MultiPolygon(box(10.66, 59.43, 10.67, 59.44), srid=WEB_SRID)
    web_area.transform(WEB_MERCATOR_SRID)  # what the admin's map widget posts
    _change(admin_client, f"/admin/inputbank/process/{process.pk}/change/", area=web_area.json)
    process.refresh_from_db()
    assert process.area.srid == STORAGE_SRID
    lon, lat = process.area.centroid.transform(WEB_SRID, clone=True).coords
    assert (round(lon, 3), round(lat, 3)) == (10.665, 59.435)
    assert process.history.first().history_user.username == "root"


def test_a_support_is_not_added_through_the_admin(admin_client):
    assert admin_client.get("/admin/inputbank/support/add/").status_code == 403


def test_renaming_merging_and_splitting_arguments_go_through_their_services(admin_client):
    a = make_input("Bygg skatepark i Nesparken!", geom=point(10.665, 59.4308))
    b = make_input("Skatepark i Nesparken for ungdommen.", geom=point(10.665, 59.4308))
    c = make_input("Kø ved Mosseporten hver ettermiddag.", geom=point(10.647, 59.45))
    argument = a.argument
    url = f"/admin/inputbank/argument/{argument.pk}/change/"
    assert _change(admin_client, url, title="Skatepark i Nesparken").status_code == 302
    argument.refresh_from_db()
    assert argument.titled_by_officer and argument.decisions.filter(kind="rename").exists()

    admin_client.post(
        "/admin/inputbank/argument/",
        {"action": "merge_arguments", "_selected_action": [argument.pk, c.argument_id]},
    )
    c.refresh_from_db()
    assert c.argument_id == argument.pk and c.argument_pinned

    admin_client.post(
        "/admin/inputbank/input/", {"action": "split_inputs", "_selected_action": [c.pk]}
    )
    c.refresh_from_db()
    b.refresh_from_db()
    assert c.argument_id != argument.pk and b.argument_id == argument.pk
