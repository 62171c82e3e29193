""" "Vi har hørt dette før — stemmer det fortsatt?" end to end: staff put an earlier argument
before a new process; a resident confirms, changes their mind, adds; voices are counted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from inputbank.antibot import issue_form_token
from inputbank.models import Input, Outcome
from inputbank.services import argument_answer
from tests.api.helpers import PRIOR_URL, body, post_json
from tests.factories import make_input, make_process, make_theme, point

pytestmark = pytest.mark.django_db

HERE = (10.6612, 59.4352)


@pytest.fixture
def earlier(db):
    theme = make_theme("trygghet")
    texts = [
        "Gatelysene i Kongens gate er ødelagt, det er mørkt om kvelden.",
        "Gatelysa i Kongens gate er øydelagde, det er mørkt og utrygt.",
    ]
    items = [make_input(t, geom=point(*HERE), themes=(theme,)) for t in texts]
    argument_answer(
        argument=items[0].argument,
        outcome=Outcome.ADOPTED,
        justification="Lysene skiftes i vår.",
        decided_by=None,
        decision_reference="2022/388-14",
    )
    return items[0].argument


def test_a_resident_confirms_changes_their_mind_and_adds(officer_api, api, earlier):
    process = make_process("sentrumsplan")
    url = f"/api/v1/processes/{process.slug}/still-true/"
    assert post_json(api, url, {"argument": earlier.pk}).status_code in (401, 403)
    opened = post_json(officer_api, url, {"argument": earlier.pk})
    assert opened.status_code == 201
    check = body(opened)["check"]

    [shown] = body(api.get(url))["arguments"]
    assert shown["voices"] == 2
    assert shown["response"]["decision_reference"] == "2022/388-14"

    answer_url = f"/api/v1/still-true/{check}/"
    first = post_json(api, answer_url, {"stance": "confirm", "form_token": issue_form_token()})
    assert first.status_code == 201 and body(first)["confirmations"] == 1
    again = post_json(api, answer_url, {"stance": "disagree", "form_token": issue_form_token()})
    assert again.status_code == 200  # the same person changed their mind
    assert (body(again)["confirmations"], body(again)["disagreements"]) == (0, 1)

    other = APIClient()  # another resident (another session)
    post_json(other, answer_url, {"stance": "confirm", "form_token": issue_form_token()})
    added = post_json(
        other,
        answer_url,
        {
            "stance": "add",
            "text": "Det er fortsatt mørkt ved skolen.",
            "geometry": {"type": "Point", "coordinates": list(HERE)},
            "form_token": issue_form_token(),
        },
    )
    item = Input.objects.get(public_id=body(added)["input_id"])
    assert item.argument_id == earlier.pk and item.argument_pinned and item.process == process

    area = {"type": "Point", "coordinates": list(HERE)}
    [argument] = body(post_json(api, PRIOR_URL, {"geometry": area, "buffer_m": 50}))["arguments"]
    assert argument["confirmations"] == 1
    assert argument["voices"] == 3  # two published inputs and one dated confirmation
    assert argument["last_confirmed"]


def test_an_addition_needs_text(api, earlier, case_officer):
    from inputbank.services import argument_check_open

    check = argument_check_open(argument=earlier, process=make_process(), opened_by=case_officer)
    response = post_json(
        api, f"/api/v1/still-true/{check.pk}/", {"stance": "add", "form_token": issue_form_token()}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nb", "Prosessen tar ikke lenger imot innspill."),
        ("nn", "Prosessen tek ikkje lenger imot innspel."),
        ("en", "The process no longer takes input."),
    ],
)
def test_a_closed_process_refuses_an_answer_in_the_residents_language(
    api, earlier, case_officer, language, message
):
    # The page shows the API's message as it is: it must be in the resident's language.
    from inputbank.services import argument_check_open

    today = timezone.localdate()
    closed = make_process(
        status="closed",
        opens_on=today - dt.timedelta(days=60),
        closes_on=today - dt.timedelta(days=1),
    )
    check = argument_check_open(argument=earlier, process=closed, opened_by=case_officer)
    response = post_json(
        api,
        f"/api/v1/still-true/{check.pk}/",
        {"stance": "confirm", "form_token": issue_form_token()},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not check.voices.exists()
