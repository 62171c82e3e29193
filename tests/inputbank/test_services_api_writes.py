"""Services added for the API: input_update, comments and supports."""

import pytest

from inputbank import services
from inputbank.models import LocationSource, ModerationStatus
from tests.factories import make_input, make_process

pytestmark = pytest.mark.django_db


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


def test_comment_on_unpublished_input_is_refused():
    with pytest.raises(services.NotPublished):
        services.comment_submit(input=make_input(published=False), text="Hei")


def test_comment_starts_pending_and_redacted():
    comment = services.comment_submit(input=make_input(), text="Mail a@b.no")
    assert comment.status == ModerationStatus.PENDING
    assert "a@b.no" not in comment.public_text


def test_support_counts_once_per_key():
    item = make_input()
    assert services.support_add(input=item, supporter_key="k1") == (True, 1)
    assert services.support_add(input=item, supporter_key="k1") == (False, 1)
    assert services.support_add(input=item, supporter_key="k2") == (True, 2)
