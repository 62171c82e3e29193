"""Place search on the address register (inputbank/reads/places.py): what the search box lists."""

import pytest

from inputbank.reads.places import find_places, nearest_to

pytestmark = pytest.mark.usefixtures("moss_addresses")


def test_an_address_is_one_place_with_its_property():
    [place] = find_places("Dronningens gate 1")
    assert (place.kind, place.label) == ("address", "Dronningens gate 1, 1530 Moss")


def test_a_street_name_lists_the_street_before_its_addresses():
    places = find_places("Dronningens gate")
    assert places[0].kind == "street"
    assert places[0].label == "Dronningens gate, 1530 Moss"
    assert all(p.kind == "address" for p in places[1:])


def test_gnr_bnr_lists_the_addresses_on_the_property():
    places = find_places("gnr 1 bnr 103")
    assert places and {p.kind for p in places} == {"property"}
    assert places[0].label.startswith("1/103: Dronningens gate 3A")


def test_a_typo_falls_back_to_similar_names():
    assert any("Dronningens gate" in p.label for p in find_places("Dronigens gate"))


def test_too_short_queries_find_nothing():
    assert find_places("D") == []


def test_the_nearest_address_to_a_point():
    [place] = find_places("Dronningens gate 1")
    [nearest] = nearest_to(place.lon, place.lat)
    assert nearest.label == place.label


@pytest.mark.usefixtures("moss_placenames")
class TestPlaceNames:
    """Names from the Stedsnavn register, beside addresses and properties."""

    def test_an_exact_place_name_is_the_one_hit(self):
        [place] = find_places("Larkollen")
        assert (place.kind, place.label) == ("place", "Larkollen (tettsted)")
        assert place.lat == pytest.approx(59.326, abs=1e-3)

    def test_another_spelling_finds_the_place(self):
        [place] = find_places("jeløya")[:1]
        assert place.label == "Jeløy (øy)"

    def test_part_of_a_name_lists_places_before_streets(self):
        places = find_places("Kambo")
        assert places[0].label == "Kambo (tettsted)"
        assert len(places) == 1  # the exact name wins over "Kamboveien"
        places = find_places("Kamb")
        assert [p.kind for p in places[:2]] == ["place", "place"]
        assert {"Kambo (tettsted)", "Kamboveien (veg)"} <= {p.label for p in places}

    def test_a_mistyped_place_name_is_still_found(self):
        assert find_places("Larkolen")[0].label == "Larkollen (tettsted)"

    def test_a_property_is_never_a_place_name(self):
        assert {p.kind for p in find_places("1/103")} == {"property"}
