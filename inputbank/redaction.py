"""Find and replace personal data in free text before anything is published.

What is found (docs/privacy.md has the measured precision and recall per kind):

* ``email``: addresses, also written ``kari(at)example.no``.
* ``phone``: Norwegian numbers: 8 digits starting 2-9, optionally +47/0047 first, written whole
  or grouped with spaces (4+4, 3+2+3, 2+2+2+2). Years, year ranges ("1990-2020"), plan ids
  ("3103-2021-003"), case numbers, amounts ("22345678 kr") and postcodes are left alone:
  hyphens and dots never group a phone number, and amounts are recognised by "kr"/"NOK".
* ``national_id``: fødselsnummer/D-number, 11 digits (or 6+5) with a valid date part and both
  check digits; after a word like "fnr" or "fødselsnummer" any 11 digits count (typos too).
* ``name``: the contributor's own name (the bank knows it at submission), names in signatures
  ("Mvh", "Hilsen", "Fra" on its own line) and after "jeg heter" / "mitt navn er".
* ``address``: the contributor's own address, and a street address (from the address register
  or named like one, "Kongens gate 10") when it is said to be a home ("jeg bor i", "min
  adresse"), written as a postal address ("…, 1530 Moss") or stands in a signature. An address
  that only says *where* the input is about ("utenfor Storgata 12") is the input's place and
  stays.
* ``organisation``: the contributor's own organisation name.

Special-category data (health, religion, ...) cannot be found by pattern: moderators screen for
it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inputbank.redaction_streets import register_matches

TOKENS = {
    "email": "[e-post fjernet]",
    "national_id": "[fødselsnummer fjernet]",
    "phone": "[telefonnummer fjernet]",
    "name": "[navn fjernet]",
    "address": "[adresse fjernet]",
    "organisation": "[organisasjon fjernet]",
}
# Earlier kinds win when two findings overlap.
KIND_ORDER = ("email", "national_id", "phone", "address", "name", "organisation")

_EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-]+(?:@|\s?[\[(]at[\])]\s?)[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
_SP = r"[ \u00a0]"
_PHONE = re.compile(
    r"(?<![\w+\-/])(?:(?:\+|00)47" + _SP + r"?|\(\+47\)" + _SP + r"?)?"
    r"(?:[2-9]\d{7}"
    r"|[2-9]\d{3}" + _SP + r"\d{4}"
    r"|[2-9]\d{2}" + _SP + r"\d{2}" + _SP + r"\d{3}"
    r"|[2-9]\d" + _SP + r"\d{2}" + _SP + r"\d{2}" + _SP + r"\d{2})"
    r"(?![\w\-/]|[.,]\d|" + _SP + r"\d)"
)
_AMOUNT_BEFORE = re.compile(r"(?:kr\.?|nok|kroner)\s*$", re.IGNORECASE)
_AMOUNT_AFTER = re.compile(r"^\s*(?:kr\b|kroner|nok\b|,-|mill|m2|m²|kvm)", re.IGNORECASE)
_YEAR_PAIR = re.compile(r"^(?:19|20)\d\d" + _SP + r"(?:19|20)\d\d$")

_FNR = re.compile(r"(?<![\w\-/.])(\d{6})[ \u00a0\-]?(\d{5})(?![\w\-/]|[.,]\d)")
_FNR_CUE = re.compile(
    r"(?:f\.?\s?nr|fødselsnummer|fødselsnr|personnummer|personnr|d-nummer)(?:\s+(?:er|mitt))?\W{0,4}$",
    re.IGNORECASE,
)

_CAP = r"[A-ZÆØÅÉÜÖÄ][a-zæøåéüöäA-ZÆØÅ'\-]+"
_NAME = _CAP + r"(?:[ \u00a0](?:(?:von|van|de|af)[ \u00a0])?" + _CAP + r"){0,3}"
_SIGNATURE = re.compile(
    r"(?:\b(?i:med\s+vennlig\s+hilsen|vennlig\s+hilsen|venleg\s+helsing|beste\s+hilsen"
    r"|mvh|vh|hilsen|hilsing|helsing|regards|best\s+regards)\.?,?[ \u00a0]*\n?[ \u00a0]*"
    r"(?i:fra[ \u00a0]+)?)"
    r"(?P<name>" + _NAME + r")",
)
_FROM_LINE = re.compile(
    r"(?:^|\n)[ \t]*(?i:fra|från|from)\b:?[ \u00a0]+(?P<name>"
    + _CAP
    + r"(?:[ \u00a0]"
    + _CAP
    + r"){1,3})[ \t]*(?=$|\n|,)",
)
_INTRO = re.compile(
    r"\b(?i:jeg\s+heter|eg\s+heiter|mitt\s+navn\s+er|mitt\s+namn\s+er|my\s+name\s+is"
    r"|undertegnede|undertegnede,)\s+(?P<name>" + _NAME + r")",
)
# Capitalised words that open a signature but are groups, not people.
_NOT_NAMES_TEXT = """styret beboerne naboene naboer alle oss en ei et vi de fau ungdomsrådet
    eldrerådet
    foreldre foreldrene elevene elevrådet kommunen moss the a innbyggere beboere hytteeierne
    velforeningen borettslaget sameiet idrettslaget gjengen familien brukerne lag takk på i fra
    til og dere meg hele mvh vh hilsen hilsing helsing vennlig venleg med beste regards jeg hei
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
_GROUP_SUFFIXES = ("laget", "lag", "forening", "foreningen", "rådet", "råd", "styret", "sameie")

