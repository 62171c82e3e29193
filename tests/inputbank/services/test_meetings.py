"""Meetings of a process through the one service: add, change, delete, with their history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import LineString
from django.core.exceptions import ValidationError
from django.utils import timezone

from geo.crs import STORAGE_SRID, WEB_SRID
from inputbank import roles
from inputbank.models import Meeting
from inputbank.services import MeetingData, meeting_add, meeting_change, meeting_delete
from tests.factories import make_process, make_user, point

pytestmark = pytest.mark.django_db

EVENING = timezone.make_aware(dt.datetime(2027, 3, 9, 18, 0))


def data(**extra) -> MeetingData:
    return MeetingData(
        **(
            {
                "title": "Folkemøte om sentrumsplanen",
                "starts_at": EVENING,
                "ends_at": EVENING + dt.timedelta(hours=2),
                "place": "Moss rådhus, bystyresalen",
            }
            | extra
        )
    )


def test_a_meeting_is_added_with_its_place_on_the_map_in_the_storage_crs():
    officer = make_user("officer", roles.CASE_OFFICERS)
    process = make_process("sentrum")
    meeting = meeting_add(
        process=process, data=data(location=point(10.6583, 59.4346)), added_by=officer
    )
    assert list(process.meetings.all()) == [meeting]
    assert meeting.location.srid == STORAGE_SRID
    assert meeting.history.get().history_user == officer
    assert meeting.history.get().history_type == "+"


def test_changing_and_deleting_keep_who_did_it():
    officer = make_user("officer", roles.CASE_OFFICERS)
    other = make_user("other", roles.CASE_OFFICERS)
    meeting = meeting_add(process=make_process("sentrum"), data=data(), added_by=officer)
    meeting_change(meeting=meeting, data=data(place="Verket, Hall 2"), changed_by=other)
    assert Meeting.objects.get().place == "Verket, Hall 2"
    meeting_id = meeting.pk
    meeting_delete(meeting=meeting, deleted_by=officer)
    assert not Meeting.objects.exists()
    history = Meeting.history.filter(id=meeting_id).order_by("history_date")
    assert [(h.history_type, h.history_user) for h in history] == [
        ("+", officer),
        ("~", other),
        ("-", officer),
    ]
    assert history[1].place == "Verket, Hall 2"


def test_a_meeting_cannot_end_before_it_starts_nor_be_a_line():
    process = make_process("sentrum")
    with pytest.raises(ValidationError):
        early = data(ends_at=EVENING - dt.timedelta(hours=1))
        meeting_add(process=process, data=early, added_by=None)
    line = LineString((10.65, 59.43), (10.66, 59.44), srid=WEB_SRID)
    with pytest.raises(ValueError):
        meeting_add(process=process, data=data(location=line), added_by=None)
    assert not Meeting.objects.exists()
