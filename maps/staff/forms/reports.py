"""Forms for the read-only reports: prior input, the consultation map, indicators."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from inputbank.geometry import QUERY_AREA
from inputbank.models import Outcome, Process, Theme
from inputbank.reads.prior_input import refusal
from maps.staff.forms.fields import (
    AreaFileField,
    GeoJSONGeometryField,
    area_as_geojson,
)

OUTCOME_CHOICES = [*Outcome.choices, ("none", _("No response yet"))]


class PriorInputForm(forms.Form):
    """The question "what have we heard here before?": an area and optional filters.

    The area comes from exactly one source: drawn on the map, a process's area, or an
    uploaded plan boundary. After an upload the resolved area is put back into ``geometry``
    (lon/lat) so the printable page and CSV can ask the same question again without the file.
    """

    DRAW, PROCESS, UPLOAD = "draw", "process", "upload"
    source = forms.ChoiceField(
        label=_("Area"),
        choices=(
            (DRAW, _("Draw on the map")),
            (PROCESS, _("A process area")),
            (UPLOAD, _("Upload a plan boundary")),
        ),
        initial=DRAW,
        widget=forms.RadioSelect,
    )
    geometry = GeoJSONGeometryField(label=_("Drawn area"), purpose=QUERY_AREA)
    process = forms.ModelChoiceField(
        label=_("Process"),
        queryset=Process.objects.filter(area__isnull=False).order_by("-opens_on", "title"),
        required=False,
    )
    area_file = AreaFileField(label=_("Plan boundary file"), purpose=QUERY_AREA)
    buffer_m = forms.IntegerField(
        label=_("Buffer (metres)"), min_value=0, initial=0, required=False
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.active(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    year_from = forms.IntegerField(
        label=_("From year"), min_value=1900, max_value=2999, required=False
    )
    year_to = forms.IntegerField(label=_("To year"), min_value=1900, max_value=2999, required=False)
    outcomes = forms.MultipleChoiceField(
        label=_("Outcome"),
        choices=OUTCOME_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    include_pending = forms.BooleanField(
        label=_("Include input awaiting moderation"), required=False
    )
    gaps_since = forms.IntegerField(
        label=_("Gaps: no input since year"),
        help_text=_(
            "Themes, channels and children and young people not heard since "
            "(default: five years back)"
        ),
        min_value=1900,
        max_value=2999,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.INPUTBANK["MAX_BUFFER_M"]
        self.fields["buffer_m"].max_value = limit
        self.fields["buffer_m"].widget.attrs["max"] = limit
        self.fields["themes"].queryset = Theme.objects.active()

    def clean_buffer_m(self):
        # The question's own words (prior_input would refuse it the same way, later).
        value = self.cleaned_data.get("buffer_m")
        if value is not None and value > settings.INPUTBANK["MAX_BUFFER_M"]:
            raise forms.ValidationError(refusal("buffer_m"))
        return value

    def clean(self):
        data = super().clean()
        source = data.get("source")
        area = None
        if source == self.PROCESS:
            if not data.get("process"):
                self.add_error("process", _("Choose a process."))
            else:
                area = data["process"].area
        elif source == self.UPLOAD:
            area = data.get("area_file") or data.get("geometry")
            if area is None and "area_file" not in self.errors:
                self.add_error("area_file", _("Choose a file with the plan boundary."))
        elif source == self.DRAW:
            area = data.get("geometry")
            if area is None and "geometry" not in self.errors:
                self.add_error("geometry", _("Draw an area on the map first."))
        y0, y1 = data.get("year_from"), data.get("year_to")
        if y0 and y1 and y1 < y0:
            self.add_error("year_to", _("The last year is before the first."))
        data["area"] = area
        data["buffer_m"] = data.get("buffer_m") or 0
        return data

    @property
    def since(self) -> dt.date | None:
        y = self.cleaned_data.get("year_from")
        return dt.date(y, 1, 1) if y else None

    @property
    def until(self) -> dt.date | None:
        y = self.cleaned_data.get("year_to")
        return dt.date(y, 12, 31) if y else None

    def criteria(self) -> dict:
        """Return the question as plain form data (GET/POST) with the area as lon/lat GeoJSON."""
        d = self.cleaned_data
        return {
            "source": self.DRAW if d["source"] == self.UPLOAD else d["source"],
            "geometry": area_as_geojson(d["area"]) if d["source"] != self.PROCESS else "",
            "process": d["process"].pk if d.get("process") and d["source"] == self.PROCESS else "",
            "buffer_m": d["buffer_m"],
            "themes": [t.slug for t in d["themes"]],
            "year_from": d.get("year_from") or "",
            "year_to": d.get("year_to") or "",
            "outcomes": d["outcomes"],
            "include_pending": "on" if d.get("include_pending") else "",
            "gaps_since": d.get("gaps_since") or "",
        }


class ConsultationMapForm(forms.Form):
    cell_m = forms.TypedChoiceField(
        label=_("Cell size"),
        coerce=int,
        choices=((250, "250 m"), (500, "500 m"), (1000, "1 km"), (2000, "2 km")),
        initial=500,
        required=False,
    )
    year_from = forms.IntegerField(
        label=_("From year"), min_value=1900, max_value=2999, required=False
    )
    year_to = forms.IntegerField(label=_("To year"), min_value=1900, max_value=2999, required=False)


class IndicatorForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    department = forms.ChoiceField(label=_("Department"), required=False)

    def __init__(self, *args, years=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *[(y, str(y)) for y in years]]
        self.fields["department"].choices = [
            ("", _("All departments")),
            *[(d, d) for d in departments],
        ]