_STREET_SUFFIX = (
    r"(?:gate|gata|gaten|gt\.?|veien|vegen|vei|veg|vn\.|allé|alle|plass|plassen|bakken|bakke"
    r"|stien|sti|svingen|lia|åsen|kroken|tunet|ringen|brygga|brygge|terrasse|torget|løkka"
    r"|jordet|haugen|lunden|tråkket|kleiva|stubben|sletta|grenda|enga|holmen|odden)"
)
_HOUSE = r"[ \u00a0]?(?P<number>\d{1,4}(?:[ \u00a0]?[A-Ha-h])?\b)(?![\-/.]?\d)"
_STREET_RE = re.compile(
    r"(?P<street>(?:(?:" + _CAP + r")[ \u00a0]){0,2}"
    r"(?:[A-ZÆØÅa-zæøå][a-zæøå\-]*"
    + _STREET_SUFFIX
    + r"|(?<= )"
    + _STREET_SUFFIX
    + r"))\b"
    + _HOUSE
)
_POSTAL_AFTER = re.compile(r"^,?[ \u00a0]*\d{4}[ \u00a0]+" + _CAP)
_HOME_CUE = re.compile(
    r"(?:\b(?:bor|bur|bodde|bodd|boende)\b[^.!?\n]{0,30}?\s(?:i|på)"
    r"|\badr(?:esse|essa|essen|\.)?(?:\s+(?:er|min|vår))?:?"
    r"|\b(?:min|mi|vår)\s+adresse(?:\s+er)?:?|\bhjemme\s+(?:i|på)"
    r"|\b(?:huset|hjemmet|boligen|leiligheten|eiendommen|hagen|tomta|tomten|døra|døren)"
    r"\s+(?:mitt|vårt|vår|min|mi)\s+(?:i|på)"
    r"|\bi\s+vårt\s+hus\s+i)\s*$",
    re.IGNORECASE,
)
# After a strong cue ("min adresse er", "jeg bor i") any "Name 12" is an address, also a
# street the patterns do not know ("Tykkemyr 3").
_CUED_STREET = re.compile(r"(?P<street>" + _CAP + r"(?:[ \u00a0]" + _CAP + r")?)" + _HOUSE)
# Who a name belongs to, said before it: "naboen Terje Andersen", "min sønn Jonas".
_RELATION = re.compile(
    r"(?:\b(?i:naboen(?:\s+min|\s+vår)?|min\s+nabo|sønnen(?:\s+min|\s+vår)?|min\s+sønn"
    r"|datteren(?:\s+min|\s+vår)?|min\s+datter|mannen\s+min|kona\s+mi|samboeren\s+min"
    r"|familien|kontaktperson|søker|avsender|snakket\s+med|barna\s+(?:våre|mine)"
    r"|ungene\s+(?:våre|mine))|\bJeg)[:,]?[ \u00a0]+(?P<name>" + _NAME + r")"
)
_AND_NAME = re.compile(r"^,?[ \u00a0]+(?:og|and)[ \u00a0]+(?P<name>" + _NAME + r")")
# Cheap necessary conditions, each with the same case rules as the patterns they guard: a text
# without them cannot match, so the (slow, tried at every position) patterns are skipped. An
# archive import redacts every row; most texts have no digit, no "@" and no signature.
_DIGIT = re.compile(r"\d")  # phones, fødselsnummer and addresses all hold a digit
_EMAIL_SIGN = re.compile(r"@|[\[(]at[\])]")
_SIGNATURE_CUE = re.compile(r"vh|hilsen|hilsing|helsing|regards", re.IGNORECASE)
_INTRO_CUE = re.compile(r"heter|heiter|mitt|name|undertegnede", re.IGNORECASE)
_FROM_CUE = re.compile(r"fra|från|from", re.IGNORECASE)  # _FROM_LINE's word
# _RELATION's words (or "Jeg" before a capitalised word, case as in the pattern).
_RELATION_WORDS = (
    "nabo|sønn|datter|mannen|kona|samboeren|familien|kontaktperson|søker|avsender|snakket"
    "|barna|ungene"
)
_RELATION_CUE = re.compile(r"(?i:" + _RELATION_WORDS + r")|Jeg[:,]?[ \u00a0]+[A-ZÆØÅÉÜÖÄ]")
_NAME_LINE = re.compile(
    r"(?:^|\n)[ \t]*(?P<name>" + _CAP + r"(?:[ \u00a0]" + _CAP + r"){1,3})[ \t]*\n$"
)


