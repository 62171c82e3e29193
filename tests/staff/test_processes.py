"""Registering and editing processes through the workspace."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyproj import Transformer

from geo.crs import STORAGE_SRID, WEB_SRID
from inputbank.models import Process

pytestmark = pytest.mark.django_db

DRAWN = {
    "type": "Polygon",
    "coordinates": [
        [[10.65, 59.43], [10.66, 59.43], [10.66, 59.435], [10.65, 59.435], [10.65, 59.43]]
    ],
}


def form_data(**overrides):
    data = {
        "title": "Reguleringsplan Jeløy sør",
        "purpose": "Høre hva folk mener om strandsonen.",
        "ladder_step": "dialogue",
        "status": "open",
        "channels": ["hearing", "web_map"],
        "target_groups": "barn og unge, hytteeiere",
        "opens_on": "2024-03-01",
        "closes_on": "2024-04-30",
        "case_number": "2024/1234",
        "plan_kommunenummer": "3103",
        "plan_identifier": "2024003",
        "owner_department": "Plan og bygg",
        "hours_used": "35.5",
        "cost_nok": "12000",
        "area": json.dumps(DRAWN),
    }
    data.update(overrides)
    return data


@pytest.fixture
def officer_client(client, case_officer):
    client.force_login(case_officer)
    return client


def test_creating_a_process_stores_every_field(officer_client, case_officer):
    response = officer_client.post(
        reverse("staff:process_create"), form_data(owner=case_officer.pk)
    )
    process = Process.objects.get()
    assert response.status_code == 302
    assert (process.case_year, process.case_sequence) == (2024, 1234)
    assert process.plan_id == "3103-2024003"
    assert process.channels == ["hearing", "web_map"]
    assert process.target_groups == ["barn og unge", "hytteeiere"]
    assert process.owner == case_officer
    assert process.area.srid == STORAGE_SRID
    corner = Transformer.from_crs(WEB_SRID, STORAGE_SRID, always_xy=True).transform(10.65, 59.43)
    assert any(v == pytest.approx(corner, abs=0.01) for v in process.area[0].exterior_ring)


def test_the_creator_is_in_the_audit_trail(officer_client, case_officer):
    officer_client.post(reverse("staff:process_create"), form_data())
    assert Process.objects.get().history.first().history_user == case_officer


def test_a_hearing_shorter_than_six_weeks_is_refused(officer_client):
    response = officer_client.post(
        reverse("staff:process_create"), form_data(closes_on="2024-03-20")
    )
    assert "six weeks" in response.content.decode()
    assert not Process.objects.exists()


def test_a_malformed_case_number_names_the_problem(officer_client):
    response = officer_client.post(reverse("staff:process_create"), form_data(case_number="1234"))
    assert "is not a case number like 2024/1234" in response.content.decode()
    assert not Process.objects.exists()


def test_an_area_outside_moss_is_refused(officer_client):
    far = {"type": "Polygon", "coordinates": [[[5, 60], [5.1, 60], [5.1, 60.1], [5, 60]]]}
    response = officer_client.post(reverse("staff:process_create"), form_data(area=json.dumps(far)))
    assert "outside Moss" in response.content.decode()
    assert not Process.objects.exists()


def test_an_uploaded_boundary_replaces_the_drawn_area(officer_client):
    upload = {
        "type": "Feature",
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[10.70, 59.40], [10.71, 59.40], [10.71, 59.41], [10.70, 59.41], [10.70, 59.40]]
            ],
        },
    }
    data = form_data()
    data["area_file"] = SimpleUploadedFile("plan.geojson", json.dumps(upload).encode())
    officer_client.post(reverse("staff:process_create"), data)
    area = Process.objects.get().area.transform(WEB_SRID, clone=True)
    assert area.extent[0] == pytest.approx(10.70, abs=1e-6)


def test_editing_keeps_the_earlier_version(officer_client):
    officer_client.post(reverse("staff:process_create"), form_data())
    process = Process.objects.get()
    officer_client.post(
        reverse("staff:process_edit", kwargs={"pk": process.pk}),
        form_data(title="Reguleringsplan Jeløy sør (revidert)", evaluation="Gikk bra."),
    )
    process.refresh_from_db()
    assert process.evaluation == "Gikk bra."
    assert [h.title for h in process.history.order_by("history_date")] == [
        "Reguleringsplan Jeløy sør",
        "Reguleringsplan Jeløy sør (revidert)",
    ]


def test_the_edit_form_shows_the_stored_area(officer_client):
    officer_client.post(reverse("staff:process_create"), form_data())
    page = officer_client.get(
        reverse("staff:process_edit", kwargs={"pk": Process.objects.get().pk})
    ).content.decode()
    assert "MultiPolygon" in page
    assert "2024/1234" in page


def test_process_titles_are_escaped(officer_client):
    officer_client.post(
        reverse("staff:process_create"), form_data(title="<img src=x onerror=alert(1)>")
    )
    page = officer_client.get(reverse("staff:process_list")).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page


def test_the_form_writes_the_bokmal_text_whatever_the_interface_language(officer_client):
    officer_client.post(reverse("staff:process_create"), form_data(), HTTP_ACCEPT_LANGUAGE="en")
    process = Process.objects.get()
    assert process.title_nb == "Reguleringsplan Jeløy sør"
