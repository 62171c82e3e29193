"""The shared database cache lives in an UNLOGGED table (inputbank createcachetable override)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def _persistence(table: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return row[0] if row else None


def test_createcachetable_makes_the_cache_table_unlogged_and_can_run_again():
    call_command("createcachetable", "ops_cache_probe", stdout=io.StringIO())
    assert _persistence("ops_cache_probe") == "u"
    call_command("createcachetable", "ops_cache_probe", stdout=io.StringIO())
    assert _persistence("ops_cache_probe") == "u"
