"""Retention, access and erasure of contributors' personal data, on realistic data.

Realistic means: anonymous input beside identified input (the NOT IN bug hid behind it),
letters registered by staff, a contributor with input in an old and in an open process, and
the person's details repeated in their own text, in the history tables and in the admin log.
"""

import datetime as dt

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from inputbank.models import Channel, Contributor, FeedbackDelivery, Input, Outcome
from inputbank.services import (
    ContributorData,
    input_register,
    input_submit,
    input_update,
    response_record,
)
from inputbank.services.privacy import (
    contributor_erase,
    contributor_export,
    contributors_due_for_pseudonymisation,
    retention_apply,
)
from tests.factories import make_process, make_theme, make_user, point

pytestmark = pytest.mark.django_db
KARI = ContributorData(
    name="Kari Nordmann",
    email="kari@example.no",
    phone="912 34 567",
    postal_address="Fjordveien 3B, 1530 Moss",
    organisation="Fjordveien velforening",
    wants_feedback=True,
)
KARI_VALUES = ("Kari", "Nordmann", "kari@example.no", "91234567", "Fjordveien 3B", "velforening")
OLD = {"opens_on": dt.date(2025, 1, 1), "closes_on": dt.date(2025, 2, 1)}
AFTER_RETENTION = dt.date(2025, 6, 1)  # closes_on + 90 days (the default) has passed


def _submit(process=None, contributor=KARI, text=None, **extra):
    text = text or "Trenger benker i parken. Ring meg på 91234567. Hilsen Kari Nordmann"
    return input_submit(
        text=text, geom=point(), themes=[], process=process, contributor=contributor, **extra
    )


def _letter(process, officer):
    """A letter a case officer typed in: the sender's address is also the input's place."""
    return input_register(
        text="Jeg bor i Fjordveien 3B og protesterer mot planen.\nMvh Kari Nordmann",
        geom=point(),
        themes=[],
        channel=Channel.LETTER,
        registered_by=officer,
        process=process,
        contributor=KARI,
        location_description="Fjordveien 3B",
    )


def _everything_about(item: Input) -> str:
    """Every stored copy of the input's words, history and log included, as one string."""
    item.refresh_from_db()
    parts = [item.text, item.public_text, item.summary, item.location_description]
    parts.append(item.source_group)
    for row in Input.history.filter(id=item.pk):
        parts += [row.text, row.public_text, row.summary, row.location_description]
        parts.append(row.source_group)
    for entry in LogEntry.objects.all():
        parts += [entry.object_repr, entry.change_message]
    if item.contributor_id:
        contributor = Contributor.objects.get(pk=item.contributor_id)
        parts += [str(contributor), *(getattr(contributor, f) for f in ("name", "email"))]
        parts += [contributor.phone, contributor.postal_address, contributor.organisation]
    return "\n".join(p or "" for p in parts)


def test_retention_finds_contributors_even_when_anonymous_input_exists():
    process = make_process(**OLD)
    _submit(process, contributor=None, text="Anonymt: mer lys i parken.")
    named = _submit(process)
    assert list(contributors_due_for_pseudonymisation(AFTER_RETENTION)) == [named.contributor]


def test_contributor_is_pseudonymised_after_the_process_closed_and_retention_passed():
    process = make_process(**OLD)
    theme = make_theme()
    item = _submit(process)
    item.themes.set([theme])
    Input.objects.filter(pk=item.pk).update(text=item.text)  # a second history-free change
    item.location_description = "Fjordveien 3B"
    item.save()  # one more history row with the address in it
    assert retention_apply(today=dt.date(2025, 3, 1)) == 0
    assert retention_apply(today=AFTER_RETENTION) == 1
    contributor = Contributor.objects.get(pk=item.contributor_id)
    assert contributor.pseudonymised_at is not None
    everything = _everything_about(item)
    for value in KARI_VALUES:
        assert value not in everything
    item.refresh_from_db()
    assert "Trenger benker i parken." in item.text  # the input stays, with its place and theme
    assert item.geom is not None and list(item.themes.all()) == [theme]
    assert Input.history.filter(id=item.pk).count() >= 2


