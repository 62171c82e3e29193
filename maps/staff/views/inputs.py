"""Input: the list with bulk answering, registration from any channel, one input, attachments."""

from __future__ import annotations

import json
from collections import Counter

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from inputbank import roles
from inputbank.filters import InputFilter
from inputbank.models import (
    Attachment,
    Channel,
    FeedbackDelivery,
    Input,
    ModerationStatus,
    Outcome,
    Process,
)
from inputbank.reads.audit import input_changes
from inputbank.reads.feedback import (
    FeedbackState,
    FeedbackStateCode,
    delivery_state,
    feedback_state,
    feedback_states,
)
from inputbank.reads.inputs import visible_input
from inputbank.services import (
    input_register,
    input_update,
    response_answer,
    response_answer_bulk,
)
from maps.staff.access import staff_view
from maps.staff.forms import BulkResponseForm, InputRegisterForm, MerknadForm, ResponseForm
from maps.staff.forms.fields import area_as_geojson
from maps.staff.views.common import next_url, paginate
from maps.staff.views.moderation import queue_url_for


def _filtered_inputs(request):
    """The visible input the list's filters select, oldest first (the queue's order).

    The API's filters, by the same names, read leniently as on the resident list; ``answered``
    (yes/no, from the dashboard's links) is a shorthand for the outcome filter.
    """
    query = request.GET.copy()
    answered = query.pop("answered", [""])[-1]
    if answered in ("yes", "no") and not query.get("outcome"):
        query.setlist("outcome", ["none"] if answered == "no" else list(Outcome.values))
    selection = InputFilter.from_query(query, lenient=True)
    inputs = selection.apply(
        Input.objects.visible_to(request.user)
        .select_related("process", "response", "contributor")
        .prefetch_related("themes"),
        oldest_first=True,
    )
    if selection.dropped:
        messages.warning(
            request, _("Some of the filters in the link could not be read and were left out.")
        )
    process = Process.objects.by_keys(selection.processes).first() if selection.processes else None
    return inputs, {"process": process}


@staff_view(roles.can_see_unpublished)
def input_list(request):
    inputs, filters = _filtered_inputs(request)
    page = paginate(request, inputs)
    if roles.can_respond(request.user):
        # Per input, whether the contributor's e-mail went out (one query for the page).
        page.object_list = list(page.object_list)
        states = feedback_states(page.object_list)
        for item in page.object_list:
            item.feedback = states[item.pk]
    return render(
        request,
        "staff/input_list.html",
        {
            "page": page,
            "filters": filters,
            "processes": Process.objects.order_by("-opens_on", "title"),
            "statuses": ModerationStatus.choices,
            "channels": Channel.choices,
            "bulk_form": BulkResponseForm() if roles.can_respond(request.user) else None,
            "query": request.GET.urlencode(),
        },
    )


@staff_view(roles.can_respond)
@require_POST
def respond_bulk(request):
    form = BulkResponseForm(request.POST, queryset=Input.objects.visible_to(request.user))
    back = next_url(request, reverse("staff:input_list"))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        if "inputs" in form.errors:
            messages.error(request, _("Select the input to answer first."))
        return redirect(back)
    result = response_answer_bulk(
        inputs=list(form.cleaned_data["inputs"]), decided_by=request.user, **form.service_kwargs()
    )
    tell_answers(request, result.answers)
    return redirect(back)


def tell_answers(request, answers) -> None:
    """Say what answering many inputs at once did: how many, and the e-mails' true state
    (sent, queued, failed), never a hope. Bulk answers and "answer once" share it."""
    count = len(answers)
    states = Counter(
        delivery_state(d).code
        for d in FeedbackDelivery.objects.filter(
            pk__in=[a.delivery.pk for a in answers if a.delivery is not None]
        )
    )
    sent = states.pop(FeedbackStateCode.SENT, 0)
    waiting = states.pop(FeedbackStateCode.QUEUED, 0) + states.pop(FeedbackStateCode.SENDING, 0)
    failed = sum(states.values())
    messages.success(
        request,
        ngettext(
            "Response recorded for %(n)s input; e-mails sent: %(sent)s, queued: %(queued)s.",
            "Response recorded for %(n)s inputs; e-mails sent: %(sent)s, queued: %(queued)s.",
            count,
        )
        % {"n": count, "sent": sent, "queued": waiting},
    )
    if failed:
        messages.warning(
            request,
            ngettext(
                "%(n)s feedback e-mail could not be sent; see “Feedback e-mail”.",
                "%(n)s feedback e-mails could not be sent; see “Feedback e-mail”.",
                failed,
            )
            % {"n": failed},
        )


