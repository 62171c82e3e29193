"""Writes for inputs: submit (resident), register (staff, any channel), publish, reject."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils import timezone

from inputbank import cache
from inputbank.casenumbers import CaseRef
from inputbank.location_privacy import looks_like_home
from inputbank.models import (
    INPUT_HISTORY,
    Channel,
    Contributor,
    Input,
    LocationSource,
    ModerationStatus,
    Process,
    Theme,
)
from inputbank.redaction import KnownPerson, redact
from inputbank.services.arguments import argument_place_new
from inputbank.services.attachments import PreparedAttachment, attachment_store
from inputbank.services.feedback_email import FeedbackNotQueued, receipt_queue, send_after_commit


@dataclass(frozen=True)
class ContributorData:
    """Personal data offered with an input; stored apart from it (Contributor)."""

    name: str = ""
    email: str = ""
    phone: str = ""
    postal_address: str = ""
    organisation: str = ""
    wants_feedback: bool = False
    preferred_language: str = "nb"
    consent_publish_name: bool = False
    sender_category: str = ""  # SenderCategory; blank: guessed from the organisation

    def known(self) -> KnownPerson:
        """What redaction should look for in this person's own text."""
        return KnownPerson(
            name=self.name,
            email=self.email,
            phone=self.phone,
            postal_address=self.postal_address,
            organisation=self.organisation,
        )

    def is_empty(self) -> bool:
        return not (
            self.name
            or self.email
            or self.phone
            or self.postal_address
            or self.organisation
            or self.sender_category
        )


def _contributor_create(data: ContributorData | None) -> Contributor | None:
    if data is None or data.is_empty():
        return None
    return Contributor.objects.create(**data.__dict__)


def _input_create(
    *,
    text: str,
    geom: GEOSGeometry | None,
    location_source: str,
    themes: Sequence[Theme],
    channel: str,
    language: str,
    process: Process | None,
    contributor: ContributorData | None,
    received_at: dt.datetime | None,
    registered_by=None,
    source_group: str = "",
    location_description: str = "",
    case_ref: CaseRef | None = None,
    location_restricted: bool = False,
    idempotency_key: str | None = None,
    location_is_home: bool | None = None,
) -> Input:
    if geom is None:
        location_source = LocationSource.NONE
    if location_is_home is None:  # not said: the place is a home when it is their own address
        location_is_home = contributor is not None and looks_like_home(
            location_description=location_description,
            postal_address=contributor.postal_address,
        )
    item = Input(
        location_restricted=location_restricted,
        location_is_home=location_is_home and geom is not None,
        text=text,
        # The bank knows who wrote it: their own name, phone and address leave the public text.
        public_text=redact(text, known=contributor.known() if contributor else None),
        geom=geom,
        location_source=location_source,
        location_description=location_description,
        channel=channel,
        language=language,
        process=process,
        received_at=received_at or timezone.now(),
        contributor=_contributor_create(contributor),
        source_group=source_group,
        registered_by=registered_by,
        case_year=case_ref.year if case_ref else None,
        case_sequence=case_ref.sequence if case_ref else None,
        case_document=case_ref.document if case_ref else None,
        status=ModerationStatus.PENDING,
        idempotency_key=idempotency_key,
    )
    item._history_user = registered_by
    theme_ids = list(dict.fromkeys(t.pk for t in themes or ()))
    # The argument it makes, in this transaction: staff see it, the resident sees what was
    # said here before (docs/arguments.md). Chosen before the INSERT, which carries it: the
    # INSERT holds the year's reference counter until commit, and other submissions wait for
    # it (argument_place_new). Switched off, `manage.py match_arguments` places it later
    # (B9.submit measures the difference).
    if settings.INPUTBANK["ARGUMENTS_MATCH_AT_SUBMISSION"]:
        argument_place_new(input=item, theme_ids=theme_ids)
    # One "created" version holding the fields, the placing and the themes (as an import
    # records it), and the links written directly: ``themes.set`` on a new input first asked
    # which links it had, and its signal recorded a second version (five round trips).
    item.skip_history_when_saving = True
    try:
        item.save()
        through = Input.themes.through
        through.objects.bulk_create([through(input_id=item.pk, theme_id=t) for t in theme_ids])
    finally:
        del item.skip_history_when_saving
    INPUT_HISTORY.record_created(item)
    return item


@transaction.atomic
def input_submit(
    *,
    text: str,
    geom: GEOSGeometry | None,
    themes: Sequence[Theme],
    language: str = "nb",
    process: Process | None = None,
    contributor: ContributorData | None = None,
    location_source: str = LocationSource.DRAWN,
    location_description: str = "",
    channel: str = Channel.WEB_MAP,
    idempotency_key: str | None = None,
    location_is_home: bool | None = None,
    under_16: bool = False,
) -> Input:
    """Store a resident's input as pending; its public text is redacted right away.

    ``idempotency_key`` (already hashed, see inputbank.api.idempotency) is unique: a second
    submission with the same key raises IntegrityError and stores nothing.
    ``location_is_home`` ("this is where I live"; None = guess from their own address) makes
    the public see the place only generalised. A child's input (``under_16``, the age group
    the resident chose) is ``location_restricted`` like a Barnetråkk walk: its place is public
    only in aggregates. A contributor who left an e-mail address gets a receipt (what they
    sent, the reference, where to follow it) once the input is stored.
    """
    item = _input_create(
        idempotency_key=idempotency_key,
        location_is_home=location_is_home,
        location_restricted=under_16,
        text=text,
        geom=geom,
        location_source=location_source,
        location_description=location_description,
        themes=themes,
        channel=channel,
        language=language,
        process=process,
        contributor=contributor,
        received_at=None,
    )
    try:
        receipt = receipt_queue(input=item)
    except FeedbackNotQueued:
        return item
    send_after_commit([receipt.pk])
    return item


