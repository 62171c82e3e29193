"""The merknadsbehandling: grouped by sender category, then theme; senders from records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from inputbank import services
from inputbank.models import Channel, Outcome, SenderCategory
from inputbank.models.contributors import guess_sender_category
from inputbank.models.inputs import first_sentences
from inputbank.reads.merknad import FLAT_HEADER, HEADER, header, merknadsbehandling
from inputbank.services import ContributorData
from tests.factories import make_input, make_process, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def bokmal():
    """Theme names are content in the active language: make them in bokmål, whatever an
    earlier test's request left active."""
    with translation.override("nb"):
        yield


@pytest.fixture
def process():
    return make_process("sentrumsplan", title="Sentrumsplan")


def _at(day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2025, 3, day, 12, 0))


def _letter(process, text, day, *, category="", organisation="", themes=(), **extra):
    contributor = None
    if category or organisation:
        contributor = ContributorData(organisation=organisation, sender_category=category)
    return services.input_register(
        text=text,
        geom=None,
        themes=list(themes),
        channel=Channel.LETTER,
        registered_by=None,
        received_at=_at(day),
        process=process,
        publish=True,
        contributor=contributor,
        **extra,
    )


def _numbered(merknad):
    return [(r.number, r.sender, r.theme) for r in merknad.rows]


def test_rows_are_grouped_by_sender_category_then_theme_and_numbered(process):
    traffic = make_theme("trafikk", name="Trafikk")
    green = make_theme("gront", name="Grøntområder")
    _letter(process, "Parkering.", 9, themes=[traffic])
    _letter(process, "Flere trær.", 3, themes=[green])
    _letter(process, "Sykkelfelt.", 5, themes=[traffic])
    _letter(
        process,
        "Innsigelse til byggehøyder.",
        20,
        organisation="Statsforvalteren i Oslo og Viken",
        category=SenderCategory.STATE_REGIONAL,
    )
    _letter(process, "Varelevering.", 4, organisation="Moss Handelsstand", themes=[traffic])
    with translation.override("nb"):
        merknad = merknadsbehandling(process)
        labels = [(g.number, g.label) for g in merknad.groups]
    assert labels == [(1, "Statlige og regionale myndigheter"), (2, "Næringsliv"), (3, "Private")]
    assert _numbered(merknad) == [
        ("1.1", "Statsforvalteren i Oslo og Viken", "Andre forhold"),
        ("2.1", "Moss Handelsstand", "Trafikk"),
        ("3.1", "Privatperson", "Grøntområder"),
        ("3.2", "Privatperson", "Trafikk"),
        ("3.3", "Privatperson", "Trafikk"),
    ]
    # Within a theme, the order received.
    assert [r.received for r in merknad.groups[2].themes[1].rows] == ["05.03.2025", "09.03.2025"]


def test_the_category_on_the_record_wins_over_the_name(process):
    _letter(process, "Høring.", 3, organisation="Moss Turlag", category=SenderCategory.MUNICIPAL)
    [group] = merknadsbehandling(process).groups
    assert group.category == SenderCategory.MUNICIPAL


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Statens vegvesen", SenderCategory.STATE_REGIONAL),
        ("Østfold fylkeskommune", SenderCategory.STATE_REGIONAL),
        ("Eldrerådet", SenderCategory.MUNICIPAL),
        ("Rådet for personer med funksjonsnedsettelse", SenderCategory.MUNICIPAL),
        ("Moss Handelsstand", SenderCategory.BUSINESS),
        ("Byggmester Hansen AS", SenderCategory.BUSINESS),
        ("Jeløy Vel", SenderCategory.ORGANISATION),
        ("", SenderCategory.PRIVATE),
    ],
)
def test_an_unsaid_category_is_guessed_from_the_name(name, category):
    assert guess_sender_category(name) == category


def test_the_summary_is_the_officers_own_or_the_first_sentences(process):
    long_text = "Første setning her. Andre setning her. " + "Mye mer tekst. " * 40
    item = make_input(long_text, process=process)
    [row] = merknadsbehandling(process).rows
    assert row.summary == first_sentences(item.public_text)
    assert row.summary.startswith("Første setning her. Andre setning her.")
    assert len(row.summary) <= 300
    services.input_update(input=item, changed_by=None, summary="Ønsker mindre tekst. Ring 91234567")
    [row] = merknadsbehandling(process).rows
    assert row.summary.startswith("Ønsker mindre tekst.")
    assert "91234567" not in row.summary


