"""Writes for arguments (standpunkter): match at submission, officers' decisions, answer once.

The machine only ever places inputs that are not pinned; every officer decision pins the
inputs it touches, so it wins over the machine's next run (docs/arguments.md). Decisions are
kept as ArgumentDecision rows and every change is in the simple-history audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from inputbank import cache
from inputbank.matching import best_match
from inputbank.matching.text import token_key
from inputbank.models import (
    Argument,
    ArgumentCheck,
    ArgumentDecision,
    ArgumentVoice,
    Input,
    Stage,
)
from inputbank.reads.argument_statements import ThemeKeys, candidates_for, statement_of
from inputbank.reads.arguments import reason_text, title_of
from inputbank.services.answers import BulkAnswer, answer_one
from inputbank.services.arguments_regroup import arguments_regroup
from inputbank.services.feedback_email import send_after_commit


def _save_input(item: Input, user, fields: Sequence[str]) -> None:
    item._history_user = user
    item.save(update_fields=[*fields, "updated_at"])


# No savepoint of its own: it runs inside the submitting service's transaction, and at
# submission every round trip counts (two of ~ten were the savepoint's).
@transaction.atomic(savepoint=False)
def argument_match(*, input: Input, theme_ids: Sequence[int] | None = None) -> int:  # noqa: A002
    """Put a saved input into the argument it makes, or open a new one; return the argument's
    id. Runs inside the caller's transaction (imports one by one, ``arguments_match_many``).
    A pinned input stays where the officer put it. ``theme_ids``: the input's themes, when
    the caller has them at hand (one query less). A new input is placed before it is saved
    (``argument_place_new``).
    """
    if input.argument_pinned and input.argument_id is not None:
        return input.argument_id
    if theme_ids is None:
        theme_ids = list(input.themes.values_list("id", flat=True))
    argument_id = argument_place_new(input=input, theme_ids=theme_ids)
    # An update, not a save: the machine's placing is no audit event (the officers' are), and
    # an import of 100 000 rows gets no second history row each. Its tokens are kept for the
    # submissions that will compare with it (reads.argument_statements), also on the object:
    # the caller's later save (publishing) writes them back unchanged.
    Input.objects.filter(pk=input.pk).update(
        argument_id=argument_id,
        argument_reason=input.argument_reason,
        match_tokens=input.match_tokens,
        match_key=input.match_key,
    )
    return argument_id


def argument_place_new(*, input: Input, theme_ids: Sequence[int]) -> int:  # noqa: A002
    """Choose the argument of an input not yet saved (or about to be written by the caller),
    opening a new one when none matches; set it on the object with the reason, the tokens and
    their key, and return its id. Must run in the caller's transaction.

    Submission (``_input_create``) places the new input before its INSERT, which then carries
    the placing: the INSERT takes the year's reference counter row (trigger of migration
    0016) until commit, and the candidate query and scoring (~10-20 ms) no longer run while
    the other workers' submissions wait for that row (docs/benchmarks.md, X2).
    """
    keys = ThemeKeys.current()
    statement = statement_of(input, keys(theme_ids))
    found, match = best_match(statement, candidates_for(input, keys, theme_ids))
    if found is None or match is None:
        argument = Argument.objects.create(
            title=title_of(input.public_text or input.text), text=input.public_text
        )
        through = Argument.themes.through
        links = [through(argument=argument, theme_id=t) for t in dict.fromkeys(theme_ids)]
        through.objects.bulk_create(links)
        argument_id, input.argument_reason = argument.pk, ""
    else:
        assert isinstance(found.key, int)  # candidates_for keys them by argument id
        argument_id, input.argument_reason = found.key, reason_text(match)
        Argument.objects.filter(pk=argument_id).update(updated_at=timezone.now())
    input.argument_id = argument_id
    input.match_tokens = sorted(statement.tokens)
    input.match_key = token_key(input.public_text or input.text)
    return argument_id


# Up to this many new inputs are matched one by one (one candidate query each, ~10 ms);
# more go through the regrouping's blocks (one read of the inputs around them, then memory).
ONE_BY_ONE_MAX = 50


def arguments_match_many(*, input_ids: Sequence[int]) -> int:
    """Match a batch of new inputs (an import) in the order they were received: in blocks
    with the regrouping's code (``arguments_regroup``, the same rule; 3 000 rows one by one
    took ~33 s), a handful one by one as at submission."""
    ids = list(input_ids)
    if len(ids) > ONE_BY_ONE_MAX:
        return arguments_regroup(ids=ids).placed
    items = Input.objects.filter(pk__in=ids).order_by("received_at", "id")
    count = 0
    for item in items:
        argument_match(input=item)
        count += 1
    return count


def _decide(argument: Argument, kind: str, user, **detail) -> ArgumentDecision:
    return ArgumentDecision.objects.create(
        argument=argument, kind=kind, decided_by=user, detail=detail
    )


def _pin(inputs, argument: Argument, user) -> list[int]:
    moved = []
    for item in inputs:
        item.argument, item.argument_pinned = argument, True
        _save_input(item, user, ["argument", "argument_pinned"])
        moved.append(item.pk)
    return moved


@transaction.atomic
def argument_confirm(*, argument: Argument, decided_by) -> Argument:
    """An officer agrees the inputs belong together: all of them stay, whatever the machine."""
    argument.confirmed = True
    argument._history_user = decided_by
    argument.save()
    ids = _pin(argument.inputs.filter(argument_pinned=False), argument, decided_by)
    _decide(argument, ArgumentDecision.Kind.CONFIRM, decided_by, inputs=ids)
    cache.invalidate_after_commit()
    return argument


@transaction.atomic
def argument_rename(*, argument: Argument, title: str, decided_by, text: str | None = None):
    """Give an argument the title (and representative wording) a planner would use."""
    old = argument.title
    argument.title = title.strip()[:200]
    argument.titled_by_officer = True
    if text is not None:
        argument.text = text
    argument._history_user = decided_by
    argument.save()
    _decide(argument, ArgumentDecision.Kind.RENAME, decided_by, old_title=old, title=title)
    cache.invalidate_after_commit()
    return argument


def _move_checks(other: Argument, target: Argument) -> None:
    """Keep the residents' "still true?" voices of a merged argument: its questions move to
    the target; where both were asked in the same process, the voices join the target's
    question (a person who answered both keeps the answer given to the target)."""
    for check in other.checks.all():
        same = target.checks.filter(process_id=check.process_id).first()
        if same is None:
            ArgumentCheck.objects.filter(pk=check.pk).update(argument=target)
            continue
        answered = same.voices.exclude(stance=ArgumentVoice.Stance.ADD).values("supporter_key")
        check.voices.filter(stance=ArgumentVoice.Stance.ADD).update(argument_check=same)
        check.voices.exclude(supporter_key__in=answered).update(argument_check=same)


@transaction.atomic
def argument_merge(*, target: Argument, others: Sequence[Argument], decided_by) -> Argument:
    """Fold other arguments into ``target``: their inputs, answers and decisions move along."""
    merged = []
    for other in others:
        if other.pk == target.pk:
            continue
        _pin(other.inputs.all(), target, decided_by)
        other.responses.update(argument=target)
        other.decisions.update(argument=target)
        _move_checks(other, target)
        target.themes.add(*other.themes.all())
        merged.append({"id": other.pk, "title": other.title})
        other._history_user = decided_by
        other.delete()
    target.confirmed = True
    target._history_user = decided_by
    target.save()
    _pin(target.inputs.filter(argument_pinned=False), target, decided_by)
    _decide(target, ArgumentDecision.Kind.MERGE, decided_by, merged=merged)
    cache.invalidate_after_commit()
    return target


@transaction.atomic
def argument_split(
    *, argument: Argument, inputs: Sequence[Input], decided_by, title: str = ""
) -> Argument:
    """Move some inputs out into a new argument; both sides are pinned (the machine obeys)."""
    moving = [i for i in inputs if i.argument_id == argument.pk]
    if not moving:
        raise ValueError("none of these inputs belongs to the argument")
    first = moving[0]
    new = Argument(
        title=(title or title_of(first.public_text or first.text))[:200],
        text=first.public_text,
        confirmed=True,
        titled_by_officer=bool(title),
    )
    new._history_user = decided_by
    new.save()
    new.themes.set(argument.themes.all())
    ids = _pin(moving, new, decided_by)
    _pin(argument.inputs.filter(argument_pinned=False), argument, decided_by)
    argument.confirmed = True
    argument._history_user = decided_by
    argument.save()
    _decide(argument, ArgumentDecision.Kind.SPLIT, decided_by, inputs=ids, into=new.pk)
    _decide(new, ArgumentDecision.Kind.SPLIT, decided_by, inputs=ids, split_from=argument.pk)
    cache.invalidate_after_commit()
    return new


@transaction.atomic
def argument_answer(
    *,
    argument: Argument,
    outcome: str,
    justification: str,
    decided_by,
    stage: str = Stage.OTHER,
    decision_reference: str = "",
    decided_at: dt.datetime | None = None,
    notify: bool = True,
) -> BulkAnswer:
    """Answer an argument once: every input in it gets the response (its own record, noting
    the argument); each contributor who asked for feedback gets one e-mail, even with
    several inputs in the argument."""
    result = BulkAnswer()
    written_to: set[str] = set()
    items = argument.inputs.select_related("contributor").order_by("received_at", "id")
    for item in items:
        email = (item.contributor.email.lower() if item.contributor else "") or ""
        once = notify and (not email or email not in written_to)
        answer = answer_one(
            argument=argument,
            input=item,
            outcome=outcome,
            justification=justification,
            decided_by=decided_by,
            stage=stage,
            decision_reference=decision_reference,
            decided_at=decided_at,
            notify=once,
        )
        if answer.delivery is not None:
            written_to.add(email)
        result.answers.append(answer)
    _decide(
        argument,
        ArgumentDecision.Kind.ANSWER,
        decided_by,
        outcome=outcome,
        decision_reference=decision_reference,
        inputs=[a.response.input_id for a in result.answers],
    )
    send_after_commit([a.delivery.pk for a in result.answers if a.delivery is not None])
    return result
