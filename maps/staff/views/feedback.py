"""Feedback e-mail as staff see it: what failed or is stuck, what went out, and retry."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inputbank import roles
from inputbank.models import FeedbackDelivery
from inputbank.reads.feedback import deliveries_needing_attention
from inputbank.services import feedback_retry, feedback_send
from maps.staff.access import staff_view
from maps.staff.views.common import next_url, paginate


@staff_view(roles.can_respond)
def feedback_list(request):
    attention = deliveries_needing_attention().select_related("input", "input__process")
    recent = FeedbackDelivery.objects.select_related("input", "input__process").order_by(
        "-updated_at", "-id"
    )
    return render(
        request,
        "staff/feedback.html",
        {
            "attention": attention.order_by("next_attempt_at")[:200],
            "page": paginate(request, recent),
        },
    )


@staff_view(roles.can_respond)
@require_POST
def feedback_retry_view(request, public_id):
    delivery = get_object_or_404(FeedbackDelivery, public_id=public_id)
    try:
        feedback_retry(delivery=delivery, user=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        report = feedback_send(ids=[delivery.pk])
        if report.sent:
            messages.success(request, _("The e-mail is sent."))
        else:
            messages.error(request, _("Sending failed again; see the error below."))
    return redirect(next_url(request, reverse("staff:feedback")))
