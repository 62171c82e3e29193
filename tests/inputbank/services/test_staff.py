"""An officer's own workspace language through ``staff_language_set``, called directly: the
choice is kept in one StaffProfile per officer and is what the workspace then speaks
(``StaffProfile.language_of``); a language the workspace does not speak is refused by name and
changes nothing (docs/staff.md, "Languages")."""

from __future__ import annotations

import pytest

from inputbank import roles
from inputbank.models import StaffProfile
from inputbank.services import staff_language_set
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def profiles() -> list[tuple[int, int, str]]:
    return list(StaffProfile.objects.order_by("id").values_list("id", "user_id", "language"))


@pytest.fixture
def new_officer(db):
    """A case officer who has not chosen yet: the workspace speaks the site's bokmål."""
    return make_user("ny-saksbehandler", roles.CASE_OFFICERS, language=None)


def test_a_first_choice_is_kept_and_the_workspace_speaks_it(new_officer):
    assert StaffProfile.language_of(new_officer) == "nb"
    assert not StaffProfile.objects.filter(user=new_officer).exists()
    profile = staff_language_set(user=new_officer, language="nn")
    stored = StaffProfile.objects.get(user=new_officer)
    assert (profile.pk, stored.language) == (stored.pk, "nn")
    assert StaffProfile.language_of(new_officer) == "nn"


@pytest.mark.parametrize(("first", "then"), [("en", "nb"), ("nb", "nn"), ("nn", "en")])
def test_a_new_choice_replaces_the_old_in_the_same_profile(first, then):
    officer = make_user("saksbehandler", roles.CASE_OFFICERS, language=first)
    [(profile_id, _user, language)] = profiles()
    assert language == first
    staff_language_set(user=officer, language=then)
    assert profiles() == [(profile_id, officer.pk, then)]
    assert StaffProfile.language_of(officer) == then


def test_choosing_the_same_language_again_changes_nothing(new_officer):
    staff_language_set(user=new_officer, language="en")
    before = profiles()
    again = staff_language_set(user=new_officer, language="en")
    assert profiles() == before
    assert again.pk == before[0][0]


def test_one_officers_choice_leaves_the_others_alone(new_officer, moderator, gis_user):
    staff_language_set(user=new_officer, language="nn")
    staff_language_set(user=moderator, language="nb")
    assert StaffProfile.language_of(gis_user) == "en"  # the factory's choice, untouched
    assert StaffProfile.language_of(moderator) == "nb"
    assert StaffProfile.language_of(new_officer) == "nn"
    assert StaffProfile.objects.count() == 3


@pytest.mark.parametrize(
    "language",
    [
        "de",  # no catalogue at all
        "ar",  # a language of the resident pages, not of the workspace
        "pl",
        "NN",  # the code as typed, not the one stored
        "nb-no",
        " nn",
        "",
    ],
)
def test_a_language_the_workspace_does_not_speak_is_refused_and_nothing_changes(
    new_officer, case_officer, language
):
    before = profiles()
    for officer in (new_officer, case_officer):  # without and with an earlier choice
        with pytest.raises(ValueError, match="not a workspace language") as refused:
            staff_language_set(user=officer, language=language)
        assert repr(language) in str(refused.value)
    assert profiles() == before
    assert StaffProfile.language_of(new_officer) == "nb"
    assert StaffProfile.language_of(case_officer) == "en"
