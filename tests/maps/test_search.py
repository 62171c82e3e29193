"""Finding a place without the map: the JSON the pages use and the plain search page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("moss_addresses")


def search(client, q, **extra):
    response = client.get(reverse("maps:search_places"), {"q": q, **extra})
    assert response.status_code == 200
    return response.json()["results"]


def test_an_address_comes_with_lon_lat_for_the_map(client):
    (place,) = search(client, "Dronningens gate 1")
    assert place["kind"] == "address"
    assert place["label"] == "Dronningens gate 1, 1530 Moss"
    assert place["property"] == "1/101"
    assert place["lon"] == pytest.approx(10.65563, abs=1e-5)
    assert place["lat"] == pytest.approx(59.43325, abs=1e-5)


def test_a_street_name_alone_offers_the_street_first(client):
    places = search(client, "Skoggata")
    assert places[0]["kind"] == "street"
    assert places[0]["label"] == "Skoggata, 1531 Moss"
    assert places[1]["label"] == "Skoggata 1, 1531 Moss"


def test_gnr_bnr_finds_the_property(client):
    places = search(client, "gnr 1 bnr 103")
    assert [p["kind"] for p in places] == ["property", "property"]
    assert places[0]["label"] == "1/103: Dronningens gate 3A, 1530 Moss"


def test_a_typo_still_finds_the_street(client):
    labels = [p["label"] for p in search(client, "Fleichers gate 2")]
    assert "Fleischers gate 2, 1531 Moss" in labels


def test_one_letter_is_too_short_to_search(client):
    assert search(client, "D") == []


def test_results_are_limited(client):
    assert len(search(client, "veien", limit="3")) == 3
    assert len(search(client, "veien", limit="999")) == 20
    assert len(search(client, "veien", limit="x")) == 10


def test_a_very_long_query_is_cut_not_an_error(client):
    response = client.get(reverse("maps:search_places"), {"q": "Dronningens gate 1" + " x" * 500})
    assert response.status_code == 200
    assert len(response.json()["query"]) == 100


def test_post_is_not_allowed(client):
    assert client.post(reverse("maps:search_places"), {"q": "x"}).status_code == 405


def test_nearest_address_to_a_pin(client):
    response = client.get(reverse("maps:nearest_places"), {"lon": "10.65563", "lat": "59.43325"})
    assert response.json()["results"][0]["label"] == "Dronningens gate 1, 1530 Moss"


@pytest.mark.parametrize("lon", ["", "abc", "nan", "inf", "500"])
def test_nearest_refuses_bad_coordinates_with_a_message(client, lon):
    response = client.get(reverse("maps:nearest_places"), {"lon": lon, "lat": "59.4"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "lon"


def test_the_search_page_links_to_giving_input_at_the_place(client):
    response = client.get(reverse("maps:search"), {"q": "Dronningens gate 1"})
    html = response.content.decode()
    assert "Dronningens gate 1, 1530 Moss" in html
    assert (
        "/give/?at=10.6556265,59.4332507&amp;label=Dronningens%20gate%201%2C%201530%20Moss" in html
    )


def test_the_search_page_says_when_nothing_was_found(client):
    response = client.get(reverse("maps:search"), {"q": "Finnesikkeveien 99"})
    assert "Fant ingen steder" in response.content.decode()


@pytest.mark.usefixtures("moss_placenames")
def test_a_place_name_comes_with_lon_lat_for_the_map(client):
    (place,) = search(client, "Mossesundet")
    assert place["kind"] == "place"
    assert place["label"] == "Mossesundet (sund)"
    assert place["lon"] == pytest.approx(10.64, abs=1e-3)
