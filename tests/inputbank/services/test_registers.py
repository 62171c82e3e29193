"""The frame both register imports share (``inputbank.services.registers``), called directly:
``run_in_one_transaction`` keeps every step or none, undoes a dry run, drops the stage table
also inside a caller's transaction and lets a failure through; ``stage_points`` puts each
staged row at its point in EPSG:25832 from the CRS the row names; ``prune_missing`` deletes
only the named municipality's rows whose key the file no longer has (the sample registers
under fixtures/addresses and fixtures/placenames)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from geo.crs import ETRS89_GEOGRAPHIC_SRID, STORAGE_SRID, UTM33_SRID
from inputbank.imports.addresses import ReadReport, read_addresses
from inputbank.models import Address, PlaceName
from inputbank.services import addresses_import
from inputbank.services.addresses import AddressRow
from inputbank.services.registers import prune_missing, run_in_one_transaction, stage_points
from tests.conftest import ADDRESS_SAMPLE, FIXTURES

pytestmark = pytest.mark.django_db

STAGE = "register_frame_stage"
ADDRESS_SAMPLE_4258 = FIXTURES / "addresses" / "moss-adresser-4258-sentrum.csv"
# The town of Moss in the place-name sample (EPSG:25833), and the same point in EPSG:25832
# (pyproj).
MOSS_25833 = (253972.30, 6596406.95)
MOSS_25832 = (594218.29, 6589555.83)


def read(path) -> list[AddressRow]:
    report = ReadReport()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(read_addresses(stream, report))
    assert not report.errors
    return rows


def stage_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [STAGE])
        return cursor.fetchone()[0] is not None


def create_stage(columns: str = "key text") -> None:
    """As the imports do: a temporary table that is not there yet (no IF NOT EXISTS)."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE {STAGE} ({columns}) ON COMMIT DROP")