@dataclass(frozen=True)
class Finding:
    """A span of personal data: kind is one of TOKENS."""

    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class KnownPerson:
    """What the bank knows about the contributor, to find it again in their own text."""

    name: str = ""
    email: str = ""
    phone: str = ""
    postal_address: str = ""
    organisation: str = ""


def fnr_valid(digits: str) -> bool:
    """Return whether 11 digits are a fødselsnummer or D-number (date part and check digits)."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    d = [int(c) for c in digits]
    day, month = int(digits[0:2]) % 40, int(digits[2:4]) % 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    k1 = 11 - sum(w * x for w, x in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), d[:9], strict=True)) % 11
    k2 = 11 - sum(w * x for w, x in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), d[:10], strict=True)) % 11
    k1, k2 = k1 % 11, k2 % 11
    return k1 != 10 and k2 != 10 and (k1, k2) == (d[9], d[10])


# --- finders -------------------------------------------------------------------------------
def _phones(text: str):
    for m in _PHONE.finditer(text):
        if _AMOUNT_BEFORE.search(text[max(0, m.start() - 8) : m.start()]):
            continue
        if _AMOUNT_AFTER.match(text[m.end() : m.end() + 8]) or _YEAR_PAIR.match(m.group()):
            continue
        yield "phone", m.start(), m.end()


def _national_ids(text: str):
    for m in _FNR.finditer(text):
        digits = m.group(1) + m.group(2)
        if fnr_valid(digits) or _FNR_CUE.search(text[max(0, m.start() - 24) : m.start()]):
            yield "national_id", m.start(), m.end()


def _is_person_name(name: str) -> bool:
    words = name.split()
    first = words[0].lower()
    if first in _NOT_NAMES or any(w.lower().endswith(_GROUP_SUFFIXES) for w in words):
        return False
    return not re.search(r"\d", name)


def _name_span(text: str, start: int, name: str):
    words = name.split()
    # A name ends at a street-like word: "Mvh Kari Storgata 3" keeps the street.
    while words and re.fullmatch(r".*" + _STREET_SUFFIX, words[-1], re.IGNORECASE):
        words.pop()
    if words and _is_person_name(" ".join(words)):
        yield "name", start, start + len(" ".join(words))


def _names(text: str):
    patterns = (
        _SIGNATURE if _SIGNATURE_CUE.search(text) else None,
        _FROM_LINE if _FROM_CUE.search(text) else None,
        _INTRO if _INTRO_CUE.search(text) else None,
        _RELATION if _RELATION_CUE.search(text) else None,
    )
    for pattern in patterns:
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            spans = list(_name_span(text, m.start("name"), m.group("name")))
            yield from spans
            # "Mvh Fatima Hussein og Omar Hussein": the second name belongs with the first.
            more = _AND_NAME.match(text[m.end() :]) if spans else None
            if more:
                yield from _name_span(text, m.end() + more.start("name"), more.group("name"))


def _street_matches(text: str):
    yield from register_matches(text)
    yield from (m.span() for m in _STREET_RE.finditer(text))


def _addresses(text: str, signature_starts: list[int]):
    for start, end in _street_matches(text):
        before = text[max(0, start - 50) : start]
        home = _HOME_CUE.search(before)
        postal = _POSTAL_AFTER.match(text[end : end + 30])
        signed = any(0 <= start - s <= 80 for s in signature_starts)
        if home or postal or signed:
            if postal:
                end += postal.end()
            yield "address", start, end
    for m in _CUED_STREET.finditer(text):
        if _HOME_CUE.search(text[max(0, m.start() - 50) : m.start()]):
            yield "address", m.start(), m.end()


def _names_above(text: str, addresses: list[tuple[str, int, int]]):
    """A line of only a name right above a postal address is the sender's name."""
    for _kind, start, _end in addresses:
        m = _NAME_LINE.search(text[max(0, start - 80) : start])
        if m and _is_person_name(m.group("name")):
            offset = max(0, start - 80)
            yield "name", offset + m.start("name"), offset + m.end("name")


