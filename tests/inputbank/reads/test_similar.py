"""Said by many: near-identical public statements grouped (inputbank/reads/similar.py)."""

from __future__ import annotations

import pytest

from inputbank.reads.similar import similar_statements
from tests.factories import make_input

pytestmark = pytest.mark.django_db


def ids(items):
    return [i.pk for i in items]


def test_identical_statements_after_normalising_form_one_group():
    items = [make_input(t) for t in ("Mer lys i parken!", "mer lys i parken", "MER LYS I PARKEN.")]
    [group] = similar_statements(ids(items)).groups
    assert group.voices == 3


def test_near_identical_statements_are_grouped():
    a = make_input("Vi trenger en trygg sykkelvei langs Kanalen")
    b = make_input("Vi trenger en trygg sykkelvei langs kanalen nå")
    [group] = similar_statements([a.pk, b.pk]).groups
    assert sorted(group.input_ids) == sorted([a.pk, b.pk])


def test_different_statements_are_not_grouped():
    a = make_input("Vi trenger en trygg sykkelvei langs Kanalen")
    b = make_input("Bevar den gamle eika ved skolen")
    assert similar_statements([a.pk, b.pk]).groups == []


def test_groups_are_largest_first():
    small = [make_input("Flere benker ved stranda") for _ in range(2)]
    large = [make_input("Stenging av Kongensgate for biler") for _ in range(5)]
    groups = similar_statements(ids(small + large)).groups
    assert [g.voices for g in groups] == [5, 2]


def test_grouping_reads_the_public_text_only():
    a = make_input("Ring meg på 912 34 567")
    b = make_input("Ring meg på 48 00 11 22")
    [group] = similar_statements([a.pk, b.pk]).groups
    assert "912" not in group.text
