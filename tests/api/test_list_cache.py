"""Anonymous list answers are shared (cached with the tiles) and refreshed when public input
changes through the services: a moderator's decision shows at once, not after the cache time."""

import pytest
from django.db import connection, transaction

from inputbank import services
from inputbank.models import Input, Outcome
from tests.api.helpers import LIST_URL, body, feature_ids
from tests.factories import make_input

pytestmark = pytest.mark.django_db


def test_the_same_anonymous_question_gets_the_stored_answer(api):
    first = make_input()
    assert feature_ids(api.get(LIST_URL)) == [str(first.public_id)]
    # A change behind the services' back (raw SQL) is not seen until the cache is refreshed:
    # proof that the second answer came from the cache, not from the database.
    Input.objects.filter(pk=first.pk).update(public_text="endret uten tjenestene")
    again = body(api.get(LIST_URL))
    assert again["features"][0]["properties"]["text"] != "endret uten tjenestene"


# Real commits (transactional tests): a refresh runs when the service's transaction commits.
@pytest.mark.django_db(transaction=True)
def test_publishing_refreshes_the_public_list_at_once(api, moderator):
    first = make_input()
    pending = make_input(published=False)
    assert feature_ids(api.get(LIST_URL)) == [str(first.public_id)]
    services.input_publish(input=pending, moderator=moderator)
    assert set(feature_ids(api.get(LIST_URL))) == {str(first.public_id), str(pending.public_id)}


@pytest.mark.django_db(transaction=True)
def test_rejecting_and_answering_refresh_it_too(api, moderator, case_officer):
    item = make_input()
    other = make_input()
    api.get(LIST_URL)
    services.response_record(
        input=other, outcome=Outcome.ADOPTED, justification="Tatt med.", decided_by=case_officer
    )
    responses = {f["id"]: f["properties"]["response"] for f in body(api.get(LIST_URL))["features"]}
    assert responses[str(other.public_id)]["outcome"] == Outcome.ADOPTED
    services.input_reject(input=item, moderator=moderator, reason="Personangrep")
    assert feature_ids(api.get(LIST_URL)) == [str(other.public_id)]


def test_staff_answers_are_never_taken_from_the_shared_cache(api, officer_api):
    make_input()
    pending = make_input(published=False)
    api.get(LIST_URL)  # fills the public answer for this URL
    assert str(pending.public_id) in feature_ids(officer_api.get(LIST_URL))
    assert str(pending.public_id) not in feature_ids(api.get(LIST_URL))


# Partial indexes on published input that answer other questions (the nearest centroids at
# submission, an argument's voices): on a small test table every index with the same
# condition costs the same as the one under test, and the newest wins the tie. At size M the
# planner chooses input_published_geom for a box (docs/benchmarks.md, X2).
OTHER_PUBLISHED_INDEXES = ("input_published_centroid", "input_published_argument")


def test_a_public_box_query_uses_the_published_input_index(db):
    # (status, geom) for published input: the status is the index's own condition, so
    # PostgreSQL never ANDs the geometry index with the status b-tree (~95 ms at 1 M inputs).
    # Most of a bank is not what the question asks for (here: pending input), and the
    # planner knows it (ANALYZE): else, on a table of one row, any index will do.
    make_input()
    for _ in range(20):
        make_input(published=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE inputbank_input")
        cursor.execute("SET LOCAL enable_seqscan = off")
        for name in OTHER_PUBLISHED_INDEXES:  # unusable for this transaction only
            cursor.execute(
                "UPDATE pg_index SET indisvalid = false WHERE indexrelid = %s::regclass", [name]
            )
    # Unordered: on a table this small, walking the date index backwards for the default
    # order costs the planner less than any spatial plan, which says nothing of the box.
    queryset = Input.objects.published().in_bbox((10.6, 59.4, 10.7, 59.5)).order_by().values("id")
    plan = queryset.explain()
    assert "input_published_geom" in plan, plan
    assert "input_status_received" not in plan, plan


def test_answers_are_served_but_not_kept_beyond_the_budget(api, settings):
    settings.TILES = {**settings.TILES, "ANSWER_CACHE_MB": 0}
    first = make_input()
    assert feature_ids(api.get(LIST_URL)) == [str(first.public_id)]
    Input.objects.filter(pk=first.pk).update(public_text="endret uten tjenestene")
    # Nothing was kept, so the second answer comes from the database.
    assert body(api.get(LIST_URL))["features"][0]["properties"]["text"] == "endret uten tjenestene"


@pytest.mark.django_db(transaction=True)
def test_many_changes_in_one_transaction_refresh_once(
    moderator, django_capture_on_commit_callbacks
):
    pending = [make_input(published=False) for _ in range(3)]
    with transaction.atomic(), django_capture_on_commit_callbacks() as callbacks:
        for item in pending:
            services.input_publish(input=item, moderator=moderator)
    assert len(callbacks) == 1
