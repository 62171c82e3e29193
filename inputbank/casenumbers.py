"""Noark 5 case and document numbers: "2024/1234" and "2024/1234-5".

Stored as integers (year, sequence, document number); this module parses and formats them.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from geo.messages import GeoMessage, gettext_noop

_CASE_RE = re.compile(r"^\s*(\d{4})\s*/\s*(\d{1,7})(?:\s*-\s*(\d{1,5}))?\s*$")


class CaseNumberError(GeoMessage):
    """Not a case number; ``inputbank.geomessages.geo_message`` words it for the reader."""


NOT_A_CASE = gettext_noop("%(value)s is not a case number like 2024/1234 or 2024/1234-5")


class CaseRef(NamedTuple):
    year: int
    sequence: int
    document: int | None = None

    def __str__(self) -> str:
        return format_case(self.year, self.sequence, self.document)


def parse_case(text: str) -> CaseRef:
    """Parse '2024/1234' or '2024/1234-5'; raise CaseNumberError (a ValueError) if it is not."""
    match = _CASE_RE.match(text or "")
    if not match:
        raise CaseNumberError(NOT_A_CASE, value=repr(text[:40]))
    year, seq, doc = match.groups()
    if not 1900 <= int(year) <= 2999 or int(seq) == 0 or doc is not None and int(doc) == 0:
        raise CaseNumberError(NOT_A_CASE, value=repr(text[:40]))
    return CaseRef(int(year), int(seq), int(doc) if doc else None)


def format_case(year: int | None, sequence: int | None, document: int | None = None) -> str:
    if year is None or sequence is None:
        return ""
    text = f"{year}/{sequence}"
    return f"{text}-{document}" if document is not None else text


def archive_url(year: int | None, sequence: int | None, document: int | None = None) -> str:
    """The case or document in the municipality's archive (Noark 5: Elements, Public 360,
    WebSak, ...), from ``INPUTBANK["ARCHIVE_CASE_URL"]``; "" when none is set or no number.

    The template names ``{year}``, ``{sequence}``, ``{document}`` (empty for a case) and
    ``{case}`` ("2024/1234" or "2024/1234-5", URL-encoded), e.g.
    ``https://elements.moss.kommune.no/sak/{year}/{sequence}``.
    """
    from django.conf import settings

    template = settings.INPUTBANK.get("ARCHIVE_CASE_URL", "")
    if not template or year is None or sequence is None:
        return ""
    return _fill(
        template,
        year=str(year),
        sequence=str(sequence),
        document="" if document is None else str(document),
        case=format_case(year, sequence, document),
    )


def plan_register_url(kommunenummer: str, plan_identifier: str) -> str:
    """The plan in the plan register (arealplaner.no, the municipality's planinnsyn), from
    ``INPUTBANK["PLAN_REGISTER_URL"]`` with ``{kommunenummer}`` and ``{planid}`` (the national
    plan id is the pair); "" when none is set or the process names no plan."""
    from django.conf import settings

    template = settings.INPUTBANK.get("PLAN_REGISTER_URL", "")
    if not template or not plan_identifier:
        return ""
    return _fill(template, kommunenummer=kommunenummer, planid=plan_identifier)


def _fill(template: str, **values: str) -> str:
    """Put URL-encoded values into the template's {names}; unknown names stay as written."""
    from urllib.parse import quote

    out = template
    for name, value in values.items():
        out = out.replace("{" + name + "}", quote(value, safe=""))
    return out
