"""Small factories for test data: plain functions with sensible Moss defaults.

Geometries are given in lon/lat (CRS84) like the API receives them; the model stores 25832.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.utils import timezone

from geo.crs import MOSS_CENTRE_LONLAT, STORAGE_SRID, WEB_SRID
from inputbank import services
from inputbank.models import (
    DeliveryKind,
    FeedbackDelivery,
    Input,
    LadderStep,
    Process,
    ProcessStatus,
    StaffProfile,
    Theme,
)

_seq = itertools.count(1)
MOSS_CENTRE = MOSS_CENTRE_LONLAT


def point(lon: float = MOSS_CENTRE[0], lat: float = MOSS_CENTRE[1]) -> Point:
    return Point(lon, lat, srid=WEB_SRID)


def box(minlon: float, minlat: float, maxlon: float, maxlat: float) -> Polygon:
    poly = Polygon.from_bbox((minlon, minlat, maxlon, maxlat))
    poly.srid = WEB_SRID
    return poly


def storage_point(x: float, y: float) -> Point:
    """A point in the storage CRS (EPSG:25832 metres), for tests that measure distances."""
    return Point(x, y, srid=STORAGE_SRID)


def storage_box(xmin: float, ymin: float, xmax: float, ymax: float) -> Polygon:
    """A rectangle in the storage CRS (EPSG:25832 metres)."""
    poly = Polygon.from_bbox((xmin, ymin, xmax, ymax))
    poly.srid = STORAGE_SRID
    return poly


def make_user(
    username: str | None = None, *roles: str, language: str | None = "en", **extra: Any
) -> User:
    """A user with the given roles. Staff users read the workspace in English by default (their
    own setting, StaffProfile), so tests can assert the source texts; the language tests choose
    nb and nn, and ``language=None`` leaves the profile unset (the site's bokmål)."""
    user = User.objects.create_user(
        username=username or f"user{next(_seq)}", password="test-pass-123", **extra
    )
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    if roles and language:
        StaffProfile.objects.create(user=user, language=language)
    return user


def make_theme(slug: str | None = None, parent: Theme | None = None, **extra: Any) -> Theme:
    slug = slug or f"theme-{next(_seq)}"
    return Theme.objects.create(
        slug=slug, name=extra.pop("name", slug.title()), parent=parent, **extra
    )


def make_process(slug: str | None = None, area=None, **extra: Any) -> Process:
    slug = slug or f"process-{next(_seq)}"
    if area is None:
        area = box(10.64, 59.42, 10.68, 59.45)
    if isinstance(area, Polygon):
        area = MultiPolygon(area, srid=area.srid)
    today = timezone.localdate()
    defaults = {
        "title": slug.replace("-", " ").title(),
        "ladder_step": LadderStep.DIALOGUE,
        "status": ProcessStatus.OPEN,
        "opens_on": today - timezone.timedelta(days=10),
        "closes_on": today + timezone.timedelta(days=40),
    }
    defaults.update(extra)
    return Process.objects.create(slug=slug, area=area, **defaults)


def make_input(
    text: str = "Det trengs en trygg sykkelvei her.",
    geom=None,
    themes: tuple[Theme, ...] = (),
    published: bool = True,
    **extra: Any,
) -> Input:
    """Create an input through the service layer (so redaction runs), published by default.

    The receipt e-mail queued for a contributor with an address is dropped, so tests of the
    answer e-mail see only what they cause; ``keep_receipt=True`` keeps it due
    (tests/inputbank/services/test_receipt_email.py).
    """
    if geom is None and not extra.pop("no_location", False):
        geom = point()
    keep_receipt = extra.pop("keep_receipt", False)
    item = services.input_submit(text=text, geom=geom, themes=list(themes), **extra)
    if not keep_receipt:
        FeedbackDelivery.objects.filter(input=item, kind=DeliveryKind.RECEIPT).delete()
    if published:
        services.input_publish(input=item, moderator=None)
    return item


def photo_with_location() -> bytes:
    """A small JPEG whose EXIF says where it was taken and with which camera."""
    import io

    from PIL import Image

    image = Image.new("RGB", (40, 30), "#b03a2e")
    exif = Image.Exif()
    exif[0x010F] = "Kameraprodusent"  # Make
    exif.get_ifd(0x8825)[2] = (59.0, 26.0, 2.0)  # GPS IFD, GPSLatitude: where a resident lives
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()
