"""Arguments (standpunkter): the list, one argument, and the officers' decisions about it.

Every decision calls its service in inputbank.services.arguments (kept as a decision, pinned
against the machine's next run, in the audit trail); this module only reads forms and says
what happened (docs/arguments.md, "The staff pages").
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from inputbank import roles
from inputbank.filters import InputFilter
from inputbank.models import Argument, Input, Outcome
from inputbank.reads.argument_page import (
    answer_recipients,
    argument_checks,
    argument_decisions,
    argument_inputs,
    dated_voices,
    merge_candidates,
)
from inputbank.reads.arguments import arguments_for, latest_answer
from inputbank.services import (
    argument_answer,
    argument_confirm,
    argument_merge,
    argument_rename,
    argument_split,
)
from maps.staff.access import staff_view
from maps.staff.forms import ResponseForm
from maps.staff.forms.arguments import ArgumentFilterForm, MergeForm, RenameForm, SplitForm
from maps.staff.views.inputs import tell_answers

# Arguments listed on one page: the most voiced (or newest); the filters narrow the rest.
LIST_LIMIT = 200
LIST_FILTERS = ("process", "theme", "intersects")


@staff_view(roles.can_see_unpublished)
def argument_list(request):
    """The arguments the selected input makes (the one input filter), by voices or newest."""
    selection = InputFilter.from_query(request.GET, names=LIST_FILTERS, lenient=True)
    if selection.dropped:
        messages.warning(
            request, _("Some of the filters in the link could not be read and were left out.")
        )
    inputs = selection.narrow(Input.objects.visible_to(request.user))
    newest = request.GET.get("sort") == "newest"
    context = {
        "form": ArgumentFilterForm(request.GET or None),
        "arguments": arguments_for(inputs, limit=LIST_LIMIT, newest=newest),
        "limit": LIST_LIMIT,
        "outcome_labels": dict(Outcome.choices),
    }
    return render(request, "staff/argument_list.html", context)


def _argument(pk: int) -> Argument:
    return get_object_or_404(Argument, pk=pk)


def _back(argument: Argument):
    return redirect("staff:argument_detail", pk=argument.pk)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@staff_view(roles.can_see_unpublished)
def argument_detail(request, pk: int):
    """One argument: its wording, inputs with the machine's reasons, answer, voices, log."""
    argument = _argument(pk)
    inputs = list(argument_inputs(argument, request.user))
    answer = latest_answer([argument.pk]).get(argument.pk)
    if answer:
        answer["decided_at"] = parse_datetime(answer["decided_at"])
    may_decide = roles.can_respond(request.user)
    merge_q = request.GET.get("merge_q", "")[:100]
    context = {
        "argument": argument,
        "inputs": inputs,
        "answer": answer,
        "outcome_labels": dict(Outcome.choices),
        "checks": argument_checks(argument),
        "voices": dated_voices(argument),
        "decisions": argument_decisions(argument),
        "may_decide": may_decide,
    }
    if may_decide:
        context |= {
            "rename_form": RenameForm(initial={"title": argument.title, "text": argument.text}),
            "response_form": ResponseForm(),
            "recipients": answer_recipients(argument),
            "merge_q": merge_q,
            "merge_candidates": merge_candidates(argument, merge_q),
        }
    return render(request, "staff/argument_detail.html", context)


@staff_view(roles.can_respond)
@require_POST
def argument_confirm_view(request, pk: int):
    argument = argument_confirm(argument=_argument(pk), decided_by=request.user)
    messages.success(
        request,
        _("The argument is confirmed: its inputs stay together, whatever the machine finds later."),
    )
    return _back(argument)


@staff_view(roles.can_respond)
@require_POST
def argument_rename_view(request, pk: int):
    argument = _argument(pk)
    form = RenameForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(argument)
    text = form.cleaned_data["text"].strip()
    argument_rename(
        argument=argument,
        title=form.cleaned_data["title"],
        text=text if text and text != argument.text else None,
        decided_by=request.user,
    )
    messages.success(request, _("The argument is renamed; everyone sees the new title."))
    return _back(argument)


@staff_view(roles.can_respond)
@require_POST
def argument_merge_view(request, pk: int):
    argument = _argument(pk)
    form = MergeForm(request.POST, argument=argument)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(argument)
    others = list(form.cleaned_data["others"])
    argument_merge(target=argument, others=others, decided_by=request.user)
    messages.success(
        request,
        ngettext(
            "%(n)s argument merged into this one; its inputs and answers are here now.",
            "%(n)s arguments merged into this one; their inputs and answers are here now.",
            len(others),
        )
        % {"n": len(others)},
    )
    return _back(argument)


def _split(request, argument: Argument, chosen: list[Input], title: str = ""):
    """Move the chosen inputs into a new argument, unless that would empty this one."""
    if argument.inputs.exclude(pk__in=[i.pk for i in chosen]).count() == 0:
        messages.error(
            request,
            _(
                "Keep at least one input in this argument: to move all of them, merge this "
                "argument into another one instead."
            ),
        )
        return _back(argument)
    new = argument_split(argument=argument, inputs=chosen, title=title, decided_by=request.user)
    messages.success(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            ngettext(
                "%(n)s input moved into a new argument.",
                "%(n)s inputs moved into a new argument.",
                len(chosen),
            )
            % {"n": len(chosen)},
            reverse("staff:argument_detail", args=[new.pk]),
            new.title,
        ),
    )
    return _back(argument)


@staff_view(roles.can_respond)
@require_POST
def argument_split_view(request, pk: int):
    argument = _argument(pk)
    visible = list(argument_inputs(argument, request.user))
    form = SplitForm(request.POST, inputs=visible)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(argument)
    wanted = set(form.cleaned_data["inputs"])
    chosen = [i for i in visible if str(i.public_id) in wanted]
    return _split(request, argument, chosen, form.cleaned_data["title"].strip())


@staff_view(roles.can_respond)
@require_POST
def argument_move_out_view(request, pk: int):
    """Move one input out of the argument, into an argument of its own (pinned there)."""
    argument = _argument(pk)
    wanted = request.POST.get("input", "")
    chosen = [i for i in argument_inputs(argument, request.user) if str(i.public_id) == wanted]
    if not chosen:
        messages.error(request, _("That input is not in this argument (any more)."))
        return _back(argument)
    return _split(request, argument, chosen)


@staff_view(roles.can_respond)
@require_POST
def argument_answer_view(request, pk: int):
    """Answer once: every input in the argument gets the answer, each contributor one e-mail."""
    argument = _argument(pk)
    form = ResponseForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(argument)
    if not argument.inputs.exists():
        messages.error(request, _("The argument has no inputs to answer."))
        return _back(argument)
    result = argument_answer(argument=argument, decided_by=request.user, **form.service_kwargs())
    tell_answers(request, result.answers)
    return _back(argument)
