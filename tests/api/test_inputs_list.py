"""GET /api/v1/inputs/: a GeoJSON FeatureCollection built in SQL, filtered and paged."""

import datetime as dt

import pytest
from django.contrib.gis.geos import LineString
from django.utils import timezone

from geo.crs import WEB_SRID
from inputbank import services
from inputbank.models import Channel, Outcome
from tests.api.helpers import LIST_URL, body, error_fields, feature_ids
from tests.factories import box, make_input, make_process, make_theme, point

pytestmark = pytest.mark.django_db


def test_list_is_a_geojson_feature_collection_in_lon_lat(api):
    item = make_input(geom=point(10.658, 59.434))
    response = api.get(LIST_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = body(response)
    assert data["type"] == "FeatureCollection"
    (feature,) = data["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == str(item.public_id)
    assert feature["geometry"]["type"] == "Point"
    assert feature["geometry"]["coordinates"] == pytest.approx([10.658, 59.434], abs=1e-7)
    assert "crs" not in data


def test_list_shows_only_published_input_to_the_public(api):
    published = make_input()
    make_input(published=False)
    assert feature_ids(api.get(LIST_URL)) == [str(published.public_id)]


def test_list_is_newest_first(api):
    old = make_input()
    new = make_input()
    services.input_update(input=old, changed_by=None, received_at=timezone.now() - dt.timedelta(1))
    assert feature_ids(api.get(LIST_URL)) == [str(new.public_id), str(old.public_id)]


def test_input_without_location_has_null_geometry(api):
    make_input(no_location=True)
    (feature,) = body(api.get(LIST_URL))["features"]
    assert feature["geometry"] is None
    assert feature["properties"]["location_source"] == "none"


def test_crs_parameter_gives_municipal_coordinates(api):
    make_input(geom=point(10.658, 59.434))
    data = body(api.get(LIST_URL, {"crs": "EPSG:25832"}))
    assert data["crs"]["properties"]["name"].endswith("/EPSG/0/25832")
    x, y = data["features"][0]["geometry"]["coordinates"]
    assert x == pytest.approx(594048.14, abs=0.05)
    assert y == pytest.approx(6589551.59, abs=0.05)


def test_unsupported_crs_is_refused(api):
    response = api.get(LIST_URL, {"crs": "EPSG:9999"})
    assert response.status_code == 400
    assert error_fields(response) == ["crs"]


def test_bbox_filter_keeps_only_inputs_inside(api):
    inside = make_input(geom=point(10.66, 59.43))
    make_input(geom=point(10.75, 59.48))
    ids = feature_ids(api.get(LIST_URL, {"bbox": "10.65,59.42,10.67,59.44"}))
    assert ids == [str(inside.public_id)]


def test_bbox_filter_is_exact_not_bounding_box_overlap(api):
    # A diagonal line whose bounding box covers the query box, but which misses it.
    make_input(geom=LineString((10.60, 59.40), (10.70, 59.50), srid=WEB_SRID))
    assert feature_ids(api.get(LIST_URL, {"bbox": "10.68,59.40,10.70,59.42"})) == []


def test_theme_filter_includes_sub_themes(api):
    transport = make_theme("transport")
    cycling = make_theme("sykkel", parent=transport)
    green = make_theme("grønt")
    child = make_input(themes=(cycling,))
    make_input(themes=(green,))
    assert feature_ids(api.get(LIST_URL, {"theme": "transport"})) == [str(child.public_id)]


def test_theme_filter_repeats_as_or(api):
    a, b, c = make_theme("a"), make_theme("b"), make_theme("c")
    make_input(themes=(a,))
    make_input(themes=(b,))
    make_input(themes=(c,))
    assert len(feature_ids(api.get(LIST_URL + "?theme=a&theme=b"))) == 2
    assert len(feature_ids(api.get(LIST_URL + "?theme=a,c"))) == 2


def test_unknown_theme_is_a_clear_error(api):
    response = api.get(LIST_URL, {"theme": "nope"})
    assert response.status_code == 400
    assert "unknown theme" in body(response)["errors"][0]["message"]


def test_process_filter_accepts_id_or_slug(api):
    process = make_process("kommuneplan")
    inside = make_input(process=process)
    make_input()
    assert feature_ids(api.get(LIST_URL, {"process": "kommuneplan"})) == [str(inside.public_id)]
    assert feature_ids(api.get(LIST_URL, {"process": process.pk})) == [str(inside.public_id)]


def test_channel_filter(api):
    letter = services.input_register(
        text="Brev",
        geom=point(),
        themes=[],
        channel=Channel.LETTER,
        registered_by=None,
        publish=True,
    )
    make_input()
    assert feature_ids(api.get(LIST_URL, {"channel": "letter"})) == [str(letter.public_id)]


def test_outcome_filter_with_none_for_unanswered(api):
    answered = make_input()
    unanswered = make_input()
    services.response_record(
        input=answered, outcome=Outcome.ADOPTED, justification="Ja.", decided_by=None
    )
    assert feature_ids(api.get(LIST_URL, {"outcome": "adopted"})) == [str(answered.public_id)]
    assert feature_ids(api.get(LIST_URL, {"outcome": "none"})) == [str(unanswered.public_id)]


def test_since_and_until_filter_by_received_date(api):
    old = make_input()
    services.input_update(
        input=old, changed_by=None, received_at=timezone.now() - dt.timedelta(days=400)
    )
    new = make_input()
    cutoff = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert feature_ids(api.get(LIST_URL, {"since": cutoff})) == [str(new.public_id)]
    assert feature_ids(api.get(LIST_URL, {"until": cutoff})) == [str(old.public_id)]


def test_since_takes_a_date_time(api):
    old = make_input()
    services.input_update(
        input=old, changed_by=None, received_at=timezone.now() - dt.timedelta(hours=3)
    )
    new = make_input()
    since = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    assert feature_ids(api.get(LIST_URL, {"since": since})) == [str(new.public_id)]


def test_a_single_valued_parameter_given_twice_is_refused(api):
    response = api.get(LIST_URL + "?since=2024-01-01&since=2025-01-01")
    assert response.status_code == 400
    assert error_fields(response) == ["since"]


def test_empty_parameters_are_absent_ones(api):
    item = make_input()
    assert feature_ids(api.get(LIST_URL + "?q=&since=&theme=&bbox=")) == [str(item.public_id)]


def test_theme_filter_takes_a_retired_theme(api):
    retired = make_theme("gammel", active=False)
    hit = make_input(themes=[retired])
    make_input()
    assert feature_ids(api.get(LIST_URL, {"theme": "gammel"})) == [str(hit.public_id)]


def test_q_finds_inflected_norwegian_words(api):
    hit = make_input(text="Vi trenger en sykkelvei langs sjøen.")
    make_input(text="Flere benker i parken.")
    assert feature_ids(api.get(LIST_URL, {"q": "sykkelveiene"})) == [str(hit.public_id)]


def test_q_falls_back_to_trigrams_for_typos(api):
    hit = make_input(text="Fotgjengerfeltet ved skolen er farlig.")
    make_input(text="Flere benker i parken.")
    assert feature_ids(api.get(LIST_URL, {"q": "fotgjengerfelte"})) == [str(hit.public_id)]


def test_q_never_searches_redacted_personal_data(api):
    make_input(text="Ring meg på 91234567 om sykkelveien.")
    assert feature_ids(api.get(LIST_URL, {"q": "91234567"})) == []


def test_intersects_filter_accepts_geojson(api):
    inside = make_input(geom=point(10.66, 59.43))
    make_input(geom=point(10.75, 59.48))
    area = (
        '{"type":"Polygon","coordinates":'
        "[[[10.65,59.42],[10.67,59.42],[10.67,59.44],[10.65,59.42]]]}"
    )
    assert feature_ids(api.get(LIST_URL, {"intersects": area})) == [str(inside.public_id)]


def test_intersects_filter_accepts_wkt(api):
    inside = make_input(geom=point(10.66, 59.43))
    make_input(geom=point(10.75, 59.48))
    wkt = "POLYGON((10.65 59.42, 10.67 59.42, 10.67 59.44, 10.65 59.44, 10.65 59.42))"
    assert feature_ids(api.get(LIST_URL, {"intersects": wkt})) == [str(inside.public_id)]


def test_paging_links_walk_through_every_input_once(api):
    items = [make_input() for _ in range(5)]
    seen, url = [], LIST_URL + "?page_size=2"
    while url:
        data = body(api.get(url))
        seen += [f["id"] for f in data["features"]]
        nxt = [link["href"] for link in data["links"] if link["rel"] == "next"]
        url = nxt[0] if nxt else None
    assert sorted(seen) == sorted(str(i.public_id) for i in items)
    assert len(seen) == 5


def test_page_size_is_bounded(api, settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "MAX_PAGE_SIZE": 50}
    response = api.get(LIST_URL, {"page_size": 51})
    assert response.status_code == 400
    assert error_fields(response) == ["page_size"]


def test_a_paging_parameter_given_empty_is_refused_not_taken_as_the_default(api):
    # "page_size=" is a mistake in a link or a script; left out, the default applies.
    response = api.get(LIST_URL + "?page_size=&page=")
    assert response.status_code == 400
    assert error_fields(response) == ["page", "page_size"]
    assert api.get(LIST_URL).status_code == 200


def test_unknown_parameter_is_refused(api):
    response = api.get(LIST_URL, {"themes": "transport"})
    assert response.status_code == 400
    assert error_fields(response) == ["themes"]


def test_public_feature_carries_response_and_counts(api):
    item = make_input()
    services.response_record(
        input=item, outcome=Outcome.PARTLY_ADOPTED, justification="Delvis.", decided_by=None
    )
    props = body(api.get(LIST_URL))["features"][0]["properties"]
    assert props["response"]["outcome"] == "partly_adopted"
    assert props["response"]["justification"] == "Delvis."
    assert props["supports"] == 0
    assert props["comments"] == 0


def test_area_filter_by_box_helper_matches(api):
    # The factories' box is lon/lat; the list's bbox agrees with the intersects filter.
    inside = make_input(geom=box(10.655, 59.431, 10.656, 59.432))
    assert feature_ids(api.get(LIST_URL, {"bbox": "10.65,59.43,10.66,59.44"})) == [
        str(inside.public_id)
    ]


def test_properties_parameter_keeps_only_those_properties(api):
    theme = make_theme("transport")
    make_input(themes=(theme,))
    (feature,) = body(api.get(LIST_URL, {"properties": "themes"}))["features"]
    assert feature["properties"] == {"themes": ["transport"]}
    assert feature["geometry"]["type"] == "Point"


def test_an_empty_properties_parameter_gives_no_properties(api):
    make_input()
    (feature,) = body(api.get(LIST_URL, {"properties": ""}))["features"]
    assert feature["properties"] == {}


def test_properties_outside_the_callers_allow_list_are_refused(api):
    make_input()
    response = api.get(LIST_URL, {"properties": "themes,contributor"})
    assert response.status_code == 400
    assert error_fields(response) == ["properties"]


def test_case_officers_may_ask_for_the_contributor(officer_api):
    make_input()
    (feature,) = body(officer_api.get(LIST_URL, {"properties": "contributor"}))["features"]
    assert list(feature["properties"]) == ["contributor"]


def test_the_next_page_keeps_the_chosen_properties(api):
    make_input()
    make_input()
    data = body(api.get(LIST_URL, {"properties": "text", "page_size": 1}))
    (link,) = [link for link in data["links"] if link["rel"] == "next"]
    assert "properties=text" in link["href"]


def test_anchor_geometry_is_a_point_on_each_line_or_area(api):
    make_input(geom=LineString((10.650, 59.434), (10.660, 59.434), srid=WEB_SRID))
    (feature,) = body(api.get(LIST_URL, {"geometry": "anchor"}))["features"]
    assert feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]
    assert 10.650 <= lon <= 10.660
    assert lat == pytest.approx(59.434, abs=1e-4)


def test_an_unknown_geometry_choice_is_refused(api):
    response = api.get(LIST_URL, {"geometry": "simplified"})
    assert response.status_code == 400
    assert error_fields(response) == ["geometry"]


def test_box_outside_the_area_gives_an_empty_page_not_an_error(api):
    make_input(geom=point(10.66, 59.43))
    response = api.get(LIST_URL, {"bbox": "10.0,59.0,10.01,59.01"})
    assert response.status_code == 200
    assert body(response)["features"] == []
