"""GDPR duties: retention (pseudonymise after a process closes), access and erasure.

Legal basis is public task (art. 6(1)(e)); personal data is kept only as long as feedback and
appeal need it (docs/privacy.md). Both pseudonymisation and erasure remove the person from
every copy the bank holds: the contributor row, their own text and ``location_description``
(the bank knows their name, e-mail, phone and address, so it finds them there), the
municipality's answer to them, the history tables (simple-history keeps a row per save), the
admin log and the feedback e-mail records. The input itself, its place, themes and response
stay: the case and the archive need them.

Area alerts (``AreaAlert``) are the subscriber's own consent, not part of a case: retention
leaves them alone, while erasure for an e-mail address deletes them with the rest.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import transaction
from django.db.models import DateField, Exists, ExpressionWrapper, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from geo.crs import WEB_SRID
from inputbank import cache
from inputbank.models import (
    AreaAlert,
    Attachment,
    AuditEvent,
    Comment,
    Contributor,
    FeedbackDelivery,
    Input,
    PrivacyRequest,
    Response,
    input_themes_history,
)
from inputbank.redaction import KnownPerson, redact
from inputbank.services.audit import audit_record

PERSONAL_FIELDS = ("name", "email", "phone", "postal_address", "organisation")
# Input without a process has no closing date: its personal data is kept this long after it came.
NO_PROCESS_DAYS = 365


def default_retention_days() -> int:
    return settings.INPUTBANK["RETENTION_DAYS_AFTER_CLOSE"]


def known_person(contributor: Contributor) -> KnownPerson:
    """What redaction should look for in this contributor's text."""
    return KnownPerson(
        name=contributor.name,
        email=contributor.email,
        phone=contributor.phone,
        postal_address=contributor.postal_address,
        organisation=contributor.organisation,
    )


# --- retention -----------------------------------------------------------------------------
def _keep_until() -> ExpressionWrapper:
    """The input's process's closing date plus its retention (its own, or the default)."""
    return ExpressionWrapper(
        F("process__closes_on")
        + Coalesce(F("process__retention_days"), Value(default_retention_days())),
        output_field=DateField(),
    )


def _still_needed(today: dt.date) -> Q:
    """Inputs (annotated with ``keep_until``) whose contributor's data is still needed.

    A process keeps it until ``closes_on + retention``; an open-ended process keeps it; input
    outside any process keeps it for NO_PROCESS_DAYS after it came.
    """
    return (
        Q(process__isnull=True, received_at__date__gt=today - dt.timedelta(days=NO_PROCESS_DAYS))
        | Q(process__isnull=False, process__closes_on__isnull=True)
        | Q(process__isnull=False, keep_until__gte=today)
    )


def contributors_due_for_pseudonymisation(today: dt.date):
    """Contributors not yet pseudonymised none of whose inputs (or comments) still need them.

    Written with NOT EXISTS: ``id NOT IN (SELECT contributor_id ...)`` is never true once the
    subquery holds a NULL (anonymous input), and then nobody was ever pseudonymised.
    """
    needed_input = (
        Input.objects.annotate(keep_until=_keep_until())
        .filter(_still_needed(today), contributor_id=OuterRef("pk"))
        .values("pk")
    )
    recent_comment = Comment.objects.filter(
        contributor_id=OuterRef("pk"),
        created_at__date__gt=today - dt.timedelta(days=NO_PROCESS_DAYS),
    ).values("pk")
    return Contributor.objects.filter(pseudonymised_at__isnull=True).filter(
        ~Exists(needed_input), ~Exists(recent_comment)
    )


def _redact_rows(queryset, fields: tuple[str, ...], person: KnownPerson, only_known=False) -> int:
    """Redact ``fields`` of every row in place (no new history row); return rows changed."""
    changed = 0
    for row in queryset.only("pk", *fields):
        values = {f: getattr(row, f) or "" for f in fields}
        new = {f: redact(v, known=person, only_known=only_known) for f, v in values.items()}
        if new != values:
            queryset.model.objects.filter(pk=row.pk).update(**new)
            changed += 1
    return changed


