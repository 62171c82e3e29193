"""Access and erasure from the signed e-mail link, the staff page and the command line."""

import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from inputbank.models import Contributor, Input, Outcome, PrivacyRequest
from inputbank.services import (
    ContributorData,
    feedback_message,
    feedback_queue,
    input_submit,
    response_record,
)
from inputbank.services.privacy import contributor_from_token, privacy_link, privacy_link_token
from tests.factories import make_user, point

pytestmark = pytest.mark.django_db
OLA = ContributorData(
    name="Ola Nordmann", email="ola@example.no", phone="98765432", wants_feedback=True
)


def _submit():
    return input_submit(
        text="Mer lys på stien. Hilsen Ola Nordmann, tlf 98765432",
        geom=point(),
        themes=[],
        contributor=OLA,
    )


def test_the_feedback_email_carries_a_signed_link_to_the_contributors_data():
    item = _submit()
    response_record(input=item, outcome=Outcome.NOTED, justification="Takk.", decided_by=None)
    message = feedback_message(feedback_queue(input=item))
    token = re.search(r"/privacy/mine/([^/\s]+)/", message.body).group(1)
    assert contributor_from_token(token) == item.contributor
    assert privacy_link(item.contributor).split(token[:10])[0] in message.body


def test_the_link_downloads_all_data_and_the_request_is_logged(client):
    item = _submit()
    token = privacy_link_token(item.contributor)
    page = client.get(reverse("maps:privacy_mine", args=[token]))
    assert page.status_code == 200
    response = client.get(reverse("maps:privacy_mine_data", args=[token]))
    data = json.loads(response.content)
    assert data["contributor"]["email"] == "ola@example.no"
    assert data["inputs"][0]["text"].startswith("Mer lys på stien.")
    logged = PrivacyRequest.objects.get()
    assert (logged.kind, logged.via, logged.contributor_ref) == (
        "access",
        "link",
        item.contributor_id,
    )


def test_the_link_erases_after_confirmation_and_then_finds_nothing(client):
    item = _submit()
    token = privacy_link_token(item.contributor)
    confirm = client.get(reverse("maps:privacy_mine_erase", args=[token]))
    assert confirm.status_code == 200 and Contributor.objects.exists()
    client.post(reverse("maps:privacy_mine_erase", args=[token]))
    assert not Contributor.objects.exists()
    item.refresh_from_db()
    assert "Ola" not in item.text and "98765432" not in item.text
    assert PrivacyRequest.objects.get().kind == "erasure"
    assert client.get(reverse("maps:privacy_mine", args=[token])).status_code == 404


def test_a_forged_or_altered_link_finds_nothing(client):
    item = _submit()
    token = privacy_link_token(item.contributor)
    for bad in (token[:-2] + "xx", "abc"):
        assert client.get(reverse("maps:privacy_mine_data", args=[bad])).status_code == 404


def test_staff_find_export_and_erase_on_request_and_the_log_names_no_person(client):
    officer = make_user("personvern", "case_officers")
    client.force_login(officer)
    item = _submit()
    page = client.get(reverse("staff:privacy"), {"q": "987 65 432"})
    assert b"ola@example.no" in page.content
    export = client.post(reverse("staff:privacy_export", args=[item.contributor_id]))
    assert json.loads(export.content)["contributor"]["name"] == "Ola Nordmann"
    client.post(
        reverse("staff:privacy_erase", args=[item.contributor_id]),
        {"confirm": "yes", "note": "Brev fra Ola Nordmann 3.12."},
    )
    assert not Contributor.objects.exists()
    notes = list(PrivacyRequest.objects.values_list("note", "handled_by", "via"))
    assert all("Ola" not in note for note, _user, _via in notes)
    assert {via for _n, _u, via in notes} == {"staff"}
    assert Input.objects.filter(pk=item.pk).exists()


def test_moderators_cannot_use_the_staff_privacy_page(client):
    client.force_login(make_user("moderator", "moderators"))
    assert client.get(reverse("staff:privacy")).status_code == 403


def test_the_command_exports_and_erases(capsys):
    item = _submit()
    call_command("privacy_request", "export", "--email", "OLA@example.no")
    assert json.loads(capsys.readouterr().out)[0]["contributor"]["phone"] == "98765432"
    call_command("privacy_request", "erase", "--contributor", str(item.contributor_id))
    assert not Contributor.objects.exists()
    assert [r.via for r in PrivacyRequest.objects.order_by("pk")] == ["command", "command"]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nb", "personvernombudet"),
        ("nn", "personvernombodet"),
        ("en", "data protection officer"),
        ("ar", "مسؤول حماية البيانات"),
        ("pl", "inspektorem ochrony danych"),
        ("uk", "уповноваженим із захисту даних"),
    ],
)
def test_the_privacy_notice_is_on_public_pages_in_all_six_languages(client, language, words):
    # The request activates the language for this thread; later tests must not inherit it
    # (model translations would store their titles in that language).
    request_language = translation.get_language()
    client.cookies["django_language"] = language
    page = client.get(reverse("maps:privacy")).content.decode()
    assert words in page.lower()
    footer = client.get(reverse("maps:process_list")).content.decode()
    translation.activate(request_language)
    assert 'class="privacy-notice"' in footer
    assert reverse("maps:privacy") in footer
