"""The place-name import (``placenames_import``) called directly with rows as the reader gives
them: every row's point transformed from its own CRS to EPSG:25832, places outside the Moss
extent left out and counted, one place per stedsnummer (the last in the file wins, a re-import
updates it), every spelling searchable, pruning only the municipality named, a dry run that
reports exactly what a real run does, and a database error that stores and prunes nothing
(fixtures/placenames/README.md)."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import DataError

from geo.crs import ETRS89_GEOGRAPHIC_SRID, STORAGE_SRID, UTM33_SRID, WEB_SRID
from inputbank.imports.placenames import read_placenames
from inputbank.models import PlaceName
from inputbank.services.placenames import PlaceNameRow, placenames_import
from tests.conftest import PLACENAME_SAMPLE

pytestmark = pytest.mark.django_db

# Known points, EPSG:25832 (E, N). Moss is the sample's EPSG:25833 position of the town
# (253972.30 6596406.95) transformed with pyproj; Dronningens gate 1 is also known in lon/lat.
MOSS_25832 = (594218.29, 6589555.83)
DRONNINGENS_GATE = (593915.60, 6589464.81)
DRONNINGENS_GATE_LONLAT = (10.655626466842, 59.433250662990)
SON_VESTBY = (595421.14, 6599412.16)  # a neighbour's village, inside the map's fjord margin
OSLO_RADHUS = (597979.90, 6643118.99)  # the national file: north of the extent
FREDRIKSTAD = (610159.60, 6565932.03)  # south-east of the extent


def place(
    stedsnummer: int,
    name: str,
    xy: tuple[float, float],
    *,
    number: int = 1,
    srid: int = STORAGE_SRID,
    other_names: tuple[str, ...] = (),
    name_type: str = "tettsted",
    kommunenummer: str = "3103",
) -> PlaceNameRow:
    return PlaceNameRow(
        number=number,
        stedsnummer=stedsnummer,
        name=name,
        other_names=other_names,
        name_type=name_type,
        kommunenummer=kommunenummer,
        x=xy[0],
        y=xy[1],
        srid=srid,
    )


def sample() -> list[PlaceNameRow]:
    """The 33 Moss places of the GML sample, read as the command reads them (EPSG:25833)."""
    return read_placenames(PLACENAME_SAMPLE).rows


def son(number: int = 99) -> PlaceNameRow:
    return place(9001, "Son", SON_VESTBY, number=number, kommunenummer="3019")


def bank() -> list[tuple]:
    """Every stored place with all it holds (position to the millimetre)."""
    return [
        (p.pk, p.stedsnummer, p.name, p.name_type, p.kommunenummer, p.search_text,
         round(p.geom.x, 3), round(p.geom.y, 3))
        for p in PlaceName.objects.order_by("stedsnummer")
    ]  # fmt: skip


def stored_at(stedsnummer: int) -> tuple[float, float]:
    geom = PlaceName.objects.get(stedsnummer=stedsnummer).geom
    assert geom.srid == STORAGE_SRID
    return geom.x, geom.y


def test_the_samples_utm33_positions_are_stored_in_utm32_where_the_register_puts_them():
    rows = sample()
    assert {row.srid for row in rows} == {UTM33_SRID}
    result = placenames_import(rows=rows)
    assert (result.created, result.updated, result.outside) == (len(rows), 0, 0)
    assert stored_at(101) == pytest.approx(MOSS_25832, abs=0.05)  # Moss


def test_each_row_is_transformed_from_the_crs_it_names():
    lon, lat = DRONNINGENS_GATE_LONLAT
    placenames_import(
        rows=[
            place(901, "Dronningens gate", DRONNINGENS_GATE, number=1),
            place(902, "Dronningens gate (ETRS89)", (lon, lat), number=2, srid=4258),
            place(903, "Dronningens gate (WGS 84)", (lon, lat), number=3, srid=WEB_SRID),
        ]
    )
    assert stored_at(901) == pytest.approx(DRONNINGENS_GATE, abs=0.001)  # not moved at all
    assert stored_at(902) == pytest.approx(DRONNINGENS_GATE, abs=0.05)
    assert stored_at(903) == pytest.approx(DRONNINGENS_GATE, abs=1.0)


def test_places_outside_the_moss_extent_are_left_out_and_counted():
    north, east = DRONNINGENS_GATE[1], DRONNINGENS_GATE[0]
    lon, lat = DRONNINGENS_GATE_LONLAT
    result = placenames_import(
        rows=[
            place(101, "Moss", MOSS_25832, number=1, name_type="by"),
            place(8001, "Oslo rådhus", OSLO_RADHUS, number=2, kommunenummer="0301"),
            place(8002, "Fredrikstad", FREDRIKSTAD, number=3, kommunenummer="3107"),
            place(8003, "Nord og Øst byttet", (north, east), number=4),
            place(8004, "Breddegrad først", (lat, lon), number=5, srid=ETRS89_GEOGRAPHIC_SRID),
            son(number=6),
        ]
    )
    assert (result.created, result.outside) == (2, 4)
    assert set(PlaceName.objects.values_list("name", flat=True)) == {"Moss", "Son"}


def test_every_spelling_is_searchable_lower_cased_and_the_name_keeps_its_case():
    jeloy = next(row for row in sample() if row.name == "Jeløy")
    assert jeloy.other_names == ("Jeløya",)  # as the sample has it
    placenames_import(rows=[jeloy])
    stored = PlaceName.objects.get(stedsnummer=jeloy.stedsnummer)
    assert (stored.name, stored.search_text) == ("Jeløy", "jeløy jeløya")
    assert list(PlaceName.objects.matching("Jeløya")) == [stored]


def test_the_search_text_is_cut_to_its_column_not_refused():
    many = tuple(f"Gammelt navn nummer {i} på Kambo" for i in range(40))
    result = placenames_import(rows=[place(104, "Kambo", (597700.0, 6594300.0), other_names=many)])
    assert result.created == 1
    text = PlaceName.objects.get().search_text
    assert len(text) == 600
    assert text.startswith("kambo gammelt navn nummer 0 på kambo")


def test_a_place_repeated_in_the_file_is_stored_once_as_its_last_row():
    # Given out of file order: the file's order (``number``) decides, not the list's.
    result = placenames_import(
        rows=[
            place(105, "Mossesundet", (592900.0, 6591100.0), number=7, name_type="sund"),
            place(105, "Mossesund", (592000.0, 6591000.0), number=3, name_type="fjord"),
        ]
    )
    assert (result.created, result.updated) == (1, 0)
    stored = PlaceName.objects.get(stedsnummer=105)
    assert (stored.name, stored.name_type) == ("Mossesundet", "sund")
    assert stored_at(105) == pytest.approx((592900.0, 6591100.0), abs=0.001)


def test_a_second_import_updates_the_place_by_stedsnummer():
    placenames_import(
        rows=[place(102, "Jeløy", (591000.0, 6590100.0), other_names=("Jeløen",), name_type="øy")]
    )
    first = PlaceName.objects.get()
    result = placenames_import(
        rows=[place(102, "Jeløy", (591026.05, 6590145.89), other_names=("Jeløya",), name_type="øy")]
    )
    assert (result.created, result.updated) == (0, 1)
    stored = PlaceName.objects.get()
    assert stored.pk == first.pk
    assert stored.search_text == "jeløy jeløya"
    assert not PlaceName.objects.matching("Jeløen").exists()  # the old spelling is gone
    assert stored_at(102) == pytest.approx((591026.05, 6590145.89), abs=0.001)


def test_pruning_removes_only_that_municipalitys_names_the_file_no_longer_has():
    placenames_import(rows=[*sample(), son()])
    without_moss = [row for row in sample() if row.name != "Moss"]

    kept = placenames_import(rows=without_moss)  # no pruning asked: nothing removed
    assert (kept.pruned, PlaceName.objects.count()) == (0, 34)

    result = placenames_import(rows=without_moss, prune_kommune="3103")
    assert (result.created, result.updated, result.pruned) == (0, 32, 1)
    assert not PlaceName.objects.filter(name="Moss").exists()
    assert PlaceName.objects.filter(name="Son", kommunenummer="3019").exists()
    assert PlaceName.objects.count() == 33


def test_a_dry_run_reports_what_the_real_run_does_and_changes_nothing():
    placenames_import(rows=[*sample(), son()])
    before = bank()
    rows = [row for row in sample() if row.name not in ("Moss", "Larkollen")]
    rows[0] = dataclasses.replace(rows[0], name="Jeløy (Moss)")
    rows += [
        place(134, "Værlebukta", (592000.0, 6587000.0), number=40, name_type="vik"),
        place(8001, "Oslo rådhus", OSLO_RADHUS, number=41, kommunenummer="0301"),
    ]

    dry = placenames_import(rows=rows, prune_kommune="3103", dry_run=True)
    assert (dry.created, dry.updated, dry.outside, dry.pruned) == (1, 31, 1, 2)
    assert bank() == before

    real = placenames_import(rows=rows, prune_kommune="3103")
    assert real == dry
    assert PlaceName.objects.filter(name__in=["Jeløy (Moss)", "Værlebukta"]).count() == 2


def test_a_database_error_stores_nothing_and_prunes_nothing():
    placenames_import(rows=[*sample(), son()])
    before = bank()
    rows = [row for row in sample() if row.name != "Moss"]  # would prune Moss
    rows[0] = dataclasses.replace(rows[0], name="Jeløy (endret)")  # would update
    rows.append(place(134, "Værlebukta " + "x" * 200, (592000.0, 6587000.0), number=40))

    with pytest.raises(DataError):
        placenames_import(rows=rows, prune_kommune="3103")
    assert bank() == before

    # Nothing of the failed import is left in the way of the next one.
    result = placenames_import(rows=rows[:-1], prune_kommune="3103")
    assert (result.created, result.updated, result.pruned) == (0, 32, 1)
