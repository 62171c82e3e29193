"""The merknadsbehandling table: printable page, CSV and DOCX, with public data only."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from docx import Document

from inputbank.models import Input, Response
from inputbank.services import ContributorData
from tests.factories import make_input, make_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(db):
    return make_process("sentrumsplan", title="Sentrumsplan", case_year=2024, case_sequence=77)


@pytest.fixture
def rows(process):
    private = make_input(
        "Jeg vil ha flere trær. Ring 912 34 567.",
        process=process,
        contributor=ContributorData(name="Kari Privat", email="kari@example.no"),
    )
    group = make_input(
        "Velforeningen ønsker lekeplass.",
        process=process,
        contributor=ContributorData(organisation="Moss Vel", email="vel@example.no"),
    )
    rejected = make_input("Sjikane", process=process, published=False)
    Input.objects.filter(pk=rejected.pk).update(status="rejected")
    Response.objects.create(input=private, outcome="adopted", justification="Trær plantes.")
    return private, group


@pytest.fixture
def officer_client(client, case_officer):
    client.force_login(case_officer)
    return client


def test_page_lists_summary_comment_and_outcome(officer_client, process, rows):
    page = officer_client.get(reverse("staff:merknad", kwargs={"pk": process.pk})).content.decode()
    assert "Jeg vil ha flere trær. Ring [telefonnummer fjernet]." in page
    assert "Trær plantes." in page
    assert "Moss Vel" in page
    assert "Sjikane" not in page


def test_private_names_and_numbers_never_appear(officer_client, process, rows):
    for name in ("staff:merknad", "staff:merknad_csv"):
        body = officer_client.get(reverse(name, kwargs={"pk": process.pk})).content.decode("utf-8")
        assert "Kari Privat" not in body
        assert "kari@example.no" not in body
        assert "912 34 567" not in body


def test_csv_has_a_row_per_input_in_the_order_received(officer_client, process, rows):
    response = officer_client.get(reverse("staff:merknad_csv", kwargs={"pk": process.pk}))
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in table[1:]] == ["1", "2"]
    assert table[1][5] == "Trær plantes."
    assert table[2][2] == "Moss Vel"


def test_docx_holds_the_same_table(officer_client, process, rows):
    response = officer_client.get(reverse("staff:merknad_docx", kwargs={"pk": process.pk}))
    document = Document(io.BytesIO(response.content))
    [table] = document.tables
    assert len(table.rows) == 3
    assert table.rows[1].cells[5].text == "Trær plantes."
    assert "2024/77" in document.paragraphs[1].text


def test_docx_survives_control_characters_from_scanned_letters(officer_client, process):
    make_input("Brev med \x0c sideskift og \x07 bjelle", process=process)
    response = officer_client.get(reverse("staff:merknad_docx", kwargs={"pk": process.pk}))
    document = Document(io.BytesIO(response.content))
    assert "sideskift" in document.tables[0].rows[1].cells[3].text
