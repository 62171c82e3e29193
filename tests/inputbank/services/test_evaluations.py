"""Evaluation by participants: invited once after closing, anonymous one-use answers, n >= 5."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from inputbank.models import EvaluationAnswer, EvaluationInvitation
from inputbank.reads.evaluations import evaluation_results
from inputbank.services.evaluations import (
    EvaluationRefused,
    evaluation_answer,
    evaluations_invite,
)
from inputbank.services.inputs import ContributorData
from tests.factories import make_input, make_process

pytestmark = pytest.mark.django_db


def person(email: str, language: str = "nb") -> ContributorData:
    return ContributorData(name="Deltaker", email=email, preferred_language=language)


@pytest.fixture
def closed(db):
    today = timezone.localdate()
    return make_process(
        "hamna", title="Hamna", status="closed",
        opens_on=today - dt.timedelta(days=50), closes_on=today - dt.timedelta(days=3),
    )  # fmt: skip


def tokens(smtp_server) -> list[str]:
    found = []
    for message in smtp_server.messages:
        body = message.get_body(("plain",)).get_content()
        found.append(re.search(r"/evaluation/([^/\s]+)/", body).group(1))
    return found


def test_contributors_with_an_address_are_invited_once_in_their_language(smtp_server, closed):
    make_input("Ett", process=closed, contributor=person("a@example.no"))
    make_input("To", process=closed, contributor=person("a@example.no"))  # same address
    make_input("Tre", process=closed, contributor=person("b@example.no", "nn"))
    make_input("Uten adresse", process=closed, contributor=person(""))
    make_input("Anonym", process=closed)
    make_input("Åpen høring", process=make_process("open"), contributor=person("c@example.no"))

    first = evaluations_invite()
    assert (first.invited, len(first.sent)) == (2, 2)  # a@ gave input twice: one e-mail
    again = evaluations_invite()
    assert (again.invited, again.sent) == (0, [])
    assert len(smtp_server.messages) == 2
    nynorsk = [m for m in smtp_server.messages if m["To"] == "b@example.no"][0]
    assert nynorsk["Content-Language"] == "nn"
    assert "Hamna" in nynorsk["Subject"]


def test_old_and_open_processes_are_not_evaluated(smtp_server):
    today = timezone.localdate()
    old = make_process(
        "old", status="closed", opens_on=today - dt.timedelta(days=400),
        closes_on=today - dt.timedelta(days=300),
    )  # fmt: skip
    make_input("Gammelt", process=old, contributor=person("a@example.no"))
    make_input("Åpent", process=make_process("open"), contributor=person("b@example.no"))
    assert evaluations_invite().invited == 0
    assert smtp_server.messages == []


def test_an_answer_is_stored_without_a_link_to_the_person_and_the_link_works_once(
    smtp_server, closed
):
    make_input("Ett", process=closed, contributor=person("a@example.no"))
    evaluations_invite()
    [token] = tokens(smtp_server)
    answer = evaluation_answer(
        token=token, experience="4", understood_use="partly", accessible="yes",
        comment="Ring meg på 912 34 567 om dette.",
    )  # fmt: skip
    assert answer is not None
    assert {f.name for f in EvaluationAnswer._meta.get_fields()} == {
        "id", "process", "answered_on", "experience", "understood_use", "accessible", "comment",
    }  # fmt: skip
    assert "912 34 567" not in answer.comment
    assert EvaluationInvitation.objects.get().token_hash is None
    again = evaluation_answer(token=token, experience=5, understood_use="yes", accessible="yes")
    assert again is None
    assert EvaluationAnswer.objects.count() == 1


def test_an_incomplete_answer_is_refused_and_the_link_still_works(smtp_server, closed):
    make_input("Ett", process=closed, contributor=person("a@example.no"))
    evaluations_invite()
    [token] = tokens(smtp_server)
    with pytest.raises(EvaluationRefused) as refused:
        evaluation_answer(token=token, experience="9", understood_use="", accessible="yes")
    assert set(refused.value.errors) == {"experience", "understood_use"}
    assert evaluation_answer(token=token, experience=3, understood_use="no", accessible="no")


def answer_n(closed, n: int, start: int = 0) -> None:
    for k in range(start, start + n):
        EvaluationAnswer.objects.create(
            process=closed, answered_on=timezone.localdate(), experience=1 + k % 5,
            understood_use="yes", accessible="partly", comment=f"Kommentar {k}" if k < 2 else "",
        )  # fmt: skip


def test_results_are_shown_from_five_answers(closed):
    answer_n(closed, 4)
    assert evaluation_results().shown == [] and evaluation_results().too_few == 1
    answer_n(closed, 1, start=4)
    [result] = evaluation_results().shown
    assert result.answers == 5 and result.mean_experience == 3.0
    assert result.experience == [1, 1, 1, 1, 1]
    assert result.understood_use == {"yes": 5, "partly": 0, "no": 0}
    assert result.comments == ["Kommentar 0", "Kommentar 1"]


def test_the_participation_adviser_sees_results_on_the_indicators_page(
    client, adviser, case_officer, closed
):
    answer_n(closed, 5)
    client.force_login(adviser)
    page = client.get(reverse("staff:indicators")).content.decode()
    assert "Evaluation by participants" in page and "Hamna" in page and "Kommentar 1" in page
    client.force_login(case_officer)
    page = client.get(reverse("staff:indicators")).content.decode()
    assert "Evaluation by participants" not in page


def test_the_evaluation_page_takes_one_answer(client, smtp_server, closed):
    make_input("Ett", process=closed, contributor=person("a@example.no"))
    evaluations_invite()
    [token] = tokens(smtp_server)
    url = reverse("maps:evaluation", args=[token])
    assert client.get(url).status_code == 200
    assert client.post(url, {"experience": "5"}).status_code == 400
    done = client.post(
        url, {"experience": "5", "understood_use": "yes", "accessible": "yes", "comment": ""}
    )
    assert done.status_code == 200
    assert client.get(url).status_code == 404
    assert EvaluationAnswer.objects.get().experience == 5
