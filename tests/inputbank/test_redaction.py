import pytest

from inputbank.redaction import find_personal_data, redact


@pytest.mark.parametrize(
    "text",
    [
        "Mitt fødselsnummer er 01019912345.",
        "fnr 010199 12345 takk",
        "fnr 010199-12345",
    ],
)
def test_national_identity_numbers_are_removed_without_trusting_the_checksum(text):
    assert "12345" not in redact(text)
    assert "[fødselsnummer fjernet]" in redact(text)


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
