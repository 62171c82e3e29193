"""The address register import: rows in any CRS to storage points, refusals with line numbers."""

from __future__ import annotations

import pytest

from geo.crs import ETRS89_GEOGRAPHIC_SRID, STORAGE_SRID
from inputbank.models import Address
from inputbank.services import addresses_import
from inputbank.services.addresses import AddressRow

pytestmark = pytest.mark.django_db

# Dronningens gate 1, Moss: in UTM 32N and in ETRS89 lon/lat.
DRONNINGENS_GATE = (593915.60, 6589464.81)
DRONNINGENS_GATE_LONLAT = (10.655626466842, 59.433250662990)


def row(line=2, lokal_id="a1", nummer=1, bokstav="", x=None, y=None, srid=STORAGE_SRID, **extra):
    x, y = (x, y) if x is not None else DRONNINGENS_GATE
    fields = {
        "kommunenummer": "3103",
        "adressenavn": "Dronningens gate",
        "gardsnummer": 1,
        "bruksnummer": 101,
        "festenummer": None,
        "adressetekst": f"Dronningens gate {nummer}{bokstav}",
        "postnummer": "1530",
        "poststed": "MOSS",
        **extra,
    }
    return AddressRow(
        line=line, lokal_id=lokal_id, nummer=nummer, bokstav=bokstav, x=x, y=y, srid=srid, **fields
    )


def test_a_row_in_the_storage_crs_is_stored_where_it_says():
    result = addresses_import(rows=[row()])
    address = Address.objects.get()
    assert result.created == 1
    assert (address.geom.x, address.geom.y) == pytest.approx(DRONNINGENS_GATE, abs=0.01)


def test_a_lon_lat_row_lands_next_to_the_same_address_in_utm():
    lon, lat = DRONNINGENS_GATE_LONLAT
    addresses_import(rows=[row(x=lon, y=lat, srid=ETRS89_GEOGRAPHIC_SRID)])
    stored = Address.objects.get().geom
    assert stored.srid == STORAGE_SRID
    assert (stored.x, stored.y) == pytest.approx(DRONNINGENS_GATE, abs=0.01)


def test_a_point_outside_moss_is_refused_with_its_line_and_a_hint_when_swapped():
    north, east = DRONNINGENS_GATE[1], DRONNINGENS_GATE[0]
    result = addresses_import(rows=[row(), row(line=3, lokal_id="a2", x=north, y=east)])
    assert (result.created, result.refused) == (1, 1)
    [(line, reason)] = result.errors
    assert line == 3
    assert "outside Moss" in reason and "swapped" in reason


def test_metres_in_a_degree_crs_are_refused_before_transforming():
    x, y = DRONNINGENS_GATE
    result = addresses_import(rows=[row(x=x, y=y, srid=ETRS89_GEOGRAPHIC_SRID)])
    assert result.refused == 1
    assert "are not degrees" in result.errors[0][1]


def test_a_second_import_updates_by_lokal_id():
    addresses_import(rows=[row(postnummer="1530")])
    result = addresses_import(rows=[row(postnummer="1531")])
    assert (result.created, result.updated) == (0, 1)
    assert Address.objects.get().postnummer == "1531"


def test_the_last_row_of_a_repeated_lokal_id_wins():
    result = addresses_import(rows=[row(line=2, nummer=1), row(line=3, nummer=3, bokstav="B")])
    assert (result.created, result.duplicates) == (1, 1)
    assert Address.objects.get().adressetekst == "Dronningens gate 3B"


def test_pruning_removes_only_that_municipalitys_missing_addresses():
    addresses_import(rows=[row(lokal_id="moss-1"), row(line=3, lokal_id="moss-2", nummer=2)])
    addresses_import(rows=[row(line=4, lokal_id="vestby-1", kommunenummer="3019")])
    result = addresses_import(rows=[row(lokal_id="moss-1")], prune_kommune="3103")
    assert result.pruned == 1
    assert set(Address.objects.values_list("lokal_id", flat=True)) == {"moss-1", "vestby-1"}


def test_a_dry_run_counts_but_stores_nothing():
    result = addresses_import(rows=[row()], dry_run=True)
    assert result.created == 1
    assert not Address.objects.exists()
