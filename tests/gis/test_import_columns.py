"""GIS files are checked column-wise (inputbank.imports.columns); the report must not notice.

Each test file below mixes good rows with one row of every kind of problem (and of every
warning, and of every cell the column checks leave to the per-row code: spaces to trim, a
lokalId in another form, a long description). The same file is imported with the column
checks and with the per-row checks alone: reports (every message, field and row number, in
order) and stored rows must be the same.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from pathlib import Path

import pyarrow as pa
import pyogrio
import pytest
import shapely
from django.db import transaction

from geo.crs import STORAGE_SRID
from inputbank.imports import ImportOptions, rows, run_import
from inputbank.imports.columns import SPACE
from inputbank.models import Input
from inputbank.redaction import redact
from tests.factories import make_input, make_process

UTC = dt.UTC
WHEN = dt.datetime(2024, 5, 2, 10, 30, tzinfo=UTC)
TORGET = shapely.Point(593_900, 6_589_450)
FAR_AWAY = shapely.Point(300_000, 6_589_450)  # outside Moss
BOW_TIE = shapely.Polygon([(593_900, 6_589_450), (594_000, 6_589_550),
                           (594_000, 6_589_450), (593_900, 6_589_550)])  # fmt: skip
SQUARE = shapely.box(593_900, 6_589_450, 594_000, 6_589_550)
STORED = uuid.UUID("0f6a7a52-3f59-4d3a-9b8e-3f2f4a4b5c6d")
TWICE = uuid.UUID("7d1f0c7e-1b8a-4c1e-8a3e-9e0a1b2c3d4e")


def row(text="Farlig kryss ved torget.", geom=TORGET, **cells):
    base = {"lokalId": str(uuid.uuid4()), "tekst": text, "tema": "transport",
            "kanal": "letter", "spraak": "nb", "mottatt": WHEN, "prosess": None,
            "saksnr": None, "adresse": None, "avsenderkategori": None, "geom": geom}  # fmt: skip
    base.update(cells)
    return base


def mixed_rows() -> list[dict]:
    now = dt.datetime.now(UTC)
    return [
        row(),
        row("  Spaces to trim around me \n", lokalId=str(uuid.uuid4()).upper()),
        row("Ring meg på 912 34 567 om gangfeltet."),
        row("Vi trenger benker.\nHİLSEN Kari Nordmann"),  # Python's re folds İ to i
        row("Brev uten sted.", geom=None, tema=None, kanal="letter"),
        row("Et område.", geom=SQUARE, tema="transport, green-areas", prosess="sentrum"),
        row("Lang adresse.", adresse="Storgata " + "1" * 240, saksnr="2024/1234-5"),
        row("Fra organisasjonen.", avsenderkategori="Statlig", kanal="Letter"),
        row(""),  # empty text
        row("x" * 5001),  # too long
        row("Ukjent tema.", tema="romfart"),
        row("Ukjent kanal.", kanal="brevdue"),
        row("Ingen kanal.", kanal=None),
        row("Fra framtiden.", mottatt=now + dt.timedelta(days=3)),
        row("Fra 1800-tallet.", mottatt=dt.datetime(1899, 12, 31, 23, 0, tzinfo=UTC)),
        row("Rett før 1900.", mottatt=dt.datetime(1900, 1, 1, tzinfo=UTC)),
        row("Ukjent språk.", spraak="klingon!"),
        row("Ukjent prosess.", prosess="finnes-ikke"),
        row("Feil saksnummer.", saksnr="abc"),
        row("Ikke en UUID.", lokalId="nei"),
        row("Først.", lokalId=str(TWICE).upper()),
        row("Andre gang.", lokalId=str(TWICE)),
        row("Allerede lagret.", lokalId=str(STORED)),
        row("Langt unna.", geom=FAR_AWAY),
        row("Sløyfe.", geom=BOW_TIE),
        row("Uten kart.", geom=None, adresse="Storgata 3"),
        row("Ukjent kategori.", avsenderkategori="ukjent"),
        row("To feil.", tema="romfart", mottatt=now + dt.timedelta(days=3)),
        row("Sist, og god."),
    ]


UTC_MS = pa.timestamp("ms", tz="UTC")  # what GDAL gives for a GeoPackage DateTime


def geopackage(tmp_path: Path, rows_: list[dict], when_type=UTC_MS) -> Path:
    path = tmp_path / "arkiv.gpkg"
    columns = {name: [r[name] for r in rows_] for name in rows_[0] if name != "geom"}
    if not pa.types.is_timestamp(when_type) or when_type.tz is None:
        columns["mottatt"] = [
            (w.date() if pa.types.is_date(when_type) else w.replace(tzinfo=None)) if w else None
            for w in columns["mottatt"]
        ]
    table = pa.table(
        {
            **{k: pa.array(v, pa.string()) for k, v in columns.items() if k != "mottatt"},
            "mottatt": pa.array(columns["mottatt"], when_type),
            "geom": pa.array([shapely.to_wkb(r["geom"]) if r["geom"] else None for r in rows_]),
        }
    )
    pyogrio.write_arrow(table, path, driver="GPKG", layer="innspill", geometry_name="geom",
                        geometry_type="Unknown", crs=f"EPSG:{STORAGE_SRID}")  # fmt: skip
    return path


@pytest.fixture
def archive(themes, tmp_path, monkeypatch):
    make_process("sentrum")
    Input.objects.filter(pk=make_input().pk).update(public_id=STORED)
    # Batches of 4 rows: repeats and lokalIds are followed across batches too.
    monkeypatch.setattr("geo.io.reader.BATCH_SIZE", 4)
    return geopackage(tmp_path, mixed_rows())


@pytest.fixture
def row_by_row(monkeypatch):
    """The per-row checks alone (what every file had before the column checks)."""

    @contextlib.contextmanager
    def switch():
        with monkeypatch.context() as patch:
            patch.setattr(rows, "build_columns", lambda b, *args: b.build_rows(*args))
            yield

    return switch


class Rollback(Exception):
    pass


def stored(path: Path) -> tuple[dict, list[tuple]]:
    """Import for real, read back what was stored, and roll it back."""
    taken: tuple[dict, list[tuple]] = ({}, [])
    with contextlib.suppress(Rollback), transaction.atomic():
        report = run_import(path, options=ImportOptions(), commit=True)
        items = Input.objects.exclude(public_id=STORED).order_by("id")
        taken = (
            report.as_dict(),
            [
                (i.text, i.public_text, i.geom.wkt if i.geom else None, i.location_source,
                 i.location_description, i.channel, i.language, i.received_at, i.process_id,
                 i.case_year, i.case_sequence, i.case_document, i.source_group,
                 sorted(t.slug for t in i.themes.all()), i.reference_year, i.reference_number,
                 getattr(i.contributor, "sender_category", None),
                 i.public_id if i.text.startswith(("Farlig", "Sist")) else None)
                for i in items
            ],
        )  # fmt: skip
        raise Rollback
    return taken


def test_the_report_of_a_mixed_file_is_the_same_as_row_by_row(archive, row_by_row, monkeypatch):
    one_by_one = []
    check_row = rows.RowBuilder.check_row

    def spy(self, cols, i, number, *args):
        one_by_one.append(number)
        return check_row(self, cols, i, number, *args)

    with monkeypatch.context() as patch:
        patch.setattr(rows.RowBuilder, "check_row", spy)
        columnar = run_import(archive, options=ImportOptions()).as_dict()
    # The plain good rows were checked column-wise; the rest one by one, to word problems.
    assert {1, 3, 4, 5, 6, 8, 16, 29}.isdisjoint(one_by_one)
    assert {2, 7, 9, 20, 21, 22, 25, 26}.issubset(one_by_one)
    with row_by_row():
        expected = run_import(archive, options=ImportOptions()).as_dict()
    assert columnar == expected
    problems = {(p["row"], p["field"]) for p in columnar["errors"]}
    assert problems == {
        (9, "text"), (10, "text"), (11, "themes"), (12, "channel"), (13, "channel"),
        (14, "received_at"), (15, "received_at"), (17, "language"), (18, "process"),
        (19, "case"), (20, "lokal_id"), (22, "lokal_id"), (23, "lokal_id"), (24, "geometry"),
        (27, "sender_category"), (28, "themes"), (28, "received_at"),
    }  # fmt: skip
    assert {(p["row"], p["field"]) for p in columnar["warnings"]} == {
        (25, "geometry"),
        (26, "location_description"),
    }
    assert columnar["rows_valid"] == 29 - 16


def test_the_stored_rows_of_a_mixed_file_are_the_same_as_row_by_row(archive, row_by_row):
    report, columnar = stored(archive)
    with row_by_row():
        expected_report, expected = stored(archive)
    assert report == expected_report
    assert columnar == expected
    assert report["rows_imported"] == len(columnar) == 13
    texts = [r[0] for r in columnar]
    assert "Spaces to trim around me" in texts
    by_text = {r[0]: r for r in columnar}
    assert by_text["Ring meg på 912 34 567 om gangfeltet."][1] == redact(
        "Ring meg på 912 34 567 om gangfeltet."
    )
    assert "Kari" not in by_text["Vi trenger benker.\nHİLSEN Kari Nordmann"][1]
    assert by_text["Farlig kryss ved torget."][1] == "Farlig kryss ved torget."
    assert len(by_text["Lang adresse."][4]) == 200
    assert by_text["Brev uten sted."][3] == "none"


def test_a_repeated_lokal_id_in_a_later_batch_is_found(themes, tmp_path, monkeypatch, row_by_row):
    monkeypatch.setattr("geo.io.reader.BATCH_SIZE", 2)
    again = str(uuid.uuid4())
    path = geopackage(
        tmp_path, [row(lokalId=again), row(), row(), row(lokalId=again.upper()), row()]
    )
    columnar = run_import(path, options=ImportOptions()).as_dict()
    with row_by_row():
        assert columnar == run_import(path, options=ImportOptions()).as_dict()
    assert [(p["row"], p["message"]) for p in columnar["errors"]] == [
        (4, "the same lokalId appears twice in the file")
    ]


def test_a_nul_character_in_an_arrow_column_is_a_row_error(themes):
    # GDAL ends a text at a NUL, so no GIS file brings one; the column check is there anyway.
    import numpy as np

    from geo.io import RawBatch
    from geo.io.reader import ArrowColumn
    from inputbank.imports import ImportReport, mapping_from_dict
    from inputbank.imports.rows import RowBuilder

    mapping = mapping_from_dict({"defaults": {"channel": "letter"}}).resolved(["tekst"])
    report = ImportReport()
    column = ArrowColumn(pa.array(["Hei\x00du", "Hei du"]))
    batch = RawBatch(numbers=range(2, 4), columns={"tekst": column}, arrow=True)
    staged = RowBuilder(mapping, report).build(batch, np.array([None, None]), {}, set())
    assert staged.table.column("text").to_pylist() == ["Hei du"]
    assert [(e.row, e.field, e.message) for e in report.errors] == [
        (2, "text", "contains a NUL character")
    ]


def test_the_trimmed_characters_are_those_of_str_strip():
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert "".join(c for c in everything if c.isspace()) == SPACE


def test_text_that_is_not_utf8_is_a_row_error_not_a_crash(themes, tmp_path, row_by_row):
    import sqlite3

    path = geopackage(tmp_path, [row("God tekst."), row("Erstattes"), row("Også god.")])
    with contextlib.closing(sqlite3.connect(path)) as db:
        triggers = db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        for (name,) in triggers.fetchall():
            db.execute(f'DROP TRIGGER "{name}"')  # GeoPackage's need SpatiaLite functions
        db.execute("UPDATE innspill SET tekst = CAST(X'44E572' AS TEXT) WHERE fid = 2")
        db.commit()
    columnar = run_import(path, options=ImportOptions()).as_dict()
    with row_by_row():
        assert columnar == run_import(path, options=ImportOptions()).as_dict()
    assert [(p["row"], p["field"]) for p in columnar["errors"]] == [(2, "row")]
    assert "not UTF-8" in columnar["errors"][0]["message"]
    assert run_import(path, options=ImportOptions(), commit=True).rows_imported == 2


@pytest.mark.parametrize("when_type", [pa.date32(), pa.timestamp("ms")])
def test_dates_and_local_times_give_the_same_report_and_rows(
    themes, tmp_path, row_by_row, when_type
):
    now = dt.datetime.now(UTC)
    path = geopackage(
        tmp_path,
        [
            row(),
            row(mottatt=now + dt.timedelta(days=3)),
            row(mottatt=WHEN.replace(year=2001)),
            row(),
        ],
        when_type,
    )
    report, columnar = stored(path)
    with row_by_row():
        assert (report, columnar) == stored(path)
    assert [(p["row"], p["field"]) for p in report["errors"]] == [(2, "received_at")]
    assert report["rows_imported"] == 3
