"""Residents' reactions to published input: comments (moderated, redacted) and supports."""

from __future__ import annotations

import pytest

from inputbank import services
from inputbank.models import ModerationStatus
from tests.factories import make_input, make_user

pytestmark = pytest.mark.django_db


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


def test_support_for_unpublished_input_is_refused():
    with pytest.raises(services.NotPublished):
        services.support_add(input=make_input(published=False), supporter_key="k1")


def test_a_comment_is_published_with_the_moderators_text_redacted_again():
    moderator = make_user("moderator")
    comment = services.comment_submit(input=make_input(), text="Enig.")
    services.comment_publish(comment=comment, moderator=moderator, public_text="Ring 91234567")
    comment.refresh_from_db()
    assert comment.status == ModerationStatus.PUBLISHED
    assert "91234567" not in comment.public_text
    assert comment.moderated_by == moderator


def test_a_rejected_comment_keeps_the_reason():
    comment = services.comment_submit(input=make_input(), text="Sjikane")
    services.comment_reject(comment=comment, moderator=None, reason="Personangrep")
    comment.refresh_from_db()
    assert (comment.status, comment.rejection_reason) == (
        ModerationStatus.REJECTED,
        "Personangrep",
    )