def _scrub_copies(contributor: Contributor, *, unlink: bool) -> int:
    """Remove the contributor's personal data from every copy; return how many inputs they have.

    ``unlink`` (erasure) also cuts the link from inputs, comments and their history rows.
    """
    person = known_person(contributor)
    input_ids = list(Input.objects.filter(contributor=contributor).values_list("pk", flat=True))
    comment_ids = list(contributor.comments.values_list("pk", flat=True))
    text_fields = ("text", "public_text", "summary", "location_description", "source_group")
    _redact_rows(Input.objects.filter(pk__in=input_ids), text_fields, person)
    history = Input.history.model.objects.filter(id__in=input_ids)
    _redact_rows(history, (*text_fields, "history_change_reason"), person)
    _redact_rows(Comment.objects.filter(pk__in=comment_ids), ("text", "public_text"), person)
    comment_history = Comment.history.model.objects.filter(id__in=comment_ids)
    _redact_rows(comment_history, ("text", "public_text", "history_change_reason"), person)
    # The municipality's answer is its own text: only the person's own details leave it.
    responses = Response.objects.filter(input_id__in=input_ids)
    _redact_rows(responses, ("justification",), person, only_known=True)
    response_history = Response.history.model.objects.filter(input_id__in=input_ids)
    _redact_rows(response_history, ("justification",), person, only_known=True)
    for attachment in Attachment.objects.filter(input_id__in=input_ids):
        suffix = attachment.original_name.rpartition(".")[2][:10]
        name = f"vedlegg-{attachment.pk}.{suffix}" if "." in attachment.original_name else ""
        Attachment.objects.filter(pk=attachment.pk).update(
            original_name=name or f"vedlegg-{attachment.pk}"
        )
    deliveries = FeedbackDelivery.objects.filter(input_id__in=input_ids)
    _redact_rows(deliveries, ("last_error",), person)
    _scrub_admin_log(contributor, person, input_ids)
    if unlink:
        history.update(contributor_id=None)
        comment_history.update(contributor_id=None)
    return len(input_ids)


def _scrub_admin_log(contributor: Contributor, person: KnownPerson, input_ids: list[int]) -> None:
    """The admin log names objects by str() (the contributor's name) and may quote values."""
    contributor_type = ContentType.objects.get_for_model(Contributor)
    LogEntry.objects.filter(content_type=contributor_type, object_id=str(contributor.pk)).update(
        object_repr=f"Contributor {contributor.pk}"
    )
    mentions = Q()
    for value in (person.name, person.email, person.phone, person.organisation):
        if len(value.strip()) >= 3:
            mentions |= Q(object_repr__icontains=value.strip())
            mentions |= Q(change_message__icontains=value.strip())
    input_type = ContentType.objects.get_for_model(Input)
    mentions |= Q(content_type=input_type, object_id__in=[str(pk) for pk in input_ids])
    _redact_rows(LogEntry.objects.filter(mentions), ("object_repr", "change_message"), person)


@transaction.atomic
def contributor_pseudonymise(*, contributor: Contributor) -> Contributor:
    """Blank the contributor's personal data everywhere; the input stays, with no person in it."""
    _scrub_copies(contributor, unlink=False)
    for field in PERSONAL_FIELDS:
        setattr(contributor, field, "")
    contributor.wants_feedback = False
    contributor.consent_publish_name = False
    contributor.pseudonymised_at = timezone.now()
    contributor.save()
    return contributor


@transaction.atomic
def retention_apply(*, today: dt.date | None = None) -> int:
    """Pseudonymise every contributor past retention; return how many were changed."""
    today = today or timezone.localdate()
    due = list(contributors_due_for_pseudonymisation(today))
    for contributor in due:
        contributor_pseudonymise(contributor=contributor)
    if due:
        cache.invalidate_after_commit()
    return len(due)


# --- access and erasure ---------------------------------------------------------------------
def contributor_export(*, contributor: Contributor) -> dict[str, Any]:
    """Everything stored about one contributor, for a data subject access request (art. 15)."""
    inputs = (
        contributor.inputs.order_by("received_at")
        .select_related("process", "response")
        .prefetch_related("themes", "attachments")
    )
    return {
        "contributor": {f: getattr(contributor, f) for f in PERSONAL_FIELDS}
        | {
            "wants_feedback": contributor.wants_feedback,
            "preferred_language": contributor.preferred_language,
            "consent_publish_name": contributor.consent_publish_name,
            "created_at": contributor.created_at.isoformat(),
        },
        "inputs": [_export_input(item) for item in inputs],
        "comments": [
            {"text": c.text, "public_text": c.public_text, "created_at": c.created_at.isoformat()}
            for c in contributor.comments.order_by("created_at")
        ],
        "area_alerts": area_alerts_export(email=contributor.email),
    }


def area_alerts_export(*, email: str) -> list[dict[str, Any]]:
    """The area alerts an e-mail address subscribed to (art. 15), areas as GeoJSON."""
    if not email:
        return []
    return [
        {
            "area": alert.area.transform(WEB_SRID, clone=True).geojson,
            "address": alert.address_label,
            "radius_m": alert.radius_m,
            "frequency": alert.frequency,
            "language": alert.language,
            "created_at": alert.created_at.isoformat(),
            "confirmed_at": alert.confirmed_at and alert.confirmed_at.isoformat(),
        }
        for alert in AreaAlert.objects.filter(email__iexact=email).order_by("created_at")
    ]


