"""The merknad rows: public text only, senders as groups, every kept input in the order received."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from inputbank import services
from inputbank.models import Channel, Outcome
from inputbank.reads.merknad import HEADER, header, merknad_rows
from inputbank.services import ContributorData
from tests.factories import make_input, make_process, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def process():
    return make_process("sentrumsplan", title="Sentrumsplan")


def _at(day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2025, 3, day, 12, 0))


def _letter(process, text, day, **extra):
    return services.input_register(
        text=text,
        geom=None,
        themes=[],
        channel=Channel.LETTER,
        registered_by=None,
        received_at=_at(day),
        process=process,
        publish=True,
        **extra,
    )


def test_rows_follow_the_order_received_not_the_order_registered(process):
    _letter(process, "Brev nummer to.", day=12)
    _letter(process, "Brev nummer en.", day=3)
    rows = merknad_rows(process)
    assert [(r.number, r.summary, r.received) for r in rows] == [
        (1, "Brev nummer en.", "03.03.2025"),
        (2, "Brev nummer to.", "12.03.2025"),
    ]


def test_the_summary_is_the_redacted_public_text(process):
    make_input("Flere trær, takk. Ring 912 34 567.", process=process)
    [row] = merknad_rows(process)
    assert "912 34 567" not in row.summary
    assert "Flere trær, takk." in row.summary


def test_a_private_person_is_never_named_but_an_organisation_is(process):
    make_input(
        "Trær i parken.",
        process=process,
        contributor=ContributorData(name="Kari Privat", email="kari@example.no"),
    )
    make_input(
        "Lekeplass ved skolen.",
        process=process,
        contributor=ContributorData(name="Ola Leder", organisation="Moss Vel"),
    )
    make_input("Anonymt innspill fra kartet.", process=process)
    with translation.override("en"):
        senders = [r.sender for r in merknad_rows(process)]
    assert senders == ["Private person", "Moss Vel", "Private person"]


def test_the_source_group_names_who_spoke_at_a_hearing(process):
    _letter(process, "Ungdomsrådet vil ha skatepark.", day=5, source_group="Ungdomsrådet")
    [row] = merknad_rows(process)
    assert row.sender == "Ungdomsrådet"


def test_rejected_input_is_left_out_but_pending_is_listed(process):
    kept = make_input("Venter på moderering.", process=process, published=False)
    rejected = make_input("Sjikane.", process=process, published=False)
    services.input_reject(input=rejected, moderator=None, reason="Sjikane")
    assert [r.summary for r in merknad_rows(process)] == [kept.public_text]


def test_other_processes_input_is_not_in_the_table(process):
    make_input("Innspill til sentrum.", process=process)
    make_input("Innspill til en gammel plan.", process=make_process("gammel-plan"))
    assert [r.summary for r in merknad_rows(process)] == ["Innspill til sentrum."]


def test_an_answered_row_carries_comment_and_outcome(process):
    item = make_input("Benk ved torget.", process=process)
    services.response_answer(
        input=item,
        outcome=Outcome.ADOPTED,
        justification="Benken tas inn.",
        decided_by=None,
        notify=False,
    )
    with translation.override("en"):
        [row] = merknad_rows(process)
    assert (row.comment, row.outcome, row.outcome_code, row.answered) == (
        "Benken tas inn.",
        "Adopted",
        Outcome.ADOPTED,
        True,
    )


def test_an_unanswered_row_says_so(process):
    make_input("Ingen svar ennå.", process=process)
    with translation.override("en"):
        [row] = merknad_rows(process)
    assert (row.comment, row.outcome, row.answered) == ("", "Not answered", False)


def test_themes_are_listed_by_name(process):
    make_input(
        "Sykkelvei og lys.",
        process=process,
        themes=(make_theme("sykkel", name="Sykkel"), make_theme("lys", name="Belysning")),
    )
    [row] = merknad_rows(process)
    assert sorted(row.themes.split(", ")) == ["Belysning", "Sykkel"]


def test_cells_line_up_with_the_header(process):
    make_input("Benk.", process=process)
    [row] = merknad_rows(process)
    assert len(row.cells()) == len(HEADER) == len(header())
    assert row.cells()[0] == "1"


def test_the_header_and_labels_are_in_norwegian_for_nynorsk_staff(process):
    make_input("Benk.", process=process)
    with translation.override("nn"):
        [row] = merknad_rows(process)
        titles = header()
    assert row.sender == "Privatperson"
    assert row.outcome == "Ikkje svart"
    assert titles[3] == "Samandrag av innspelet"
