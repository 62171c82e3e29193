"""The import pipeline and bulk service: same rules as registering one input, one transaction."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pyarrow as pa
import pyogrio
import pytest
import shapely
from django.core.management import CommandError, call_command
from django.utils import translation

from geo.crs import ETRS89_GEOGRAPHIC_SRID, STORAGE_SRID
from inputbank import cache
from inputbank.imports import ImportOptions, mapping_from_dict, parse_mapping, run_import
from inputbank.models import Input, ModerationStatus
from inputbank.redaction import redact
from tests.gis.conftest import PUBLISHED
from tests.gis.helpers import INPUT_LAYERS, read, save

CSV_HEADER = "tekst;tema;kanal;dato;lon;lat\n"


def csv_file(tmp_path: Path, body: str, header: str = CSV_HEADER, name="in.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def test_bulk_rows_are_stored_like_registered_input(themes, case_officer, tmp_path):
    text = "Ring meg på 912 34 567 om gangfeltet"
    path = csv_file(tmp_path, f"{text};transport;letter;2024-05-02;10.66;59.43\n")
    report = run_import(path, options=ImportOptions(), user=case_officer, commit=True)
    assert report.rows_imported == 1
    item = Input.objects.get()
    assert item.text == text
    assert item.public_text == redact(text) != text
    assert item.status == ModerationStatus.PENDING
    assert item.registered_by == case_officer
    assert [t.slug for t in item.themes.all()] == ["transport"]
    assert item.location_source == "digitised"
    assert item.history.count() == 1
    assert item.history.get().history_user == case_officer


def test_rows_without_location_are_stored_as_no_location(themes, case_officer, tmp_path):
    path = csv_file(tmp_path, "Generelt innspill;transport;letter;2024-05-02;;\n")
    run_import(path, options=ImportOptions(), user=case_officer, commit=True)
    item = Input.objects.get()
    assert item.geom is None and item.location_source == "none"


def test_publish_option_publishes_at_once(themes, case_officer, tmp_path):
    path = csv_file(tmp_path, "Fortau;transport;letter;2024-05-02;10.66;59.43\n")
    run_import(path, options=ImportOptions(publish=True), user=case_officer, commit=True)
    item = Input.objects.get()
    assert item.status == ModerationStatus.PUBLISHED
    assert item.published_at is not None and item.moderated_by == case_officer


def test_mapping_names_columns_translates_values_and_sets_defaults(themes, tmp_path):
    path = csv_file(tmp_path, "Mer lys;Trafikk;Verksted;01.06.2024;Storgata 1\n",
                    header="Innspill;Kategori;Hvor;Når;Adresse\n")  # fmt: skip
    mapping = parse_mapping(
        """
        [columns]
        text = "Innspill"
        themes = "Kategori"
        channel = "Hvor"
        received_at = "Når"
        location_description = "Adresse"
        [defaults]
        themes = ["green-areas"]
        source_group = "Ungdomsrådet"
        [values.themes]
        "Trafikk" = "transport"
        [values.channel]
        "Verksted" = "workshop"
        """
    )
    report = run_import(path, options=ImportOptions(mapping=mapping), commit=True)
    assert report.error_count == 0, report.as_text()
    item = Input.objects.get()
    assert {t.slug for t in item.themes.all()} == {"transport", "green-areas"}
    assert item.channel == "workshop"
    assert item.source_group == "Ungdomsrådet"
    assert item.location_description == "Storgata 1"
    assert item.received_at.date().isoformat() == "2024-06-01"


@pytest.mark.parametrize(
    ("mapping", "needle"),
    [
        ({"columns": {"tekst": "A"}}, "unknown field"),
        ({"columns": {"x": "A"}}, "both x and y"),
        ({"defaults": {"text": "A"}}, "no default"),
        ({"location": {"srid": "abc"}}, "EPSG"),
        ({"defaults": {"channel": "brevdue"}}, "unknown channel"),
        ({"columns": {"text": "Finnes ikke"}}, "no column"),
    ],
)
def test_wrong_mappings_refuse_the_file_with_a_reason(themes, tmp_path, mapping, needle):
    path = csv_file(tmp_path, "Hei;transport;letter;2024-05-02;10.66;59.43\n")
    try:
        options = ImportOptions(mapping=mapping_from_dict(mapping))
    except ValueError as exc:
        assert needle in str(exc)
        return
    report = run_import(path, options=options)
    assert needle in report.refused


def test_east_north_columns_need_a_crs(themes, tmp_path):
    path = csv_file(tmp_path, "Hei;transport;letter;2024-05-02;595000;6590000\n",
                    header="tekst;tema;kanal;dato;øst;nord\n")  # fmt: skip
    assert "coordinate reference system" in run_import(path, options=ImportOptions()).refused
    report = run_import(path, options=ImportOptions(srid=STORAGE_SRID), commit=True)
    assert report.rows_imported == 1
    geom = Input.objects.get().geom
    assert (geom.x, geom.y) == (pytest.approx(595000), pytest.approx(6590000))


def shapefile_zip(tmp_path: Path, with_prj: bool) -> Path:
    folder = tmp_path / "shp"
    folder.mkdir()
    pyogrio.write_arrow(
        pa.table(
            {"tekst": ["Hei"], "kanal": ["letter"],
             "geom": pa.array([shapely.to_wkb(shapely.Point(595000, 6590000))])}
        ),
        folder / "innspill.shp", driver="ESRI Shapefile", geometry_name="geom",
        geometry_type="Point", crs=f"EPSG:{STORAGE_SRID}" if with_prj else None,
    )  # fmt: skip
    path = tmp_path / "innspill.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, arcname=f"mappe/{part.name}")
    return path


def test_shapefile_without_prj_needs_a_crs(themes, tmp_path):
    path = shapefile_zip(tmp_path, with_prj=False)
    assert "no coordinate reference system" in run_import(path, options=ImportOptions()).refused
    report = run_import(path, options=ImportOptions(srid=STORAGE_SRID), commit=True)
    assert report.rows_imported == 1


def test_a_given_crs_must_not_contradict_the_file(themes, tmp_path):
    path = shapefile_zip(tmp_path, with_prj=True)
    report = run_import(path, options=ImportOptions(srid=ETRS89_GEOGRAPHIC_SRID))
    assert "the file says EPSG:25832" in report.refused


def test_export_then_import_restores_the_same_objects(client, sample, tmp_path):
    path = save(client.get("/api/v1/exports/inputs.gpkg"), tmp_path, "innspill.gpkg")
    # One layer per geometry kind, each imported on its own. (The table of input without a
    # place, innspill_uten_sted, is not read back by the importer yet.)
    located = [layer for layer in INPUT_LAYERS if layer != "innspill_uten_sted"]
    for layer in located:
        with translation.override("en"):  # the export request above activated its own language
            again = run_import(path, options=ImportOptions(layer=layer))
        assert {e.message for e in again.errors} == {"already in the input bank"}, layer
    published = Input.objects.published()
    before = {str(key): geom for key, geom in published.values_list("public_id", "geom")}
    Input.objects.all().delete()
    imported = 0
    for layer in located:
        report = run_import(path, options=ImportOptions(layer=layer), commit=True)
        imported += report.rows_imported
    assert imported == len(PUBLISHED) - 1  # all but "nowhere"
    for item in Input.objects.all():
        old = before[str(item.public_id)]
        assert (item.geom is None) == (old is None)
        if old is not None:  # the export writes Multi*: the same place, one part
            assert old.buffer(0.01).contains(item.geom) and item.geom.buffer(0.01).contains(old)


def test_the_same_lokal_id_twice_in_one_file_is_an_error(themes, tmp_path):
    row = "Hei;transport;letter;2024-05-02;10.66;59.43;1b4e28ba-2fa1-11d2-883f-0016d3cca427\n"
    path = csv_file(tmp_path, row + row, header=CSV_HEADER.strip() + ";lokalId\n")
    report = run_import(path, options=ImportOptions())
    assert [(e.row, e.message) for e in report.errors] == [
        (3, "the same lokalId appears twice in the file")
    ]


def test_too_many_rows_refuse_the_whole_file_and_store_nothing(themes, tmp_path, settings):
    settings.IMPORTS = {**settings.IMPORTS, "MAX_ROWS": 2}
    body = "".join(f"Hei {i};transport;letter;2024-05-02;10.66;59.43\n" for i in range(4))
    report = run_import(csv_file(tmp_path, body), options=ImportOptions(), commit=True)
    assert "more than 2 rows" in report.refused
    assert not Input.objects.exists()


# Real commits: the themes' own saves already asked for a refresh, and in a test transaction
# that request would still be pending (one refresh per transaction), hiding the import's.
@pytest.mark.django_db(transaction=True)
def test_a_committed_import_refreshes_the_tile_cache(themes, tmp_path):
    store = cache.store()
    before = store.generation()
    path = csv_file(tmp_path, "Hei;transport;letter;2024-05-02;10.66;59.43\n")
    run_import(path, options=ImportOptions(), commit=True)
    assert store.generation() == before + 1


# --- management commands ---------------------------------------------------------------------


def test_import_command_dry_run_prints_the_report(themes, tmp_path):
    out = io.StringIO()
    path = csv_file(tmp_path, ";transport;letter;2024-05-02;10.66;59.43\n")
    call_command("import_inputs", str(path), stdout=out)
    assert "error: line 2: text: the text is empty" in out.getvalue()
    assert "dry run" in out.getvalue()
    assert not Input.objects.exists()


def test_import_command_commit_stores(themes, tmp_path, case_officer):
    path = csv_file(tmp_path, "Hei;transport;letter;2024-05-02;10.66;59.43\n")
    call_command("import_inputs", str(path), "--commit", "--user", "officer",
                 stdout=io.StringIO())  # fmt: skip
    assert Input.objects.get().registered_by == case_officer


def test_import_command_fails_loudly_on_refused_files(db, tmp_path):
    path = tmp_path / "x.vrt"
    path.write_bytes(b"<OGRVRTDataSource/>")
    with pytest.raises(CommandError):
        call_command("import_inputs", str(path), stdout=io.StringIO())


def test_export_command_writes_files_for_scheduled_jobs(sample, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    call_command("export_layers", "--format", "gpkg", "--output-dir", str(out_dir),
                 stdout=io.StringIO())  # fmt: skip
    assert sorted(p.name for p in out_dir.iterdir()) == ["innspill.gpkg", "prosesser.gpkg"]
    assert len(read(out_dir / "innspill.gpkg")) == 4


def test_export_command_can_include_unpublished(sample, tmp_path):
    call_command("export_layers", "--format", "geojson", "--output-dir", str(tmp_path),
                 "--layers", "inputs", "--include-unpublished", stdout=io.StringIO())  # fmt: skip
    frame = pyogrio.read_dataframe(tmp_path / "innspill.geojson")
    assert len(frame) == 6 and "status" in frame.columns


def test_export_command_refuses_bad_filters(db, tmp_path):
    with pytest.raises(CommandError, match="theme"):
        call_command("export_layers", "--output-dir", str(tmp_path), "--theme", "romfart")


def test_nul_characters_are_a_row_error(themes):
    import numpy as np

    from geo.io import RawBatch
    from inputbank.imports import ImportReport
    from inputbank.imports.rows import RowBuilder

    mapping = mapping_from_dict({"defaults": {"channel": "letter"}}).resolved(["tekst"])
    report = ImportReport()
    batch = RawBatch(numbers=[2, 3], columns={"tekst": ["Hei\x00du", "Hei du"]})
    rows = RowBuilder(mapping, report).build(batch, np.array([None, None]), {}, set())
    assert [r.text for r in rows] == ["Hei du"]
    assert [(e.row, e.field, e.message) for e in report.errors] == [
        (2, "text", "contains a NUL character")
    ]


def test_a_sender_category_column_gives_the_group_a_contributor_record(
    themes, case_officer, tmp_path
):
    header = "tekst;tema;kanal;dato;lon;lat;organisasjon;avsenderkategori\n"
    body = (
        "Støy;transport;hearing;2024-05-02;10.66;59.43;Statens vegvesen;Statlig\n"
        "Lekeplass;transport;hearing;2024-05-03;10.66;59.43;Jeløy Vel;\n"
        "Feil;transport;hearing;2024-05-03;10.66;59.43;X;ukjent\n"
    )
    report = run_import(
        csv_file(tmp_path, body, header=header), options=ImportOptions(), user=case_officer,
        commit=True,
    )  # fmt: skip
    assert report.rows_imported == 2
    assert "unknown sender category 'ukjent'" in str(report.as_dict())
    road = Input.objects.get(source_group="Statens vegvesen")
    assert (road.contributor.organisation, road.contributor.sender_category) == (
        "Statens vegvesen",
        "state_regional",
    )
    assert road.contributor.name == ""
    # No category given: no record; the merknadsbehandling guesses from the group's name.
    assert Input.objects.get(source_group="Jeløy Vel").contributor is None


def test_geometry_errors_in_the_report_speak_the_staff_language(themes, tmp_path):
    """A row outside Moss (lat/lon swapped) is reported in bokmål and nynorsk, English in str()."""
    path = csv_file(tmp_path, "Hei;transport;letter;2024-05-02;59.43;10.66\n")
    with translation.override("nb"):
        nb = run_import(path, options=ImportOptions())
    with translation.override("nn"):
        nn = run_import(path, options=ImportOptions())
    with translation.override("en"):
        en = run_import(path, options=ImportOptions())
    assert [(e.row, e.field) for e in nb.errors] == [(2, "geometry")]
    assert nb.errors[0].message.startswith("koordinatene ligger utenfor Moss, men ville passet")
    assert nn.errors[0].message.startswith("koordinatane ligg utanfor Moss, men ville passa")
    assert en.errors[0].message.startswith("the coordinates are outside Moss, but would fit")