def fill_stage(columns: str, rows: list[tuple]) -> None:
    create_stage(columns)
    names = ", ".join(part.split()[0] for part in columns.split(","))
    with connection.cursor() as cursor, cursor.copy(f"COPY {STAGE} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def a_place(stedsnummer: int, name: str) -> PlaceName:
    return PlaceName.objects.create(
        stedsnummer=stedsnummer, name=name, kommunenummer="3103", search_text=name.lower(),
        geom=f"SRID={STORAGE_SRID};POINT({MOSS_25832[0]} {MOSS_25832[1]})",
    )  # fmt: skip


def names() -> set[str]:
    return set(PlaceName.objects.values_list("name", flat=True))


# --- run_in_one_transaction ---------------------------------------------------------------------


def test_the_steps_are_kept_and_the_stage_table_is_dropped():
    def steps():
        create_stage()
        a_place(101, "Moss")
        a_place(102, "Jeløy")

    run_in_one_transaction(STAGE, steps, dry_run=False)
    assert names() == {"Moss", "Jeløy"}
    assert not stage_exists()


def test_a_dry_run_runs_every_step_then_undoes_all_of_them():
    a_place(103, "Larkollen")
    seen = []

    def steps():
        create_stage()
        a_place(101, "Moss")
        PlaceName.objects.filter(name="Larkollen").delete()
        seen.append(names())

    run_in_one_transaction(STAGE, steps, dry_run=True)  # no exception: the rollback is its own
    assert seen == [{"Moss"}]
    assert names() == {"Larkollen"}
    assert not stage_exists()


def test_a_failing_step_undoes_the_earlier_ones_and_is_raised():
    a_place(103, "Larkollen")

    def steps():
        create_stage()
        a_place(101, "Moss")
        PlaceName.objects.filter(name="Larkollen").delete()
        raise ValueError("place 7 cannot be read")

    with pytest.raises(ValueError, match="place 7 cannot be read"):
        run_in_one_transaction(STAGE, steps, dry_run=False)
    assert names() == {"Larkollen"}
    assert not stage_exists()

    # The next import is not in the way of anything the failed one left.
    run_in_one_transaction(STAGE, lambda: (create_stage(), a_place(101, "Moss")), dry_run=False)
    assert names() == {"Larkollen", "Moss"}


def test_inside_a_callers_transaction_the_stage_goes_and_a_dry_run_undoes_only_its_own():
    with transaction.atomic():
        a_place(103, "Larkollen")  # the caller's own write, before the import
        run_in_one_transaction(STAGE, lambda: (create_stage(), a_place(101, "Moss")), dry_run=False)
        # ON COMMIT DROP would keep it until the caller commits: a second import would fail.
        assert not stage_exists()
        run_in_one_transaction(STAGE, lambda: (create_stage(), a_place(102, "Jeløy")), dry_run=True)
        assert not stage_exists()
        assert names() == {"Larkollen", "Moss"}
    assert names() == {"Larkollen", "Moss"}


# --- stage_points -------------------------------------------------------------------------------


def staged_points() -> dict[tuple[str, int], tuple[float, float, int]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, srid, ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM {STAGE}")
        return {(key, srid): (x, y, got) for key, srid, x, y, got in cursor.fetchall()}


def test_every_staged_row_gets_its_point_in_utm32_from_the_crs_it_names():
    utm32 = read(ADDRESS_SAMPLE)[:30]
    lonlat = read(ADDRESS_SAMPLE_4258)  # the same 30 addresses, ETRS89 lon/lat
    assert {row.srid for row in lonlat} == {ETRS89_GEOGRAPHIC_SRID}
    assert [row.lokal_id for row in lonlat] == [row.lokal_id for row in utm32]
    rows = [(r.lokal_id, r.x, r.y, r.srid) for r in (*utm32, *lonlat)]
    rows.append(("moss-by", *MOSS_25833, UTM33_SRID))
    fill_stage("key text, x float8, y float8, srid int", rows)

    stage_points(STAGE)

    points = staged_points()
    assert {srid for _x, _y, srid in points.values()} == {STORAGE_SRID}
    for address in utm32:
        x, y, _ = points[(address.lokal_id, STORAGE_SRID)]
        assert (x, y) == (address.x, address.y)  # already in storage: not moved
        from_lonlat = points[(address.lokal_id, ETRS89_GEOGRAPHIC_SRID)]
        assert from_lonlat[:2] == pytest.approx((address.x, address.y), abs=0.01)
    assert points[("moss-by", UTM33_SRID)][:2] == pytest.approx(MOSS_25832, abs=0.05)


# --- prune_missing ------------------------------------------------------------------------------


@pytest.fixture
def vestby_address(moss_addresses):
    """The Moss sample register and one address of the neighbour Vestby (3019)."""
    addresses_import(
        rows=[
            AddressRow(
                line=2, lokal_id="vestby-son-1", kommunenummer="3019", adressenavn="Storgata",
                nummer=1, bokstav="", gardsnummer=1, bruksnummer=1, festenummer=None,
                adressetekst="Storgata 1", postnummer="1555", poststed="SON",
                x=595421.14, y=6599412.16, srid=STORAGE_SRID,
            )
        ]
    )  # fmt: skip


def test_pruning_deletes_the_municipalitys_addresses_the_file_no_longer_has(vestby_address):
    kept = [row.lokal_id for row in read(ADDRESS_SAMPLE_4258)]
    fill_stage("lokal_id text", [(key,) for key in kept])
    assert Address.objects.filter(kommunenummer="3103").count() == 720

    pruned = prune_missing(Address._meta.db_table, STAGE, "lokal_id", "3103")

    assert pruned == 690
    assert set(Address.objects.values_list("lokal_id", flat=True)) == {*kept, "vestby-son-1"}


def test_pruning_another_municipality_leaves_moss_alone(vestby_address):
    fill_stage("lokal_id text", [(row.lokal_id,) for row in read(ADDRESS_SAMPLE_4258)])
    assert prune_missing(Address._meta.db_table, STAGE, "lokal_id", "3019") == 1
    assert not Address.objects.filter(kommunenummer="3019").exists()
    assert Address.objects.filter(kommunenummer="3103").count() == 720


def test_place_names_are_pruned_by_stedsnummer(moss_placenames):
    fill_stage("stedsnummer bigint", [(n,) for n in range(101, 111)])
    pruned = prune_missing(PlaceName._meta.db_table, STAGE, "stedsnummer", "3103")
    assert pruned == 23
    assert sorted(PlaceName.objects.values_list("stedsnummer", flat=True)) == list(range(101, 111))
