"""The meeting form: what it is, the date and times, the place (text, and a point if one spot)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inputbank.geometry import INPUT
from inputbank.models import Meeting
from inputbank.services import MeetingData
from maps.staff.forms.fields import GeoJSONGeometryField, area_as_geojson


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MeetingForm(forms.Form):
    title = forms.CharField(
        label=_("What it is"),
        max_length=200,
        help_text=_("For example: Folkemøte about the centre plan, or a walk around the harbour."),
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    starts = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    ends = forms.TimeField(label=_("Ends at"), required=False, widget=TimeInput())
    place = forms.CharField(
        label=_("Place"), max_length=200, help_text=_("Room, building, address")
    )
    location = GeoJSONGeometryField(
        label=_("The place on the map (if it is one spot)"), purpose=INPUT
    )
    description = forms.CharField(
        label=_("More about the meeting"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    @classmethod
    def for_meeting(cls, meeting: Meeting) -> MeetingForm:
        starts = timezone.localtime(meeting.starts_at)
        ends = timezone.localtime(meeting.ends_at) if meeting.ends_at else None
        return cls(
            initial={
                "title": meeting.title,
                "date": starts.date(),
                "starts": starts.time().replace(second=0, microsecond=0),
                "ends": ends.time().replace(second=0, microsecond=0) if ends else None,
                "place": meeting.place,
                "location": area_as_geojson(meeting.location) or "",
                "description": meeting.description,
            }
        )

    def clean_location(self):
        location = self.cleaned_data["location"]
        if location is not None and location.geom_type != "Point":
            raise forms.ValidationError(_("Mark the place with a point, or leave the map empty."))
        return location

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends < starts:
            self.add_error("ends", _("The meeting must end after it starts."))
        return data

    def meeting_data(self) -> MeetingData:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        starts_at = dt.datetime.combine(data["date"], data["starts"], tzinfo=zone)
        ends_at = (
            dt.datetime.combine(data["date"], data["ends"], tzinfo=zone) if data["ends"] else None
        )
        return MeetingData(
            title=data["title"],
            starts_at=starts_at,
            ends_at=ends_at,
            place=data["place"],
            location=data["location"],
            description=data["description"],
        )
