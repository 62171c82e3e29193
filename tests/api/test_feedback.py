"""Residents react to published input: moderated comments and one support per session."""

import pytest

from inputbank.models import Comment
from tests.api.helpers import LIST_URL, body, error_fields, post_json
from tests.factories import make_input

pytestmark = pytest.mark.django_db


def comments_url(item):
    return f"{LIST_URL}{item.public_id}/comments/"


def support_url(item):
    return f"{LIST_URL}{item.public_id}/support/"


def test_comment_is_stored_pending_and_not_shown(api, form_token):
    item = make_input()
    response = post_json(api, comments_url(item), {"text": "Enig!", "form_token": form_token})
    assert response.status_code == 201
    assert body(response)["status"] == "pending"
    detail = body(api.get(f"{LIST_URL}{item.public_id}/"))["properties"]
    assert detail["comment_list"] == []
    assert detail["comments"] == 0


def test_published_comment_is_shown_redacted(api, moderator_api, form_token):
    item = make_input()
    comment_id = body(
        post_json(api, comments_url(item), {"text": "Ring 91234567", "form_token": form_token})
    )["id"]
    assert (
        post_json(moderator_api, f"/api/v1/comments/{comment_id}/publish/", {}).status_code == 200
    )
    detail = body(api.get(f"{LIST_URL}{item.public_id}/"))["properties"]
    assert detail["comments"] == 1
    assert "91234567" not in detail["comment_list"][0]["text"]


def test_rejected_comment_stays_hidden(api, moderator_api, form_token):
    item = make_input()
    comment_id = body(
        post_json(api, comments_url(item), {"text": "Tull", "form_token": form_token})
    )["id"]
    post_json(moderator_api, f"/api/v1/comments/{comment_id}/reject/", {"reason": "Off topic"})
    assert Comment.objects.get().status == "rejected"
    assert body(api.get(f"{LIST_URL}{item.public_id}/"))["properties"]["comment_list"] == []


def test_comment_on_pending_input_is_not_possible(api, form_token):
    item = make_input(published=False)
    response = post_json(api, comments_url(item), {"text": "Hei", "form_token": form_token})
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_comment_needs_the_bot_checks(api):
    item = make_input()
    response = post_json(api, comments_url(item), {"text": "Hei", "website": "x"})
    assert response.status_code == 400
    assert error_fields(response) == ["website"]


def test_support_counts_once_per_session(api):
    item = make_input()
    first = api.post(support_url(item))
    second = api.post(support_url(item))
    assert (first.status_code, second.status_code) == (201, 200)
    assert body(second)["supports"] == 1


def test_supports_from_two_sessions_count_twice(api):
    from rest_framework.test import APIClient

    item = make_input()
    api.post(support_url(item))
    response = APIClient().post(support_url(item))
    assert body(response)["supports"] == 2
    assert body(api.get(LIST_URL))["features"][0]["properties"]["supports"] == 2


def test_support_counts_once_per_user_across_sessions(resident):
    from tests.api.conftest import client_for

    item = make_input()
    client_for(resident).post(support_url(item))
    response = client_for(resident).post(support_url(item))
    assert response.status_code == 200
    assert body(response)["supports"] == 1


def test_support_for_pending_input_is_not_possible(api):
    item = make_input(published=False)
    assert api.post(support_url(item)).status_code == 404


def test_cross_site_support_is_refused(api):
    item = make_input()
    response = api.post(support_url(item), HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403


def test_cookie_dropping_supports_from_one_address_are_capped(api, settings):
    from rest_framework.test import APIClient

    settings.INPUTBANK = {**settings.INPUTBANK, "THROTTLE_SUPPORT_PER_ADDRESS": "3/day"}
    item = make_input()
    answers = [APIClient().post(support_url(item)).status_code for _ in range(4)]
    assert answers == [201, 201, 201, 429]
    # Another address (another household) still counts.
    assert APIClient().post(support_url(item), REMOTE_ADDR="10.1.1.1").status_code == 201
    assert body(api.get(f"{LIST_URL}{item.public_id}/"))["properties"]["supports"] == 4
