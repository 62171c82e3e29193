"""The merknadsbehandling as page, CSV and DOCX: grouped, Norwegian, public data only."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from inputbank import services
from inputbank.demo.loader import InputCounts, load_demo
from inputbank.models import Input, Process, Response, SenderCategory
from inputbank.services import ContributorData
from tests.factories import make_input, make_process, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(db):
    return make_process("sentrumsplan", title="Sentrumsplan", case_year=2024, case_sequence=77)


@pytest.fixture
def rows(process):
    traffic = make_theme("trafikk", name="Trafikk")
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
    state = make_input(
        "Statsforvalteren ber om støyvurdering.",
        process=process,
        themes=(traffic,),
        contributor=ContributorData(
            organisation="Statsforvalteren i Oslo og Viken",
            sender_category=SenderCategory.STATE_REGIONAL,
        ),
    )
    rejected = make_input("Sjikane", process=process, published=False)
    Input.objects.filter(pk=rejected.pk).update(status="rejected")
    make_input("Ikke moderert ennå.", process=process, published=False)
    Response.objects.create(input=private, outcome="adopted", justification="Trær plantes.")
    return private, group, state


@pytest.fixture
def officer_client(client, case_officer):
    client.force_login(case_officer)
    return client


def _get(client, name, process, **query):
    return client.get(reverse(name, kwargs={"pk": process.pk}), query, HTTP_ACCEPT_LANGUAGE="nb")


def _docx(client, process, **query):
    return Document(io.BytesIO(_get(client, "staff:merknad_docx", process, **query).content))


def test_page_lists_groups_summary_comment_and_outcome(officer_client, process, rows):
    page = _get(officer_client, "staff:merknad", process).content.decode()
    assert "Jeg vil ha flere trær. Ring [telefonnummer fjernet]." in page
    assert "Trær plantes." in page
    assert "Moss Vel" in page
    assert "Sjikane" not in page
    assert "Ikke moderert ennå." not in page
    assert page.index("Statsforvalteren i Oslo og Viken") < page.index("Moss Vel")


def test_page_includes_unmoderated_input_marked_only_when_asked(officer_client, process, rows):
    page = _get(officer_client, "staff:merknad", process, alle="1").content.decode()
    assert "Ikke moderert ennå." in page
    assert 'class="unmoderated"' in page
    assert "Sjikane" not in page


def test_private_names_and_numbers_never_appear(officer_client, process, rows):
    for name in ("staff:merknad", "staff:merknad_csv"):
        body = _get(officer_client, name, process, alle="1").content.decode("utf-8")
        assert "Kari Privat" not in body
        assert "kari@example.no" not in body
        assert "912 34 567" not in body


def test_csv_has_the_groups_as_columns_in_norwegian(officer_client, process, rows):
    response = _get(officer_client, "staff:merknad_csv", process)
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:4] == ["Nr.", "Avsenderkategori", "Tema", "Avsender"]
    assert [(r[0], r[1], r[3]) for r in table[1:]] == [
        ("1.1", "Statlige og regionale myndigheter", "Statsforvalteren i Oslo og Viken"),
        ("2.1", "Organisasjoner, lag og foreninger", "Moss Vel"),
        ("3.1", "Private", "Privatperson"),
    ]
    assert table[3][6] == "Trær plantes."
    assert table[3][7] == "Tatt til følge"


def test_docx_is_landscape_with_group_headings_and_a_repeating_header(
    officer_client, process, rows
):
    document = _docx(officer_client, process)
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Merknadsbehandling",
        "1 Statlige og regionale myndigheter",
        "2 Organisasjoner, lag og foreninger",
        "3 Private",
    ]
    assert len(document.tables) == 3
    for table in document.tables:
        head = table.rows[0]
        assert head._tr.trPr.find(qn("w:tblHeader")) is not None
        assert [c.text for c in head.cells] == [
            "Nr.",
            "Avsender",
            "Dato",
            "Sammendrag",
            "Kommunedirektørens kommentar",
            "Utfall",
        ]
    # A theme row across the table, then the input.
    state = document.tables[0]
    assert {c.text for c in state.rows[1].cells} == {"Trafikk"}
    assert state.rows[2].cells[0].text == "1.1"
    assert "2024/77" in document.paragraphs[1].text


def test_docx_footer_numbers_the_pages(officer_client, process, rows):
    footer = _docx(officer_client, process).sections[0].footer
    instructions = [el.text.strip() for el in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.paragraphs[0].text.startswith("Side")


def test_docx_is_norwegian_even_for_an_english_workspace(officer_client, process, rows):
    response = officer_client.get(
        reverse("staff:merknad_docx", kwargs={"pk": process.pk}), HTTP_ACCEPT_LANGUAGE="en"
    )
    document = Document(io.BytesIO(response.content))
    assert document.tables[0].rows[0].cells[1].text == "Avsender"


def test_docx_marks_unmoderated_input_when_asked(officer_client, process, rows):
    document = _docx(officer_client, process, alle="1")
    texts = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "[Ikke moderert] Ikke moderert ennå." in texts


def test_docx_survives_control_characters_from_scanned_letters(officer_client, process):
    make_input("Brev med \x0c sideskift og \x07 bjelle", process=process)
    document = _docx(officer_client, process)
    assert "sideskift" in document.tables[0].rows[2].cells[3].text


def test_the_officers_summary_is_printed(officer_client, process, rows):
    private = rows[0]
    services.input_update(input=private, changed_by=None, summary="Ønsker flere trær i parken.")
    document = _docx(officer_client, process)
    assert document.tables[2].rows[2].cells[3].text == "Ønsker flere trær i parken."


def test_demo_town_centre_plan_gives_a_grouped_document(officer_client):
    """The demo check of issue 12: grouped by sender category and theme, not rows by date."""
    load_demo(counts=InputCounts.split(600), today=dt.date(2026, 11, 25), log=lambda _m: None)
    plan = Process.objects.get(slug="moss-sentrum-omradeplan")
    document = _docx(officer_client, plan)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert len(headings) >= 3
    assert headings[0] == "1 Statlige og regionale myndigheter"
    assert headings[-1].endswith("Private")
    private = document.tables[-1]
    themes = [r.cells[0].text for r in private.rows[1:] if len({c.text for c in r.cells}) == 1]
    assert len(themes) >= 3
    numbers = [r.cells[0].text for r in private.rows[1:] if r.cells[0].text not in themes]
    assert numbers[:3] == [f"{len(headings)}.1", f"{len(headings)}.2", f"{len(headings)}.3"]