def test_a_letter_registered_by_staff_loses_name_and_address_but_keeps_its_place_and_answer():
    officer = make_user("saksbehandler", "case_officers")
    process = make_process(**OLD)
    letter = _letter(process, officer)
    response_record(
        input=letter,
        outcome=Outcome.NOTED,
        justification="Takk, Kari Nordmann. Innspillet er tatt til orientering.",
        decided_by=officer,
    )
    retention_apply(today=AFTER_RETENTION)
    letter.refresh_from_db()
    assert letter.text.startswith("Jeg bor i [adresse fjernet] og protesterer mot planen.")
    assert letter.location_description == "[adresse fjernet]"
    assert letter.geom is not None
    assert letter.response.justification == (
        "Takk, [navn fjernet]. Innspillet er tatt til orientering."
    )
    for value in KARI_VALUES:
        assert value not in _everything_about(letter)


def test_contributor_with_input_in_an_old_and_an_open_process_keeps_data_until_both_are_done():
    old = make_process(**OLD)
    still_open = make_process(opens_on=dt.date(2025, 1, 1), closes_on=dt.date(2025, 12, 1))
    first = _submit(old)
    second = _submit(still_open)
    Input.objects.filter(pk=second.pk).update(contributor=first.contributor)
    second.contributor.delete()  # the same person: one contributor with two inputs
    assert retention_apply(today=dt.date(2025, 9, 1)) == 0
    assert Contributor.objects.get(pk=first.contributor_id).email == "kari@example.no"
    assert retention_apply(today=dt.date(2026, 3, 2)) == 1


def test_a_process_may_keep_personal_data_longer_than_the_default():
    process = make_process(retention_days=365, **OLD)
    item = _submit(process)
    assert retention_apply(today=AFTER_RETENTION) == 0
    assert retention_apply(today=dt.date(2026, 2, 2)) == 1
    assert Contributor.objects.get(pk=item.contributor_id).email == ""


def test_the_admin_log_and_feedback_records_lose_the_person_too():
    officer = make_user("saksbehandler2", "case_officers")
    item = _submit(make_process(**OLD))
    contributor = item.contributor
    LogEntry.objects.create(
        user=officer,
        content_type=ContentType.objects.get_for_model(Contributor),
        object_id=str(contributor.pk),
        object_repr=str(contributor),
        action_flag=CHANGE,
        change_message="Rettet e-post til kari@example.no etter telefon fra Kari Nordmann",
    )
    FeedbackDelivery.objects.create(
        input=item, content_key="x", last_error="SMTP 550: <kari@example.no> unknown"
    )
    retention_apply(today=AFTER_RETENTION)
    for value in KARI_VALUES:
        assert value not in _everything_about(item)
    assert "kari@" not in FeedbackDelivery.objects.get(content_key="x").last_error


def test_access_request_lists_the_contributors_input_and_data():
    item = _submit(location_description="Fjordveien 3B")
    data = contributor_export(contributor=item.contributor)
    assert data["contributor"]["email"] == "kari@example.no"
    assert data["inputs"][0]["public_id"] == str(item.public_id)
    assert data["inputs"][0]["location_description"] == "Fjordveien 3B"
    assert data["inputs"][0]["location"]


def test_erasure_keeps_the_input_but_removes_personal_data_also_from_history():
    item = _submit(location_description="Fjordveien 3B")
    # The officer's summary for the merknadsbehandling named the sender.
    input_update(input=item, changed_by=None, summary="Kari Nordmann vil ha benker.")
    contributor_erase(contributor=item.contributor)
    item.refresh_from_db()
    assert item.contributor is None
    assert not Contributor.objects.exists()
    history = Input.history.filter(id=item.pk)
    assert history.exists() and not history.filter(contributor_id__isnull=False).exists()
    for value in KARI_VALUES:
        assert value not in _everything_about(item)


def test_erasure_with_inputs_deletes_them_and_their_history():
    item = _submit()
    contributor_erase(contributor=item.contributor, delete_inputs=True)
    assert not Input.objects.filter(pk=item.pk).exists()
    assert not Input.history.filter(id=item.pk).exists()


def test_apply_retention_dry_run_counts_and_changes_nothing(capsys):
    process = make_process(opens_on=dt.date(2020, 1, 1), closes_on=dt.date(2020, 2, 1))
    _submit(process, contributor=None, text="Anonymt innspill")
    item = _submit(process)
    call_command("apply_retention", "--dry-run")
    assert "1 contributor(s) would be pseudonymised" in capsys.readouterr().out
    assert Contributor.objects.get(pk=item.contributor_id).email == "kari@example.no"
    call_command("apply_retention")
    assert Contributor.objects.get(pk=item.contributor_id).email == ""
