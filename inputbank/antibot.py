"""Bot checks for anonymous forms: a honeypot field and a minimum fill time.

The form (the map page, or any client) first gets a signed *form token* carrying the time it
was issued: from ``GET /api/v1/form-token/`` or embedded by a page view via
``issue_form_token()``. A submission must send the token back, at least MIN_FILL_SECONDS and at
most FORM_TOKEN_MAX_AGE seconds later, and must leave the honeypot field empty (people never
see it; form-filling bots fill every field). CONSUL and FixMyStreet use the same two checks.
The token is signed with SECRET_KEY, so a bot cannot forge an old one, and it is single use:
the first submission that passes the checks claims it in the shared cache (an atomic add, so
two workers racing with one token cannot both win), and any later use is refused. A form that
sends again (the next comment, a retry after a 400) fetches a fresh token first. A retry of the
*same* submission after a lost answer carries an Idempotency-Key and gets the first answer
without reaching this check (docs/api.md).
"""

from __future__ import annotations

import hashlib
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"  # noqa: S105 - a field name, not a secret
_SALT = "inputbank.antibot.form-token"
# How long a form may stay open before its token expires (seconds): a long afternoon.
FORM_TOKEN_MAX_AGE = 12 * 3600


class BotCheckFailed(ValueError):
    """A submission failed a bot check; ``field`` names the offending field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def min_fill_seconds() -> int:
    return int(settings.INPUTBANK["MIN_FILL_SECONDS"])


def issue_form_token() -> str:
    """Return a new signed token that remembers when the form was shown."""
    return signing.TimestampSigner(salt=_SALT).sign(secrets.token_urlsafe(8))


def check_form(*, token: object, honeypot: object, submission_key: str | None = None) -> None:
    """Raise BotCheckFailed unless the honeypot is empty and the token is valid and old enough.

    ``submission_key`` (the hashed Idempotency-Key) lets a retry of the same submission reuse
    its token when the first attempt claimed it but stored nothing (the database went away).
    """
    if honeypot not in (None, ""):
        raise BotCheckFailed(HONEYPOT_FIELD, "this field must be left empty")
    if not isinstance(token, str) or not token:
        raise BotCheckFailed(
            TOKEN_FIELD, "missing; get one from GET /api/v1/form-token/ when the form is shown"
        )
    try:
        signing.TimestampSigner(salt=_SALT).unsign(token)
        issued = signing.b62_decode(token.rsplit(":", 2)[1])
    except (signing.BadSignature, ValueError) as exc:
        raise BotCheckFailed(TOKEN_FIELD, "not a valid form token") from exc
    age = time.time() - issued
    if age > FORM_TOKEN_MAX_AGE:
        raise BotCheckFailed(
            TOKEN_FIELD, "the form has been open too long; reload it and send again"
        )
    if age < min_fill_seconds():
        raise BotCheckFailed(
            TOKEN_FIELD, "the form was sent too quickly; wait a few seconds and send it again"
        )
    if not _claim(token, submission_key):
        raise BotCheckFailed(
            TOKEN_FIELD, "this form token was already used; reload the form to send again"
        )


def _claim(token: str, submission_key: str | None) -> bool:
    """Mark the token used; False when it already was (by this or any other worker), unless
    by the same submission (same Idempotency-Key).

    Only a hash is kept, for as long as the token could still be valid.
    """
    key = "antibot:used:" + hashlib.sha256(token.encode()).hexdigest()[:40]
    owner = submission_key or "-"
    if cache.add(key, owner, timeout=FORM_TOKEN_MAX_AGE + 60):
        return True
    return submission_key is not None and cache.get(key) == owner


# "3/day" -> seconds of the window (the first letter counts, as in DRF's throttle rates).
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'3/day' -> (3, 86400): how many in how many seconds."""
    count, _slash, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[:1].lower()]


def allow_mail_to(address: str, *, purpose: str, rate: str) -> bool:
    """Count one e-mail of ``purpose`` to ``address``; False when ``rate`` ("3/day") is used up.

    Anyone can type someone else's address into a public form; this bounds how many e-mails
    the site sends to one address, whoever asks, from however many client addresses. Counted in
    the shared cache (the one the throttles and form tokens use) in a fixed window from the
    first e-mail; the key holds a hash of the address, not the address.
    """
    limit, seconds = parse_rate(rate)
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:40]
    key = f"antibot:mail:{purpose}:{digest}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ran out between add and incr: a new one starts
        cache.add(key, 1, timeout=seconds)
        count = 1
    return count <= limit
