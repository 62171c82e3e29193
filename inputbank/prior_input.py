""" "What have we heard here before?": every earlier input about an area, with a summary.

Stop-gap written by the staff workspace until the API helper's version (issue 3) lands on main:
the same signature and result shape (``summary`` with total, by_theme, by_outcome, by_process,
by_year, by_channel, processes_overlapping; ``features`` as a JSON array of GeoJSON Features),
so callers need not change when it is replaced. Differences to reconcile: ``outcomes`` (a
filter the staff report needs), and this version builds features with the ORM, not in SQL.

Exact: inputs whose geometry *intersects* the (buffered) area, not bbox overlap; the area is
transformed to EPSG:25832 and buffered in metres once, before the query.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import orjson
from django.conf import settings
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.contrib.gis.geos import GEOSGeometry
from django.utils import timezone

from geo.crs import WEB_SRID, coordinate_precision
from inputbank import roles
from inputbank.models import Input, Process
from inputbank.querysets import to_storage


class PriorInputError(ValueError):
    """The question cannot be answered as asked; ``field`` names the offending argument."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PriorInputResult:
    summary: dict
    features: bytes = field(repr=False)  # a JSON array of Features
    number_returned: int = 0
    srid: int = WEB_SRID

    @property
    def truncated(self) -> bool:
        return self.number_returned < self.summary["total"]

    @property
    def feature_collection(self) -> bytes:
        head = {
            "type": "FeatureCollection",
            "numberMatched": self.summary["total"],
            "numberReturned": self.number_returned,
        }
        return orjson.dumps(head)[:-1] + b',"features":' + self.features + b"}"


def query_area(area: GEOSGeometry, buffer_m: float = 0) -> GEOSGeometry:
    """Return the area in the storage CRS, buffered by metres (computed once, a parameter)."""
    area = to_storage(area)
    return area.buffer(buffer_m) if buffer_m else area


def prior_input_queryset(
    *,
    user,
    area: GEOSGeometry,
    themes: Sequence[str] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
    outcomes: Sequence[str] = (),
    include_pending: bool = False,
):
    """Return the inputs this user may see that intersect ``area`` (storage CRS), newest first."""
    inputs = Input.objects.all()
    if include_pending and roles.can_see_unpublished(user):
        inputs = inputs.filter(status__in=["published", "pending"])
    elif roles.is_staff_member(user):
        # Staff see location-restricted input (children's routes); the public never does.
        inputs = inputs.moderated_published()
    else:
        inputs = inputs.published()
    if themes:
        inputs = inputs.about(themes)
    if since:
        if not isinstance(since, dt.datetime):  # the start of that day, local time
            since = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        inputs = inputs.since(since)
    if until:
        inputs = inputs.until(until)
    if outcomes:
        inputs = inputs.with_outcome(outcomes)
    return inputs.filter(geom__intersects=area).order_by("-received_at", "-id")


def _feature(item: Input, geometry: str | None, officer: bool) -> dict:
    response = getattr(item, "response", None)
    props = {
        "text": item.public_text,
        "themes": [t.slug for t in item.themes.all()],
        "process": {"id": item.process.pk, "slug": item.process.slug, "title": item.process.title}
        if item.process
        else None,
        "channel": item.channel,
        "received_on": timezone.localtime(item.received_at).date().isoformat(),
        "status": item.status,
        "source_group": item.source_group,
        "case_reference": item.case_reference or None,
        "response": {
            "outcome": response.outcome,
            "justification": response.justification,
            "stage": response.stage,
            "decided_on": timezone.localtime(response.decided_at).date().isoformat(),
            "decision_reference": response.decision_reference,
        }
        if response
        else None,
    }
    if officer:
        props["original_text"] = item.text
    return {
        "type": "Feature",
        "id": str(item.public_id),
        "geometry": orjson.loads(geometry) if geometry else None,
        "properties": props,
    }


def prior_input(
    *,
    user,
    geometry: GEOSGeometry | None = None,
    process: Process | None = None,
    buffer_m: float = 0,
    themes: Sequence[str] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
    outcomes: Sequence[str] = (),
    include_pending: bool = False,
    srid: int = WEB_SRID,
    limit: int | None = None,
) -> PriorInputResult:
    """Return earlier input about an area (a geometry with an SRID, or a process's area)."""
    if (geometry is None) == (process is None):
        raise PriorInputError("geometry", "give either a geometry or a process, not both")
    if process is not None:
        if process.area is None:
            raise PriorInputError("process", "this process has no area; draw one instead")
        geometry = process.area
    max_buffer = settings.INPUTBANK["MAX_BUFFER_M"]
    if not 0 <= buffer_m <= max_buffer:
        raise PriorInputError("buffer_m", f"must be between 0 and {max_buffer} metres")
    limit = settings.INPUTBANK["MAX_PAGE_SIZE"] if limit is None else limit
    area = query_area(geometry, buffer_m)
    inputs = prior_input_queryset(
        user=user,
        area=area,
        themes=themes,
        since=since,
        until=until,
        outcomes=outcomes,
        include_pending=include_pending,
    )
    hits = list(
        inputs.select_related("process", "response")
        .prefetch_related("themes")
        .annotate(out=AsGeoJSON(Transform("geom", srid), precision=coordinate_precision(srid)))
    )
    by_theme, by_outcome, by_channel, by_year = Counter(), Counter(), Counter(), Counter()
    by_process: Counter = Counter()
    titles = {}
    for item in hits:
        by_theme.update(t.slug for t in item.themes.all())
        response = getattr(item, "response", None)
        by_outcome[response.outcome if response else "none"] += 1
        by_channel[item.channel] += 1
        by_year[str(timezone.localtime(item.received_at).year)] += 1
        by_process[item.process_id] += 1
        if item.process:
            titles[item.process_id] = (item.process.slug, item.process.title)
    summary = {
        "total": len(hits),
        "by_theme": dict(by_theme.most_common()),
        "by_outcome": dict(by_outcome.most_common()),
        "by_channel": dict(by_channel.most_common()),
        "by_year": dict(sorted(by_year.items())),
        "by_process": [
            {
                "id": pid,
                "slug": titles.get(pid, (None, None))[0],
                "title": titles.get(pid, (None, None))[1],
                "count": n,
            }
            for pid, n in by_process.most_common()
        ],
        "processes_overlapping": [
            {
                "id": p.pk,
                "slug": p.slug,
                "title": p.title,
                "status": p.status,
                "opens_on": p.opens_on.isoformat() if p.opens_on else None,
                "closes_on": p.closes_on.isoformat() if p.closes_on else None,
            }
            for p in Process.objects.filter(area__intersects=area).order_by("-opens_on", "slug")
        ],
    }
    officer = roles.can_see_unpublished(user)
    features = [_feature(item, item.out, officer) for item in hits[:limit]]
    return PriorInputResult(
        summary=summary,
        features=orjson.dumps(features),
        number_returned=len(features),
        srid=srid,
    )
