"""The process form: everything a process owner registers about a participation process."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from inputbank import roles
from inputbank.geometry import AREA
from inputbank.models import Channel, LadderStep, Process, ProcessStatus
from inputbank.services import ProcessData
from maps.staff.forms.fields import (
    AreaFileField,
    CaseNumberField,
    CommaListField,
    GeoJSONGeometryField,
    area_as_geojson,
)

# PBL § 11-14 and § 12-10: a hearing lasts at least six weeks.
HEARING_MIN_DAYS = 42


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def process_owners():
    """Users who can own a process: case officers (directly or as superusers), by name."""
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(groups__name=roles.CASE_OFFICERS) | Q(is_superuser=True)).distinct()


class ProcessForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    area = GeoJSONGeometryField(label=_("Area drawn on the map"), purpose=AREA)
    area_file = AreaFileField(label=_("…or upload the plan boundary"), purpose=AREA)
    owner_department = forms.CharField(label=_("Owner department"), max_length=120, required=False)
    owner = forms.ModelChoiceField(
        label=_("Process owner"), queryset=process_owners(), required=False
    )
    opens_on = forms.DateField(label=_("Opens"), required=False, widget=DateInput())
    closes_on = forms.DateField(label=_("Closes"), required=False, widget=DateInput())
    ladder_step = forms.ChoiceField(
        label=_("Participation ladder step"), choices=LadderStep.choices
    )
    status = forms.ChoiceField(label=_("Status"), choices=ProcessStatus.choices)
    channels = forms.MultipleChoiceField(
        label=_("Methods and channels"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = CommaListField(
        label=_("Target groups"),
        required=False,
        max_length=800,
        help_text=_("Separate with commas, e.g. children and youth, elderly, businesses"),
    )
    case_number = CaseNumberField(label=_("Case number"), help_text=_("e.g. 2024/1234"))
    plan_kommunenummer = forms.RegexField(
        label=_("Plan: municipality number"), regex=r"^\d{4}$", required=False, max_length=4
    )
    plan_identifier = forms.CharField(label=_("Plan identifier"), max_length=40, required=False)
    hours_used = forms.DecimalField(
        label=_("Hours used"), min_value=0, max_digits=8, decimal_places=1, required=False
    )
    cost_nok = forms.DecimalField(
        label=_("Cost (NOK)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    evaluation = forms.CharField(
        label=_("Evaluation"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = process_owners()
        if not self.is_bound and not self.initial.get("plan_kommunenummer"):
            self.initial["plan_kommunenummer"] = settings.INPUTBANK["KOMMUNENUMMER"]

    @classmethod
    def for_process(cls, process: Process, **kwargs) -> ProcessForm:
        # The form edits the bokmål texts (see services/processes.py).
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            texts = (process.title, process.purpose, process.description)
        initial = {
            "title": texts[0],
            "purpose": texts[1],
            "description": texts[2],
            "area": area_as_geojson(process.area),
            "owner_department": process.owner_department,
            "owner": process.owner_id,
            "opens_on": process.opens_on,
            "closes_on": process.closes_on,
            "ladder_step": process.ladder_step,
            "status": process.status,
            "channels": process.channels,
            "target_groups": ", ".join(process.target_groups),
            "case_number": process.case_number,
            "plan_kommunenummer": process.plan_kommunenummer,
            "plan_identifier": process.plan_identifier,
            "hours_used": process.hours_used,
            "cost_nok": process.cost_nok,
            "evaluation": process.evaluation,
        }
        return cls(initial=initial, **kwargs)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The closing date is before the opening date."))
        elif (
            opens
            and closes
            and Channel.HEARING in data.get("channels", [])
            and (closes - opens) < dt.timedelta(days=HEARING_MIN_DAYS)
        ):
            self.add_error(
                "closes_on", _("A hearing lasts at least six weeks (PBL § 11-14 and § 12-10).")
            )
        if data.get("plan_identifier") and not data.get("plan_kommunenummer"):
            self.add_error("plan_kommunenummer", _("A plan id needs the municipality number."))
        if self.files.get("area_file") and data.get("area_file") and data.get("area"):
            # An upload replaces what was drawn: the officer chose the file last.
            data["area"] = None
        return data

    def to_data(self) -> ProcessData:
        d = self.cleaned_data
        return ProcessData(
            title=d["title"],
            purpose=d["purpose"],
            description=d["description"],
            area=d.get("area_file") or d.get("area"),
            owner_department=d["owner_department"],
            owner=d["owner"],
            opens_on=d["opens_on"],
            closes_on=d["closes_on"],
            ladder_step=d["ladder_step"],
            status=d["status"],
            channels=d["channels"],
            target_groups=d["target_groups"],
            case=d["case_number"],
            plan_kommunenummer=d["plan_kommunenummer"] or "",
            plan_identifier=d["plan_identifier"],
            hours_used=d["hours_used"],
            cost_nok=d["cost_nok"],
            evaluation=d["evaluation"],
        )
