"""The moderation queue: pending input and comments, oldest first, with suggested redactions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inputbank import roles
from inputbank.models import Comment, Input
from inputbank.services import comment_publish, comment_reject, input_publish, input_reject
from maps.staff.access import staff_view
from maps.staff.forms import ModerationForm
from maps.staff.views.common import next_url, paginate

QUEUE_PAGE = 20


@staff_view(roles.can_moderate)
def moderation_queue(request):
    inputs = (
        Input.objects.pending()
        .select_related("process")
        .prefetch_related("themes", "attachments")
        .order_by("received_at", "id")
    )
    comments = Comment.objects.pending().select_related("input").order_by("created_at", "id")
    return render(
        request,
        "staff/moderation.html",
        {
            "inputs": paginate(request, inputs, QUEUE_PAGE),
            "comments": comments[:QUEUE_PAGE],
            "comments_total": comments.count(),
            "can_open": roles.can_see_unpublished(request.user),
        },
    )


def _report_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@staff_view(roles.can_moderate)
@require_POST
def moderate_input(request, public_id):
    item = get_object_or_404(Input, public_id=public_id)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        _report_errors(request, form)
        return redirect("staff:moderation")
    d = form.cleaned_data
    if d["action"] == ModerationForm.PUBLISH:
        input_publish(input=item, moderator=request.user, public_text=d["public_text"])
        messages.success(request, _("The input is published."))
    else:
        input_reject(input=item, moderator=request.user, reason=d["reason"].strip())
        messages.success(request, _("The input is rejected."))
    return redirect(next_url(request, reverse("staff:moderation")))


@staff_view(roles.can_moderate)
@require_POST
def moderate_comment(request, pk: int):
    comment = get_object_or_404(Comment, pk=pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        _report_errors(request, form)
        return redirect("staff:moderation")
    d = form.cleaned_data
    if d["action"] == ModerationForm.PUBLISH:
        comment_publish(comment=comment, moderator=request.user, public_text=d["public_text"])
        messages.success(request, _("The comment is published."))
    else:
        comment_reject(comment=comment, moderator=request.user, reason=d["reason"])
        messages.success(request, _("The comment is rejected."))
    return redirect("staff:moderation")
