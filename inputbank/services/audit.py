"""The audit trail of sensitive staff actions (inputbank.models.AuditEvent).

Every door that does something sensitive records it here, in the same transaction as the act
where there is one, so an act without its line cannot happen. Also written to the
``inputbank.audit`` logger for a host's central log.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from inputbank.models import AuditEvent

log = logging.getLogger("inputbank.audit")


def audit_record(
    *, actor, action: str, target: str = "", detail: dict[str, Any] | None = None
) -> AuditEvent:
    """Record one sensitive action by ``actor`` (a user, or None for the system)."""
    name = actor.get_username() if actor is not None and actor.is_authenticated else ""
    event = AuditEvent.objects.create(
        actor=actor if name else None,
        actor_name=name,
        action=action,
        target=target[:200],
        detail=detail or {},
    )
    log.info("audit %s by %s on %s", action, name or "-", target or "-")
    return event


def audit_retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Audit events from before this moment are past retention (``AUDIT_RETENTION_DAYS``)."""
    days = settings.INPUTBANK["AUDIT_RETENTION_DAYS"]
    return (now or timezone.now()) - dt.timedelta(days=days)


@transaction.atomic
def audit_events_expire(*, now: dt.datetime | None = None) -> int:
    """Delete audit events past retention (``manage.py apply_retention``); return how many."""
    deleted, _ = AuditEvent.objects.filter(at__lt=audit_retention_cutoff(now)).delete()
    return deleted
