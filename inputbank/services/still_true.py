""" "Vi har hørt dette før — stemmer det fortsatt?": earlier arguments put before residents.

When a new process opens over an area, staff put earlier arguments before its residents
(``argument_check_open``); a resident confirms, disagrees or adds (``argument_voice_add``).
A confirmation is a dated voice on the argument; an addition is a new input in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from inputbank import cache
from inputbank.models import Argument, ArgumentCheck, ArgumentVoice, Input, Process
from inputbank.services.inputs import ContributorData, input_submit


class NotOpen(Exception):
    """The process no longer takes input, or the stance needs text that was not given. The
    message is in the reader's language: the API shows it to the resident as it is."""


class UnknownStance(NotOpen):
    """Not confirm, disagree or add. A refusal like the others, so every door that shows
    them shows this one; stored, it would be counted nowhere and take the person's one voice."""


@dataclass
class VoiceResult:
    voice: ArgumentVoice
    created: bool
    confirmations: int
    disagreements: int


@transaction.atomic
def argument_check_open(*, argument: Argument, process: Process, opened_by) -> ArgumentCheck:
    """Put an earlier argument before the residents of ``process`` (once per process)."""
    check, _created = ArgumentCheck.objects.get_or_create(
        argument=argument, process=process, defaults={"opened_by": opened_by}
    )
    cache.invalidate_after_commit()
    return check


@transaction.atomic
def argument_voice_add(
    *,
    check: ArgumentCheck,
    stance: str,
    supporter_key: str,
    text: str = "",
    geom: GEOSGeometry | None = None,
    language: str = "nb",
    contributor: ContributorData | None = None,
) -> VoiceResult:
    """Record a resident's answer. Confirm or disagree: one per person and check (a change
    of mind replaces it). Add: a new input (pending, moderated as any) in the argument."""
    if stance not in ArgumentVoice.Stance.values:
        raise UnknownStance(
            gettext("Unknown answer %(stance)s: confirm, disagree or add.")
            % {"stance": repr(stance)}
        )
    today = timezone.localdate()
    if not Process.objects.open_on(today).filter(pk=check.process_id).exists():
        raise NotOpen(gettext("The process no longer takes input."))
    if stance == ArgumentVoice.Stance.ADD:
        if not text.strip():
            raise NotOpen(gettext("An addition needs a text."))
        item = input_submit(
            text=text,
            geom=geom,
            themes=list(check.argument.themes.all()),
            language=language,
            process=check.process,
            contributor=contributor,
        )
        # The resident said which argument it belongs to: pinned, as an officer's decision.
        matched = item.argument_id
        Input.objects.filter(pk=item.pk).update(
            argument=check.argument, argument_pinned=True, argument_reason=""
        )
        item.argument, item.argument_pinned, item.argument_reason = check.argument, True, ""
        if matched and matched != check.argument_id:
            # The matcher had opened an argument for this text alone; with the text moved it
            # would stay behind empty, titled with the resident's words.
            Argument.objects.filter(
                pk=matched,
                inputs__isnull=True,
                decisions__isnull=True,
                responses__isnull=True,
                checks__isnull=True,
            ).delete()
        voice = ArgumentVoice.objects.create(
            argument_check=check, stance=stance, supporter_key=supporter_key, input=item
        )
        created = True
    else:
        voice, created = ArgumentVoice.objects.update_or_create(
            argument_check=check,
            supporter_key=supporter_key,
            stance__in=[ArgumentVoice.Stance.CONFIRM, ArgumentVoice.Stance.DISAGREE],
            defaults={"stance": stance},
            create_defaults={"stance": stance},
        )
    voices = ArgumentVoice.objects.filter(argument_check=check)
    return VoiceResult(
        voice=voice,
        created=created,
        confirmations=voices.filter(stance=ArgumentVoice.Stance.CONFIRM).count(),
        disagreements=voices.filter(stance=ArgumentVoice.Stance.DISAGREE).count(),
    )
