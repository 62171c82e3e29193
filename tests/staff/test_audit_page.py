"""The change log as an officer sees it: on the input page, and /staff/audit/ with its CSV."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inputbank import services
from inputbank.services import ContributorData
from tests.factories import make_input

pytestmark = pytest.mark.django_db

ORIGINAL = "Ola på Kirkegata 7 vil ha lys i tunnelen."


@pytest.fixture
def edited(moderator):
    item = make_input(
        ORIGINAL, published=False, contributor=ContributorData(name="Ola", email="ola@example.no")
    )
    services.input_publish(input=item, moderator=moderator, public_text="Lys i tunnelen.")
    services.input_update(input=item, changed_by=moderator, public_text="Mer lys i tunnelen.")
    return item


def _audit_section(page: str) -> str:
    return page[page.index("<h2>Change log</h2>") :]


def test_the_input_page_shows_before_and_after_of_the_public_text(client, case_officer, edited):
    client.force_login(case_officer)
    page = client.get(reverse("staff:input_detail", args=[edited.public_id])).content.decode()
    section = _audit_section(page)
    assert "Lys i tunnelen." in section and "Mer lys i tunnelen." in section
    assert "moderator" in section
    assert "Kirkegata" not in section and "ola@example.no" not in section


def test_the_bank_log_filters_and_never_shows_the_original(client, moderator, edited):
    client.force_login(moderator)
    page = client.get(reverse("staff:audit"), {"model": "input", "user": "moderator"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Mer lys i tunnelen." in html and edited.reference in html
    assert "Kirkegata" not in html
    other = client.get(reverse("staff:audit"), {"model": "process"}).content.decode()
    assert "Mer lys i tunnelen." not in other


def test_the_csv_export_has_the_filtered_rows(client, moderator, edited):
    client.force_login(moderator)
    response = client.get(reverse("staff:audit_csv"), {"model": "input"})
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Lys i tunnelen.;Mer lys i tunnelen." in body
    assert "Kirkegata" not in body


@pytest.mark.parametrize("role", ["gis_user", "adviser"])
def test_other_roles_may_not_see_the_log(client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("staff:audit")).status_code == 403
    assert client.get(reverse("staff:audit_csv")).status_code == 403


def test_anonymous_goes_to_log_in(client):
    assert client.get(reverse("staff:audit")).status_code == 302
