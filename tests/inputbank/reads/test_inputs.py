"""One input as a caller may see it (inputbank/reads/inputs.py), shared by API and pages."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from inputbank import roles
from inputbank.reads.inputs import visible_input
from inputbank.services import ContributorData, input_reject
from tests.factories import make_input, make_user

pytestmark = pytest.mark.django_db


def test_everyone_sees_published_input():
    item = make_input("Flere benker langs kyststien.")
    assert visible_input(AnonymousUser(), item.public_id) == item
    assert visible_input(make_user(None, roles.GIS), item.public_id) == item


def test_pending_input_is_hidden_from_the_public_exactly_like_an_unknown_id():
    pending = make_input(
        "Gatelyset er ødelagt.",
        published=False,
        contributor=ContributorData(name="Kari Nordmann", email="kari@example.no"),
    )
    for public_id in (pending.public_id, uuid.uuid4()):
        with pytest.raises(Http404) as refused:
            visible_input(AnonymousUser(), public_id)
        assert str(refused.value) == "no such input"


def test_moderators_see_pending_and_rejected_input():
    moderator = make_user(None, roles.MODERATORS)
    pending = make_input("Vennligst fjern søpla.", published=False)
    rejected = make_input("Tull og tøys.", published=False)
    input_reject(input=rejected, moderator=moderator, reason="Ikke et innspill til planen.")
    assert visible_input(moderator, pending.public_id) == pending
    assert visible_input(moderator, rejected.public_id) == rejected
    with pytest.raises(Http404):
        visible_input(make_user(None, roles.GIS), pending.public_id)
