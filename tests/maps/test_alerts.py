"""The resident's area alert pages: subscribe, the confirmation mail, confirm, the digest,
the unsubscribe link (page and mail client one-click), and clear errors."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from inputbank import antibot, services
from inputbank.models import AreaAlert
from inputbank.services.alerts import alert_digests_send
from tests.factories import MOSS_CENTRE, make_input, make_process

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_forms(settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "MIN_FILL_SECONDS": 0}


@pytest.fixture(autouse=True)
def _fresh_counts():
    """Throttles and e-mail limits count in the shared cache: each test starts at zero."""
    cache.clear()
    yield
    cache.clear()


def form(**extra) -> dict:
    return {
        "area_mode": "address",
        "lon": str(MOSS_CENTRE[0]),
        "lat": str(MOSS_CENTRE[1]),
        "address_label": "Dronningens gate 1, 1530 Moss",
        "radius": "1000",
        "frequency": "week",
        "email": "ola@example.no",
        "language": "nb",
        "form_token": antibot.issue_form_token(),
        "website": "",
    } | extra


def path_in(message, kind: str) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(rf"https?://[^/\s]+(/alerts/{kind}/[^\s]+/)", body).group(1)


def test_subscribe_confirm_digest_and_unsubscribe(
    client, smtp_server, django_capture_on_commit_callbacks
):
    page = client.get("/alerts/")
    assert page.status_code == 200
    assert 'name="form_token"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/alerts/", form())
    assert sent.status_code == 302 and sent["Location"] == "/alerts/?sent=1"
    assert "bekrefte" in client.get(sent["Location"]).content.decode()
    [confirmation] = smtp_server.messages
    confirm = path_in(confirmation, "confirm")

    # Opening the link (a mail scanner does) confirms nothing: the button does.
    assert client.get(confirm).status_code == 200
    assert AreaAlert.objects.get().confirmed_at is None
    done = client.post(confirm)
    assert done.status_code == 200
    assert AreaAlert.objects.get().confirmed_at is not None

    process = make_process("torget", title="Torget")
    item = make_input("Flere benker på torget.")
    services.response_record(input=item, outcome="adopted", justification="Ja.", decided_by=None)
    alert_digests_send(now=timezone.now() + dt.timedelta(days=7))
    digest = smtp_server.messages[-1]
    body = digest.get_body(("plain",)).get_content()
    assert "Torget" in body and f"/processes/{process.slug}/" in body
    assert f"/inputs/{item.public_id}/" in body

    stop = path_in(digest, "stop")
    assert client.get(stop).status_code == 200
    assert AreaAlert.objects.exists()
    assert client.post(stop).status_code == 200
    assert not AreaAlert.objects.exists()
    make_process("enda-en")
    count = len(smtp_server.messages)
    alert_digests_send(now=timezone.now() + dt.timedelta(days=14))
    assert len(smtp_server.messages) == count
    assert client.get(stop).status_code == 404


def test_the_mail_clients_one_click_post_unsubscribes_without_a_csrf_token(
    smtp_server, django_capture_on_commit_callbacks
):
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/alerts/", form())
    stop = path_in(smtp_server.messages[-1], "stop")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(stop, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not AreaAlert.objects.exists()


def test_a_bad_area_gets_a_clear_error_and_the_form_back(client, smtp_server):
    line = {"type": "LineString", "coordinates": [[10.65, 59.43], [10.66, 59.44]]}
    client.cookies["django_language"] = "en"
    response = client.post("/alerts/", form(area_mode="area", area=json.dumps(line)))
    assert response.status_code == 400
    page = response.content.decode()
    assert "We could not use this area." in page
    assert 'href="#alert-area"' in page
    assert 'value="ola@example.no"' in page  # what was typed stays
    assert not AreaAlert.objects.exists() and smtp_server.messages == []


def test_without_scripts_a_typed_address_is_looked_up(client, smtp_server, moss_addresses):
    response = client.post(
        "/alerts/", form(lon="", lat="", address_label="", address="Dronningens gate 1")
    )
    assert response.status_code == 302
    alert = AreaAlert.objects.get()
    assert alert.address_label.startswith("Dronningens gate 1")


@pytest.mark.parametrize(
    "extra",
    [{"website": "http://spam.example"}, {"form_token": ""}, {"email": "ikke-en-adresse"}],
)
def test_bots_and_bad_addresses_are_refused(client, smtp_server, extra):
    assert client.post("/alerts/", form(**extra)).status_code == 400
    assert not AreaAlert.objects.exists()


def test_forged_links_find_nothing(client):
    assert client.get("/alerts/confirm/forged:token/").status_code == 404
    assert client.post("/alerts/stop/forged:token/").status_code == 404


def test_one_address_is_not_flooded_with_confirmations(
    client, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.INPUTBANK = {**settings.INPUTBANK, "THROTTLE_ALERT_EMAILS": "2/day"}
    for radius in ("250", "500"):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/alerts/", form(radius=radius)).status_code == 302
    client.cookies["django_language"] = "nn"
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post("/alerts/", form(radius="2000"))
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Vi har alt sendt fleire stadfestingse-postar til denne adressa" in page
    assert len(smtp_server.messages) == 2


def test_one_client_cannot_try_many_addresses(client, smtp_server, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "alerts": "2/hour",
        },
    }
    for n in range(2):
        assert client.post("/alerts/", form(email=f"person{n}@example.no")).status_code == 302
    client.cookies["django_language"] = "en"
    refused = client.post("/alerts/", form(email="person9@example.no"))
    assert refused.status_code == 429
    assert "You have sent this form many times" in refused.content.decode()
    assert AreaAlert.objects.count() == 2
