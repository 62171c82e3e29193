"""The workspace's front page: what is waiting for this user."""

from __future__ import annotations

from django.shortcuts import render

from inputbank import roles
from inputbank.models import Comment, Input, Process
from inputbank.reads.feedback import deliveries_needing_attention
from maps.staff.access import staff_view


@staff_view()
def dashboard(request):
    user = request.user
    context = {"roles": roles}
    if roles.can_moderate(user):
        context["pending_inputs"] = Input.objects.pending().count()
        context["pending_comments"] = Comment.objects.pending().count()
    if roles.can_respond(user):
        context["unanswered"] = (
            Input.objects.exclude(status="rejected").filter(response__isnull=True).count()
        )
        context["feedback_attention"] = deliveries_needing_attention().count()
    if roles.can_register(user):
        context["my_processes"] = Process.objects.filter(owner=user).order_by("-opens_on")[:10]
    return render(request, "staff/dashboard.html", context)
