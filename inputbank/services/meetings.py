"""Writes for the meetings of a process (folkemøte, open office, a walk): add, change, delete.

The one path the staff meeting pages and the admin share. Each write names who made it: the
history table (``Meeting.history``) keeps every version with its author and time, also of a
deleted meeting, which is the audit trail of what residents were told about a meeting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import transaction

from inputbank.geometry import to_storage
from inputbank.models import Meeting, Process


@dataclass
class MeetingData:
    """What a case officer fills in: what it is, when, where (text, and a point if one spot)."""

    title: str
    starts_at: dt.datetime
    place: str
    ends_at: dt.datetime | None = None
    location: GEOSGeometry | None = None
    description: str = ""


def _location(geom: GEOSGeometry | None) -> Point | None:
    if geom is None:
        return None
    if geom.geom_type != "Point":
        raise ValueError(f"a meeting's location is a point, not a {geom.geom_type}")
    return cast(Point, to_storage(geom))


def _store(meeting: Meeting, data: MeetingData, user) -> Meeting:
    meeting.title = data.title.strip()
    meeting.starts_at = data.starts_at
    meeting.ends_at = data.ends_at
    meeting.place = data.place.strip()
    meeting.location = _location(data.location)
    meeting.description = data.description.strip()
    meeting._history_user = user
    meeting.full_clean(exclude=["process"])
    meeting.save()
    return meeting


@transaction.atomic
def meeting_add(*, process: Process, data: MeetingData, added_by) -> Meeting:
    """Add a meeting to a process; it shows on the process's public page at once."""
    return _store(Meeting(process=process), data, added_by)


@transaction.atomic
def meeting_change(*, meeting: Meeting, data: MeetingData, changed_by) -> Meeting:
    """Change a meeting; the history keeps the version before."""
    return _store(meeting, data, changed_by)


@transaction.atomic
def meeting_delete(*, meeting: Meeting, deleted_by) -> None:
    """Delete a meeting (cancelled, or added by mistake); the history keeps who and when."""
    meeting._history_user = deleted_by
    meeting.delete()