@staff_view(roles.can_register)
def input_register_view(request):
    initial = {}
    process_id = request.GET.get("process", "")
    if process_id.isdigit() and len(process_id) < 18:
        initial["process"] = Process.objects.filter(pk=int(process_id)).first()
    form = InputRegisterForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        item = input_register(
            text=d["text"],
            geom=d["geometry"],
            themes=list(d["themes"]),
            channel=d["channel"],
            registered_by=request.user,
            received_at=form.received_at(),
            language=d["language"],
            process=d["process"],
            contributor=form.contributor(),
            location_source=d["location_source"],
            location_description=d["location_description"],
            source_group=d["source_group"],
            case_ref=d["case_document"],
            publish=d["publish"],
            attachments=form.prepared_attachments,
            location_restricted=d["location_restricted"],
        )
        messages.success(request, _("The input is registered."))
        if request.POST.get("then") == "another":
            url = reverse("staff:input_register")
            return redirect(f"{url}?process={item.process_id}" if item.process_id else url)
        return redirect("staff:input_detail", public_id=item.public_id)
    return render(request, "staff/input_register.html", {"form": form})


@staff_view(roles.can_see_unpublished)
def input_detail(request, public_id):
    item = visible_input(request.user, public_id)
    response = getattr(item, "response", None)
    form = None
    if roles.can_respond(request.user):
        form = ResponseForm(
            initial={
                "outcome": response.outcome,
                "justification": response.justification,
                "stage": response.stage,
                "decision_reference": response.decision_reference,
            }
            if response
            else None
        )
    merknad_form = None
    if roles.can_respond(request.user):
        merknad_form = MerknadForm(
            initial={
                "summary": item.summary_or_prefill,
                "sender_category": item.contributor.sender_category if item.contributor else "",
            }
        )
    context = {
        "item": item,
        "queue_url": queue_url_for(item) if item.status == ModerationStatus.PENDING else "",
        "response": response,
        "response_form": form,
        "merknad_form": merknad_form,
        "geometry_geojson": json.loads(area_as_geojson(item.geom) or "null"),
        "show_contributor": roles.can_see_contributors(request.user),
        "attachments": item.attachments.order_by("created_at"),
        "comments": item.comments.order_by("created_at"),
        "changes": input_changes(item) if roles.can_moderate(request.user) else None,
        "deliveries": item.feedback_deliveries.order_by("-created_at")
        if roles.can_respond(request.user)
        else [],
        "feedback": feedback_state(item) if roles.can_respond(request.user) else None,
    }
    return render(request, "staff/input_detail.html", context)


@staff_view(roles.can_respond)
@require_POST
def input_respond(request, public_id):
    item = visible_input(request.user, public_id)
    form = ResponseForm(request.POST)
    if form.is_valid():
        answer = response_answer(input=item, decided_by=request.user, **form.service_kwargs())
        if answer.delivery is not None:
            # The send ran (or not) when the response committed: say what really happened.
            answer.delivery.refresh_from_db()
            level, text = _delivery_message(delivery_state(answer.delivery))
            messages.add_message(request, level, text)
        elif form.cleaned_data["notify"]:
            messages.success(
                request,
                _("Response recorded; no e-mail: %(reason)s.")
                % {"reason": answer.not_queued_reason},
            )
        else:
            messages.success(request, _("Response recorded."))
        return redirect("staff:input_detail", public_id=item.public_id)
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, f"{form.fields[field].label}: {error}")
    return redirect("staff:input_detail", public_id=item.public_id)


@staff_view(roles.can_respond)
@require_POST
def input_merknad(request, public_id):
    """Save the officer's summary and the sender category (the merknadsbehandling's fields)."""
    item = visible_input(request.user, public_id)
    form = MerknadForm(request.POST)
    if form.is_valid():
        input_update(
            input=item,
            changed_by=request.user,
            summary=form.cleaned_data["summary"].strip(),
            sender_category=form.cleaned_data["sender_category"],
        )
        messages.success(request, _("The summary is saved."))
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}")
    return redirect("staff:input_detail", public_id=item.public_id)


def _delivery_message(state: FeedbackState) -> tuple[int, str]:
    """The message after answering one input: the e-mail's true state, never a hope."""
    code = state.code
    if code == FeedbackStateCode.SENT:
        when = date_format(timezone.localtime(state.delivery.sent_at), "j.n.Y H:i")
        return messages.SUCCESS, _(
            "Response recorded; the e-mail to the contributor was sent %(when)s."
        ) % {"when": when}
    if code in (FeedbackStateCode.QUEUED, FeedbackStateCode.SENDING):
        return messages.SUCCESS, _(
            "Response recorded; the e-mail to the contributor is queued and not sent yet."
        )
    return messages.WARNING, _(
        "Response recorded, but the e-mail to the contributor was not sent: %(reason)s. "
        "See “Feedback e-mail” below to send it again."
    ) % {"reason": state.reason or state.label}


@staff_view()
def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("input"), pk=pk)
    item = attachment.input
    may_see = roles.can_see_unpublished(request.user) or (
        attachment.public and item.status == ModerationStatus.PUBLISHED
    )
    if not may_see:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
