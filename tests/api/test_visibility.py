"""Who sees what: the public, residents, gis, moderators and case officers.

Confidential contributor data (name, e-mail, phone, address) must never reach a role that may
not see it: not in features, not nested, not in paging links, not in error messages.
"""

import pytest

from inputbank import services
from inputbank.models import Input, ModerationStatus
from inputbank.reads.prior_input import prior_input
from tests.api.conftest import client_for
from tests.api.helpers import LIST_URL, PRIOR_URL, body, feature_ids, post_json
from tests.factories import make_input, make_theme, point

pytestmark = pytest.mark.django_db

SECRETS = ("Kari Nordmann", "kari.secret@example.no", "98765432", "Hemmeligveien 7")


def _with_contributor(published=True, **extra):
    return make_input(
        text="Trygg skolevei trengs.",
        published=published,
        contributor=services.ContributorData(
            name=SECRETS[0], email=SECRETS[1], phone=SECRETS[2], postal_address=SECRETS[3]
        ),
        **extra,
    )


def _assert_no_secrets(content: bytes):
    text = content.decode()
    for secret in SECRETS:
        assert secret not in text


@pytest.fixture
def everything(db):
    published = _with_contributor()
    pending = _with_contributor(published=False)
    return published, pending


@pytest.mark.parametrize("who", ["anonymous", "resident", "gis", "moderator"])
def test_contributor_data_never_reaches_roles_without_the_right(
    who, everything, api, resident, gis_user, moderator
):
    client = {
        "anonymous": api,
        "resident": client_for(resident),
        "gis": client_for(gis_user, token=True),
        "moderator": client_for(moderator, token=True),
    }[who]
    published, pending = everything
    for url in (
        LIST_URL,
        LIST_URL + "?page_size=1",
        LIST_URL + "?q=skolevei",
        f"{LIST_URL}{published.public_id}/",
        f"{LIST_URL}{pending.public_id}/",
    ):
        _assert_no_secrets(client.get(url).content)
    area = {"type": "Point", "coordinates": [10.658, 59.434]}
    _assert_no_secrets(post_json(client, PRIOR_URL, {"geometry": area, "buffer_m": 100}).content)


def test_contributor_data_is_not_in_paging_links(api, everything):
    make_input()
    data = body(api.get(LIST_URL + "?page_size=1"))
    assert any(link["rel"] == "next" for link in data["links"])
    _assert_no_secrets(str(data["links"]).encode())


def test_errors_do_not_repeat_personal_data(api, form_token):
    feature = {
        "type": "Feature",
        "geometry": None,
        "properties": {
            "text": "x",
            "form_token": form_token,
            "contributor": {"email": "not-an-email kari.secret", "phone": "ring 98765432!"},
        },
    }
    response = post_json(api, LIST_URL, feature)
    assert response.status_code == 400
    assert "kari.secret" not in response.content.decode()
    assert "98765432" not in response.content.decode()


def test_case_officer_sees_the_contributor(officer_api, everything):
    published, _pending = everything
    props = body(officer_api.get(f"{LIST_URL}{published.public_id}/"))["properties"]
    assert props["contributor"]["email"] == SECRETS[1]
    assert props["contributor"]["phone"] == SECRETS[2]


def test_case_officer_sees_pending_input(officer_api, everything):
    assert len(feature_ids(officer_api.get(LIST_URL))) == 2


def test_moderator_sees_pending_input_and_original_text_but_no_contributor(moderator_api):
    item = make_input(text="Ring 91234567", published=False)
    props = body(moderator_api.get(f"{LIST_URL}{item.public_id}/"))["properties"]
    assert props["status"] == ModerationStatus.PENDING
    assert props["original_text"] == "Ring 91234567"
    assert "91234567" not in props["text"]
    assert "contributor" not in props


def test_public_never_sees_the_original_text(api):
    item = make_input(text="Ring 91234567")
    props = body(api.get(f"{LIST_URL}{item.public_id}/"))["properties"]
    assert "original_text" not in props
    assert "91234567" not in api.get(f"{LIST_URL}{item.public_id}/").content.decode()


def test_public_gets_404_for_pending_input(api):
    item = make_input(published=False)
    assert api.get(f"{LIST_URL}{item.public_id}/").status_code == 404


def test_public_cannot_list_pending_input_by_status_filter(api):
    make_input(published=False)
    assert feature_ids(api.get(LIST_URL, {"status": "pending"})) == []


def test_gis_sees_published_input_with_non_personal_fields(gis_api, everything):
    published, _pending = everything
    data = body(gis_api.get(LIST_URL))
    assert feature_ids_of(data) == [str(published.public_id)]
    props = data["features"][0]["properties"]
    assert "received_at" in props and "case_reference" in props
    assert "contributor" not in props and "original_text" not in props


def feature_ids_of(data):
    return [f["id"] for f in data["features"]]


def test_session_authentication_works_for_pages(case_officer, everything):
    client = client_for(case_officer, token=False)
    assert len(feature_ids(client.get(LIST_URL))) == 2


def test_token_authentication_works_for_scripts(officer_api, everything):
    assert len(feature_ids(officer_api.get(LIST_URL))) == 2


def test_bad_token_is_refused(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get(LIST_URL)
    assert response.status_code in (401, 403)


def test_prior_input_function_respects_the_user(case_officer, everything, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    area = point()
    public = prior_input(user=AnonymousUser(), geometry=area, buffer_m=50, include_pending=True)
    staff = prior_input(user=case_officer, geometry=area, buffer_m=50, include_pending=True)
    assert public.summary["total"] == 1
    assert staff.summary["total"] == 2


def test_theme_filter_does_not_reveal_pending_input(api):
    theme = make_theme("skole")
    make_input(themes=(theme,), published=False)
    assert feature_ids(api.get(LIST_URL, {"theme": "skole"})) == []


def _restricted():
    item = make_input(text="Barnetråkk: skummelt kryss")
    Input.objects.filter(pk=item.pk).update(location_restricted=True)
    return item


def test_location_restricted_input_is_never_public(api):
    item = _restricted()
    assert feature_ids(api.get(LIST_URL)) == []
    assert api.get(f"{LIST_URL}{item.public_id}/").status_code == 404
    area = {"type": "Point", "coordinates": [10.658, 59.434]}
    assert (
        body(post_json(api, PRIOR_URL, {"geometry": area, "buffer_m": 50}))["summary"]["total"] == 0
    )


def test_location_restricted_input_is_seen_by_case_officers(officer_api):
    item = _restricted()
    props = body(officer_api.get(f"{LIST_URL}{item.public_id}/"))["properties"]
    assert props["location_restricted"] is True
    area = {"type": "Point", "coordinates": [10.658, 59.434]}
    data = body(post_json(officer_api, PRIOR_URL, {"geometry": area, "buffer_m": 50}))
    assert data["summary"]["total"] == 1
