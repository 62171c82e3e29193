"""The shared database cache (inputbank/cache_backend.py): what throttles and form tokens rely
on, written in one statement per write."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from inputbank import cache_backend
from inputbank.cache_backend import PostgresCache

pytestmark = pytest.mark.django_db

TABLE = "test_cache_probe"


@pytest.fixture
def shared():
    call_command("createcachetable", TABLE, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
    return PostgresCache(TABLE, {"OPTIONS": {"MAX_ENTRIES": 10}})


def test_a_form_token_is_claimed_once_and_a_window_is_overwritten(shared):
    assert shared.add("token", "first") is True
    assert shared.add("token", "second") is False  # the second use is refused
    assert shared.get("token") == "first"
    shared.set("window", [1.0, 2.0])
    shared.set("window", [3.0])
    assert shared.get("window") == [3.0]


def test_an_expired_entry_can_be_added_again(shared):
    shared.add("token", "old", timeout=-1)
    assert shared.get("token") is None
    assert shared.add("token", "new") is True
    assert shared.get("token") == "new"


def test_the_table_is_culled_past_max_entries(shared, monkeypatch):
    monkeypatch.setattr(cache_backend, "CULL_CHECK_EVERY", 1)
    for n in range(30):
        shared.set(f"key-{n}", n)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
        assert cursor.fetchone()[0] <= 11
    assert shared.get("key-29") == 29
