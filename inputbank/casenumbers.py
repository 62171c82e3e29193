"""Noark 5 case and document numbers: "2024/1234" and "2024/1234-5".

Stored as integers (year, sequence, document number); this module parses and formats them.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_CASE_RE = re.compile(r"^\s*(\d{4})\s*/\s*(\d{1,7})(?:\s*-\s*(\d{1,5}))?\s*$")


class CaseRef(NamedTuple):
    year: int
    sequence: int
    document: int | None = None

    def __str__(self) -> str:
        return format_case(self.year, self.sequence, self.document)


def parse_case(text: str) -> CaseRef:
    """Parse '2024/1234' or '2024/1234-5'; raise ValueError with a plain-language message."""
    match = _CASE_RE.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not a case number like 2024/1234 or 2024/1234-5")
    year, seq, doc = match.groups()
    if not 1900 <= int(year) <= 2999 or int(seq) == 0 or doc is not None and int(doc) == 0:
        raise ValueError(f"{text!r} is not a case number like 2024/1234 or 2024/1234-5")
    return CaseRef(int(year), int(seq), int(doc) if doc else None)


def format_case(year: int | None, sequence: int | None, document: int | None = None) -> str:
    if year is None or sequence is None:
        return ""
    text = f"{year}/{sequence}"
    return f"{text}-{document}" if document is not None else text
