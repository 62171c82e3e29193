"""The prior-input report reaches every hit: pages on screen, DOCX, CSV with WKT, GeoPackage."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.contrib.gis.geos import GEOSGeometry, LineString
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from PIL import Image

from geo.crs import WEB_SRID
from inputbank.models import Input, Response
from maps.builders import OUTCOME_COLOURS
from tests.factories import box, make_input, point
from tests.gis.helpers import read

pytestmark = pytest.mark.django_db

AREA = {
    "type": "Polygon",
    "coordinates": [
        [[10.655, 59.432], [10.661, 59.432], [10.661, 59.436], [10.655, 59.436], [10.655, 59.432]]
    ],
}
QUESTION = {"source": "draw", "geometry": json.dumps(AREA), "buffer_m": "0"}
INSIDE = (10.658, 59.434)
TEXTS = (
    "Benk ved torget",
    "Mer lys i parken",
    "Sykkelfelt i Dronningens gate",
    "Fartsdumper ved skolen",
    "Flere trær langs kaia",
    "Toalett ved stasjonen",
    "Lekeplass på Jeløy",
)


@pytest.fixture
def officer_client(client, case_officer):
    client.force_login(case_officer)
    return client


@pytest.fixture
def seven(settings, monkeypatch):
    """Seven inputs in the area, newest last made; small pages so paging is exercised."""
    settings.INPUTBANK = {**settings.INPUTBANK, "MAX_PAGE_SIZE": 4}
    monkeypatch.setattr("maps.staff.views.prior.LIST_LIMIT", 3)
    items = []
    for n, text in enumerate(TEXTS, start=1):
        item = make_input(text, geom=point(*INSIDE))
        Input.objects.filter(pk=item.pk).update(
            received_at=timezone.make_aware(dt.datetime(2024, 1, n, 12))
        )
        items.append(item)
    make_input("Utenfor", geom=point(10.70, 59.40))
    return items


def _post(client, name, **extra):
    return client.post(reverse(name), {**QUESTION, **extra}, HTTP_ACCEPT_LANGUAGE="en")


def _listed(page: str) -> list[int]:
    return [n for n in range(1, 9) if f'id="item-{n}"' in page]


def test_the_page_says_what_it_shows_and_pages_through_every_hit(officer_client, seven):
    first = _post(officer_client, "staff:prior_input").content.decode()
    assert "Showing 1–3 of 7, newest first." in first
    assert _listed(first) == [1, 2, 3]
    assert "Lekeplass på Jeløy" in first  # the newest
    assert "Page 1 of 3" in first
    # Page 2 reaches past the map's 4 features: hits 4-6, still numbered in the answer's order.
    second = _post(officer_client, "staff:prior_input", page="2").content.decode()
    assert "Showing 4–6 of 7, newest first." in second
    assert _listed(second) == [4, 5, 6]
    assert "Mer lys i parken" in second
    last = _post(officer_client, "staff:prior_input", page="3").content.decode()
    assert "Showing 7–7 of 7, newest first." in last
    assert _listed(last) == [7]
    assert "Benk ved torget" in last
    # A page past the end gives the last page.
    beyond = _post(officer_client, "staff:prior_input", page="99").content.decode()
    assert _listed(beyond) == [7]


def test_csv_holds_every_hit_with_wkt_for_points_lines_and_areas(officer_client, seven):
    line = LineString((10.656, 59.433), (10.659, 59.435), srid=WEB_SRID)
    make_input("En sti", geom=line)
    make_input("Et område", geom=box(10.656, 59.433, 10.657, 59.434))
    response = _post(officer_client, "staff:prior_input_csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(body) == 9
    wkt = header.index("Geometry (WKT, lon/lat CRS84)")
    assert all(row[wkt] for row in body)
    by_text = {row[2]: row for row in body}
    assert by_text["En sti"][wkt].startswith("LINESTRING")
    assert by_text["Et område"][wkt].startswith("POLYGON")
    assert GEOSGeometry(by_text["En sti"][wkt]).equals_exact(line, tolerance=1e-5)
    lon, lat = header.index("Longitude"), header.index("Latitude")
    assert all(row[lon] and row[lat] for row in body)


def test_docx_for_the_archive_has_question_map_counts_and_every_input(officer_client, seven):
    Response.objects.create(input=seven[0], outcome="adopted", justification="Tas inn i planen.")
    response = _post(officer_client, "staff:prior_input_docx", year_from="2020")
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Tidligere innspill om området"
    assert "Spørsmålet" in headings and "Kart" in headings
    assert "Hull i kunnskapen" in headings and "Standpunkter etter tema" in headings
    texts = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "2020–…" in texts
    assert "Tatt til følge: Tas inn i planen." in texts
    listing = document.tables[-1]
    assert len(listing.rows) == 1 + 7
    assert [r.cells[0].text for r in listing.rows[1:]] == [str(n) for n in range(1, 8)]
    [picture] = document.inline_shapes
    blob = document.part.related_parts[picture._inline.graphic.graphicData.pic.blipFill.blip.embed]
    image = Image.open(io.BytesIO(blob.blob)).convert("RGB")
    green = tuple(int(OUTCOME_COLOURS["adopted"][i : i + 2], 16) for i in (1, 3, 5))
    assert green in {colour for _n, colour in image.getcolors(1_000_000)}


def test_geopackage_holds_the_selection_only(officer_client, seven, tmp_path):
    make_input("Venter", geom=point(*INSIDE), published=False)
    response = _post(officer_client, "staff:prior_input_gpkg")
    assert response.status_code == 200
    path = tmp_path / "utvalg.gpkg"
    path.write_bytes(b"".join(response.streaming_content))
    frame = read(path)  # every geometry kind's layer, and the table without a place
    assert len(frame) == 7 == int(response["X-Row-Count"])
    with_pending = _post(officer_client, "staff:prior_input_gpkg", include_pending="on")
    assert with_pending["X-Row-Count"] == "8"


def test_geopackage_is_for_roles_that_export(client, moderator):
    client.force_login(moderator)
    assert _post(client, "staff:prior_input_gpkg").status_code in (302, 403)


def _pdf_outline_titles(pdf: bytes) -> list[str]:
    """The bookmark titles of an uncompressed PDF (WeasyPrint makes one per heading).

    No PDF reader is a dependency: the outline's /Title strings are read from the file (literal
    or UTF-16 hex strings).
    """
    titles = []
    for match in re.finditer(rb"/Title\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", pdf):
        raw = match.group(1)
        if raw.startswith(b"<"):
            data = bytes.fromhex(raw[1:-1].decode().replace(" ", ""))
            text = data[2:].decode("utf-16-be") if data[:2] == b"\xfe\xff" else data.decode()
        else:
            body = re.sub(rb"\\(.)", rb"\1", raw[1:-1])
            text = (
                body[2:].decode("utf-16-be") if body[:2] == b"\xfe\xff" else body.decode("latin-1")
            )
        titles.append(text)
    return titles


def test_pdf_for_the_archive_has_the_norwegian_headings_and_pages(
    officer_client, seven, monkeypatch
):
    from maps.staff.documents import prior_pdf

    # Uncompressed, so the test can read the outline without a PDF library.
    real = prior_pdf.prior_report_pdf
    monkeypatch.setattr(
        "maps.staff.views.prior_exports.prior_report_pdf",
        lambda report, **kw: real(report, uncompressed=True, **kw),
    )
    response = _post(officer_client, "staff:prior_input_pdf", year_from="2020")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    titles = _pdf_outline_titles(pdf)
    assert titles[:2] == ["Tidligere innspill om området", "Spørsmålet"]
    for heading in ("Kart", "Antall", "Tidligere innspill og svarene som ble gitt"):
        assert heading in titles
    # The same parts as the DOCX, gaps and arguments by theme included (the archive copy).
    docx = Document(
        io.BytesIO(_post(officer_client, "staff:prior_input_docx", year_from="2020").content)
    )
    docx_headings = [p.text for p in docx.paragraphs if p.style.name.startswith("Heading")]
    assert "Hull i kunnskapen" in titles and "Standpunkter etter tema" in titles
    assert [t for t in docx_headings if t not in titles] == []
    # A4 landscape: 842 x 595 points.
    assert re.search(rb"/MediaBox\s*\[\s*0 0 841\.8\d* 595\.2\d*\s*\]", pdf)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 1
    # The map picture is embedded, not fetched.
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf


def test_the_pdf_button_is_on_the_report(officer_client, seven):
    page = _post(officer_client, "staff:prior_input").content.decode()
    assert reverse("staff:prior_input_pdf") in page and "PDF for the archive" in page
