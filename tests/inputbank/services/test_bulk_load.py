"""Large imports (archives): indexes rebuilt after the load, references numbered in one statement.

The threshold is lowered so a few hundred rows take the large-load path; every test that says
"both paths" runs once through the ordinary path and once through the large one and expects
the same stored rows, references, history, themes, search and tile counts.
"""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from django.contrib.gis.geos import Point
from django.db import IntegrityError, connection
from django.utils import timezone

from geo.crs import STORAGE_SRID
from inputbank import services
from inputbank.models import Channel, Input, LocationSource, ModerationStatus
from inputbank.publishing import tiles
from inputbank.services import NewInput, bulk_load, inputs_bulk_register
from tests.factories import make_theme, make_user

pytestmark = pytest.mark.django_db

ROWS = 300
TABLE = Input._meta.db_table


@pytest.fixture(params=["ordinary", "large"])
def path(request, settings, monkeypatch):
    """Which way the import loads; records whether the large path set the indexes aside."""
    threshold = 100 if request.param == "large" else 10**9
    settings.IMPORTS = {**settings.IMPORTS, "LARGE_LOAD_ROWS": threshold}
    taken: list[bool] = []
    real = bulk_load.set_aside

    def spy(*args, **kwargs):
        done = real(*args, **kwargs)
        taken.append(done is not None)
        return done

    monkeypatch.setattr(bulk_load, "set_aside", spy)
    return request.param, taken


def when(year: int, i: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, 3, 1, 12, 0)) + dt.timedelta(minutes=i)


def rows(n: int = ROWS, *, theme_ids: tuple[int, ...] = ()) -> list[NewInput]:
    """Alternating letters (no place) and pins, in two years of receipt; every 10th a phone."""
    out = []
    for i in range(n):
        text = f"Innspill {i}: sykkelveiene ved torget må bli tryggere."
        if i % 10 == 0:
            text += " Ring meg på 912 34 567."
        place = {}
        if i % 2:
            x, y = 593_000.0 + 70 * (i % 20), 6_589_000.0 + 70 * (i // 20)
            place = {"geom_wkb": bytes(Point(x, y, srid=STORAGE_SRID).wkb)}
        out.append(
            NewInput(
                text=text,
                channel=Channel.LETTER if not i % 2 else Channel.WEB_MAP,
                received_at=when(2019 if i < n // 2 else 2020, i),
                location_source=LocationSource.DRAWN,
                theme_ids=theme_ids,
                **place,
            )
        )
    return out


def index_definitions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s)",
            [[TABLE, Input.history.model._meta.db_table]],
        )
        return {row[0] for row in cursor.fetchall()}


def test_both_paths_store_every_row_redacted_with_its_place(path):
    kind, taken = path
    assert inputs_bulk_register(batches=[rows()[:120], rows()[120:]], registered_by=None) == ROWS
    assert taken == ([True] if kind == "large" else [])
    assert Input.objects.count() == ROWS
    unplaced = Input.objects.filter(geom__isnull=True, location_source=LocationSource.NONE)
    assert unplaced.count() == ROWS // 2
    assert not Input.objects.filter(public_text__contains="912 34 567").exists()
    assert Input.objects.filter(text__contains="912 34 567").count() == 30


def test_both_paths_number_references_per_year_in_file_order(path):
    inputs_bulk_register(batches=[rows()], registered_by=None)
    stored = list(Input.objects.order_by("id").values_list("reference_year", "reference_number"))
    half = ROWS // 2
    assert stored == [(2019, n) for n in range(1, half + 1)] + [
        (2020, n) for n in range(1, half + 1)
    ]


def register(received_at: dt.datetime) -> Input:
    return services.input_register(
        text="Brev om torget.",
        geom=None,
        themes=[],
        channel=Channel.LETTER,
        registered_by=None,
        received_at=received_at,
    )


def test_both_paths_continue_the_numbers_already_given(path):
    earlier = register(when(2019, 0))
    assert (earlier.reference_year, earlier.reference_number) == (2019, 1)
    inputs_bulk_register(batches=[rows()], registered_by=None)
    numbers = Input.objects.filter(reference_year=2019).values_list("reference_number", flat=True)
    assert sorted(numbers) == list(range(1, ROWS // 2 + 2))
    # The trigger numbers the next registered letter after the imported ones.
    assert register(when(2020, 0)).reference_number == ROWS // 2 + 1


def test_both_paths_write_history_themes_search_and_tile_counts(path):
    officer = make_user("arkivar")
    theme = make_theme("trafikk")
    inputs_bulk_register(batches=[rows(theme_ids=(theme.pk,))], registered_by=officer, publish=True)
    history = Input.history.all()
    assert history.count() == ROWS
    assert {(h.history_type, h.history_user_id) for h in history} == {("+", officer.pk)}
    assert set(history.values_list("reference_number", flat=True)) == set(range(1, ROWS // 2 + 1))
    assert Input.objects.filter(themes=theme).count() == ROWS
    published = Input.objects.published()
    assert published.search("sykkelvei").count() == ROWS
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT sum(n) FROM {tiles.GRID_TABLE}")
        assert cursor.fetchone()[0] == ROWS // 2
    assert published.filter(status=ModerationStatus.PUBLISHED).count() == ROWS


def test_the_large_path_leaves_the_indexes_as_they_were(path):
    before = index_definitions()
    inputs_bulk_register(batches=[rows()], registered_by=None)
    assert index_definitions() == before


def test_one_bad_row_stores_none_and_restores_everything(path):
    before = index_definitions()
    bad = NewInput(
        text="Sak uten sekvens", channel=Channel.LETTER, received_at=when(2019, 0), case_year=2019
    )
    with pytest.raises(IntegrityError):
        inputs_bulk_register(batches=[rows(), [bad]], registered_by=None)
    assert not Input.objects.exists()
    assert index_definitions() == before


def test_a_bank_larger_than_the_load_keeps_its_indexes_live(settings, monkeypatch):
    settings.IMPORTS = {**settings.IMPORTS, "LARGE_LOAD_ROWS": 2}
    inputs_bulk_register(batches=[rows(10)], registered_by=None)
    called = []
    monkeypatch.setattr(bulk_load, "set_aside", lambda *a, **k: called.append(1))
    inputs_bulk_register(batches=[rows(4)], registered_by=None)
    assert called == []
    assert Input.objects.count() == 14


@pytest.mark.django_db(transaction=True)
def test_a_busy_table_is_loaded_the_ordinary_way(settings, monkeypatch):
    """A reader holding the table: the import does not wait for it, nor queue others behind it."""
    settings.IMPORTS = {**settings.IMPORTS, "LARGE_LOAD_ROWS": 100}
    monkeypatch.setattr(bulk_load, "LOCK_TIMEOUT", "200ms")
    results = []
    real = bulk_load.set_aside
    monkeypatch.setattr(bulk_load, "set_aside", lambda *a, **k: results.append(real(*a, **k)))
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as reader:
        reader.execute(f'SELECT count(*) FROM "{TABLE}"')  # its lock lasts until it commits
        before = index_definitions()
        assert inputs_bulk_register(batches=[rows()], registered_by=None) == ROWS
        reader.rollback()
    assert results == [None]
    assert index_definitions() == before
    assert Input.objects.count() == ROWS
