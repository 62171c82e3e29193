"""POST /api/v1/inputs/: a resident's input is stored as pending, through the service layer."""

import time

import pytest

from inputbank import antibot
from inputbank.models import Contributor, Input, ModerationStatus
from tests.api.helpers import LIST_URL, body, error_fields, errors, post_json, submission
from tests.factories import make_process, make_theme

pytestmark = pytest.mark.django_db


def test_anonymous_submission_is_stored_as_pending(api, form_token):
    theme = make_theme("trafikk")
    response = post_json(api, LIST_URL, submission(form_token, themes=["trafikk"]))
    assert response.status_code == 201
    item = Input.objects.get(public_id=body(response)["id"])
    assert item.status == ModerationStatus.PENDING
    assert list(item.themes.all()) == [theme]
    assert body(response)["status"] == "pending"
    assert response["Location"].endswith(f"/api/v1/inputs/{item.public_id}/")


def test_submitted_point_is_stored_in_the_municipal_crs(api, form_token):
    post_json(api, LIST_URL, submission(form_token))
    geom = Input.objects.get().geom
    assert geom.srid == 25832
    assert (geom.x, geom.y) == (
        pytest.approx(594048.14, abs=0.05),
        pytest.approx(6589551.59, abs=0.05),
    )


def test_pending_submission_is_not_public(api, form_token):
    post_json(api, LIST_URL, submission(form_token))
    assert body(api.get(LIST_URL))["features"] == []


def test_submission_without_place_is_allowed(api, form_token):
    response = post_json(api, LIST_URL, submission(form_token, geometry=None))
    assert response.status_code == 201
    assert Input.objects.get().location_source == "none"


def test_contributor_is_stored_apart_from_the_input(api, form_token):
    contributor = {"name": "Kari", "email": "kari@example.no", "wants_feedback": True}
    post_json(api, LIST_URL, submission(form_token, contributor=contributor))
    item = Input.objects.get()
    assert item.contributor.email == "kari@example.no"
    assert item.contributor.wants_feedback is True


def test_feedback_needs_an_address_to_send_it_to(api, form_token):
    response = post_json(
        api, LIST_URL, submission(form_token, contributor={"name": "Kari", "wants_feedback": True})
    )
    assert response.status_code == 400
    assert error_fields(response) == ["properties.contributor.email"]
    assert not Contributor.objects.exists()


def test_personal_data_in_the_text_is_redacted_for_publication(api, form_token):
    post_json(api, LIST_URL, submission(form_token, text="Ring 91234567 eller ola@example.no"))
    item = Input.objects.get()
    assert "91234567" not in item.public_text
    assert "ola@example.no" not in item.public_text
    assert "91234567" in item.text


def test_resident_cannot_set_status_or_id(api, form_token):
    response = post_json(api, LIST_URL, submission(form_token, status="published"))
    assert response.status_code == 400
    assert error_fields(response) == ["properties.status"]
    feature = submission(form_token)
    feature["id"] = "00000000-0000-0000-0000-000000000000"
    assert post_json(api, LIST_URL, feature).status_code == 400
    assert not Input.objects.exists()


def test_submission_to_a_closed_process_is_refused(api, form_token):
    process = make_process("gammel", status="closed")
    response = post_json(api, LIST_URL, submission(form_token, process=process.slug))
    assert response.status_code == 400
    assert "not open" in errors(response)[0]["message"]


def test_submission_to_an_open_process_by_slug(api, form_token):
    process = make_process("ny-plan")
    post_json(api, LIST_URL, submission(form_token, process="ny-plan"))
    assert Input.objects.get().process == process


def test_repaired_bowtie_polygon_is_reported(api, form_token):
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[10.65, 59.43], [10.66, 59.44], [10.66, 59.43], [10.65, 59.44], [10.65, 59.43]]
        ],
    }
    response = post_json(api, LIST_URL, submission(form_token, geometry=bowtie))
    assert response.status_code == 201
    assert body(response)["geometry_repaired"] is True
    assert Input.objects.get().geom.valid


def test_honeypot_filled_is_refused(api, form_token):
    response = post_json(api, LIST_URL, submission(form_token, website="http://spam.example"))
    assert response.status_code == 400
    assert error_fields(response) == ["properties.website"]
    assert not Input.objects.exists()


