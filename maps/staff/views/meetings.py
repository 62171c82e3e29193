"""The meetings of a process in the staff workspace: add, change, delete (docs/staff.md).

Every write goes through the meeting service (``inputbank.services.meetings``), which the admin
uses too; its history keeps who changed what.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from inputbank import roles
from inputbank.models import Meeting, Process
from inputbank.services import meeting_add, meeting_change, meeting_delete
from maps.staff.access import staff_view
from maps.staff.forms import MeetingForm


def process_url(process: Process) -> str:
    return reverse("staff:process_detail", args=[process.pk])


def _save(form: MeetingForm, save) -> bool:
    """Run the service; a rule the model refuses is shown on the form, not as a server error."""
    try:
        save(form.meeting_data())
    except (ValidationError, ValueError) as error:
        form.add_error(None, error)
        return False
    return True


@staff_view(roles.can_register)
def meeting_add_view(request, pk: int):
    process = get_object_or_404(Process, pk=pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def save(data):
            meeting_add(process=process, data=data, added_by=request.user)

        if _save(form, save):
            messages.success(request, _("The meeting is added."))
            return redirect(f"{process_url(process)}#meetings")
    return render(request, "staff/meeting_form.html", {"form": form, "process": process})


@staff_view(roles.can_register)
def meeting_edit_view(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("process"), pk=pk)
    process = meeting.process
    form = (
        MeetingForm(request.POST) if request.method == "POST" else MeetingForm.for_meeting(meeting)
    )
    if request.method == "POST" and form.is_valid():

        def save(data):
            meeting_change(meeting=meeting, data=data, changed_by=request.user)

        if _save(form, save):
            messages.success(request, _("The meeting is saved."))
            return redirect(f"{process_url(process)}#meetings")
    return render(
        request, "staff/meeting_form.html", {"form": form, "process": process, "meeting": meeting}
    )


@staff_view(roles.can_register)
def meeting_delete_view(request, pk: int):
    """GET: ask; POST: delete."""
    meeting = get_object_or_404(Meeting.objects.select_related("process"), pk=pk)
    process = meeting.process
    if request.method == "POST":
        meeting_delete(meeting=meeting, deleted_by=request.user)
        messages.success(request, _("The meeting is deleted."))
        return redirect(f"{process_url(process)}#meetings")
    return render(request, "staff/meeting_delete.html", {"meeting": meeting, "process": process})
