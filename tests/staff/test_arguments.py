"""The arguments pages: the list, one argument, and each officer decision through the page.

The services are tested in tests/inputbank/services/test_arguments.py; here: what an officer
sees, what each action changes, and that bad input gives a clear message, never a 500.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from inputbank.models import (
    Argument,
    ArgumentCheck,
    ArgumentDecision,
    FeedbackDelivery,
    Input,
    Response,
)
from inputbank.services import argument_check_open
from tests.factories import make_input, make_process, point
from tests.staff.conftest import contributor

pytestmark = pytest.mark.django_db

SCHOOL = (10.6624, 59.4358)
PARK = (10.6650, 59.4308)


def argument_of(*items: Input, title: str) -> Argument:
    """Put inputs into one argument of their own, as the machine would have; titled by an
    officer (a machine title is made from the first wording the reader may see)."""
    argument = Argument.objects.create(
        title=title, text=items[0].public_text, titled_by_officer=True
    )
    Input.objects.filter(pk__in=[i.pk for i in items]).update(
        argument=argument, argument_reason="samme tema, 20 m fra hverandre, deler 'skole'"
    )
    Input.objects.filter(pk=items[0].pk).update(argument_reason="")
    return argument


@pytest.fixture
def crossing(db):
    process = make_process("skolevei", title="Skoleveiplan 2022")
    items = [
        make_input(
            "Fotgjengerfeltet ved skolen i Kongens gate er farlig.",
            geom=point(*SCHOOL),
            process=process,
            contributor=contributor(email_addr="kari@example.no"),
        ),
        make_input(
            "Gangfeltet utanfor skulen er farleg.",
            geom=point(*SCHOOL),
            contributor=contributor(email_addr="KARI@example.no"),
        ),
        make_input(
            "The zebra crossing by the school is dangerous.",
            geom=point(*SCHOOL),
            contributor=contributor(email_addr="ola@example.no"),
        ),
    ]
    return argument_of(*items, title="Farlig fotgjengerfelt ved skolen")


@pytest.fixture
def skatepark(db):
    item = make_input("Bygg skatepark i Nesparken!", geom=point(*PARK))
    return argument_of(item, title="Skatepark i Nesparken")


def page(client, argument: Argument) -> str:
    return client.get(reverse("staff:argument_detail", args=[argument.pk])).content.decode()


def post(client, name: str, argument: Argument, data=None):
    return client.post(reverse(name, args=[argument.pk]), data or {}, follow=True)


def test_the_list_ranks_by_voices_and_filters_by_process(client, case_officer, crossing, skatepark):
    client.force_login(case_officer)
    listing = client.get(reverse("staff:argument_list")).content.decode()
    assert listing.index("Farlig fotgjengerfelt") < listing.index("Skatepark i Nesparken")
    assert reverse("staff:argument_detail", args=[crossing.pk]) in listing

    process = crossing.inputs.exclude(process=None).first().process
    only = client.get(reverse("staff:argument_list"), {"process": process.pk}).content.decode()
    assert "Farlig fotgjengerfelt" in only and "Skatepark" not in only

    newest = client.get(reverse("staff:argument_list"), {"sort": "newest"}).content.decode()
    assert newest.index("Skatepark") < newest.index("Farlig fotgjengerfelt")


def test_a_filter_the_list_cannot_read_is_named_not_an_error(client, case_officer, crossing):
    client.force_login(case_officer)
    response = client.get(reverse("staff:argument_list"), {"intersects": "not a shape"})
    assert response.status_code == 200
    assert "could not be read" in response.content.decode()


def test_the_argument_page_shows_inputs_reasons_and_whom_an_answer_mails(
    client, case_officer, crossing
):
    client.force_login(case_officer)
    html = page(client, crossing)
    assert "The zebra crossing by the school is dangerous." in html
    assert "Skoleveiplan 2022" in html
    assert "deler &#x27;skole&#x27;" in html  # the machine's reason, per input
    assert "the first input of the argument" in html
    # Kari wrote twice (one address in two spellings): two people get one e-mail each.
    assert "2 contributors asked for feedback" in html


def test_moderators_read_the_page_but_cannot_decide(client, moderator, crossing):
    client.force_login(moderator)
    html = page(client, crossing)
    assert "Farlig fotgjengerfelt" in html and 'id="answer"' not in html
    assert post(client, "staff:argument_confirm", crossing).status_code == 403


def test_an_unknown_argument_is_a_404(client, case_officer):
    client.force_login(case_officer)
    assert client.get(reverse("staff:argument_detail", args=[999999])).status_code == 404
    assert client.post(reverse("staff:argument_confirm", args=[999999])).status_code == 404


def test_confirm_pins_every_input_and_is_logged(client, case_officer, crossing):
    client.force_login(case_officer)
    response = post(client, "staff:argument_confirm", crossing)
    assert "stay together" in response.content.decode()
    crossing.refresh_from_db()
    assert crossing.confirmed
    assert all(crossing.inputs.values_list("argument_pinned", flat=True))
    assert "confirmed" in page(client, crossing)  # the change log
    assert ArgumentDecision.objects.get(argument=crossing).decided_by == case_officer


def test_rename_and_an_empty_title_is_refused_with_a_message(client, case_officer, crossing):
    client.force_login(case_officer)
    refused = post(client, "staff:argument_rename", crossing, {"title": "   "})
    assert "This field is required." in refused.content.decode()
    post(client, "staff:argument_rename", crossing, {"title": "Kongens gate: trygg kryssing"})
    crossing.refresh_from_db()
    assert crossing.title == "Kongens gate: trygg kryssing" and crossing.titled_by_officer
    assert "“Farlig fotgjengerfelt ved skolen” → “Kongens gate: trygg kryssing”" in page(
        client, crossing
    )


def test_merge_finds_the_other_argument_and_folds_it_in(client, case_officer, crossing, skatepark):
    client.force_login(case_officer)
    url = reverse("staff:argument_detail", args=[crossing.pk])
    found = client.get(url, {"merge_q": "nesparken"}).content.decode()
    assert f'value="{skatepark.pk}"' in found
    nothing = post(client, "staff:argument_merge", crossing, {})
    assert "Choose at least one argument" in nothing.content.decode()
    gone = post(client, "staff:argument_merge", crossing, {"others": ["999999"]})
    assert gone.status_code == 200 and "Select a valid choice" in gone.content.decode()

    post(client, "staff:argument_merge", crossing, {"others": [str(skatepark.pk)]})
    assert not Argument.objects.filter(pk=skatepark.pk).exists()
    assert crossing.inputs.count() == 4
    assert "merged in: “Skatepark i Nesparken”" in page(client, crossing)


def test_split_moves_the_selected_inputs_and_keeps_one_behind(client, case_officer, crossing):
    client.force_login(case_officer)
    english = crossing.inputs.get(text__startswith="The zebra")
    response = post(
        client,
        "staff:argument_split",
        crossing,
        {"inputs": [str(english.public_id)], "title": "Zebra crossing (English)"},
    )
    english.refresh_from_db()
    assert english.argument.title == "Zebra crossing (English)" and english.argument_pinned
    assert "1 input moved into a new argument." in response.content.decode()

    everything = [str(i.public_id) for i in crossing.inputs.all()]
    refused = post(client, "staff:argument_split", crossing, {"inputs": everything})
    assert "Keep at least one input in this argument" in refused.content.decode()
    none = post(client, "staff:argument_split", crossing, {})
    assert "Choose the inputs to move" in none.content.decode()
    assert crossing.inputs.count() == 2


def test_move_out_gives_one_input_an_argument_of_its_own(client, case_officer, crossing):
    client.force_login(case_officer)
    item = crossing.inputs.get(text__startswith="Gangfeltet")
    post(client, "staff:argument_move_out", crossing, {"input": str(item.public_id)})
    item.refresh_from_db()
    assert item.argument_id != crossing.pk and item.argument.inputs.count() == 1
    stale = post(client, "staff:argument_move_out", crossing, {"input": str(item.public_id)})
    assert "not in this argument" in stale.content.decode()


def test_answer_once_answers_every_input_and_mails_each_person_once(client, case_officer, crossing):
    client.force_login(case_officer)
    bad = post(client, "staff:argument_answer", crossing, {"outcome": "adopted"})
    assert "This field is required." in bad.content.decode()
    assert not Response.objects.exists()

    done = post(
        client,
        "staff:argument_answer",
        crossing,
        {
            "outcome": "adopted",
            "justification": "Gangfeltet får lys og fartshump i 2023.",
            "stage": "other",
            "decision_reference": "2022/388-14",
            "notify": "on",
        },
    )
    assert "Response recorded for 3 inputs" in done.content.decode()
    assert Response.objects.filter(argument=crossing).count() == 3
    assert FeedbackDelivery.objects.filter(kind="answer").count() == 2
    html = page(client, crossing)
    assert "2022/388-14" in html and "Gangfeltet får lys" in html


def test_still_true_chosen_on_the_process_page_and_voices_shown(client, case_officer, crossing):
    client.force_login(case_officer)
    new = make_process("sentrum-2026", title="Sentrumsplan 2026")
    html = client.get(reverse("staff:process_detail", args=[new.pk])).content.decode()
    assert f'name="arguments" value="{crossing.pk}"' in html

    refused = client.post(reverse("staff:still_true", args=[new.pk]), {"arguments": ["x"]})
    assert refused.status_code == 302 and not ArgumentCheck.objects.exists()
    client.post(reverse("staff:still_true", args=[new.pk]), {"arguments": [str(crossing.pk)]})
    check = ArgumentCheck.objects.get()
    assert (check.argument, check.process, check.opened_by) == (crossing, new, case_officer)

    check.voices.create(stance="confirm", supporter_key="a")
    html = page(client, crossing)
    assert "Sentrumsplan 2026" in html and "still true" in html


def test_the_resident_process_page_asks_and_hides_it_when_closed(client, crossing, case_officer):
    new = make_process("sentrum-2026", title="Sentrumsplan 2026")
    Argument.objects.filter(pk=crossing.pk).update(titled_by_officer=False)
    argument_check_open(argument=crossing, process=new, opened_by=case_officer)
    html = client.get(reverse("maps:process_detail", args=[new.slug])).content.decode()
    assert "Vi har hørt dette før – stemmer det fortsatt?" in html
    assert "Farlig fotgjengerfelt ved skolen" not in html  # a machine title is not shown
    assert "Fotgjengerfeltet ved skolen i Kongens gate er farlig." in html
    assert 'data-form-token="' in html
    give = client.get(reverse("maps:give"), {"process": new.slug}).content.decode()
    assert "stemmer det fortsatt?" in give

    closed = make_process("old", status="closed", closes_on=new.opens_on)
    argument_check_open(argument=crossing, process=closed, opened_by=case_officer)
    html = client.get(reverse("maps:process_detail", args=[closed.slug])).content.decode()
    assert "stemmer det fortsatt?" not in html