def test_missing_form_token_is_refused(api):
    response = post_json(api, LIST_URL, submission(""))
    assert response.status_code == 400
    assert "form_token" in error_fields(response)[0]


def test_forged_form_token_is_refused(api):
    response = post_json(api, LIST_URL, submission("abc:def:ghi"))
    assert response.status_code == 400
    assert errors(response)[0]["message"] == "not a valid form token"


def test_form_sent_too_quickly_is_refused(api, settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "MIN_FILL_SECONDS": 3}
    token = body(api.get("/api/v1/form-token/"))["form_token"]
    response = post_json(api, LIST_URL, submission(token))
    assert response.status_code == 400
    assert "too quickly" in errors(response)[0]["message"]


def test_form_sent_after_the_minimum_time_is_accepted(api, settings, monkeypatch):
    settings.INPUTBANK = {**settings.INPUTBANK, "MIN_FILL_SECONDS": 3}
    token = body(api.get("/api/v1/form-token/"))["form_token"]
    later = time.time() + 5
    monkeypatch.setattr(antibot.time, "time", lambda: later)
    assert post_json(api, LIST_URL, submission(token)).status_code == 201


def test_form_token_endpoint_names_the_rules(api):
    data = body(api.get("/api/v1/form-token/"))
    assert data["honeypot_field"] == "website"
    assert data["min_fill_seconds"] == 0
    assert "no-store" in api.get("/api/v1/form-token/")["Cache-Control"]


def test_staff_skip_the_bot_check(officer_api):
    response = post_json(officer_api, LIST_URL, submission(""))
    assert response.status_code == 201


def test_cross_site_post_is_refused(api, form_token):
    response = post_json(api, LIST_URL, submission(form_token), HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert not Input.objects.exists()


def test_same_origin_post_is_accepted(api, form_token):
    response = post_json(api, LIST_URL, submission(form_token), HTTP_ORIGIN="http://testserver")
    assert response.status_code == 201


def test_form_encoded_post_is_refused(api, form_token):
    response = api.post(LIST_URL, {"text": "hei"})
    assert response.status_code == 415
    assert not Input.objects.exists()


def test_anonymous_submissions_are_throttled_per_client(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "submit": "2/hour",
        },
    }
    codes = [
        post_json(api, LIST_URL, submission(antibot.issue_form_token())).status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]
    other = post_json(api, LIST_URL, submission(antibot.issue_form_token()), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 201


def test_submissions_are_counted_by_the_submit_limit_and_reads_by_the_read_limit(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "submit": "3/hour",
            "anon": "2/minute",
        },
    }
    sent = [
        post_json(api, LIST_URL, submission(antibot.issue_form_token())).status_code
        for _ in range(4)
    ]
    assert sent == [201, 201, 201, 429]
    # The submissions did not use up the (here tiny) read budget: it still has its two reads.
    assert [api.get(LIST_URL).status_code for _ in range(3)] == [200, 200, 429]


def test_forwarded_for_header_does_not_reset_the_throttle(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "submit": "1/hour",
        },
    }
    post_json(api, LIST_URL, submission(antibot.issue_form_token()))
    response = post_json(
        api, LIST_URL, submission(antibot.issue_form_token()), HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert response.status_code == 429


def test_a_resident_can_say_the_place_is_their_home(api, form_token):
    said = post_json(api, LIST_URL, submission(form_token, location_is_home=True))
    assert Input.objects.get(public_id=body(said)["id"]).location_is_home


def test_without_a_word_about_home_and_no_own_address_the_place_is_not_a_home(api, form_token):
    response = post_json(api, LIST_URL, submission(form_token))
    assert not Input.objects.get(public_id=body(response)["id"]).location_is_home


def test_a_childs_input_keeps_its_place_out_of_public_maps(api, form_token):
    child = post_json(api, LIST_URL, submission(form_token, age_group="under_16"))
    adult = post_json(api, LIST_URL, submission(antibot.issue_form_token(), age_group="16_or_over"))
    assert Input.objects.get(public_id=body(child)["id"]).location_restricted
    assert not Input.objects.get(public_id=body(adult)["id"]).location_restricted


def test_an_unknown_age_group_is_refused_by_name(api, form_token):
    response = post_json(api, LIST_URL, submission(form_token, age_group="12"))
    assert response.status_code == 400
    assert "properties.age_group" in error_fields(response)
    assert not Input.objects.exists()
