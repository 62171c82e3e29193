"""import_addresses: Kartverket's "Matrikkelen – Adresse" CSV into the register, offline."""

import io

import pytest
from django.core.management import CommandError, call_command

from inputbank.models import Address
from tests.conftest import ADDRESS_SAMPLE, FIXTURES

pytestmark = pytest.mark.django_db
ADDRESSES = FIXTURES / "addresses"
HEADER = (
    "lokalId;kommunenummer;adressenavn;nummer;bokstav;gardsnummer;bruksnummer;adresseTekst;"
    "EPSG-kode;Nord;Øst;postnummer;poststed"
)


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_addresses", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, *lines, name="adresser.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text("\r\n".join(lines) + "\r\n", encoding=encoding)
    return path


def test_sample_is_imported_with_every_field():
    out, err = run(ADDRESS_SAMPLE)
    assert "720 new" in out and not err
    address = Address.objects.get(adressetekst="Dronningens gate 1")
    assert (address.kommunenummer, address.adressenavn, address.nummer) == (
        "3103",
        "Dronningens gate",
        1,
    )
    assert (address.gardsnummer, address.bruksnummer, address.postnummer) == (1, 101, "1530")
    assert address.label == "Dronningens gate 1, 1530 Moss"
    assert address.geom.x == pytest.approx(593915.60, abs=0.01)
    assert address.geom.y == pytest.approx(6589464.81, abs=0.01)


def test_letters_are_kept_apart_from_the_number():
    run(ADDRESS_SAMPLE)
    address = Address.objects.get(adressetekst="Dronningens gate 3B")
    assert (address.nummer, address.bokstav) == (3, "B")


def test_running_it_again_updates_instead_of_duplicating():
    run(ADDRESS_SAMPLE)
    out, _ = run(ADDRESS_SAMPLE)
    assert "0 new, 720 updated" in out
    assert Address.objects.count() == 720


def test_the_4258_variant_with_other_column_order_lands_on_the_same_points():
    run(ADDRESS_SAMPLE)
    before = {a.lokal_id: (a.geom.x, a.geom.y) for a in Address.objects.all()}
    out, _ = run(ADDRESSES / "moss-adresser-4258-sentrum.csv")
    assert "0 new, 30 updated" in out
    for address in Address.objects.filter(lokal_id__in=list(before))[:30]:
        x, y = before[address.lokal_id]
        # Degrees written with 8 decimals are ~1 mm; transformed back in PostGIS.
        assert address.geom.x == pytest.approx(x, abs=0.01)
        assert address.geom.y == pytest.approx(y, abs=0.01)


def test_a_comma_separated_file_is_refused_with_the_reason():
    with pytest.raises(CommandError, match="separated by semicolons"):
        run(ADDRESSES / "broken" / "comma-separated.csv")
    assert not Address.objects.exists()


def test_missing_columns_are_named():
    with pytest.raises(CommandError, match="missing columns: EPSG-kode, Nord, Øst"):
        run(ADDRESSES / "broken" / "missing-coordinates.csv")


def test_bad_rows_are_skipped_with_line_and_reason_and_good_rows_kept():
    out, err = run(ADDRESSES / "broken" / "bad-rows.csv")
    assert set(Address.objects.values_list("lokal_id", flat=True)) == {"bad-01", "bad-10"}
    assert "line 3: Nord is not a number" in err
    assert "line 4: EPSG-kode '3857' is not one of" in err
    assert "line 5:" in err and "Nord and Øst look swapped" in err
    assert "line 6:" in err and "outside Moss" in err
    assert "line 7: lokalId is empty" in err
    assert "line 8: bruksnummer must be a whole number" in err
    assert "1 duplicate lokalId rows (the last one wins)" in out


def test_the_last_row_of_a_duplicated_lokal_id_wins():
    run(ADDRESSES / "broken" / "bad-rows.csv")
    assert Address.objects.get(lokal_id="bad-01").geom.x == pytest.approx(594005.0)


def test_utm33_rows_are_transformed_to_the_storage_crs(tmp_path):
    # Dronningens gate 1 in EPSG:25833 (ETRS89 / UTM 33N), as some national extracts come.
    path = write(
        tmp_path,
        HEADER,
        "u33;3103;Dronningens gate;1;;1;101;Dronningens gate 1;25833;6596343.52;253662.45;"
        "1530;MOSS",
    )
    run(path)
    address = Address.objects.get(lokal_id="u33")
    assert address.geom.x == pytest.approx(593915.6, abs=0.05)
    assert address.geom.y == pytest.approx(6589464.81, abs=0.05)


def test_dry_run_stores_nothing_but_counts():
    out, _ = run(ADDRESS_SAMPLE, "--dry-run")
    assert out.startswith("Would import 720 addresses")
    assert not Address.objects.exists()


def test_kommunenummer_keeps_only_that_municipality(tmp_path):
    path = write(
        tmp_path,
        HEADER,
        "m1;3103;Kongens gate;1;;1;50;Kongens gate 1;25832;6589400;594000;1530;MOSS",
        "r1;3107;Storgata;1;;1;50;Storgata 1;25832;6589500;594100;1600;FREDRIKSTAD",
    )
    run(path, "--kommunenummer", "3103")
    assert list(Address.objects.values_list("lokal_id", flat=True)) == ["m1"]


def test_prune_removes_addresses_the_register_no_longer_has(tmp_path):
    run(ADDRESS_SAMPLE)
    path = write(
        tmp_path,
        HEADER,
        "keep;3103;Kongens gate;1;;1;50;Kongens gate 1;25832;6589400;594000;1530;MOSS",
    )
    out, _ = run(path, "--kommunenummer", "3103", "--prune")
    assert "720 removed" in out
    assert list(Address.objects.values_list("lokal_id", flat=True)) == ["keep"]


def test_prune_without_kommunenummer_is_refused():
    with pytest.raises(CommandError, match="--prune needs --kommunenummer"):
        run(ADDRESS_SAMPLE, "--prune")


def test_a_latin1_file_read_as_utf8_says_which_encoding_to_try(tmp_path):
    path = write(
        tmp_path,
        HEADER,
        "l1;3103;Jeløgata;1;;2;50;Jeløgata 1;25832;6589400;594000;1530;MOSS",
        encoding="latin-1",
    )
    with pytest.raises(CommandError, match="--encoding latin-1"):
        run(path)
    run(path, "--encoding", "latin-1")
    assert Address.objects.get(lokal_id="l1").adressenavn == "Jeløgata"


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "nope.csv")
