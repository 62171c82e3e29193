"""One argument as the case officers' page shows it: its inputs, voices, decisions, recipients.

The list of arguments is ``reads.arguments.arguments_for`` (the report's rule); this module
reads what only the staff argument page needs (docs/arguments.md, "The staff pages").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils.translation import gettext

from inputbank.models import (
    Argument,
    ArgumentCheck,
    ArgumentDecision,
    ArgumentVoice,
    Input,
    Process,
)
from inputbank.reads.arguments import arguments_for
from inputbank.reads.feedback import FeedbackNotQueued, feedback_recipient

MERGE_CHOICES = 20


def argument_inputs(argument: Argument, user):
    """The inputs of the argument this user may see, oldest first, with what the page shows."""
    return (
        Input.objects.visible_to(user)
        .filter(argument=argument)
        .select_related("process", "response")
        .order_by("received_at", "id")
    )


def answer_recipients(argument: Argument) -> int:
    """How many people an answer to the argument e-mails: each address once, as
    ``services.argument_answer`` sends (every input of the argument, whoever may see it)."""
    addresses = set()
    for item in argument.inputs.select_related("contributor"):
        try:
            addresses.add(feedback_recipient(item).lower())
        except FeedbackNotQueued:
            continue
    return len(addresses)


@dataclass(frozen=True)
class CheckVoices:
    """One "still true?" question and what residents answered so far."""

    check: ArgumentCheck
    confirmations: int
    disagreements: int
    additions: int
    last_voice: object  # datetime | None


def argument_checks(argument: Argument) -> list[CheckVoices]:
    """The processes the argument was put before, with the residents' voices (dated)."""
    stance = ArgumentVoice.Stance
    checks = (
        ArgumentCheck.objects.filter(argument=argument)
        .select_related("process")
        .annotate(
            n_confirm=Count("voices", filter=Q(voices__stance=stance.CONFIRM)),
            n_disagree=Count("voices", filter=Q(voices__stance=stance.DISAGREE)),
            n_add=Count("voices", filter=Q(voices__stance=stance.ADD)),
            last=Max("voices__created_at"),
        )
        .order_by("created_at", "id")
    )
    return [
        CheckVoices(c, c.n_confirm, c.n_disagree, c.n_add, c.last)  # type: ignore[attr-defined]
        for c in checks
    ]


def dated_voices(argument: Argument, limit: int = 50) -> list[ArgumentVoice]:
    """The residents' answers to "still true?", newest first: each a dated voice."""
    return list(
        ArgumentVoice.objects.filter(argument_check__argument=argument)
        .select_related("argument_check__process", "input")
        .order_by("-created_at", "-id")[:limit]
    )


def argument_decisions(argument: Argument) -> list[dict]:
    """The officers' decisions about the argument, newest first, each described in words."""
    rows = ArgumentDecision.objects.filter(argument=argument).select_related("decided_by")
    return [{"decision": d, "what": describe_decision(d)} for d in rows]


def describe_decision(decision: ArgumentDecision) -> str:
    """What a decision did, in a planner's words (from its kept detail)."""
    detail = decision.detail or {}
    kind = ArgumentDecision.Kind
    n = len(detail.get("inputs") or [])
    if decision.kind == kind.RENAME:
        return gettext("“%(old)s” → “%(new)s”") % {
            "old": detail.get("old_title", ""),
            "new": detail.get("title", ""),
        }
    if decision.kind == kind.MERGE:
        titles = ", ".join(f"“{m.get('title', '')}”" for m in detail.get("merged") or [])
        return gettext("merged in: %(titles)s") % {"titles": titles}
    if decision.kind == kind.SPLIT:
        if detail.get("into"):
            return gettext("%(n)s inputs moved out into argument %(id)s") % {
                "n": n,
                "id": detail["into"],
            }
        return gettext("%(n)s inputs split off from argument %(id)s") % {
            "n": n,
            "id": detail.get("split_from", ""),
        }
    if decision.kind == kind.ANSWER:
        reference = detail.get("decision_reference") or ""
        text = gettext("%(n)s inputs answered") % {"n": n}
        return f"{text} ({reference})" if reference else text
    return gettext("%(n)s inputs kept together") % {"n": n}


def merge_candidates(argument: Argument, query: str) -> list[Argument]:
    """Other arguments an officer may merge into this one: by words of the title, or id."""
    query = (query or "").strip()[:100]
    if not query:
        return []
    found = Argument.objects.exclude(pk=argument.pk)
    if query.isdigit() and len(query) < 12:
        found = found.filter(Q(pk=int(query)) | Q(title__icontains=query))
    else:
        for word in query.split()[:5]:
            found = found.filter(title__icontains=word)
    found = found.annotate(n_inputs=Count("inputs")).filter(n_inputs__gt=0)
    return list(found.order_by("-n_inputs", "-id")[:MERGE_CHOICES])


def still_true_candidates(process: Process, user, limit: int = 50) -> list[dict]:
    """Earlier arguments in a process's area an officer may put before its residents: those
    of inputs in the area from other processes or none, most voices first."""
    if process.area is None:
        return []
    inputs = Input.objects.visible_to(user).within(process.area).exclude(process=process)
    opened = set(ArgumentCheck.objects.filter(process=process).values_list("argument", flat=True))
    return [a for a in arguments_for(inputs, limit=limit) if a["id"] not in opened]