def area_alerts_erase(*, email: str) -> int:
    """Delete every area alert of an e-mail address (erasure, art. 17); return how many."""
    if not email:
        return 0
    return AreaAlert.objects.filter(email__iexact=email.strip()).delete()[0]


def _export_input(item: Input) -> dict[str, Any]:
    response = getattr(item, "response", None)
    return {
        "public_id": str(item.public_id),
        "text": item.text,
        "public_text": item.public_text,
        "summary": item.summary,
        "location_description": item.location_description,
        "location": item.geom.transform(WEB_SRID, clone=True).geojson if item.geom else None,
        "themes": [theme.name for theme in item.themes.all()],
        "channel": item.channel,
        "received_at": item.received_at.isoformat(),
        "status": item.status,
        "process": item.process.title if item.process else None,
        "attachments": [a.original_name for a in item.attachments.all()],
        "response": response
        and {"outcome": response.outcome, "justification": response.justification},
        "feedback_emails": [
            {"status": d.status, "sent_at": d.sent_at and d.sent_at.isoformat()}
            for d in item.feedback_deliveries.all()
        ],
    }


@transaction.atomic
def contributor_erase(*, contributor: Contributor, delete_inputs: bool = False) -> int:
    """Erase a contributor (art. 17) from every copy; return how many inputs they had.

    The inputs stay as part of the case (the archive act may require it), anonymous and with
    the person's data redacted from their text, in the table and in every history row. With
    ``delete_inputs`` (nothing in the archive needs them) inputs and comments go too.
    """
    area_alerts_erase(email=contributor.email)
    count = _scrub_copies(contributor, unlink=True)
    if delete_inputs:
        input_ids = list(contributor.inputs.values_list("pk", flat=True))
        comment_ids = list(contributor.comments.values_list("pk", flat=True))
        Comment.objects.filter(pk__in=comment_ids).delete()
        Input.objects.filter(pk__in=input_ids).delete()
        # After the deletes: deleting writes one more history row each.
        history_ids = Input.history.model.objects.filter(id__in=input_ids).values("history_id")
        input_themes_history().objects.filter(history__in=history_ids).delete()
        Input.history.model.objects.filter(id__in=input_ids).delete()
        Comment.history.model.objects.filter(id__in=comment_ids).delete()
        Response.history.model.objects.filter(input_id__in=input_ids).delete()
    contributor.delete()
    cache.invalidate_after_commit()
    return count


@transaction.atomic
def privacy_request_handle(
    *,
    contributor: Contributor,
    kind: str,
    via: str,
    handled_by=None,
    note: str = "",
    delete_inputs: bool = False,
) -> tuple[PrivacyRequest, dict[str, Any] | None]:
    """Handle an access or erasure request and log it; access returns the export.

    The log names the contributor by number and keeps a redacted note only.
    """
    person = known_person(contributor)
    ref = contributor.pk
    export = None
    if kind == PrivacyRequest.Kind.ACCESS:
        export = contributor_export(contributor=contributor)
        affected = len(export["inputs"])
    else:
        affected = contributor_erase(contributor=contributor, delete_inputs=delete_inputs)
    logged = PrivacyRequest.objects.create(
        kind=kind,
        via=via,
        contributor_ref=ref,
        inputs_affected=affected,
        handled_by=handled_by,
        note=redact(note, known=person),
    )
    if handled_by is not None:
        # A staff member handled it: also a line in the audit trail of sensitive actions.
        audit_record(
            actor=handled_by,
            action=AuditEvent.Action.PRIVACY_ACCESS
            if kind == PrivacyRequest.Kind.ACCESS
            else AuditEvent.Action.PRIVACY_ERASURE,
            target=f"contributor {ref}",
            detail={"privacy_request": logged.pk, "via": via, "inputs": affected},
        )
    return logged, export


# --- the signed link in e-mails (no account needed) ------------------------------------------
LINK_SALT = "inputbank.privacy.link"
# The link works as long as the data can be there: the longest retention plus some slack.
LINK_MAX_AGE = dt.timedelta(days=3 * 365)


def privacy_link_token(contributor: Contributor) -> str:
    """A token for the contributor's own data page; signed with SECRET_KEY, it cannot be guessed."""
    return signing.dumps({"c": contributor.pk}, salt=LINK_SALT, compress=True)


def contributor_from_token(token: str) -> Contributor | None:
    """The contributor a token names, or None when it is forged, expired or already erased."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    return Contributor.objects.filter(pk=data.get("c"), pseudonymised_at__isnull=True).first()


def privacy_link(contributor: Contributor) -> str:
    """The full address of the contributor's own data page, for e-mails."""
    from django.urls import reverse

    path = reverse("maps:privacy_mine", args=[privacy_link_token(contributor)])
    return settings.INPUTBANK.get("SITE_URL", "").rstrip("/") + path
