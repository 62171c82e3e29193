"""The broken samples in fixtures/broken/ give exactly the expected row-level report."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from geo.crs import STORAGE_SRID, WEB_SRID
from inputbank.imports import ImportOptions, mapping_from_dict, run_import
from inputbank.models import Input

BROKEN = Path(settings.BASE_DIR) / "fixtures" / "broken"


def problems(report) -> list[tuple[int, str]]:
    return [(p.row, p.field) for p in report.errors]


def test_geojson_sample_reports_each_broken_feature(themes):
    report = run_import(BROKEN / "inputs-broken.geojson", options=ImportOptions())
    assert report.refused is None
    assert report.row_label == "feature"
    assert (report.rows_read, report.rows_valid) == (12, 4)
    assert problems(report) == [
        (2, "text"),
        (3, "themes"),
        (4, "received_at"),
        (5, "geometry"),
        (7, "geometry"),
        (8, "geometry"),
        (11, "channel"),
        (12, "received_at"),
    ]
    messages = {p.row: p.message for p in report.errors}
    assert "romfart" in messages[3]
    assert "swapped" in messages[5]
    assert "GeometryCollection" in messages[7]
    assert "outside Moss" in messages[8]
    assert "future" in messages[12]
    assert [(w.row, w.field) for w in report.warnings] == [(6, "geometry")]


def test_csv_sample_reports_by_line_number(themes):
    report = run_import(BROKEN / "inputs-broken.csv", options=ImportOptions())
    assert report.row_label == "line"
    assert (report.rows_read, report.rows_valid) == (9, 3)
    # The quoted text on lines 7-8 spans two lines, so later rows keep their real line numbers.
    assert problems(report) == [
        (3, "geometry"),
        (4, "geometry"),
        (5, "text"),
        (6, "channel"),
        (9, "received_at"),
        (10, "row"),
    ]


def test_csv_decimal_commas_and_multiline_cells_are_read(themes):
    run_import(BROKEN / "inputs-broken.csv", options=ImportOptions(), commit=True)
    texts = set(Input.objects.values_list("text", flat=True))
    assert texts == {"Benker ved stranda", "To linjer\ni samme celle", "Desimalkomma"}
    stored = Input.objects.get(text="Desimalkomma").geom.transform(WEB_SRID, clone=True)
    assert (stored.x, stored.y) == (pytest.approx(10.66), pytest.approx(59.43))


def test_gpkg_sample_refuses_oversized_curved_and_outside_geometry(themes):
    report = run_import(BROKEN / "inputs-broken.gpkg", options=ImportOptions())
    assert report.source_srid == STORAGE_SRID
    assert problems(report) == [(2, "geometry"), (3, "geometry"), (4, "geometry"), (5, "text")]
    assert "too many vertices" in report.errors[0].message
    assert "curved" in report.errors[1].message


def test_xlsx_workshop_notes_without_location(themes):
    mapping = mapping_from_dict({"defaults": {"channel": "workshop"}})
    report = run_import(BROKEN / "inputs-broken.xlsx", options=ImportOptions(mapping=mapping))
    assert report.row_label == "row"
    assert problems(report) == [(3, "text"), (4, "themes")]
    assert [(w.row, w.field) for w in report.warnings] == [(2, "location_description")]


def test_dry_run_stores_nothing(themes):
    report = run_import(BROKEN / "inputs-broken.geojson", options=ImportOptions())
    assert report.dry_run and report.rows_imported == 0
    assert not Input.objects.exists()


def test_commit_stores_the_valid_rows_only(themes):
    report = run_import(BROKEN / "inputs-broken.geojson", options=ImportOptions(), commit=True)
    assert report.rows_imported == 4
    assert Input.objects.count() == 4


def test_all_or_nothing_stores_nothing_when_a_row_is_wrong(themes):
    options = ImportOptions(all_or_nothing=True)
    report = run_import(BROKEN / "inputs-broken.geojson", options=options, commit=True)
    assert report.rows_imported == 0
    assert report.error_count == 8
    assert not Input.objects.exists()
