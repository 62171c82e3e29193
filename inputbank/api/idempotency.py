"""Idempotency-Key for submissions: a retry after a lost answer gets the first answer.

A client (the resident map does) sends ``Idempotency-Key: <random, 8-200 characters>`` with
``POST /api/v1/inputs/``. The key's hash is stored on the input in the same transaction as the
input itself, so "stored" and "key known" can never disagree, also across a database restart.
A retry with the same key is answered from the stored input (same id, same Location, 201, plus
``Idempotent-Replayed: true``) and stores nothing. The key is scoped to the submitting
client (address or user), so guessing someone else's key reveals nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from rest_framework.exceptions import ValidationError

from inputbank.api.throttling import client_address

HEADER = "Idempotency-Key"
_VALID = re.compile(r"^[A-Za-z0-9_.:-]{8,200}$")


def key_for(request) -> str | None:
    """The stored form of the request's Idempotency-Key, or None when it sent none."""
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    if not _VALID.match(raw):
        raise ValidationError(
            {HEADER: "8 to 200 letters, digits or . _ : - (for example a random UUID)"}
        )
    if request.user.is_authenticated:
        scope = f"user:{request.user.pk}"
    else:
        scope = f"addr:{client_address(request)}"
    message = f"{scope}\n{raw}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