def test_the_summary_prefill_is_redacted_public_text(process):
    make_input("Flere trær, takk. Ring 912 34 567.", process=process)
    [row] = merknadsbehandling(process).rows
    assert "912 34 567" not in row.summary
    assert "Flere trær, takk." in row.summary


def test_a_private_person_is_named_only_with_consent(process):
    make_input("Trær.", process=process, contributor=ContributorData(name="Kari Privat"))
    make_input(
        "Benker.",
        process=process,
        contributor=ContributorData(name="Ola Åpen", consent_publish_name=True),
    )
    make_input("Anonymt innspill fra kartet.", process=process)
    with translation.override("en"):
        senders = sorted(r.sender for r in merknadsbehandling(process).rows)
    assert senders == ["Ola Åpen", "Private person", "Private person"]


def test_the_sender_never_comes_from_the_text(process):
    make_input("Hilsen Statsforvalteren i Oslo og Viken.", process=process)
    [group] = merknadsbehandling(process).groups
    assert group.category == SenderCategory.PRIVATE
    assert "Statsforvalteren" not in group.rows[0].sender


def test_the_source_group_names_who_spoke_at_a_hearing(process):
    _letter(process, "Ungdomsrådet vil ha skatepark.", day=5, source_group="Ungdomsrådet")
    [group] = merknadsbehandling(process).groups
    assert (group.category, group.rows[0].sender) == (SenderCategory.MUNICIPAL, "Ungdomsrådet")


def test_only_moderated_input_by_default_the_rest_on_request_and_marked(process):
    published = make_input("Publisert.", process=process)
    pending = make_input("Venter på moderering.", process=process, published=False)
    rejected = make_input("Sjikane.", process=process, published=False)
    services.input_reject(input=rejected, moderator=None, reason="Sjikane")
    merknad = merknadsbehandling(process)
    assert [r.summary for r in merknad.rows] == [published.public_text]
    assert merknad.left_out_unmoderated == 1
    everything = merknadsbehandling(process, include_unmoderated=True)
    assert sorted(r.summary for r in everything.rows) == sorted(
        [published.public_text, pending.public_text]
    )
    [marked] = [r for r in everything.rows if not r.moderated]
    with translation.override("nb"):
        assert marked.cells()[3] == f"[Ikke moderert] {pending.public_text}"
        assert marked.flat_cells("Private")[-1] == "nei, venter på moderering"
    assert everything.unmoderated == 1


def test_other_processes_input_is_not_in_the_table(process):
    make_input("Innspill til sentrum.", process=process)
    make_input("Innspill til en gammel plan.", process=make_process("gammel-plan"))
    assert [r.summary for r in merknadsbehandling(process).rows] == ["Innspill til sentrum."]


@pytest.mark.parametrize(
    ("outcome", "words"),
    [
        (Outcome.ADOPTED, "Tatt til følge"),
        (Outcome.PARTLY_ADOPTED, "Delvis tatt til følge"),
        (Outcome.NOT_ADOPTED, "Ikke tatt til følge"),
        (Outcome.NOTED, "Tatt til orientering"),
        (Outcome.NOT_RELEVANT, "Tatt til orientering"),
    ],
)
def test_the_outcome_uses_the_words_of_a_saksframlegg(process, outcome, words):
    item = make_input("Benk ved torget.", process=process)
    services.response_answer(
        input=item, outcome=outcome, justification="Vurdert.", decided_by=None, notify=False
    )
    with translation.override("nb"):
        [row] = merknadsbehandling(process).rows
    assert (row.comment, row.outcome, row.answered) == ("Vurdert.", words, True)


def test_an_unanswered_row_says_so(process):
    make_input("Ingen svar ennå.", process=process)
    with translation.override("en"):
        merknad = merknadsbehandling(process)
    [row] = merknad.rows
    assert (row.comment, row.outcome, row.answered, merknad.unanswered) == (
        "",
        "Not answered",
        False,
        1,
    )


def test_cells_line_up_with_the_headers(process):
    make_input("Benk.", process=process)
    merknad = merknadsbehandling(process)
    [row] = merknad.rows
    assert len(row.cells()) == len(HEADER) == len(header())
    assert [len(r) for r in merknad.flat_rows()] == [len(FLAT_HEADER)]
    assert row.cells()[0] == "1.1"


def test_the_header_is_norwegian_for_nynorsk_staff(process):
    make_input("Benk.", process=process)
    with translation.override("nn"):
        [row] = merknadsbehandling(process).rows
        titles = header()
    assert row.sender == "Privatperson"
    assert row.outcome == "Ikkje svart"
    assert titles[4] == "Kommunedirektøren sin kommentar"
