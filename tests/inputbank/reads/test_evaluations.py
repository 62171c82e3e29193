"""Participants' evaluations per process as the participation adviser reads them
(inputbank/reads/evaluations.py).

``evaluation_results`` shows a process's answers only from MIN_ANSWERS answers on (a small
hearing's lone comment could point at the person), counts the rest without showing them,
keeps each process's answers to itself, and filters by the year a process opened and by
department. Invitations and answering are tested in tests/inputbank/services/test_evaluations.py.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from inputbank.models import EvaluationAnswer, Process, ProcessStatus
from inputbank.reads.evaluations import MIN_ANSWERS, evaluation_results
from inputbank.services import ContributorData
from inputbank.services.evaluations import evaluation_answer, evaluations_invite
from tests.factories import make_input, make_process

pytestmark = pytest.mark.django_db


def hearing(slug: str, opened: dt.date, days: int = 42, **extra) -> Process:
    return make_process(
        slug,
        title=extra.pop("title", slug.replace("-", " ").title()),
        opens_on=opened,
        closes_on=opened + dt.timedelta(days=days),
        **extra,
    )


def answers(process: Process, scores, comments=(), understood="yes", accessible="yes") -> None:
    """Anonymous answers as ``evaluation_answer`` stores them: the process, the day, the rest."""
    for n, score in enumerate(scores):
        EvaluationAnswer.objects.create(
            process=process,
            answered_on=(process.closes_on or timezone.localdate()) + dt.timedelta(days=5),
            experience=score,
            understood_use=understood,
            accessible=accessible,
            comment=comments[n] if n < len(comments) else "",
        )


def titles(results) -> list[str]:
    return [r.process.title for r in results.shown]


@pytest.fixture
def processes(db):
    """An old evaluated hearing, a recently closed one, a small one and an open one."""
    today = timezone.localdate()
    return {
        "old": hearing(
            "kyststien-2023",
            dt.date(2023, 3, 1),
            status=ProcessStatus.EVALUATED,
            owner_department="Kultur",
        ),
        "closed": hearing(
            "sentrumsplan",
            today - dt.timedelta(days=80),
            status=ProcessStatus.CLOSED,
            owner_department="Plan og bygg",
        ),
        "small": hearing(
            "hamna-lekeplass",
            today - dt.timedelta(days=70),
            days=30,
            status=ProcessStatus.CLOSED,
            owner_department="Plan og bygg",
        ),
        "open": make_process("jeloy-skolevei", owner_department="Plan og bygg"),
    }


def test_a_process_with_too_few_answers_is_counted_and_nothing_of_it_shown(processes):
    answers(processes["closed"], [4, 4, 5, 3, 2], comments=["Bra møte på biblioteket."])
    answers(
        processes["small"],
        [1] * (MIN_ANSWERS - 1),
        comments=["Jeg var den eneste fra Krapfoss, ingen lyttet."],
        understood="no",
    )

    result = evaluation_results()

    assert titles(result) == ["Sentrumsplan"]
    assert result.too_few == 1  # the open process with no answers is not counted at all
    [shown] = result.shown
    # Nothing of the small hearing leaks into the shown one.
    assert shown.answers == 5
    assert shown.comments == ["Bra møte på biblioteket."]
    assert shown.understood_use == {"yes": 5, "partly": 0, "no": 0}
    assert shown.experience == [0, 1, 1, 2, 1]


def test_the_answers_are_summed_per_choice_and_the_mean_rounded(processes):
    answers(processes["closed"], [5, 5], understood="yes", accessible="partly")
    answers(processes["closed"], [4], understood="partly", accessible="no")
    answers(
        processes["closed"],
        [2, 1, 4],
        comments=["", "Vanskelig å finne fram i kartet.", "Kom for sent i gang."],
        understood="no",
        accessible="yes",
    )

    [shown] = evaluation_results().shown

    assert shown.answers == 6
    assert shown.mean_experience == 3.5  # 21 / 6
    assert shown.experience == [1, 1, 0, 2, 2]
    assert shown.understood_use == {"yes": 2, "partly": 1, "no": 3}
    assert shown.accessible == {"yes": 3, "partly": 2, "no": 1}
    assert shown.comments == ["Kom for sent i gang.", "Vanskelig å finne fram i kartet."]


def test_latest_closed_first_and_filtered_by_year_and_department(processes):
    for key in ("old", "closed", "small"):
        answers(processes[key], [3, 4, 4, 5, 2])
    # A process without an opening date belongs to the year it was registered.
    unscheduled = make_process("strandpromenaden", title="Strandpromenaden", opens_on=None)
    Process.objects.filter(pk=unscheduled.pk).update(
        closes_on=None, created_at=timezone.make_aware(dt.datetime(2023, 9, 1, 10))
    )
    unscheduled.refresh_from_db()
    answers(unscheduled, [4, 4, 4, 4, 4])

    # By closing day, latest first (one with no closing day yet first of all).
    assert titles(evaluation_results()) == [
        "Strandpromenaden",
        "Sentrumsplan",
        "Hamna Lekeplass",
        "Kyststien 2023",
    ]
    assert set(titles(evaluation_results(year=2023))) == {"Kyststien 2023", "Strandpromenaden"}
    assert set(titles(evaluation_results(department="Plan og bygg"))) == {
        "Sentrumsplan",
        "Hamna Lekeplass",
    }
    assert titles(evaluation_results(year=2023, department="Kultur")) == ["Kyststien 2023"]


def test_a_real_round_of_invitations_and_answers_is_read_back(smtp_server, processes):
    closed = processes["closed"]
    closed.closes_on = timezone.localdate() - dt.timedelta(days=3)
    Process.objects.filter(pk=closed.pk).update(closes_on=closed.closes_on)
    people = ["anne", "bjorn", "cecilie", "dag", "eva", "frode"]
    for name in people:
        contributor = ContributorData(name=name.title(), email=f"{name}@example.no")
        make_input(
            f"Innspill fra {name.title()} om sentrum.", process=closed, contributor=contributor
        )
    make_input("Anonymt innspill om sentrum.", process=closed)
    for name in ("gro", "hans"):  # the small hearing's people are invited too, to their own
        contributor = ContributorData(name=name.title(), email=f"{name}@example.no")
        make_input(
            "Lekeplassen i Hamna trenger gjerde.",
            process=processes["small"],
            contributor=contributor,
        )
    assert evaluations_invite().invited == len(people) + 2
    tokens = [
        re.search(r"/evaluation/([^/\s]+)/", m.get_body(("plain",)).get_content()).group(1)
        for m in smtp_server.messages
        if "Sentrumsplan" in m["Subject"]
    ]
    for token, score in zip(tokens, [5, 4, 4, 2, 1], strict=False):
        evaluation_answer(
            token=token,
            experience=score,
            understood_use="partly",
            accessible="yes",
            comment="Ring meg på 912 34 567." if score == 1 else "",
        )

    [shown] = evaluation_results().shown

    assert (shown.process, shown.answers, shown.invited) == (closed, 5, len(people))
    assert shown.mean_experience == 3.2
    assert shown.understood_use == {"yes": 0, "partly": 5, "no": 0}
    [comment] = shown.comments
    assert "912 34 567" not in comment  # stored redacted, read as stored
