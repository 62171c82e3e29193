"""Retention, access and erasure of contributors' personal data."""

import datetime as dt

import pytest
from django.core.management import call_command

from inputbank.models import Contributor, Input
from inputbank.services import ContributorData, input_submit
from inputbank.services.privacy import contributor_erase, contributor_export, retention_apply
from tests.factories import make_process, point

pytestmark = pytest.mark.django_db
PERSON = ContributorData(name="Kari Nordmann", email="kari@example.no", phone="91234567")


def _submit(process=None, text="Trenger benker i parken. Ring 91234567."):
    return input_submit(text=text, geom=point(), themes=[], process=process, contributor=PERSON)


def test_contributor_is_pseudonymised_after_the_process_closed_and_retention_passed():
    process = make_process(opens_on=dt.date(2025, 1, 1), closes_on=dt.date(2025, 2, 1))
    item = _submit(process)
    assert retention_apply(today=dt.date(2025, 3, 1)) == 0
    assert retention_apply(today=dt.date(2025, 6, 1)) == 1
    contributor = Contributor.objects.get(pk=item.contributor_id)
    assert (contributor.name, contributor.email, contributor.phone) == ("", "", "")
    assert contributor.pseudonymised_at is not None
    assert Input.objects.filter(pk=item.pk).exists()


def test_contributor_with_input_to_an_open_process_keeps_their_data():
    closed = make_process(opens_on=dt.date(2025, 1, 1), closes_on=dt.date(2025, 2, 1))
    still_open = make_process(opens_on=dt.date(2025, 1, 1), closes_on=dt.date(2026, 12, 1))
    first = _submit(closed)
    second = _submit(still_open)
    Input.objects.filter(pk=second.pk).update(contributor=first.contributor)
    retention_apply(today=dt.date(2025, 9, 1))
    assert Contributor.objects.get(pk=first.contributor_id).email == "kari@example.no"


def test_access_request_lists_the_contributors_input():
    item = _submit()
    data = contributor_export(contributor=item.contributor)
    assert data["contributor"]["email"] == "kari@example.no"
    assert data["inputs"][0]["public_id"] == str(item.public_id)


def test_erasure_keeps_the_input_but_removes_personal_data_also_from_history():
    item = _submit()
    contributor_erase(contributor=item.contributor)
    item.refresh_from_db()
    assert item.contributor is None
    assert "91234567" not in item.text
    history_texts = list(Input.history.filter(id=item.pk).values_list("text", flat=True))
    assert history_texts
    assert all("91234567" not in t for t in history_texts)
    assert not Contributor.objects.exists()


def test_erasure_with_inputs_deletes_them_and_their_history():
    item = _submit()
    contributor_erase(contributor=item.contributor, delete_inputs=True)
    assert not Input.objects.filter(pk=item.pk).exists()
    assert not Input.history.filter(id=item.pk).exists()


def test_apply_retention_dry_run_changes_nothing(capsys):
    process = make_process(opens_on=dt.date(2020, 1, 1), closes_on=dt.date(2020, 2, 1))
    item = _submit(process)
    call_command("apply_retention", "--dry-run")
    assert "1 contributor(s) would be pseudonymised" in capsys.readouterr().out
    assert Contributor.objects.get(pk=item.contributor_id).email == "kari@example.no"
