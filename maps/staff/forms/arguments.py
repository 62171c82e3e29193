"""Forms for the arguments (standpunkter) pages: the list's filters and the officers' decisions.

The list's filters are the one input filter's parameters by the same names (``process``,
``theme``, ``intersects``); this form only draws them, ``InputFilter`` reads them.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inputbank.models import Argument, Process, Theme


class ArgumentFilterForm(forms.Form):
    process = forms.ChoiceField(label=_("Process"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    intersects = forms.CharField(
        label=_("Area"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=(("voices", _("Most voices")), ("newest", _("Newest input"))),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        processes = Process.objects.order_by("-opens_on", "title").values_list("pk", "title")
        self.fields["process"].choices = [("", _("All")), *((str(k), t) for k, t in processes)]
        themes = Theme.objects.filter(parent=None).order_by("sort_order", "name")
        self.fields["theme"].choices = [("", _("All")), *((t.slug, t.name) for t in themes)]


class RenameForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Representative wording"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Shown with the title in the report; leave as it is to keep it."),
    )


class MergeForm(forms.Form):
    others = forms.ModelMultipleChoiceField(
        label=_("Arguments to merge into this one"),
        queryset=Argument.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one argument to merge into this one.")},
    )

    def __init__(self, *args, argument: Argument, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["others"].queryset = Argument.objects.exclude(pk=argument.pk)


class SplitForm(forms.Form):
    inputs = forms.MultipleChoiceField(
        label=_("Inputs to move into a new argument"),
        error_messages={"required": _("Choose the inputs to move into the new argument.")},
    )
    title = forms.CharField(
        label=_("Title of the new argument"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to take the first input's words."),
    )

    def __init__(self, *args, inputs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inputs"].choices = [(str(i.public_id), str(i.public_id)) for i in inputs]
