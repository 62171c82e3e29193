"""Find and replace personal data in free text before anything is published.

Rules (docs/domain.md): Norwegian national identity numbers (any run of 11 digits, also written 6+5
with a space or hyphen; the checksum is deliberately not trusted, so D-numbers and typos are
caught too), phone numbers (+47 / 0047 prefix optional, 8 digits, possibly grouped) and e-mail
addresses. Special-category data (health, religion, ...) cannot be found by pattern: moderators
screen for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEP = r"[ \u00a0.\-]?"
PATTERNS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "email",
        re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"),
        "[e-post fjernet]",
    ),
    (
        "national_id",
        re.compile(r"(?<![\d])(?:\d{11}|\d{6}[ \u00a0\-]\d{5})(?![\d])"),
        "[fødselsnummer fjernet]",
    ),
    (
        "phone",
        re.compile(
            r"(?<![\d+])(?:(?:\+|00)47" + _SEP + r")?"
            r"(?:\d{8}|\d{3}" + _SEP + r"\d{2}" + _SEP + r"\d{3}"
            r"|\d{2}" + _SEP + r"\d{2}" + _SEP + r"\d{2}" + _SEP + r"\d{2})(?![\d])"
        ),
        "[telefonnummer fjernet]",
    ),
)


@dataclass(frozen=True)
class Finding:
    """A span of personal data: kind is 'email', 'national_id' or 'phone'."""

    kind: str
    start: int
    end: int
    text: str


def find_personal_data(text: str) -> list[Finding]:
    """Return non-overlapping findings, in text order (earlier rules win on overlap)."""
    taken: list[Finding] = []
    for kind, pattern, _token in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < f.end and f.start < end for f in taken):
                continue
            taken.append(Finding(kind, start, end, match.group()))
    return sorted(taken, key=lambda f: f.start)


def redact(text: str) -> str:
    """Return the text with every finding replaced by a bracketed Norwegian token."""
    tokens = {kind: token for kind, _pattern, token in PATTERNS}
    out, pos = [], 0
    for finding in find_personal_data(text):
        out.append(text[pos : finding.start])
        out.append(tokens[finding.kind])
        pos = finding.end
    out.append(text[pos:])
    return "".join(out)
