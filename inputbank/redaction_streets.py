"""The address register's street names, for redaction: "Storgata 12" is an address when the
register knows "Storgata", also where no pattern would say so.

Cached per process for STREETS_TTL_SECONDS, and never read in the middle of a COPY (the
query would wait for the COPY, which waits for the redaction): bulk writers call
``register_streets`` before they start one.
"""

from __future__ import annotations

import re
import time

_STREETS: tuple[float, frozenset[str]] = (0.0, frozenset())
STREETS_TTL_SECONDS = 300
_NUMBER = re.compile(r"(?<=[ \u00a0])\d{1,4}(?:[ \u00a0]?[A-Ha-h])?\b(?![\-/.]?\d)")
_WORD_BEFORE = re.compile(r"[\wæøåÆØÅ.'\-]+[ \u00a0]$")


def register_streets_changed() -> None:
    """Forget the cached street names (called after an address import, and by tests)."""
    global _STREETS
    _STREETS = (0.0, frozenset())


def _connection_busy() -> bool:
    """Whether the database connection is in the middle of a command (a COPY of a bulk import).

    Querying then would wait for the COPY to end, which waits for this very redaction.
    """
    try:
        from django.db import connection
        from psycopg import pq

        raw = connection.connection
        return raw is not None and raw.pgconn.transaction_status == pq.TransactionStatus.ACTIVE
    except Exception:  # noqa: BLE001 - no Django or no connection: not busy
        return False


def register_streets() -> frozenset[str]:
    """Lower-cased street names of the address register, cached per process for a while.

    A set, not one big regex: the national register has tens of thousands of names, and an
    alternation that long would be tried at every position of every text. Bulk writers call
    this before they start a COPY; during one, the cached names are used as they are.
    """
    global _STREETS
    loaded_at, names = _STREETS
    fresh = loaded_at and time.monotonic() - loaded_at < STREETS_TTL_SECONDS
    if fresh or _connection_busy():
        return names
    try:
        from inputbank.models import Address

        rows = Address.objects.values_list("adressenavn", flat=True).distinct()
        names = frozenset(n.lower() for n in rows if len(n) >= 3)
    except Exception:  # noqa: BLE001 - no database here (plain unit use): patterns only
        return frozenset()
    _STREETS = (time.monotonic(), names)
    return names


def register_matches(text: str):
    """(start, end) of "<street from the register> <number>": up to four words before a number."""
    names = register_streets()
    if not names:
        return
    for number in _NUMBER.finditer(text):
        pos, starts = number.start(), []
        for _word in range(4):
            word = _WORD_BEFORE.search(text, max(0, pos - 60), pos)
            if word is None:
                break
            pos = word.start()
            starts.append(pos)
        for start in reversed(starts):  # the longest name first
            if text[start : number.start()].strip().lower() in names:
                yield start, number.end()
                break
