"""The one input filter: the same query string selects the same inputs wherever it is used.

The list API, the resident list page, the staff list, a GIS export and ``export_layers`` all
read ``inputbank.filters.InputFilter``; programs get every problem named, pages leave out
what they cannot read.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pyogrio
import pytest
from django.contrib.gis.geos import LineString, Polygon
from django.core.management import CommandError, call_command
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from geo.crs import WEB_SRID
from inputbank import services
from inputbank.filters import FilterError, InputFilter
from inputbank.models import Channel, Input, Outcome
from tests.factories import make_input, make_process, make_theme, point

pytestmark = pytest.mark.django_db

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def inputs():
    """Published inputs that differ in place, theme, process, channel, answer, date and words."""
    transport = make_theme("transport")
    cycling = make_theme("sykkel", parent=transport)
    green = make_theme("grontomrader")
    plan = make_process("sentrum-2024")
    named = {
        "bike": make_input("Vi trenger en sykkelvei langs kanalen.", themes=(cycling,)),
        "park": make_input(
            "Flere benker i parken.", geom=point(10.72, 59.38), themes=(green,), process=plan
        ),
        "square": make_input("Torget trenger trær og skygge.", process=plan),
        "letter": services.input_register(
            text="Brev om gatelys i Storgata.",
            geom=point(10.66, 59.435),
            themes=[transport],
            channel=Channel.LETTER,
            registered_by=None,
            publish=True,
        ),
    }
    services.response_record(
        input=named["bike"], outcome=Outcome.ADOPTED, justification="Ja.", decided_by=None
    )
    services.input_update(
        input=named["square"],
        changed_by=None,
        received_at=timezone.now() - dt.timedelta(days=400),
    )
    return {key: str(item.public_id) for key, item in named.items()}


def _api(client, query: str) -> set[str]:
    response = client.get(f"/api/v1/inputs/?{query}&page_size=100")
    assert response.status_code == 200, response.content[:300]
    return {f["id"] for f in json.loads(response.content)["features"]}


def _page(client, url: str, query: str, known: set[str]) -> set[str]:
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    return set(UUID.findall(response.content.decode())) & known


def _export(client, query: str, tmp_path) -> set[str]:
    response = client.get(f"/api/v1/exports/inputs.geojson?{query}")
    assert response.status_code == 200, response.content[:300]
    path = tmp_path / "export.geojson"
    path.write_bytes(b"".join(response.streaming_content))
    return set(pyogrio.read_dataframe(path)["lokalId"])


def _command(query: str, tmp_path) -> set[str]:
    options = []
    for key, values in QueryDict(query).lists():
        options += [f"--{key}", ",".join(values)]
    call_command(
        "export_layers", "--format", "geojson", "--output-dir", str(tmp_path),
        "--layers", "inputs", *options, stdout=io.StringIO(),
    )  # fmt: skip
    return set(pyogrio.read_dataframe(tmp_path / "innspill.geojson")["lokalId"])


QUERIES = [
    ("theme=transport", ("bike", "letter")),
    ("process=sentrum-2024", ("park", "square")),
    ("channel=letter", ("letter",)),
    ("outcome=none", ("park", "square", "letter")),
    ("outcome=adopted", ("bike",)),
    ("q=sykkelveiene", ("bike",)),
    ("bbox=10.70,59.37,10.74,59.39", ("park",)),
    ("bbox=-180,-90,180,90", ("bike", "park", "square", "letter")),
    ("intersects=POINT(10.72 59.38)", ("park",)),
    ("since=" + (dt.date.today() - dt.timedelta(days=30)).isoformat(), ("bike", "park", "letter")),
    ("until=" + (dt.date.today() - dt.timedelta(days=30)).isoformat(), ("square",)),
    ("theme=transport&outcome=none", ("letter",)),
]


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_the_same_query_gives_the_same_inputs_everywhere(
    client, case_officer, inputs, tmp_path, query, expected
):
    known = set(inputs.values())
    wanted = {inputs[key] for key in expected}
    assert _api(client, query) == wanted
    assert _page(client, reverse("maps:input_list"), query, known) == wanted
    assert _export(client, query, tmp_path) == wanted
    client.force_login(case_officer)
    assert _page(client, reverse("staff:input_list"), query, known) == wanted
    assert _api(client, query) == wanted


def test_export_layers_takes_the_same_filters(inputs, tmp_path):
    assert _command("theme=transport&outcome=none", tmp_path) == {inputs["letter"]}


def test_export_layers_names_a_bad_filter_as_an_option(db, tmp_path):
    with pytest.raises(CommandError, match="--since: wrong format"):
        _command("since=yesterday", tmp_path)


def test_the_staff_list_searches_words_in_every_form(client, case_officer):
    hit = make_input("Vi trenger en sykkelvei langs kanalen.")
    make_input("Flere benker i parken.", published=False)
    client.force_login(case_officer)
    found = _page(client, reverse("staff:input_list"), "q=sykkelveiene", {str(hit.public_id)})
    assert found == {str(hit.public_id)}


def test_the_staff_lists_answered_shorthand_is_the_outcome_filter(client, case_officer):
    answered, unanswered = make_input(), make_input()
    services.response_record(
        input=answered, outcome=Outcome.NOT_ADOPTED, justification="Nei.", decided_by=None
    )
    known = {str(answered.public_id), str(unanswered.public_id)}
    client.force_login(case_officer)
    url = reverse("staff:input_list")
    assert _page(client, url, "answered=no", known) == {str(unanswered.public_id)}
    assert _page(client, url, "answered=yes", known) == {str(answered.public_id)}


def test_strict_parsing_names_every_problem_at_once(db):
    with pytest.raises(FilterError) as caught:
        InputFilter.from_query(
            QueryDict("themes=a&since=tomorrow&bbox=1,2,3&channel=pigeon&q=x&q=y")
        )
    fields = [e["field"] for e in caught.value.errors]
    assert sorted(fields) == ["bbox", "channel", "q", "since", "themes"]


def test_unknown_themes_and_processes_are_refused_by_programs(db):
    for query in ("theme=romfart", "process=ingen"):
        with pytest.raises(FilterError, match="unknown"):
            InputFilter.from_query(QueryDict(query))


def test_a_page_leaves_out_what_it_cannot_read_and_says_which(db):
    make_theme("transport")
    selection = InputFilter.from_query(
        QueryDict("theme=transport&bbox=nonsense&since=2024-02-01&until=2024-01-01&page=2"),
        lenient=True,
    )
    assert selection.themes == ("transport",)
    assert selection.bbox is None
    assert selection.dropped == ("bbox", "until")


def test_a_stale_link_to_a_process_matches_nothing_not_everything(db):
    make_input()
    selection = InputFilter.from_query(QueryDict("process=nedlagt"), lenient=True)
    assert selection.dropped == ()
    assert not selection.narrow(Input.objects.all()).exists()


def test_a_process_by_id_or_slug_is_the_same_filter(db):
    process = make_process("kommuneplan")
    by_slug = InputFilter.from_query(QueryDict("process=kommuneplan"))
    by_id = InputFilter.from_query(QueryDict(f"process={process.pk}"))
    assert by_slug == by_id
    assert by_slug.as_key() == by_id.as_key()


def test_the_cache_key_does_not_depend_on_order(db):
    make_theme("a")
    make_theme("b")
    first = InputFilter.from_query(QueryDict("theme=a,b&outcome=none,adopted"))
    second = InputFilter.from_query(QueryDict("outcome=adopted&outcome=none&theme=b&theme=a"))
    assert first.as_key() == second.as_key()


def test_exports_take_status_all_for_staff_only(db):
    from inputbank.publishing import exports

    assert not exports.input_selection({"status": "all"}, may_see_unpublished=True).published_only
    assert exports.input_selection(
        {"status": "published"}, may_see_unpublished=False
    ).published_only
    with pytest.raises(FilterError, match="only the GIS team"):
        exports.input_selection({"status": "pending"}, may_see_unpublished=False)


def test_shape_keeps_one_kind_of_place_in_every_door(client, tmp_path):
    pin = make_input("En benk her, takk.", geom=point(10.66, 59.43))
    path = make_input(
        "Sti langs kanalen.",
        geom=LineString((10.660, 59.430), (10.665, 59.432), srid=WEB_SRID),
    )
    area = Polygon.from_bbox((10.65, 59.43, 10.655, 59.433))
    area.srid = WEB_SRID
    park = make_input("Bevar parken.", geom=area)
    everywhere = make_input("Gjelder hele kommunen.", no_location=True)
    ids = {k: str(v.public_id) for k, v in
           {"pin": pin, "path": path, "park": park, "everywhere": everywhere}.items()}  # fmt: skip
    assert _api(client, "shape=line") == {ids["path"]}
    assert _api(client, "shape=point,none") == {ids["pin"], ids["everywhere"]}
    assert _export(client, "shape=area", tmp_path) == {ids["park"]}
    assert _command("shape=line", tmp_path) == {ids["path"]}
    refused = client.get("/api/v1/inputs/?shape=circle")
    assert refused.status_code == 400
    assert "shape" in refused.content.decode()


def test_a_single_layer_export_of_one_shape_declares_that_geometry_type(client, tmp_path):
    # FlatGeobuf holds one layer: asked for lines only, it says MultiLineString, not Unknown.
    make_input("En benk her, takk.", geom=point(10.66, 59.43))
    make_input(
        "Sti langs kanalen.",
        geom=LineString((10.660, 59.430), (10.665, 59.432), srid=WEB_SRID),
    )
    for query, expected in (("shape=line", "MultiLineString"), ("", "Unknown")):
        response = client.get(f"/api/v1/exports/inputs.fgb?{query}")
        assert response.status_code == 200
        target = tmp_path / f"{query or 'all'}.fgb"
        target.write_bytes(b"".join(response.streaming_content))
        assert pyogrio.read_info(target)["geometry_type"] == expected
