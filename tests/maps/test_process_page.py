"""The resident process page: meetings with date, time and place; "what we heard, what we
did" (counts by answer, the arguments most people made with the answer they got)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inputbank.models import Meeting, Outcome
from inputbank.services import response_record
from tests.factories import make_input, make_process, make_theme, point

pytestmark = pytest.mark.django_db

SCHOOL = (10.6605, 59.4372)


@pytest.fixture
def hearing():
    process = make_process("sentrum", title="Sentrumsplan")
    safety = make_theme("trafikksikkerhet")
    first = make_input(
        "Fotgjengerfeltet i Kongens gate ved skolen er farlig, bilene stopper ikke.",
        process=process, geom=point(*SCHOOL), themes=(safety,),
    )  # fmt: skip
    make_input(
        "Gangfeltet utenfor skolen i Kongens gate er farlig, bilistene kjører altfor fort.",
        process=process, geom=point(SCHOOL[0] + 0.0003, SCHOOL[1]), themes=(safety,),
    )  # fmt: skip
    response_record(input=first, outcome=Outcome.ADOPTED,
                    justification="Vi lager et opphøyd gangfelt.", decided_by=None)  # fmt: skip
    make_input("Flere benker i parken.", process=process)
    return process


def page(client) -> str:
    client.cookies["django_language"] = "en"
    return client.get(reverse("maps:process_detail", args=["sentrum"])).content.decode()


def test_meetings_show_date_time_and_place_upcoming_first(client, hearing):
    soon = timezone.now() + dt.timedelta(days=5)
    Meeting.objects.create(process=hearing, title="Folkemøte om sentrum",
                           place="Rådhuset, bystyresalen", starts_at=soon,
                           ends_at=soon + dt.timedelta(hours=2))  # fmt: skip
    Meeting.objects.create(process=hearing, title="Åpent kontor", place="Biblioteket",
                           starts_at=timezone.now() - dt.timedelta(days=9))  # fmt: skip
    html = page(client)
    assert "Meetings" in html
    assert "Folkemøte om sentrum" in html and "Rådhuset, bystyresalen" in html
    assert f'datetime="{timezone.localtime(soon).isoformat()}"' in html
    assert (
        html.index("Folkemøte om sentrum")
        < html.index("1 earlier meeting")
        < html.index("Åpent kontor")
    )


def test_no_meetings_no_section(client, hearing):
    assert "Meetings" not in page(client)


def test_what_we_heard_counts_answers_and_shows_the_top_argument_with_its_answer(client, hearing):
    html = page(client)
    heard = html[html.index("What we heard, what we did") : html.index('id="compiled-heading"')]
    assert "Adopted: <strong>1</strong>" in heard
    assert "Not answered yet: <strong>2</strong>" in heard
    assert "2 voices" in heard
    assert "Vi lager et opphøyd gangfelt." in heard


def test_an_empty_process_has_no_heard_section(client):
    make_process("sentrum")
    assert "What we heard, what we did" not in page(client)


def test_the_read_link_names_the_answer_only_where_there_is_one(client, hearing):
    from inputbank.models import Input

    answered = Input.objects.filter(response__isnull=False).get()
    unanswered = Input.objects.filter(response__isnull=True).first()
    client.cookies["django_language"] = "en"
    with_answer = client.get(reverse("maps:input_status", args=[answered.reference]))
    without = client.get(reverse("maps:input_status", args=[unanswered.reference]))
    assert "Read the input and the answer" in with_answer.content.decode()
    assert "Read the input and the answer" not in without.content.decode()
