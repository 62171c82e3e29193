"""Writes for inputs: submit (resident), register (staff, any channel), publish, reject."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils import timezone

from inputbank.casenumbers import CaseRef
from inputbank.models import (
    Channel,
    Contributor,
    Input,
    LocationSource,
    ModerationStatus,
    Process,
    Theme,
)
from inputbank.redaction import redact
from inputbank.services.attachments import PreparedAttachment, attachment_store


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

    def is_empty(self) -> bool:
        return not (
            self.name or self.email or self.phone or self.postal_address or self.organisation
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
) -> Input:
    if geom is None:
        location_source = LocationSource.NONE
    item = Input(
        text=text,
        public_text=redact(text),
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
    )
    item._history_user = registered_by
    item.save()
    if themes:
        item.themes.set(themes)
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
) -> Input:
    """Store a resident's input as pending; its public text is redacted right away."""
    return _input_create(
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
) -> Input:
    """Register input a case officer received by letter, hearing, workshop, phone, ...

    With ``publish`` the officer vouches for the (redacted) public text and it is published at
    once; otherwise it waits in the moderation queue like resident input. ``attachments`` are
    checked beforehand (``attachment_prepare``), so a refused file stores nothing.
    """
    item = _input_create(
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
    return input