def _flexible(value: str) -> str:
    """Regex for a known value, allowing any spacing between its words."""
    return r"[ \u00a0]*".join(re.escape(part) for part in value.split())


def _known(text: str, person: KnownPerson):
    if person.email:
        for m in re.finditer(re.escape(person.email), text, re.IGNORECASE):
            yield "email", m.start(), m.end()
    digits = re.sub(r"\D", "", person.phone)[-8:]
    if len(digits) == 8:
        spaced = r"[ \u00a0.\-]?".join(digits)
        for m in re.finditer(r"(?<!\d)(?:(?:\+|00)47[ \u00a0]?)?" + spaced + r"(?!\d)", text):
            yield "phone", m.start(), m.end()
    if person.postal_address.strip():
        first_line = re.split(r"[,\n]", person.postal_address.strip())[0].strip()
        for value in {person.postal_address.strip(), first_line}:
            if len(value) >= 5:
                for m in re.finditer(_flexible(value), text, re.IGNORECASE):
                    yield "address", m.start(), m.end()
    if person.name.strip():
        full = person.name.strip()
        for m in re.finditer(r"(?<!\w)" + _flexible(full) + r"(?!\w)", text, re.IGNORECASE):
            yield "name", m.start(), m.end()
        for part in full.split():
            if len(part) >= 3 and part[0].isupper():
                for m in re.finditer(r"(?<!\w)" + re.escape(part) + r"(?!\w)", text):
                    yield "name", m.start(), m.end()
    if len(person.organisation.strip()) >= 3:
        pattern = r"(?<!\w)" + _flexible(person.organisation.strip()) + r"(?!\w)"
        for m in re.finditer(pattern, text, re.IGNORECASE):
            yield "organisation", m.start(), m.end()


