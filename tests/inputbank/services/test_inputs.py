"""Writes for inputs: residents' pins, letters registered by staff, moderation, corrections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inputbank import services
from inputbank.casenumbers import CaseRef
from inputbank.models import (
    Channel,
    Contributor,
    Input,
    LocationSource,
    ModerationStatus,
    ProcessStatus,
)
from inputbank.services import ContributorData, PreparedAttachment
from tests.factories import make_input, make_process, make_user, point

pytestmark = pytest.mark.django_db

KARI = ContributorData(name="Kari Nordmann", email="kari@example.no", wants_feedback=True)


def _letter(**extra):
    """A letter a case officer registers: no place drawn, a case number, received last week."""
    defaults = {
        "text": "Vi ber om gatelys langs Kanalstien. Hilsen Ola, tlf 912 34 567.",
        "geom": None,
        "themes": [],
        "channel": Channel.LETTER,
        "registered_by": None,
        "received_at": timezone.now() - dt.timedelta(days=7),
        "case_ref": CaseRef(2024, 1234, 5),
    }
    return services.input_register(**{**defaults, **extra})


def test_a_resident_pin_waits_for_moderation_with_a_redacted_public_text():
    item = services.input_submit(text="Farlig kryss. Ring 912 34 567.", geom=point(), themes=[])
    assert item.status == ModerationStatus.PENDING
    assert item.channel == Channel.WEB_MAP
    assert "912 34 567" in item.text
    assert "912 34 567" not in item.public_text


def test_an_identified_resident_is_stored_apart_from_an_anonymous_one():
    named = services.input_submit(text="Benk.", geom=point(), themes=[], contributor=KARI)
    anonymous = services.input_submit(
        text="Benk.", geom=point(), themes=[], contributor=ContributorData()
    )
    assert Contributor.objects.get().email == "kari@example.no"
    assert named.contributor.name == "Kari Nordmann"
    assert anonymous.contributor is None


def test_input_without_a_place_says_so():
    item = services.input_submit(text="Generelt om kommuneplanen.", geom=None, themes=[])
    assert item.geom is None
    assert item.location_source == LocationSource.NONE


def test_a_registered_letter_keeps_case_number_officer_and_date_received():
    officer = make_user("saksbehandler")
    received = timezone.now() - dt.timedelta(days=7)
    item = _letter(registered_by=officer, received_at=received)
    item.refresh_from_db()
    assert (item.channel, item.case_reference) == (Channel.LETTER, "2024/1234-5")
    assert item.registered_by == officer
    assert item.received_at == received
    assert item.location_source == LocationSource.NONE
    assert item.history.first().history_user == officer


def test_a_registered_letter_waits_for_moderation_unless_the_officer_publishes_it():
    officer = make_user("saksbehandler")
    waiting = _letter()
    vouched = _letter(publish=True, registered_by=officer)
    assert waiting.status == ModerationStatus.PENDING
    assert vouched.status == ModerationStatus.PUBLISHED
    assert vouched.moderated_by == officer
    assert "912 34 567" not in vouched.public_text


def test_a_childrens_walk_is_always_restricted_but_a_pin_is_not():
    walk = _letter(channel=Channel.BARNETRAKK, geom=point(), case_ref=None)
    pin = make_input("Lys ved skolen.")
    assert walk.location_restricted is True
    assert pin.location_restricted is False


def test_a_scanned_letter_is_attached_but_never_public():
    scan = PreparedAttachment("brev.pdf", "application/pdf", b"%PDF-1.4 brev")
    item = _letter(attachments=[scan])
    [attachment] = item.attachments.all()
    assert (attachment.original_name, attachment.public) == ("brev.pdf", False)


def test_publishing_with_an_edited_text_redacts_it_again():
    item = make_input("Benk ved fjorden.", published=False)
    services.input_publish(input=item, moderator=None, public_text="Benk. Mail ola@example.no")
    item.refresh_from_db()
    assert item.status == ModerationStatus.PUBLISHED
    assert "ola@example.no" not in item.public_text
    assert item.published_at is not None


def test_publishing_a_rejected_input_clears_the_reason():
    item = make_input("Sjikane?", published=False)
    services.input_reject(input=item, moderator=None, reason="Sjikane")
    services.input_publish(input=item, moderator=None)
    item.refresh_from_db()
    assert (item.status, item.rejection_reason) == (ModerationStatus.PUBLISHED, "")


def test_a_rejected_input_stays_stored_with_its_reason_and_leaves_the_public_list():
    item = make_input("Reklame for firma.")
    services.input_reject(input=item, moderator=None, reason="Reklame")
    item.refresh_from_db()
    assert (item.status, item.rejection_reason) == (ModerationStatus.REJECTED, "Reklame")
    assert not Input.objects.published().filter(pk=item.pk).exists()


def test_update_moves_an_input_from_an_old_process_to_the_open_one():
    old = make_process(
        "gammel-plan",
        opens_on=dt.date(2019, 1, 1),
        closes_on=dt.date(2019, 3, 1),
        status=ProcessStatus.CLOSED,
    )
    current = make_process("ny-plan")
    item = make_input(process=old)
    services.input_update(input=item, changed_by=None, process=current)
    item.refresh_from_db()
    assert item.process == current


def test_update_touches_only_the_arguments_given():
    process = make_process()
    item = make_input(text="Original", process=process)
    services.input_update(input=item, changed_by=None, source_group="Velforeningen")
    item.refresh_from_db()
    assert (item.text, item.process, item.source_group) == ("Original", process, "Velforeningen")


def test_update_can_clear_the_process_with_none():
    item = make_input(process=make_process())
    services.input_update(input=item, changed_by=None, process=None)
    item.refresh_from_db()
    assert item.process is None


def test_removing_the_geometry_declares_no_location():
    item = make_input()
    services.input_update(input=item, changed_by=None, geom=None)
    item.refresh_from_db()
    assert item.geom is None
    assert item.location_source == LocationSource.NONE


def test_explicit_public_text_is_redacted_too():
    item = make_input()
    services.input_update(input=item, changed_by=None, public_text="Ring 91234567")
    item.refresh_from_db()
    assert "91234567" not in item.public_text
