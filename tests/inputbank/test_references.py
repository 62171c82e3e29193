"""Short references ("MOSS-2026-0142"): numbered by the database per year of receipt."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from inputbank.filters import InputFilter
from inputbank.models import Input
from inputbank.references import Reference, format_reference, parse_reference
from tests.factories import make_input, make_user


def test_reference_is_formatted_with_prefix_year_and_four_digits(settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "REFERENCE_PREFIX": "MOSS"}
    assert format_reference(2026, 142) == "MOSS-2026-0142"
    assert format_reference(2026, 12345) == "MOSS-2026-12345"
    assert format_reference(0, 0) == ""


@pytest.mark.parametrize(
    "text", ["MOSS-2026-0142", "moss-2026-142", " MOSS 2026 0142 ", "2026-0142", "ABC-2026-142"]
)
def test_references_are_read_as_people_type_them(text):
    assert parse_reference(text) == Reference(2026, 142)


@pytest.mark.parametrize("text", ["", "sykkelvei", "2026", "MOSS-2026-0000", "MOSS-0026-0001"])
def test_other_text_is_not_a_reference(text):
    assert parse_reference(text) is None


@pytest.mark.django_db
def test_inputs_are_numbered_per_year_of_receipt_in_oslo_time():
    officer = make_user("officer")
    from inputbank import services

    def register(when):
        return services.input_register(
            text="Brev om veien.", geom=None, themes=[], channel="letter",
            registered_by=officer, received_at=when,
        )  # fmt: skip

    first = register(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC))
    # 23:30 UTC on New Year's Eve is already 2026 in Moss.
    new_year = register(dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC))
    second = register(dt.datetime(2025, 7, 1, 12, tzinfo=dt.UTC))
    assert (first.reference_year, first.reference_number) == (2025, 1)
    assert (second.reference_year, second.reference_number) == (2025, 2)
    assert (new_year.reference_year, new_year.reference_number) == (2026, 1)
    assert Input.objects.get(pk=second.pk).reference.endswith("-2025-0002")


@pytest.mark.django_db
def test_rows_inserted_in_sql_are_numbered_too():
    item = make_input()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO inputbank_input (public_id, text, public_text, location_source, channel,"
            " language, received_at, status, location_restricted, source_group, rejection_reason,"
            " location_description, created_at, updated_at) SELECT gen_random_uuid(), 'x', 'x',"
            " 'none', 'letter', 'nb', received_at, 'pending', false, '', '', '', now(), now()"
            " FROM inputbank_input WHERE id = %s RETURNING reference_year, reference_number",
            [item.pk],
        )
        year, number = cursor.fetchone()
    assert (year, number) == (item.reference_year, item.reference_number + 1)


@pytest.mark.django_db
def test_a_reference_belongs_to_one_input():
    one, other = make_input(), make_input()
    with pytest.raises(IntegrityError), transaction.atomic():
        Input.objects.filter(pk=other.pk).update(reference_number=one.reference_number)


@pytest.mark.django_db
def test_list_search_finds_an_input_by_its_reference():
    wanted = make_input("Benk ved fjorden.")
    make_input("Benk ved skolen.")
    selection = InputFilter.from_query({"q": wanted.reference.lower()})
    assert list(selection.apply(Input.objects.published())) == [wanted]
