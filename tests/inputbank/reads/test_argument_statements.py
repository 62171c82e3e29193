"""The statements submission compares with: stored tokens are used only while they are true."""

from __future__ import annotations

import pytest
from django.db import connection

from geo.crs import STORAGE_SRID
from inputbank.matching import tokens
from inputbank.matching.text import FINGERPRINT
from inputbank.models import Input
from inputbank.reads.argument_statements import ThemeKeys, nearest_statements
from tests.factories import make_input, make_theme, point

pytestmark = pytest.mark.django_db

KONGENS_GATE = (10.6624, 59.4358)
TEXT = "Fotgjengerfeltet i Kongens gate ved skolen er farlig."


def _only_statement():
    here = point(*KONGENS_GATE).transform(STORAGE_SRID, clone=True)
    [(_argument, statement)] = nearest_statements(here)
    return statement


def test_a_matched_input_keeps_its_tokens_and_its_themes_with_their_parents():
    parent = make_theme("trafikk")
    child = make_theme("trafikksikkerhet", parent=parent)
    item = make_input(TEXT, geom=point(*KONGENS_GATE), themes=(child,))
    item.refresh_from_db()
    assert sorted(item.match_tokens) == sorted(tokens(TEXT))
    # The key SQL computes from the wording is the one Python stored: the read uses the
    # stored tokens (a stale key would read NULL and tokenise afresh).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT match_key = md5(%s || COALESCE(NULLIF(public_text, ''), text))::uuid "
            "FROM inputbank_input WHERE id = %s",
            [FINGERPRINT, item.pk],
        )
        assert cursor.fetchone()[0] is True
    statement = _only_statement()
    assert statement.tokens == tokens(TEXT)
    assert statement.themes == ThemeKeys()([child.pk]) == {child.pk, parent.pk}


def test_an_edited_wording_is_not_matched_on_its_old_tokens():
    item = make_input(TEXT, geom=point(*KONGENS_GATE))
    new = "Sykkelparkeringen ved stasjonen er full."
    # An edit that bypasses the model (as redaction or an import may): the old tokens stay
    # in the row, but their key no longer matches the wording.
    Input.objects.filter(pk=item.pk).update(public_text=new, text=new)
    assert _only_statement().tokens == tokens(new)