@transaction.atomic
def input_register(
    *,
    text: str,
    geom: GEOSGeometry | None,
    themes: Sequence[Theme],
    channel: str,
    registered_by,
    received_at: dt.datetime | None = None,
    language: str = "nb",
    process: Process | None = None,
    contributor: ContributorData | None = None,
    location_source: str = LocationSource.DIGITISED,
    location_description: str = "",
    source_group: str = "",
    case_ref: CaseRef | None = None,
    publish: bool = False,
    attachments: Sequence[PreparedAttachment] = (),
    location_restricted: bool = False,
    location_is_home: bool | None = None,
) -> Input:
    """Register input a case officer received by letter, hearing, workshop, phone, ...

    With ``publish`` the officer vouches for the (redacted) public text and it is published at
    once; otherwise it waits in the moderation queue like resident input. ``attachments`` are
    checked beforehand (``attachment_prepare``), so a refused file stores nothing. Children's
    walks (Barnetråkk) are always ``location_restricted``: the exact place is never public.
    """
    item = _input_create(
        location_is_home=location_is_home,
        text=text,
        geom=geom,
        location_source=location_source,
        location_description=location_description,
        themes=themes,
        channel=channel,
        language=language,
        process=process,
        contributor=contributor,
        received_at=received_at,
        registered_by=registered_by,
        source_group=source_group,
        case_ref=case_ref,
        location_restricted=location_restricted or channel == Channel.BARNETRAKK,
    )
    for prepared in attachments:
        attachment_store(input=item, prepared=prepared)
    if publish:
        input_publish(input=item, moderator=registered_by)
    return item


@transaction.atomic
def input_publish(*, input: Input, moderator, public_text: str | None = None) -> Input:  # noqa: A002
    """Publish an input, optionally with a moderator-edited public text (redacted again)."""
    now = timezone.now()
    if public_text is not None:
        input.public_text = redact(public_text)
    input.status = ModerationStatus.PUBLISHED
    input.rejection_reason = ""
    input.moderated_by = moderator
    input.moderated_at = now
    input.published_at = input.published_at or now
    input._history_user = moderator
    input.save()
    cache.invalidate_after_commit()
    return input


@transaction.atomic
def input_reject(*, input: Input, moderator, reason: str) -> Input:  # noqa: A002
    """Reject an input with a reason; it stays stored (and answerable) but is never public."""
    input.status = ModerationStatus.REJECTED
    input.rejection_reason = reason
    input.moderated_by = moderator
    input.moderated_at = timezone.now()
    input._history_user = moderator
    input.save()
    cache.invalidate_after_commit()  # it may have been public until now
    return input


class _Unset:
    """Marks an argument the caller did not pass (None is a meaningful value here)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@transaction.atomic
def input_update(
    *,
    input: Input,  # noqa: A002
    changed_by,
    text: str = UNSET,
    public_text: str = UNSET,
    geom: GEOSGeometry | None = UNSET,
    location_source: str = UNSET,
    location_description: str = UNSET,
    themes: Sequence[Theme] = UNSET,
    process: Process | None = UNSET,
    channel: str = UNSET,
    language: str = UNSET,
    received_at: dt.datetime = UNSET,
    source_group: str = UNSET,
    case_ref: CaseRef | None = UNSET,
    summary: str = UNSET,
    sender_category: str = UNSET,
) -> Input:
    """Change the fields a case officer may correct; only the arguments given are touched.

    A new original text is redacted again into the public text, unless an explicit public
    text is given (which is redacted too): nothing unredacted ever becomes public.
    ``summary`` is the officer's sammendrag (redacted too: it goes into public case papers).
    ``sender_category`` is kept on the contributor; input without one gets a contributor
    record holding only the group's name and the category.
    """
    if text is not UNSET:
        input.text = text
        if public_text is UNSET:
            input.public_text = redact(text)
    if public_text is not UNSET:
        input.public_text = redact(public_text)
    if geom is not UNSET:
        input.geom = geom
        if geom is None:
            input.location_source = LocationSource.NONE
        elif location_source is UNSET and input.location_source == LocationSource.NONE:
            input.location_source = LocationSource.DIGITISED
    if location_source is not UNSET and input.geom is not None:
        input.location_source = location_source
    for name, value in (
        ("location_description", location_description),
        ("process", process),
        ("channel", channel),
        ("language", language),
        ("received_at", received_at),
        ("source_group", source_group),
        ("summary", redact(summary) if summary is not UNSET else UNSET),
    ):
        if value is not UNSET:
            setattr(input, name, value)
    if case_ref is not UNSET:
        input.case_year = case_ref.year if case_ref else None
        input.case_sequence = case_ref.sequence if case_ref else None
        input.case_document = case_ref.document if case_ref else None
    if sender_category is not UNSET:
        _sender_category_set(input, sender_category)
    if themes is not UNSET:
        # Set before the save, without a history record of its own: simple-history records
        # each m2m signal (a removal and an addition would be two versions); the save below
        # records one version holding the fields and the themes together.
        input.skip_history_when_saving = True
        try:
            input.themes.set(themes)
        finally:
            del input.skip_history_when_saving
    input._history_user = changed_by
    input.save()
    if input.status == ModerationStatus.PUBLISHED:
        cache.invalidate_after_commit()
    return input


def _sender_category_set(item: Input, category: str) -> None:
    contributor = item.contributor
    if contributor is None:
        if not category:
            return
        contributor = Contributor(organisation=item.source_group)
        item.contributor = contributor
    contributor.sender_category = category
    contributor.save()
