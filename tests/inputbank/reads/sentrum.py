"""A block of Moss sentrum for the read-model tests, EPSG:25832: places as offsets in metres.

Shared by the Feature builder's and prior input's tests (a module, not a fixture: plain
values and small constructors), beside a named resident whose letter only staff may read.
"""

from __future__ import annotations

from django.contrib.gis.geos import LineString, Point, Polygon

from geo.crs import STORAGE_SRID
from inputbank import services
from tests.factories import storage_box

# Moss sentrum by Torget, EPSG:25832 (east, north); every place is an offset in metres.
X0, Y0 = 594_000.0, 6_589_500.0
KARI = services.ContributorData(
    name="Kari Nordmann",
    email="kari.nordmann@example.no",
    phone="98765432",
    postal_address="Fjordveien 3B, 1530 Moss",
    wants_feedback=True,
)


def at(dx: float, dy: float) -> Point:
    return Point(X0 + dx, Y0 + dy, srid=STORAGE_SRID)


def line(*offsets: tuple[float, float]) -> LineString:
    return LineString([(X0 + dx, Y0 + dy) for dx, dy in offsets], srid=STORAGE_SRID)


def block(dx0: float, dy0: float, dx1: float, dy1: float) -> Polygon:
    return storage_box(X0 + dx0, Y0 + dy0, X0 + dx1, Y0 + dy1)
