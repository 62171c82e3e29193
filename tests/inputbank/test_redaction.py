import pytest

from geo.crs import STORAGE_SRID
from inputbank.models import Address
from inputbank.redaction import (
    KnownPerson,
    find_personal_data,
    fnr_valid,
    redact,
)
from inputbank.redaction_streets import register_streets_changed
from tests.factories import point


@pytest.mark.parametrize(
    "text",
    [
        "Mitt fødselsnummer er 01019912345.",
        "fnr 010199 12345 takk",
        "fnr 010199-12345",
    ],
)
def test_numbers_called_a_fodselsnummer_are_removed_even_with_a_wrong_checksum(text):
    assert "12345" not in redact(text)
    assert "[fødselsnummer fjernet]" in redact(text)


@pytest.mark.parametrize("text", ["Eier: 08106913340", "eier 081069 13340", "(19027701305)"])
def test_eleven_digits_with_a_valid_checksum_are_removed_without_a_cue(text):
    assert "[fødselsnummer fjernet]" in redact(text)


def test_eleven_digits_with_a_wrong_checksum_and_no_cue_are_kept():
    assert redact("Kontonummer 12345678901 for innsamlingen") == (
        "Kontonummer 12345678901 for innsamlingen"
    )


def test_fnr_checksum():
    assert fnr_valid("08106913340")
    assert not fnr_valid("08106913341")
    assert not fnr_valid("01019912345")


@pytest.mark.parametrize(
    "text", ["Ring 91234567", "Ring +47 91234567", "ring 0047 912 34 567", "tlf 91 23 45 67"]
)
def test_phone_numbers_are_removed(text):
    out = redact(text)
    assert "[telefonnummer fjernet]" in out
    assert "567" not in out


def test_email_addresses_are_removed():
    assert redact("Skriv til ola.nordmann@example.no!") == "Skriv til [e-post fjernet]!"


def test_ordinary_numbers_and_years_are_kept():
    text = "I 2024 ble 120 trær plantet langs Storgata 12, postnummer 1530."
    assert redact(text) == text
    assert find_personal_data(text) == []


def test_findings_give_positions_for_highlighting():
    text = "Ring 91234567 eller skriv til a@b.no"
    kinds = [(f.kind, text[f.start : f.end]) for f in find_personal_data(text)]
    assert kinds == [("phone", "91234567"), ("email", "a@b.no")]


@pytest.mark.parametrize(
    "text",
    [
        "Veien fra 1990-2020 har blitt verre",
        "Planid 3103-2021-003 må endres",
        "Det kostet 12345678 kr",
        "Det kostet 45678912 kr",
        "Saksnummer 2024/1234-5",
        "Postnummer 1530 Moss",
        "Utenfor Storgata 12 er det mørkt",
    ],
)
def test_years_ranges_plan_ids_case_numbers_amounts_postcodes_and_places_are_kept(text):
    assert redact(text) == text


def test_signatures_and_home_addresses_are_found():
    text = "Jeg bor i Kongens gate 10.\nMvh Kari Hansen"
    assert redact(text) == "Jeg bor i [adresse fjernet].\nMvh [navn fjernet]"


def test_the_contributors_own_data_is_found_in_their_text():
    person = KnownPerson(name="Kari Hansen", phone="412 34 567", postal_address="Fjordveien 3B")
    text = "Kari her. Ring 41234567. Det gjelder Fjordveien 3b."
    assert redact(text, known=person) == (
        "[navn fjernet] her. Ring [telefonnummer fjernet]. Det gjelder [adresse fjernet]."
    )


def _kanalen():
    Address.objects.create(
        lokal_id="t-1",
        kommunenummer="3103",
        adressenavn="Kanalen",
        nummer=3,
        adressetekst="Kanalen 3",
        search_text="kanalen 3",
        geom=point().transform(STORAGE_SRID, clone=True),
    )


@pytest.mark.django_db
def test_streets_from_the_address_register_are_recognised():
    _kanalen()
    register_streets_changed()
    try:
        # Not named like a street; the register says it is one, and it is signed as a home.
        assert redact("Mvh Kari Hansen\nKanalen 3") == "Mvh [navn fjernet]\n[adresse fjernet]"
    finally:
        register_streets_changed()


