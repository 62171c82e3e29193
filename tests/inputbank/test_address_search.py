"""Reads on the address register: by street address, by property, by nearness."""

import pytest

from inputbank.models import Address
from inputbank.models.address_querysets import parse_property_query
from tests.factories import point

pytestmark = pytest.mark.usefixtures("moss_addresses")


def texts(queryset):
    return [a.adressetekst for a in queryset]


def test_street_and_number_find_that_address():
    assert texts(Address.objects.matching("Dronningens gate 5")) == ["Dronningens gate 5"]


def test_case_and_abbreviations_do_not_matter():
    assert texts(Address.objects.matching("dronningens gt. 5")) == ["Dronningens gate 5"]


def test_a_letter_after_the_number_picks_that_entrance():
    assert texts(Address.objects.matching("Dronningens gate 3b")) == ["Dronningens gate 3B"]


def test_a_number_without_letter_finds_every_entrance():
    assert texts(Address.objects.matching("Dronningens gate 3")) == [
        "Dronningens gate 3A",
        "Dronningens gate 3B",
    ]


def test_partial_words_work_while_typing():
    assert texts(Address.objects.matching("dronn 7")) == ["Dronningens gate 7"]


def test_post_town_narrows_the_search():
    found = Address.objects.matching("kirkeveien larkollen")
    assert found.count() == 12
    assert {a.poststed for a in found} == {"LARKOLLEN"}


def test_a_mistyped_street_is_found_by_similarity():
    assert not Address.objects.matching("Dronigens gate 5").exists()
    assert "Dronningens gate 5" in texts(Address.objects.resembling("Dronigens gate 5")[:5])


def test_nothing_typed_finds_nothing():
    assert not Address.objects.matching("  ").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/103", (1, 103, None)),
        ("1 / 103", (1, 103, None)),
        ("gnr 1 bnr 103", (1, 103, None)),
        ("Gnr. 1, bnr. 103", (1, 103, None)),
        ("1/103/4", (1, 103, 4)),
        ("Dronningens gate 1", None),
        ("103", None),
    ],
)
def test_property_queries_are_recognised(text, expected):
    assert parse_property_query(text) == expected


def test_property_finds_all_its_addresses():
    found = Address.objects.on_property(1, 103)
    assert texts(found.order_by("adressetekst")) == ["Dronningens gate 3A", "Dronningens gate 3B"]


def test_nearest_address_comes_first():
    near_dronningens_gate_1 = point(10.65563, 59.43325)
    assert Address.objects.nearest_to(near_dronningens_gate_1).first().adressetekst == (
        "Dronningens gate 1"
    )


def test_nothing_is_near_a_point_in_the_fjord():
    assert not Address.objects.nearest_to(point(10.60, 59.40)).exists()


def test_a_street_is_placed_on_one_of_its_own_addresses():
    street = Address.objects.matching("Skoggata").streets().get()
    assert street["address_count"] == 52  # 50 numbers, two of them with A and B
    nearest = Address.objects.nearest_to(street["point"], max_distance_m=0.5)
    assert nearest.first().adressenavn == "Skoggata"
