"""Anonymous prior-input answers are shared (the answer cache, in the tiles' generation) and
fresh once public input changes through the services: a publication, an answer or a redaction
of the public text shows in the next answer."""

import pytest

from inputbank import services
from inputbank.models import Input
from tests.api.helpers import PRIOR_URL, body, post_json
from tests.factories import make_input, point

pytestmark = pytest.mark.django_db

AREA = {"type": "Point", "coordinates": [10.658, 59.434]}
QUESTION = {"geometry": AREA, "buffer_m": 200}


def _texts(response) -> list[str]:
    return [f["properties"]["text"] for f in body(response)["features"]["features"]]


def test_the_same_anonymous_question_gets_the_stored_answer(api):
    item = make_input(text="Fortauet er for smalt.", geom=point(10.658, 59.434))
    assert _texts(post_json(api, PRIOR_URL, QUESTION)) == ["Fortauet er for smalt."]
    # A change behind the services' back (raw SQL) is not seen until the cache is refreshed:
    # proof that the second answer came from the cache, not from the database.
    Input.objects.filter(pk=item.pk).update(public_text="endret uten tjenestene")
    assert _texts(post_json(api, PRIOR_URL, QUESTION)) == ["Fortauet er for smalt."]
    # Another question (a wider buffer) is its own answer.
    assert _texts(post_json(api, PRIOR_URL, {**QUESTION, "buffer_m": 300})) == [
        "endret uten tjenestene"
    ]


def test_staff_answers_are_never_taken_from_the_shared_cache(api, officer_api):
    make_input(geom=point(10.658, 59.434))
    pending = make_input(geom=point(10.658, 59.434), published=False)
    post_json(api, PRIOR_URL, QUESTION)  # fills the public answer
    staff = body(post_json(officer_api, PRIOR_URL, {**QUESTION, "include_pending": True}))
    assert str(pending.public_id) in [f["id"] for f in staff["features"]["features"]]
    public = body(post_json(api, PRIOR_URL, {**QUESTION, "include_pending": True}))
    assert str(pending.public_id) not in [f["id"] for f in public["features"]["features"]]
    assert public["summary"]["total"] == 1


def test_an_invalid_question_is_refused_every_time(api):
    for _ in range(2):
        response = post_json(api, PRIOR_URL, {**QUESTION, "crs": "EPSG:99999"})
        assert response.status_code == 400


# Real commits (transactional tests): the refresh runs when the service's transaction commits.
@pytest.mark.django_db(transaction=True)
def test_publishing_makes_the_next_answer_fresh(api, moderator):
    make_input(geom=point(10.658, 59.434))
    pending = make_input(geom=point(10.658, 59.434), published=False)
    assert body(post_json(api, PRIOR_URL, QUESTION))["summary"]["total"] == 1
    services.input_publish(input=pending, moderator=moderator)
    assert body(post_json(api, PRIOR_URL, QUESTION))["summary"]["total"] == 2


@pytest.mark.django_db(transaction=True)
def test_a_redaction_of_the_public_text_makes_the_next_answer_fresh(api, case_officer):
    item = make_input(text="Ring meg på 912 34 567 om fortauet.", geom=point(10.658, 59.434))
    before = _texts(post_json(api, PRIOR_URL, QUESTION))
    services.input_update(input=item, changed_by=case_officer, public_text="Ring meg om fortauet.")
    after = _texts(post_json(api, PRIOR_URL, QUESTION))
    assert after == ["Ring meg om fortauet."]
    assert after != before
