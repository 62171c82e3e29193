"""/innspill/<reference>/: where an input stands, for anyone holding the reference."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inputbank.models import Outcome, Stage
from inputbank.services import input_reject, response_answer
from inputbank.services.inputs import ContributorData
from tests.factories import make_input, make_user

pytestmark = pytest.mark.django_db

PERSON = ContributorData(name="Kari Privat", email="kari@example.no", phone="91234567")


def status_page(client, item):
    return client.get(reverse("maps:input_status", kwargs={"reference": item.reference}))


def test_received_input_shows_its_status_without_text_or_person(client):
    item = make_input("Kari Privat bor i Storgata 3 og vil ha fartshump.", published=False,
                      contributor=PERSON)  # fmt: skip
    page = status_page(client, item)
    body = page.content.decode()
    assert page.status_code == 200
    assert item.reference in body
    assert "Not published" in body or "Ikke publisert" in body
    for secret in ("Kari", "Storgata", "fartshump", "kari@example.no", "91234567"):
        assert secret not in body
    assert reverse("maps:input_detail", kwargs={"public_id": item.public_id}) not in body


def test_answered_published_input_links_to_the_input_and_its_answer(client):
    item = make_input("Fartshump ved skolen.")
    response_answer(input=item, outcome=Outcome.ADOPTED, justification="Kommer i 2027.",
                    decided_by=make_user("officer"), stage=Stage.FINAL)  # fmt: skip
    body = status_page(client, item).content.decode()
    assert reverse("maps:input_detail", kwargs={"public_id": item.public_id}) in body
    assert "Les innspillet og svaret" in body


def test_rejected_input_reads_as_received_and_hides_the_reason(client):
    item = make_input("Tekst", published=False)
    input_reject(input=item, moderator=None, reason="Personangrep på naboen")
    body = status_page(client, item).content.decode()
    assert "Personangrep" not in body


def test_unknown_or_malformed_reference_is_not_found(client):
    make_input()
    assert client.get("/innspill/MOSS-1999-0001/").status_code == 404
    assert client.get("/innspill/not-a-reference/").status_code == 404


def test_input_page_shows_the_reference_linking_to_its_status(client):
    item = make_input()
    body = client.get(reverse("maps:input_detail", kwargs={"public_id": item.public_id}))
    assert item.reference in body.content.decode()
    assert f"/innspill/{item.reference}/" in body.content.decode()
