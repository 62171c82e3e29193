""" "What have we heard here before?": the report page, its filters, print version and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from geo.crs import WEB_SRID
from inputbank import roles
from inputbank.models import Input, Response
from tests.factories import make_input, make_process, make_theme, make_user, point

pytestmark = pytest.mark.django_db

# A block around Moss centre (lon/lat) and a point ~150 m east of its edge.
AREA = {
    "type": "Polygon",
    "coordinates": [
        [[10.655, 59.432], [10.661, 59.432], [10.661, 59.436], [10.655, 59.436], [10.655, 59.432]]
    ],
}
INSIDE = (10.658, 59.434)
NEAR_EAST = (10.6637, 59.434)  # ~150 m east of the block
FAR = (10.70, 59.40)


@pytest.fixture
def officer_client(client, case_officer):
    client.force_login(case_officer)
    return client


def ask(client, **extra):
    data = {"source": "draw", "geometry": json.dumps(AREA), "buffer_m": "0", **extra}
    # In English: the assertions read the English source texts.
    return client.post(reverse("staff:prior_input"), data, HTTP_ACCEPT_LANGUAGE="en")


def received(item, year):
    Input.objects.filter(pk=item.pk).update(
        received_at=timezone.make_aware(dt.datetime(year, 6, 1, 12))
    )


def test_the_report_lists_input_inside_the_area_only(officer_client):
    make_input("Innenfor området", geom=point(*INSIDE))
    make_input("Langt unna", geom=point(*FAR))
    page = ask(officer_client).content.decode()
    assert "Innenfor området" in page
    assert "Langt unna" not in page
    assert "1 earlier input here" in page


def test_a_buffer_in_metres_reaches_nearby_input(officer_client):
    make_input("Rett utenfor", geom=point(*NEAR_EAST))
    assert "Rett utenfor" not in ask(officer_client, buffer_m="100").content.decode()
    assert "Rett utenfor" in ask(officer_client, buffer_m="200").content.decode()


def test_a_buffer_above_the_limit_is_refused(officer_client, settings):
    page = ask(officer_client, buffer_m=str(settings.INPUTBANK["MAX_BUFFER_M"] + 1))
    html = page.content.decode()
    assert 'id="id_buffer_m_error"' in html
    assert 'id="report"' not in html


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nb", "Bufferen må være mellom 0 og 5000 meter."),
        ("nn", "Bufferen må vere mellom 0 og 5000 meter."),
    ],
)
def test_a_buffer_above_the_limit_is_refused_in_the_officers_language(
    client, settings, language, message
):
    # The question's own words (prior_input's), in the language of the officer's profile.
    settings.INPUTBANK = {**settings.INPUTBANK, "MAX_BUFFER_M": 5000}
    client.force_login(make_user("planlegger", roles.CASE_OFFICERS, language=language))
    html = ask(client, buffer_m="5001").content.decode()
    assert 'id="id_buffer_m_error"' in html
    assert message in html
    assert 'id="report"' not in html


def test_theme_filter_includes_sub_themes(officer_client):
    green = make_theme("gront")
    park = make_theme("park", parent=green)
    make_input("Om parken", geom=point(*INSIDE), themes=(park,))
    make_input("Om trafikk", geom=point(*INSIDE), themes=(make_theme("trafikk"),))
    page = ask(officer_client, themes=["gront"]).content.decode()
    assert "Om parken" in page
    assert "Om trafikk" not in page


def test_year_filter(officer_client):
    old = make_input("Fra 2019", geom=point(*INSIDE))
    new = make_input("Fra 2024", geom=point(*INSIDE))
    received(old, 2019)
    received(new, 2024)
    page = ask(officer_client, year_from="2020", year_to="2024").content.decode()
    assert "Fra 2024" in page
    assert "Fra 2019" not in page


def test_outcome_filter_with_not_answered(officer_client):
    answered = make_input("Besvart", geom=point(*INSIDE))
    make_input("Ikke besvart", geom=point(*INSIDE))
    Response.objects.create(input=answered, outcome="adopted", justification="Ja")
    page = ask(officer_client, outcomes=["none"]).content.decode()
    assert "Ikke besvart" in page
    assert "Besvart</a>" not in page


def test_earlier_answers_travel_with_the_input(officer_client):
    item = make_input("Gatelys, takk", geom=point(*INSIDE))
    Response.objects.create(
        input=item, outcome="not_adopted", justification="Ligger utenfor planområdet."
    )
    page = ask(officer_client).content.decode()
    assert "Ligger utenfor planområdet." in page


def test_pending_input_is_included_only_when_asked(officer_client):
    make_input("Venter på moderering", geom=point(*INSIDE), published=False)
    assert "Venter på moderering" not in ask(officer_client).content.decode()
    page = ask(officer_client, include_pending="on").content.decode()
    assert "Venter på moderering" in page


def test_pending_input_never_reaches_roles_that_may_not_see_it(client, gis_user):
    make_input("Venter på moderering", geom=point(*INSIDE), published=False)
    client.force_login(gis_user)
    page = ask(client, include_pending="on").content.decode()
    assert "Venter på moderering" not in page


def test_earlier_consultations_of_the_area_are_counted(officer_client):
    area = {"type": "Polygon", "coordinates": AREA["coordinates"]}
    from django.contrib.gis.geos import GEOSGeometry

    old = make_process(
        "kystsone-2019",
        area=GEOSGeometry(json.dumps(area), srid=WEB_SRID),
        title="Kystsoneplan 2019",
        opens_on=dt.date(2019, 3, 1),
        closes_on=dt.date(2019, 5, 1),
    )
    make_process("annet-sted", title="Et annet sted")  # default area, far from nothing
    for i in range(3):
        make_input(f"Innspill {i}", geom=point(*INSIDE), process=old)
    make_input("Utenfor, samme prosess", geom=point(*FAR), process=old)
    page = ask(officer_client).content.decode()
    assert "Kystsoneplan 2019" in page
    history = page.split("How often this area has been consulted")[1].split("By theme")[0]
    row = history.split("Kystsoneplan 2019")[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in row.split('class="num">')[1:]] == ["4", "3"]


def test_forty_voices_saying_the_same_read_as_one_point(officer_client):
    for i in range(40):
        suffix = "!" if i % 2 else "."
        make_input(f"Vi trenger en trygg sykkelvei langs Kanalen{suffix}", geom=point(*INSIDE))
    make_input("Bevar den gamle eika ved skolen.", geom=point(*INSIDE))
    page = ask(officer_client).content.decode()
    said_by_many = page.split("Said by many")[1].split("Earlier input")[0]
    assert '<td class="num">40</td>' in said_by_many
    assert "eika" not in said_by_many


def test_drawing_nothing_names_the_problem(officer_client):
    page = officer_client.post(reverse("staff:prior_input"), {"source": "draw"})
    assert "Draw an area on the map first." in page.content.decode()


def test_a_process_area_can_be_the_question(officer_client):
    process = make_process("sentrum")
    make_input("I sentrum", geom=point(*INSIDE))
    page = officer_client.get(
        reverse("staff:prior_input"), {"source": "process", "process": process.pk}
    ).content.decode()
    assert "I sentrum" in page


def test_an_uploaded_plan_boundary_can_be_the_question(officer_client):
    make_input("I planområdet", geom=point(*INSIDE))
    upload = SimpleUploadedFile("plan.geojson", json.dumps(AREA).encode())
    page = officer_client.post(
        reverse("staff:prior_input"), {"source": "upload", "area_file": upload, "buffer_m": "0"}
    ).content.decode()
    assert "I planområdet" in page
    # The resolved area is carried to the print and CSV forms, so the file is not needed again.
    carried = page.split('name="geometry" value="')[1].split('"')[0]
    assert "&quot;Polygon&quot;" in carried


def test_csv_has_one_row_per_input_with_the_response(officer_client):
    item = make_input("Benk ved stranda", geom=point(*INSIDE))
    Response.objects.create(input=item, outcome="adopted", justification="Kommer i 2025.")
    response = officer_client.post(
        reverse("staff:prior_input_csv"),
        {"source": "draw", "geometry": json.dumps(AREA), "buffer_m": "0"},
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert response["Content-Type"].startswith("text/csv")
    assert len(rows) == 2
    assert rows[1][2] == "Benk ved stranda"
    assert rows[1][7] == "Kommer i 2025."
    assert float(rows[1][9]) == pytest.approx(INSIDE[0])


def test_csv_cells_cannot_run_as_spreadsheet_formulas(officer_client):
    make_input('=HYPERLINK("http://evil")', geom=point(*INSIDE))
    response = officer_client.post(
        reverse("staff:prior_input_csv"),
        {"source": "draw", "geometry": json.dumps(AREA), "buffer_m": "0"},
    )
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")


def test_printable_page_has_a_local_folium_map_without_inline_script(officer_client):
    make_input("Benk", geom=point(*INSIDE))
    response = officer_client.post(
        reverse("staff:prior_input_print"),
        {"source": "draw", "geometry": json.dumps(AREA), "buffer_m": "0"},
    )
    html = response.content.decode()
    assert 'class="folium-map"' in html
    assert "cdn" not in html.lower()
    scripts = [chunk.split(">", 1)[0] for chunk in html.split("<script")[1:]]
    assert all("src=" in tag or "application/json" in tag for tag in scripts)
    map_js = (
        next(tag for tag in scripts if "/prior-input/map/" in tag).split('src="')[1].split('"')[0]
    )
    script = officer_client.get(map_js)
    assert script.status_code == 200
    assert "L.map(" in script.content.decode()
    assert "Benk" not in script.content.decode()  # only numbers and codes reach the map


def test_someone_elses_map_script_is_not_served(officer_client, client, moderator):
    response = officer_client.post(
        reverse("staff:prior_input_print"),
        {"source": "draw", "geometry": json.dumps(AREA), "buffer_m": "0"},
    )
    map_js = response.content.decode().split("/staff/prior-input/map/")[1].split('"')[0]
    client.force_login(moderator)
    assert client.get(f"/staff/prior-input/map/{map_js}").status_code == 404


def test_report_text_is_escaped(officer_client):
    make_input("<img src=x onerror=alert(1)>", geom=point(*INSIDE))
    page = ask(officer_client).content.decode()
    assert "<img src=x" not in page


def test_the_report_ranks_arguments_per_theme_with_a_quote_and_the_earlier_answer(
    officer_client, case_officer
):
    from inputbank.models import Outcome
    from inputbank.services import argument_answer

    theme = make_theme("trygghet", name="Trygghet")
    said = [
        "Gatelysene her er ødelagt, det er mørkt om kvelden.",
        "Gatelysa her er øydelagde, det er mørkt og utrygt.",
        "The street lights here are broken, it is dark at night.",
    ]
    items = [make_input(t, geom=point(*INSIDE), themes=(theme,)) for t in said]
    make_input("Bygg en skatepark!", geom=point(*INSIDE), themes=(theme,))
    argument_answer(
        argument=items[0].argument,
        outcome=Outcome.ADOPTED,
        justification="Lysene skiftes i vår.",
        decided_by=case_officer,
        decision_reference="2022/388-14",
    )
    page = ask(officer_client).content.decode()  # in English, see ask()
    heading, after = "Arguments by theme", "Said by many"
    half = "50 % not answered yet"
    section = page.split(heading)[1].split(after)[0]
    assert section.index(said[0]) < section.index("Bygg en skatepark!")  # 3 voices first
    assert "Lysene skiftes i vår." in section and "2022/388-14" in section
    assert half in section


def test_each_theme_opens_with_sentences_quoted_from_numbered_inputs(officer_client):
    theme = make_theme("trygghet", name="Trygghet")
    make_input("Bygg en skatepark! Vi har ingenting å gjøre.", geom=point(*INSIDE), themes=(theme,))
    page = ask(officer_client).content.decode()
    section = page.split("Arguments by theme")[1].split("Said by many")[0]
    # The only input is number 1 in the list: the quote links to it.
    assert '«Bygg en skatepark!» <small>(1 voice; from <a href="#item-1">1</a>)' in section


def test_a_report_grouped_from_the_newest_hits_only_says_so(officer_client, settings):
    theme = make_theme("trygghet", name="Trygghet")
    for text in ("Mørkt her.", "Mørkt her om kvelden.", "Bygg en skatepark!"):
        make_input(text, geom=point(*INSIDE), themes=(theme,))
    note = "grouped from the newest 2 of the 3 inputs here"
    assert note not in ask(officer_client).content.decode()
    settings.INPUTBANK = {**settings.INPUTBANK, "PRIOR_ARGUMENT_HITS": 2}
    page = ask(officer_client).content.decode()
    section = page.split("Arguments by theme")[1].split("Said by many")[0]
    assert note in section
    assert "3 earlier inputs here" in page  # the counts still include every hit


def test_the_report_names_the_gaps_in_what_we_know(officer_client):
    theme = make_theme("kyststi", name="Kyststi")
    received(make_input("Kyststien gror igjen.", geom=point(*INSIDE), themes=(theme,)), 2019)
    page = ask(officer_client, gaps_since="2022").content.decode()
    section = page.split("Gaps in what we know")[1].split("Arguments by theme")[0]
    assert "Nothing heard in this area since 2022" in section
    assert "Kyststi <small>(last 2019-06-01)</small>" in section
    assert "no input from children and young people" in section


def test_many_hits_are_counted_per_square_with_a_legend_that_says_so(officer_client, monkeypatch):
    monkeypatch.setattr("maps.staff.views.prior.MAP_SHAPES_MAX", 3)
    for n in range(5):
        make_input(f"Innspill {n}", geom=point(10.656 + n * 0.001, 59.434))
    response = ask(officer_client)
    page = response.content.decode()
    cells = response.context["report"]["map_cells"]
    assert sum(c["properties"]["count"] for c in cells["features"]) == 5
    assert response.context["report"]["map_features"] == []
    assert 'data-cells="report-cells"' in page
    assert f"Number of inputs in each {cells['cell_m']} m square" in page
    assert "5 inputs are too many to draw one by one" in page
    # The list still has each of them.
    assert all(f"Innspill {n}" in page for n in range(5))


def test_few_hits_are_drawn_one_by_one_with_the_outcome_legend(officer_client):
    make_input("Innenfor området", geom=point(*INSIDE))
    response = ask(officer_client)
    page = response.content.decode()
    assert response.context["report"]["map_cells"] is None
    assert len(response.context["report"]["map_features"]) == 1
    assert "data-cells" not in page and "Number of inputs in each" not in page
    assert "Partly adopted" in page.split('class="legend"', 1)[1].split("</div>", 1)[0]


def test_the_print_map_counts_per_square_too(officer_client, monkeypatch):
    monkeypatch.setattr("maps.staff.views.prior.MAP_SHAPES_MAX", 3)
    for n in range(5):
        make_input(f"Innspill {n}", geom=point(10.656 + n * 0.001, 59.434))
    data = {"source": "draw", "geometry": json.dumps(AREA), "buffer_m": "0"}
    page = officer_client.post(
        reverse("staff:prior_input_print"), data, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    key = page.split("/staff/prior-input/map/", 1)[1].split(".js", 1)[0]
    script = officer_client.get(reverse("staff:report_map_js", args=[key])).content.decode()
    assert script.count('class=\\"cell-count\\"') + script.count('class="cell-count"') >= 1
    assert "Innspill 0" not in script  # no text of any input, only counts


def test_staff_maps_carry_the_process_areas_for_context(officer_client):
    process = make_process("kyststien")
    page = officer_client.get(reverse("staff:process_detail", args=[process.pk])).content.decode()
    areas = reverse("staff:process_areas")
    assert f'data-process-areas-url="{areas}?process={process.pk}"' in page
    report = officer_client.get(reverse("staff:prior_input")).content.decode()
    assert f'data-process-areas-url="{areas}"' in report
    body = officer_client.get(areas).json()
    assert [f["properties"]["id"] for f in body["features"]] == [process.pk]
