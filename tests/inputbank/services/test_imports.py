"""Bulk registration from an import: the rules of input_register, at COPY speed, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.db import IntegrityError
from django.utils import timezone

from geo.crs import STORAGE_SRID
from inputbank.models import Channel, Input, LocationSource, ModerationStatus
from inputbank.services import NewInput, inputs_bulk_register
from tests.factories import make_process, make_theme, make_user

pytestmark = pytest.mark.django_db

RECEIVED = timezone.make_aware(dt.datetime(2019, 5, 14, 10, 0))
TORGET = Point(593_900.0, 6_589_450.0, srid=STORAGE_SRID)


def letter(text="Brev: ønsker benker på torget. Ring 912 34 567.", **extra) -> NewInput:
    return NewInput(text=text, channel=Channel.LETTER, received_at=RECEIVED, **extra)


def pin(text="Farlig kryss ved torget.", channel=Channel.WEB_MAP, **extra) -> NewInput:
    return NewInput(
        text=text,
        channel=channel,
        received_at=RECEIVED,
        geom_wkb=bytes(TORGET.wkb),
        location_source=LocationSource.DRAWN,
        **extra,
    )


def test_every_row_of_every_batch_is_stored_and_counted():
    assert inputs_bulk_register(batches=[[letter(), pin()], [pin()]], registered_by=None) == 3
    assert Input.objects.count() == 3


def test_imported_text_is_redacted_for_the_public():
    inputs_bulk_register(batches=[[letter()]], registered_by=None)
    item = Input.objects.get()
    assert "912 34 567" in item.text
    assert "912 34 567" not in item.public_text


def test_a_letter_without_a_place_says_so_and_a_pin_keeps_its_place():
    inputs_bulk_register(
        batches=[[letter(), pin()]],
        registered_by=None,
    )
    by_channel = {i.channel: i for i in Input.objects.all()}
    assert by_channel[Channel.LETTER].location_source == LocationSource.NONE
    assert by_channel[Channel.LETTER].geom is None
    assert by_channel[Channel.WEB_MAP].geom.equals_exact(TORGET, 0.01)


def test_imported_input_waits_for_moderation_unless_the_officer_publishes_it():
    officer = make_user("arkivar")
    inputs_bulk_register(batches=[[letter()]], registered_by=officer)
    inputs_bulk_register(batches=[[pin()]], registered_by=officer, publish=True)
    statuses = dict(Input.objects.values_list("channel", "status"))
    assert statuses == {
        Channel.LETTER: ModerationStatus.PENDING,
        Channel.WEB_MAP: ModerationStatus.PUBLISHED,
    }
    assert Input.objects.get(channel=Channel.WEB_MAP).moderated_by == officer


def test_an_old_process_case_number_and_themes_are_linked():
    old = make_process(
        "kommuneplan-2019", opens_on=dt.date(2019, 4, 1), closes_on=dt.date(2019, 6, 1)
    )
    theme = make_theme("friluft")
    inputs_bulk_register(
        batches=[
            [letter(process_id=old.pk, case_year=2019, case_sequence=88, theme_ids=(theme.pk,))]
        ],
        registered_by=None,
    )
    item = Input.objects.get()
    assert (item.process, item.case_reference) == (old, "2019/88")
    assert list(item.themes.all()) == [theme]


def test_a_childrens_walk_is_restricted_like_a_registered_one():
    inputs_bulk_register(batches=[[pin(channel=Channel.BARNETRAKK)]], registered_by=None)
    assert Input.objects.get().location_restricted is True


def test_each_imported_input_has_a_created_row_in_the_audit_trail():
    officer = make_user("arkivar")
    inputs_bulk_register(batches=[[letter(), pin()]], registered_by=officer)
    history = Input.history.all()
    assert history.count() == 2
    assert {(h.history_type, h.history_user_id) for h in history} == {("+", officer.pk)}


def test_one_bad_row_stores_none():
    with pytest.raises(IntegrityError):
        inputs_bulk_register(
            batches=[[letter()], [letter(case_year=2019, case_sequence=None)]],
            registered_by=None,
        )
    assert not Input.objects.exists()


def test_nothing_to_import_stores_nothing():
    assert inputs_bulk_register(batches=[[], []], registered_by=None) == 0
