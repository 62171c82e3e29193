"""A resident's submission retried after a lost answer is stored once (Idempotency-Key)."""

import pytest

from inputbank import antibot
from inputbank.models import Input
from tests.api.helpers import LIST_URL, body, error_fields, post_json, submission

pytestmark = pytest.mark.django_db


def test_a_retry_with_the_same_key_gets_the_first_answer_and_stores_nothing(api, form_token):
    payload = submission(form_token)
    first = post_json(api, LIST_URL, payload, HTTP_IDEMPOTENCY_KEY="a1b2c3d4-retry")
    again = post_json(api, LIST_URL, payload, HTTP_IDEMPOTENCY_KEY="a1b2c3d4-retry")
    assert first.status_code == again.status_code == 201
    assert body(again)["id"] == body(first)["id"]
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Input.objects.count() == 1


def test_different_keys_are_different_submissions(api):
    for key in ("key-number-one", "key-number-two"):
        payload = submission(antibot.issue_form_token())
        assert post_json(api, LIST_URL, payload, HTTP_IDEMPOTENCY_KEY=key).status_code == 201
    assert Input.objects.count() == 2


def test_the_same_key_from_another_address_is_not_a_replay(api):
    post_json(
        api, LIST_URL, submission(antibot.issue_form_token()), HTTP_IDEMPOTENCY_KEY="shared-key-1"
    )
    other = post_json(
        api,
        LIST_URL,
        submission(antibot.issue_form_token()),
        HTTP_IDEMPOTENCY_KEY="shared-key-1",
        REMOTE_ADDR="10.9.8.7",
    )
    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other
    assert Input.objects.count() == 2


def test_a_malformed_key_is_refused(api, form_token):
    response = post_json(api, LIST_URL, submission(form_token), HTTP_IDEMPOTENCY_KEY="short")
    assert response.status_code == 400
    assert error_fields(response) == ["Idempotency-Key"]
    assert Input.objects.count() == 0


def test_without_a_key_a_form_token_cannot_be_replayed(api, form_token):
    assert post_json(api, LIST_URL, submission(form_token)).status_code == 201
    again = post_json(api, LIST_URL, submission(form_token))
    assert again.status_code == 400
    assert error_fields(again) == ["properties.form_token"]
    assert "already used" in body(again)["errors"][0]["message"]
    assert Input.objects.count() == 1


def test_a_retry_after_a_failed_store_reuses_its_form_token(api, form_token, monkeypatch):
    from django.db import OperationalError

    from inputbank import services

    real = services.input_submit

    def database_restarting(**kwargs):
        raise OperationalError("terminating connection due to administrator command")

    payload = submission(form_token)
    monkeypatch.setattr(services, "input_submit", database_restarting)
    api.raise_request_exception = False
    failed = post_json(api, LIST_URL, payload, HTTP_IDEMPOTENCY_KEY="retry-after-503")
    assert failed.status_code == 503
    monkeypatch.setattr(services, "input_submit", real)
    retried = post_json(api, LIST_URL, payload, HTTP_IDEMPOTENCY_KEY="retry-after-503")
    assert retried.status_code == 201
    # ... but the token is still no good for another submission.
    other = post_json(api, LIST_URL, payload, HTTP_IDEMPOTENCY_KEY="another-submission")
    assert other.status_code == 400
    assert Input.objects.count() == 1
