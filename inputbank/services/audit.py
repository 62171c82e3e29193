"""The audit trail of sensitive staff actions (inputbank.models.AuditEvent).

Every door that does something sensitive records it here, in the same transaction as the act
where there is one, so an act without its line cannot happen. Also written to the
``inputbank.audit`` logger for a host's central log.
"""

from __future__ import annotations

import logging
from typing import Any

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
