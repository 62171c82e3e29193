"""A process page pages its inputs and filters them by words, theme and answer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inputbank.models import Outcome
from inputbank.services import response_record
from tests.factories import make_input, make_process, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearing():
    process = make_process("sentrum", title="Sentrumsplan")
    green = make_theme("gront", name="Grøntområder")
    road = make_theme("transport", name="Transport")
    park = make_input("Behold parken ved torget.", process=process, themes=(green,))
    response_record(input=park, outcome=Outcome.ADOPTED, justification="Parken blir.",
                    decided_by=None)  # fmt: skip
    make_input("Fartshump i Storgata.", process=process, themes=(road,))
    for n in range(25):
        make_input(f"Flere benker, forslag {n}.", process=process, themes=(green,))
    return process


def page(client, **query):
    return client.get(reverse("maps:process_detail", args=["sentrum"]), query).content.decode()


def test_the_inputs_come_in_pages_of_twenty(client, hearing):
    first = page(client)
    assert first.count('class="card"') == 20
    assert "page=2" in first
    assert page(client, page=2).count('class="card"') == 7


def test_filters_by_theme_answer_and_words(client, hearing):
    assert page(client, theme="transport").count('class="card"') == 1
    answered = page(client, outcome="adopted")
    assert answered.count('class="card"') == 1 and "Behold parken" in answered
    unanswered = page(client, outcome="none")
    # Below the list's heading: "what we heard" above it sums up the whole process, unfiltered.
    assert "Behold parken" not in unanswered[unanswered.index('id="compiled-heading"') :]
    assert "Inputs found: 26" in unanswered or "Innspill funnet: 26" in unanswered
    assert "Fartshump" in page(client, q="fartshump")


def test_paging_keeps_the_filter_and_a_bad_filter_is_left_out(client, hearing):
    assert "theme=gront&amp;page=2" in page(client, theme="gront")
    assert page(client, outcome="maybe", bbox="1,2,3,4").count('class="card"') == 20
