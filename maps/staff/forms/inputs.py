"""Registering input received through any channel, and answering and moderating it."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inputbank.models import (
    Channel,
    Input,
    LocationSource,
    Outcome,
    Process,
    SenderCategory,
    Stage,
    Theme,
)
from inputbank.services import (
    AttachmentRefused,
    ContributorData,
    attachment_prepare,
    attachment_read,
)
from maps.staff.forms.fields import CaseNumberField, GeoJSONGeometryField, MultipleFileField
from maps.staff.forms.processes import DateInput

# Property id "gnr/bnr", optionally "/fnr" and "/snr": 1/234, 12/34/5.
PROPERTY_RE = re.compile(r"^\s*\d{1,5}\s*/\s*\d{1,5}(\s*/\s*\d{1,5}){0,2}\s*$")
MAX_ATTACHMENTS = 10
NAMED_SOURCES = (LocationSource.ADDRESS, LocationSource.PROPERTY, LocationSource.PLACE_NAME)


def language_choices():
    return [(code, name) for code, name in settings.LANGUAGES]


def sender_category_choices():
    return [("", _("Not said (guessed from the name)")), *SenderCategory.choices]


class ContributorKind:
    ANONYMOUS = "anonymous"
    PERSON = "person"
    ORGANISATION = "organisation"
    CHOICES = (
        (ANONYMOUS, _("Anonymous / not recorded")),
        (PERSON, _("A person")),
        (ORGANISATION, _("An organisation, council or group")),
    )


class InputRegisterForm(forms.Form):
    text = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 6}))
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.LETTER)
    received_on = forms.DateField(label=_("Received"), widget=DateInput())
    language = forms.ChoiceField(label=_("Language"), choices=language_choices, initial="nb")
    process = forms.ModelChoiceField(
        label=_("Process"), queryset=Process.objects.order_by("-opens_on", "title"), required=False
    )
    case_document = CaseNumberField(
        label=_("Case document"), document=True, help_text=_("e.g. 2024/1234-5")
    )
    contributor_kind = forms.ChoiceField(
        label=_("Who gave the input"),
        choices=ContributorKind.CHOICES,
        initial=ContributorKind.PERSON,
        widget=forms.RadioSelect,
    )
    sender_category = forms.ChoiceField(
        label=_("Sender category"),
        choices=sender_category_choices,
        required=False,
        help_text=_("How the merknadsbehandling groups the sender"),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    postal_address = forms.CharField(
        label=_("Postal address"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    wants_feedback = forms.BooleanField(label=_("Wants feedback by e-mail"), required=False)
    preferred_language = forms.ChoiceField(
        label=_("Language for feedback"), choices=language_choices, initial="nb"
    )
    source_group = forms.CharField(
        label=_("Group or organisation"),
        max_length=200,
        required=False,
        help_text=_("e.g. Youth council, workshop table 3"),
    )
    location_source = forms.ChoiceField(
        label=_("Where"),
        choices=LocationSource.choices,
        initial=LocationSource.DRAWN,
        widget=forms.RadioSelect,
    )
    location_description = forms.CharField(
        label=_("Address, property (gnr/bnr) or place name"), max_length=200, required=False
    )
    geometry = GeoJSONGeometryField(label=_("Place on the map"))
    location_restricted = forms.BooleanField(
        label=_("Never show the exact place publicly"),
        required=False,
        help_text=_("E.g. a child's route or a home. Always on for children's walks (Barnetråkk)."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"), help_text=_("PDF, JPEG or PNG. Photo metadata (GPS) is removed.")
    )
    publish = forms.BooleanField(
        label=_("I have checked the public text: publish now"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.active()
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())
        self.prepared_attachments = []

    def clean_text(self):
        text = self.cleaned_data["text"]
        limit = settings.INPUTBANK["MAX_TEXT_LENGTH"] * 4  # letters run longer than map notes
        if len(text) > limit:
            raise forms.ValidationError(
                _("The text is longer than %(n)s characters.") % {"n": limit}
            )
        return text

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return day

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("At most %(n)s attachments.") % {"n": MAX_ATTACHMENTS})
        prepared, errors = [], []
        for upload in files:
            try:
                # At most one byte past the limit: enough for the service to refuse it as too
                # large, in the officer's language, with the same words as everywhere else.
                data = attachment_read(upload)
                prepared.append(attachment_prepare(name=upload.name, data=data))
            except AttachmentRefused as exc:
                errors.append(str(exc))
        if errors:
            raise forms.ValidationError(errors)
        self.prepared_attachments = prepared
        return files

    def clean(self):
        data = super().clean()
        kind = data.get("contributor_kind")
        if kind == ContributorKind.PERSON and not data.get("name"):
            self.add_error("name", _("Give the person's name, or choose anonymous."))
        if kind == ContributorKind.ORGANISATION and not (
            data.get("organisation") or data.get("source_group")
        ):
            self.add_error("organisation", _("Name the organisation, or choose anonymous."))
        if data.get("wants_feedback") and not data.get("email"):
            self.add_error("email", _("Feedback is sent by e-mail: give an address."))
        source = data.get("location_source")
        if source and source != LocationSource.NONE and not data.get("geometry"):
            self.add_error(
                "geometry",
                _("Mark the place on the map, or choose 'No specific place'."),
            )
        described = data.get("location_description", "")
        if source in NAMED_SOURCES and not described:
            self.add_error("location_description", _("Write the address, property or place name."))
        if source == LocationSource.PROPERTY and described and not PROPERTY_RE.match(described):
            self.add_error("location_description", _("Write the property as gnr/bnr, e.g. 1/234."))
        if source == LocationSource.NONE:
            data["geometry"] = None
        return data

    def contributor(self) -> ContributorData | None:
        d = self.cleaned_data
        if d["contributor_kind"] == ContributorKind.ANONYMOUS:
            return None
        return ContributorData(
            name=d["name"] if d["contributor_kind"] == ContributorKind.PERSON else "",
            email=d["email"],
            phone=d["phone"],
            postal_address=d["postal_address"],
            organisation=d["organisation"],
            wants_feedback=d["wants_feedback"],
            preferred_language=d["preferred_language"],
            sender_category=d["sender_category"],
        )

    def received_at(self) -> dt.datetime:
        day = self.cleaned_data["received_on"]
        if day == timezone.localdate():
            return timezone.now()
        # Noon local time: the day stays the same in every time zone report tools use.
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


class MerknadForm(forms.Form):
    """The officer's summary (sammendrag) and the sender category, for the merknadsbehandling."""

    summary = forms.CharField(
        label=_("Summary (sammendrag)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("Prefilled with the first sentences of the public text; write your own."),
    )
    sender_category = forms.ChoiceField(
        label=_("Sender category"), choices=sender_category_choices, required=False
    )


class ModerationForm(forms.Form):
    PUBLISH, REJECT = "publish", "reject"
    action = forms.ChoiceField(choices=((PUBLISH, _("Publish")), (REJECT, _("Reject"))))
    public_text = forms.CharField(
        label=_("Public text"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    reason = forms.CharField(label=_("Reason for rejecting"), max_length=1000, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REJECT and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the input is rejected."))
        if data.get("action") == self.PUBLISH and not data.get("public_text", "").strip():
            self.add_error("public_text", _("The public text is empty."))
        return data


class ResponseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    justification = forms.CharField(
        label=_("Justification in plain language"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, initial=Stage.OTHER)
    decision_reference = forms.CharField(
        label=_("Decision document"),
        max_length=120,
        required=False,
        help_text=_("e.g. 2024/1234-12 or PS 45/24"),
    )
    notify = forms.BooleanField(
        label=_("E-mail the contributor (when they asked for feedback)"),
        required=False,
        initial=True,
    )

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "outcome": d["outcome"],
            "justification": d["justification"].strip(),
            "stage": d["stage"],
            "decision_reference": d["decision_reference"].strip(),
            "notify": d["notify"],
        }


class BulkResponseForm(ResponseForm):
    inputs = forms.ModelMultipleChoiceField(
        queryset=Input.objects.none(), to_field_name="public_id", widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if queryset is not None:
            self.fields["inputs"].queryset = queryset
