"""Spatial queries use the GiST index (docs/measurements.md: seq scans cost 100x), also if the query
area is subdivided. Checked with EXPLAIN on a table big enough for the planner to care."""

import math
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Polygon
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geo.crs import STORAGE_SRID, WEB_SRID
from inputbank.geometry import query_area
from inputbank.models import Input
from inputbank.reads.prior_input import prior_input
from tests.factories import make_theme, point

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_inputs(db):
    """5 000 published points spread over Moss, written in one statement, then analysed."""
    table = Input._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (public_id, text, public_text, geom, location_source,
                location_description, channel, language, received_at, status, rejection_reason,
                source_group, created_at, updated_at, published_at, location_restricted)
            SELECT gen_random_uuid(), 'x', 'x',
                ST_SetSRID(ST_MakePoint(588000 + (g * 7919) %% 16000,
                                        6578000 + (g * 104729) %% 20000), %s),
                'drawn', '', 'web_map', 'nb', now(), 'published', '', '', now(), now(), now(),
                false
            FROM generate_series(1, 5000) AS g
            """,
            [STORAGE_SRID],
        )
        cursor.execute(f"ANALYZE {table}")


def _plan(queryset) -> str:
    return queryset.explain()


def test_a_500_m_area_uses_the_spatial_index(many_inputs):
    plan = _plan(Input.objects.published().within(point(), buffer_m=500).values("id"))
    assert "Index" in plan and "geom" in plan, plan
    assert "Seq Scan on inputbank_input" not in plan, plan


def _star() -> Polygon:
    """A 2 000-vertex star around the town centre: subdivided into several pieces."""
    coords = []
    for k in range(2000):
        r = 0.01 * (1.0 if k % 2 else 0.8)
        a = 2 * math.pi * k / 2000
        coords.append((10.658 + 2 * r * math.cos(a), 59.434 + r * math.sin(a)))
    coords.append(coords[0])
    return Polygon(coords, srid=WEB_SRID)


# A sequential scan of the input table itself (not of the theme link table).
READS_WHOLE_INPUT_TABLE = re.compile(r"Seq Scan on inputbank_input\b(?!_)")


def test_a_subdivided_area_uses_the_spatial_index(many_inputs):
    pieces = query_area(_star())
    assert len(pieces) > 1
    plan = _plan(Input.objects.published().within_pieces(pieces).values("id"))
    assert "Index" in plan and "geom" in plan, plan
    assert not READS_WHOLE_INPUT_TABLE.search(plan), plan


def test_prior_input_over_a_subdivided_area_never_reads_the_whole_table(many_inputs):
    # The hits are collected through the GiST index first; everything else joins them by
    # primary key. (An IN over the pieces' join once made PostgreSQL hash the whole table.)
    with CaptureQueriesContext(connection) as queries:
        result = prior_input(user=AnonymousUser(), geometry=_star())
    assert result.summary["total"] > 0
    statement = next(q["sql"] for q in queries if "hit_themes" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + statement)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index" in plan and "geom" in plan, plan
    assert not READS_WHOLE_INPUT_TABLE.search(plan), plan


def test_prior_input_builds_each_hit_once_not_once_per_other_hit(many_inputs):
    # Themes and counts are looked up per hit through their input_id indexes. Aggregated for
    # all hits at once and joined, they were re-scanned for every hit when the planner
    # misjudged the hit array's size: 15 s for 5 551 hits at size S (docs/benchmarks.md, B1).
    theme = make_theme("trafikk")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Input.themes.through._meta.db_table} (input_id, theme_id) "
            f"SELECT id, %s FROM {Input._meta.db_table}",
            [theme.pk],
        )
    moss = Polygon.from_bbox((10.55, 59.38, 10.80, 59.50))
    moss.srid = WEB_SRID
    with CaptureQueriesContext(connection) as queries:
        result = prior_input(user=AnonymousUser(), geometry=moss)
    hits = result.summary["total"]
    assert hits > 1000
    statement = next(q["sql"] for q in queries if "hit_themes" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + statement)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    removed = sum(int(n) for n in re.findall(r"Rows Removed by Join Filter: (\d+)", plan))
    assert removed <= hits, plan
