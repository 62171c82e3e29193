"""The change log of the whole bank (/staff/audit/): filtered, paged, and as CSV.

For case officers and moderators. The rows come from inputbank.reads.audit, which never shows a
resident's personal data; the CSV is the same rows, e.g. for an access request.
"""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inputbank import roles
from inputbank.reads.audit import MODELS, AuditFilter, log_changes, log_records
from maps.staff.access import staff_view
from maps.staff.views.common import csv_response, paginate


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(label=gettext_lazy("What"), required=False)
    user = forms.CharField(label=gettext_lazy("User name"), required=False, max_length=150)
    date_from = forms.DateField(label=gettext_lazy("From date"), required=False)
    date_to = forms.DateField(label=gettext_lazy("To date"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [(key, label) for key, (_model, label) in MODELS.items()]
        self.fields["model"].choices = [("", _("Everything")), *kinds]
        for name in ("date_from", "date_to"):
            self.fields[name].widget.input_type = "date"

    def audit_filter(self) -> AuditFilter:
        if not self.is_valid():
            return AuditFilter()
        d = self.cleaned_data
        return AuditFilter(d["model"], d["user"].strip(), d["date_from"], d["date_to"])


def _filtered(request):
    form = AuditFilterForm(request.GET or None)
    return form, log_records(form.audit_filter())


@staff_view(roles.can_moderate)
def audit_log(request):
    form, records = _filtered(request)
    page = paginate(request, records)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "staff/audit.html",
        {
            "form": form,
            "page": page,
            "rows": log_changes(page.object_list),
            "query": query.urlencode(),
        },
    )


@staff_view(roles.can_moderate)
def audit_csv(request):
    _form, records = _filtered(request)
    header = [_("When"), _("Who"), _("What"), _("Object"), _("Field"), _("Before"), _("After")]

    def rows():
        for batch in records.batches():
            yield from _csv_rows(batch)

    stamp = timezone.localdate().isoformat()
    return csv_response(f"endringslogg-{stamp}.csv", header, rows())


def _csv_rows(batch):
    for c in log_changes(batch):
        when = timezone.localtime(c.when).strftime("%d.%m.%Y %H:%M")
        yield [when, c.who, c.model_label, c.object_label, c.field, c.before, c.after]