def find_personal_data(
    text: str, *, known: KnownPerson | None = None, only_known: bool = False
) -> list[Finding]:
    """Return non-overlapping findings in text order (earlier kinds, then longer spans, win).

    ``only_known`` looks for the known person's own data only (in the municipality's answer,
    where other numbers and names are the municipality's own).
    """
    text = text or ""
    spans = list(_known(text, known)) if known else []
    if only_known:
        return _resolve(text, spans)
    digits = _DIGIT.search(text) is not None
    if digits:
        spans += [*_national_ids(text), *_phones(text)]
    if _EMAIL_SIGN.search(text):
        spans += [("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]
    names = list(_names(text))
    spans += names
    if digits:
        addresses = list(_addresses(text, [start for _kind, start, _end in names]))
        spans += addresses + list(_names_above(text, addresses))
    return _resolve(text, spans)


# --- the same necessary conditions on a whole column ----------------------------------------
# One RE2 pattern (Arrow's regex engine) true wherever any cue above is, so a bulk import only
# sends the texts it matches through ``redact``. RE2's \p{Nd} holds every character Python's
# \d matches; for (?i) RE2 folds case by Unicode's simple folding, where Python's re also
# matches the two characters below to the cues' i (dotted capital I, dotless small i): a
# text holding one of them is always a candidate. tests/inputbank/test_redaction.py checks
# both claims over every Unicode character.
_FOLDS_ONLY_IN_PYTHON = "\u0130\u0131"
_CANDIDATE_RE2 = "|".join(
    (
        r"\p{Nd}",
        _EMAIL_SIGN.pattern,
        f"(?i:{_SIGNATURE_CUE.pattern})",
        f"(?i:{_INTRO_CUE.pattern})",
        f"(?i:{_FROM_CUE.pattern})",
        _RELATION_CUE.pattern.replace("\\u00a0", "\\x{a0}"),
        f"[{_FOLDS_ONLY_IN_PYTHON}]",
    )
)


def may_hold_personal_data(text: str) -> bool:
    """Whether ``find_personal_data`` (with no known person) could find anything in ``text``."""
    return any(
        cue.search(text)
        for cue in (_DIGIT, _EMAIL_SIGN, _SIGNATURE_CUE, _INTRO_CUE, _FROM_CUE, _RELATION_CUE)
    )


def candidates(texts):
    """``may_hold_personal_data`` for a whole Arrow string array at once: a numpy bool array.

    Never false where the scalar test is true (nulls are false): only the texts it marks need
    ``redact``; the rest are their own public text.
    """
    import numpy as np
    import pyarrow.compute as pc

    found = pc.match_substring_regex(texts, _CANDIDATE_RE2)
    return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False), dtype=bool)


def _resolve(text: str, spans: list[tuple[str, int, int]]) -> list[Finding]:
    spans.sort(key=lambda s: (KIND_ORDER.index(s[0]), -(s[2] - s[1]), s[1]))
    taken: list[Finding] = []
    for kind, start, end in spans:
        if start < end and not any(start < f.end and f.start < end for f in taken):
            taken.append(Finding(kind, start, end, text[start:end]))
    return sorted(taken, key=lambda f: f.start)


def redact(text: str, *, known: KnownPerson | None = None, only_known: bool = False) -> str:
    """Return the text with every finding replaced by a bracketed Norwegian token."""
    out, pos = [], 0
    for finding in find_personal_data(text, known=known, only_known=only_known):
        out.append(text[pos : finding.start])
        out.append(TOKENS[finding.kind])
        pos = finding.end
    out.append(text[pos:])
    return "".join(out)
