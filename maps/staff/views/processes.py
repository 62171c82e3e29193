"""Processes: list, register, edit, and one process with its input."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from inputbank import roles
from inputbank.models import Argument, Channel, Process
from inputbank.reads.argument_page import still_true_candidates
from inputbank.reads.arguments import still_true_for
from inputbank.reads.audit import process_changes
from inputbank.reads.consultation import process_areas
from inputbank.services import argument_check_open, process_create, process_update
from maps.staff.access import staff_view
from maps.staff.forms import ProcessForm
from maps.staff.forms.fields import area_as_geojson
from maps.staff.views.common import paginate


def _with_counts(queryset):
    return queryset.annotate(
        n_inputs=Count("inputs", filter=~Q(inputs__status="rejected"), distinct=True),
        n_unanswered=Count(
            "inputs",
            filter=~Q(inputs__status="rejected") & Q(inputs__response__isnull=True),
            distinct=True,
        ),
    )


@staff_view(roles.can_register)
def process_list(request):
    processes = _with_counts(Process.objects.select_related("owner")).order_by("-opens_on", "title")
    if request.GET.get("mine"):
        processes = processes.filter(owner=request.user)
    return render(request, "staff/process_list.html", {"page": paginate(request, processes)})


def _save(request, form, process=None):
    try:
        if process is None:
            return process_create(data=form.to_data(), created_by=request.user)
        return process_update(process=process, data=form.to_data(), changed_by=request.user)
    except (ValidationError, ValueError) as exc:
        messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        for message in messages_:
            form.add_error(None, message)
    return None


@staff_view(roles.can_register)
def process_create_view(request):
    form = ProcessForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        process = _save(request, form)
        if process:
            messages.success(request, _("The process is registered."))
            return redirect("staff:process_detail", pk=process.pk)
    return render(request, "staff/process_form.html", {"form": form, "process": None})


@staff_view(roles.can_register)
def process_edit(request, pk: int):
    process = get_object_or_404(Process, pk=pk)
    if request.method == "POST":
        form = ProcessForm(request.POST, request.FILES)
        if form.is_valid() and _save(request, form, process):
            messages.success(request, _("The process is saved."))
            return redirect("staff:process_detail", pk=process.pk)
    else:
        form = ProcessForm.for_process(process)
    return render(request, "staff/process_form.html", {"form": form, "process": process})


@staff_view(roles.can_register)
def process_detail(request, pk: int):
    process = get_object_or_404(_with_counts(Process.objects.select_related("owner")), pk=pk)
    changes = process_changes(process) if roles.can_moderate(request.user) else None
    return render(
        request,
        "staff/process_detail.html",
        {
            "process": process,
            "area_geojson": json.loads(area_as_geojson(process.area) or "null"),
            "channel_labels": [str(dict(Channel.choices).get(c, c)) for c in process.channels],
            "changes": changes,
            "still_true": still_true_for(process),
            "still_true_candidates": still_true_candidates(process, request.user),
            "meetings": list(process.meetings.all()),
        },
    )


@staff_view(roles.can_register)
@require_POST
def process_still_true(request, pk: int):
    """Put the chosen earlier arguments before the process's residents ("still true?")."""
    process = get_object_or_404(Process, pk=pk)
    ids = [v for v in request.POST.getlist("arguments")[:100] if v.isdigit() and len(v) < 12]
    chosen = list(Argument.objects.filter(pk__in=[int(v) for v in ids]))
    if not chosen:
        messages.error(request, _("Choose at least one earlier argument to ask about."))
    for argument in chosen:
        argument_check_open(argument=argument, process=process, opened_by=request.user)
    if chosen:
        messages.success(
            request,
            ngettext(
                "%(n)s argument is put before the residents on the consultation's page.",
                "%(n)s arguments are put before the residents on the consultation's page.",
                len(chosen),
            )
            % {"n": len(chosen)},
        )
    return redirect(reverse("staff:process_detail", args=[process.pk]) + "#still-true")


@staff_view()
def process_areas_json(request):
    """The process areas every staff map draws as context: the open processes', or ``?process=``."""
    key = request.GET.get("process", "")
    process_id = int(key) if key.isdigit() and len(key) < 12 else None
    return HttpResponse(process_areas(process_id), content_type="application/geo+json")