@pytest.mark.django_db
def test_a_bulk_import_redacts_with_the_register_without_querying_during_its_copy():
    """Reading the street names inside the import's COPY would wait for the COPY forever."""
    from django.utils import timezone

    from inputbank.models import Input
    from inputbank.services import inputs_bulk_register
    from inputbank.services.imports import NewInput

    _kanalen()
    register_streets_changed()  # nothing cached: the import must load the names first
    try:
        row = NewInput(
            text="Mvh Kari Hansen\nKanalen 3", channel="letter", received_at=timezone.now()
        )
        inputs_bulk_register(batches=[[row]], registered_by=None)
        assert Input.objects.get().public_text == "Mvh [navn fjernet]\n[adresse fjernet]"
    finally:
        register_streets_changed()


# Patterns are skipped when a cheap cue is absent (an archive import redacts every row); the
# cues follow the patterns' own case rules, so upper case and look-alike letters still count.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MVH\nKari Nordmann", "MVH\n[navn fjernet]"),
        ("Hılsen Kari Nordmann", "Hılsen [navn fjernet]"),
        ("MY NAME IS Per Olsen", "MY NAME IS [navn fjernet]"),
        ("kari(at)example.no skrev", "[e-post fjernet] skrev"),
        ("Veien er full av hull.", "Veien er full av hull."),
    ],
)
def test_cue_words_are_found_in_any_case(text, expected):
    assert redact(text) == expected


# --- the column prefilter of a bulk import (redaction.candidates) ---------------------------

PREFILTER_TEXTS = [
    "Fortauet er for smalt.",
    "Ring 912 34 567.",
    "Ring ٩١٢٣٤٥٦٧ (arabisk-indiske sifre).",
    "kari(at)example.no",
    "Vi trenger benker.\nHİLSEN Kari Nordmann",
    "Vi trenger benker.\nhılsen Kari Nordmann",
    "Jeg Kari Nordmann ønsker lys.",
    "Jeg ønsker lys.",
    "naboen Terje Andersen klager",
    "\nFra Ola Nordmann\n",
    "Mitt navn er Per Hansen.",
    "",
]


def _corpus() -> list[str]:
    from tests.inputbank.test_redaction_measure import HELD_OUT, SET, load_samples

    return PREFILTER_TEXTS + [s.text for path in (SET, HELD_OUT) for s in load_samples(path)]


def test_the_column_prefilter_marks_every_text_the_redactor_changes():
    import pyarrow as pa

    from inputbank.redaction import candidates, may_hold_personal_data

    texts = _corpus()
    marked = candidates(pa.array(texts))
    for text, mark in zip(texts, marked, strict=True):
        if find_personal_data(text):
            assert may_hold_personal_data(text), text
        if may_hold_personal_data(text):
            assert mark, text
    assert not marked[0] and not marked[len(PREFILTER_TEXTS) - 1]
    assert find_personal_data(PREFILTER_TEXTS[4]) and marked[4] and marked[5]


def test_the_column_prefilter_folds_case_at_least_as_python_does():
    """RE2 (the column prefilter) and Python's re differ on case folding and on \\d: wherever
    Python's re matches a cue's letter or a digit and RE2 would not, the prefilter must catch
    the character anyway (redaction._FOLDS_ONLY_IN_PYTHON)."""
    import re

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from inputbank import redaction

    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    everything, array = "".join(chars), pa.array(chars)

    def re2(pattern: str) -> set[str]:
        found = pc.match_substring_regex(array, pattern).to_numpy(zero_copy_only=False)
        return {chars[i] for i in np.flatnonzero(found)}

    cues = (redaction._SIGNATURE_CUE, redaction._INTRO_CUE, redaction._FROM_CUE,
            redaction._RELATION_CUE)  # fmt: skip
    letters = {c for cue in cues for c in cue.pattern.lower() if c.isalpha()}
    caught = set(redaction._FOLDS_ONLY_IN_PYTHON)
    for letter in sorted(letters):
        python = set(re.findall(re.escape(letter), everything, re.IGNORECASE))
        assert python - re2(f"(?i:{re.escape(letter)})") <= caught, letter
    assert set(re.findall(r"\d", everything)) <= re2(r"\p{Nd}")
