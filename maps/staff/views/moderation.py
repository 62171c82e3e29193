"""The moderation queue: pending input and comments, with suggested redactions.

Both halves filter by process, channel, theme and age through the one input filter
(``inputbank.filters``; a comment by the input it is on, and by its own age), sort oldest or
newest first and page; every action returns to the filtered page the moderator came from, at
the item after the one just handled.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inputbank import roles
from inputbank.filters import InputFilter
from inputbank.models import Channel, Comment, Input, Process, Theme
from inputbank.services import comment_publish, comment_reject, input_publish, input_reject
from maps.staff.access import staff_view
from maps.staff.forms import ModerationForm
from maps.staff.views.common import next_url, paginate

QUEUE_PAGE = 20
# The queue's own filters; ``older`` (days) is a shorthand for ``until``.
QUEUE_FILTERS = ("process", "channel", "theme", "since", "until")
NEWEST = "newest"
# The comments page through their own parameter, so each half keeps its place.
COMMENT_PAGE = "comment_page"


def _queue_filter(request) -> InputFilter:
    """The queue's filter, read leniently: "older than N days" becomes ``until``."""
    query = request.GET.copy()
    older = query.pop("older", [""])[-1].strip()
    if older.isdigit() and not query.get("until") and int(older) < 100_000:
        query["until"] = (timezone.now() - dt.timedelta(days=int(older))).isoformat()
    selection = InputFilter.from_query(query, names=QUEUE_FILTERS, lenient=True)
    if selection.dropped or (older and not older.isdigit()):
        messages.warning(
            request, _("Some of the filters in the link could not be read and were left out.")
        )
    return selection


def queue_url_for(item: Input) -> str:
    """The queue page (default order) that shows ``item``, at the item."""
    before = Input.objects.pending().filter(received_at__lt=item.received_at).count()
    page = before // QUEUE_PAGE + 1
    return f"{reverse('staff:moderation')}?page={page}#input-{item.public_id}"


def _without(request, name: str) -> str:
    """The page's query string without one parameter (the pagers add theirs)."""
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


def _set_back_urls(page, here: str, kind: str, key, last: str = "") -> None:
    """After handling an item the moderator lands on the next one (or the one before)."""
    page.object_list = items = list(page.object_list)
    for index, item in enumerate(items):
        neighbours = items[index + 1 : index + 2] or (items[index - 1 : index] if index else [])
        item.back_url = here + (f"#{kind}-{key(neighbours[0])}" if neighbours else last)


@staff_view(roles.can_moderate)
def moderation_queue(request):
    selection = _queue_filter(request)
    newest = request.GET.get("sort") == NEWEST
    inputs = (
        selection.narrow(Input.objects.pending())
        .select_related("process")
        .prefetch_related("themes", "attachments")
        .order_by(*(("-received_at", "-id") if newest else ("received_at", "id")))
    )
    here = request.path + ("?" + request.GET.urlencode() if request.GET else "")
    page = paginate(request, inputs, QUEUE_PAGE)
    _set_back_urls(page, here, "input", lambda item: item.public_id)
    # The comments: the same filter (process, theme, age) and order, paged on their own.
    comments = (
        selection.narrow_comments(Comment.objects.pending(), Input.objects.all())
        .select_related("input")
        .order_by(*(("-created_at", "-id") if newest else ("created_at", "id")))
    )
    comment_page = paginate(request, comments, QUEUE_PAGE, param=COMMENT_PAGE)
    _set_back_urls(comment_page, here, "comment", lambda c: c.pk, last="#comments")
    return render(
        request,
        "staff/moderation.html",
        {
            "inputs": page,
            "query": _without(request, "page"),
            "comment_query": _without(request, COMMENT_PAGE),
            "selection": selection,
            "sort": NEWEST if newest else "",
            "older": request.GET.get("older", ""),
            "processes": Process.objects.order_by("-opens_on", "title"),
            "channels": Channel.choices,
            "themes": Theme.objects.order_by("name"),
            "here": here,
            "comments": comment_page,
            "comment_page_param": COMMENT_PAGE,
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
    back = next_url(request, reverse("staff:moderation"))
    if not form.is_valid():
        _report_errors(request, form)
        return redirect(back)
    d = form.cleaned_data
    if d["action"] == ModerationForm.PUBLISH:
        input_publish(input=item, moderator=request.user, public_text=d["public_text"])
        messages.success(request, _("The input is published."))
    else:
        input_reject(input=item, moderator=request.user, reason=d["reason"].strip())
        messages.success(request, _("The input is rejected."))
    return redirect(back)


@staff_view(roles.can_moderate)
@require_POST
def moderate_comment(request, pk: int):
    comment = get_object_or_404(Comment, pk=pk)
    form = ModerationForm(request.POST)
    back = next_url(request, reverse("staff:moderation"))
    if not form.is_valid():
        _report_errors(request, form)
        return redirect(back)
    d = form.cleaned_data
    if d["action"] == ModerationForm.PUBLISH:
        comment_publish(comment=comment, moderator=request.user, public_text=d["public_text"])
        messages.success(request, _("The comment is published."))
    else:
        comment_reject(comment=comment, moderator=request.user, reason=d["reason"])
        messages.success(request, _("The comment is rejected."))
    return redirect(back)
