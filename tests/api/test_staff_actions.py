"""Staff actions: publish, reject, record a response, correct an input (PATCH)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from inputbank.models import DeliveryStatus, FeedbackDelivery, Input, ModerationStatus, Response
from inputbank.services import ContributorData
from tests.api.helpers import LIST_URL, body, error_fields, post_json
from tests.factories import make_input, make_process, make_theme

pytestmark = pytest.mark.django_db


def url(item, action=""):
    return f"{LIST_URL}{item.public_id}/{action + '/' if action else ''}"


def test_moderator_publishes_pending_input(moderator_api, api):
    item = make_input(published=False)
    response = post_json(moderator_api, url(item, "publish"), {})
    assert response.status_code == 200
    assert body(response)["properties"]["status"] == "published"
    assert api.get(url(item)).status_code == 200


def test_moderator_may_edit_the_public_text_and_it_is_redacted_again(moderator_api):
    item = make_input(published=False)
    post_json(moderator_api, url(item, "publish"), {"public_text": "Kort: ring 91234567"})
    item.refresh_from_db()
    assert item.public_text.startswith("Kort: ring ")
    assert "91234567" not in item.public_text


def test_moderator_rejects_with_a_reason(moderator_api, api):
    item = make_input()
    response = post_json(moderator_api, url(item, "reject"), {"reason": "Personangrep"})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.status == ModerationStatus.REJECTED
    assert item.rejection_reason == "Personangrep"
    assert api.get(url(item)).status_code == 404


def test_reject_needs_a_reason(moderator_api):
    item = make_input(published=False)
    response = post_json(moderator_api, url(item, "reject"), {})
    assert response.status_code == 400
    assert error_fields(response) == ["reason"]


@pytest.mark.parametrize("who", ["api", "resident_api", "gis_api"])
def test_only_moderators_publish(who, request):
    client = request.getfixturevalue(who)
    item = make_input(published=False)
    assert post_json(client, url(item, "publish"), {}).status_code in (401, 403)
    item.refresh_from_db()
    assert item.status == ModerationStatus.PENDING


def test_case_officer_records_a_response_visible_to_the_public(officer_api, api):
    item = make_input()
    response = post_json(
        officer_api,
        url(item, "response"),
        {"outcome": "not_adopted", "justification": "Utenfor planområdet.", "stage": "final"},
    )
    assert response.status_code == 200
    public = body(api.get(url(item)))["properties"]["response"]
    assert public["outcome"] == "not_adopted"
    assert public["justification"] == "Utenfor planområdet."
    assert public["stage"] == "final"


def test_revising_a_response_keeps_one_response(officer_api):
    item = make_input()
    for outcome in ("noted", "adopted"):
        post_json(officer_api, url(item, "response"), {"outcome": outcome, "justification": "Ok."})
    assert Response.objects.get(input=item).outcome == "adopted"


def _english_letter(process):
    return make_input(
        "A bench by the fjord, please.",
        process=process,
        contributor=ContributorData(
            name="Sam Smith",
            email="sam@example.no",
            wants_feedback=True,
            preferred_language="en",
        ),
    )


ANSWER = {
    "outcome": "partly_adopted",
    "justification": "Two benches are in the plan.",
    "stage": "first_reading",
    "decision_reference": "PS 45/24",
}


def test_the_api_answer_sends_the_same_email_as_the_staff_page(
    officer_api, client, case_officer, django_capture_on_commit_callbacks
):
    process = make_process(title="Coastal path")
    by_api, by_page = _english_letter(process), _english_letter(process)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_json(officer_api, url(by_api, "response"), ANSWER).status_code == 200
    client.force_login(case_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("staff:input_respond", kwargs={"public_id": by_page.public_id}),
            {**ANSWER, "notify": "on"},
        )
    api_mail, page_mail = mail.outbox
    assert api_mail.to == page_mail.to == ["sam@example.no"]

    def same_for_both(message, item):  # each names its own input and privacy link
        text = f"{message.subject}\n{message.body}"
        text = re.sub(r"/privacy/mine/[^/\s]+/", "/privacy/mine/TOKEN/", text)
        return text.replace(item.reference, "REF").replace(str(item.public_id), "ID")

    assert same_for_both(api_mail, by_api) == same_for_both(page_mail, by_page)
    assert "Your input has been partly adopted." in api_mail.body
    assert api_mail.extra_headers["Content-Language"] == "en"
    assert {d.status for d in FeedbackDelivery.objects.all()} == {DeliveryStatus.SENT}


def test_the_api_answer_mails_nobody_who_did_not_ask(
    officer_api, django_capture_on_commit_callbacks
):
    anonymous = make_input("Benk ved fjorden.")
    with django_capture_on_commit_callbacks(execute=True):
        post_json(officer_api, url(anonymous, "response"), ANSWER)
    assert Response.objects.filter(input=anonymous).exists()
    assert mail.outbox == []


def test_the_api_answer_with_notify_false_queues_no_email(
    officer_api, django_capture_on_commit_callbacks
):
    item = _english_letter(make_process())
    with django_capture_on_commit_callbacks(execute=True):
        post_json(officer_api, url(item, "response"), {**ANSWER, "notify": False})
    assert Response.objects.filter(input=item).exists()
    assert not FeedbackDelivery.objects.exists()


def test_moderator_may_not_record_a_response(moderator_api):
    item = make_input()
    response = post_json(
        moderator_api, url(item, "response"), {"outcome": "noted", "justification": "x"}
    )
    assert response.status_code == 403
    assert not Response.objects.exists()


def test_unknown_outcome_is_refused(officer_api):
    item = make_input()
    response = post_json(
        officer_api, url(item, "response"), {"outcome": "maybe", "justification": "x"}
    )
    assert response.status_code == 400
    assert error_fields(response) == ["outcome"]


def test_case_officer_corrects_themes_and_case_reference(officer_api):
    theme = make_theme("vann")
    item = make_input()
    response = officer_api.patch(
        url(item),
        {"properties": {"themes": ["vann"], "case_reference": "2024/1234-5"}},
        format="json",
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert list(item.themes.all()) == [theme]
    assert item.case_reference == "2024/1234-5"
    assert body(response)["properties"]["case_reference"] == "2024/1234-5"


def test_patching_the_text_redacts_the_public_text(officer_api):
    item = make_input()
    officer_api.patch(url(item), {"properties": {"text": "Mail meg: a@b.no"}}, format="json")
    item.refresh_from_db()
    assert item.text == "Mail meg: a@b.no"
    assert "a@b.no" not in item.public_text


def test_patching_the_geometry(officer_api):
    item = make_input()
    officer_api.patch(
        url(item), {"geometry": {"type": "Point", "coordinates": [10.70, 59.45]}}, format="json"
    )
    item.refresh_from_db()
    item.geom.transform(4326)
    assert (item.geom.x, item.geom.y) == (pytest.approx(10.70), pytest.approx(59.45))


def test_moderator_may_not_patch(moderator_api):
    item = make_input()
    response = moderator_api.patch(url(item), {"properties": {"text": "x"}}, format="json")
    assert response.status_code == 403
    assert Input.objects.get().text != "x"
