"""Case officers add, change and delete a process's meetings in the workspace."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from geo.crs import STORAGE_SRID
from inputbank import roles
from inputbank.models import Meeting
from inputbank.services import MeetingData, meeting_add
from tests.factories import make_process, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, case_officer):
    client.force_login(case_officer)
    return client


def form(**extra) -> dict:
    return {
        "title": "Folkemøte om sentrumsplanen",
        "date": "2027-03-09",
        "starts": "18:00",
        "ends": "20:00",
        "place": "Moss rådhus, bystyresalen",
        "location": json.dumps({"type": "Point", "coordinates": [10.6583, 59.4346]}),
        "description": "Kaffe fra 17.30.",
    } | extra


def test_an_officer_adds_a_meeting_that_residents_then_see(officer_client, client, case_officer):
    process = make_process("sentrum", title="Sentrumsplanen", status="open")
    page = officer_client.get(reverse("staff:process_detail", args=[process.pk]))
    assert reverse("staff:meeting_add", args=[process.pk]) in page.content.decode()
    sent = officer_client.post(reverse("staff:meeting_add", args=[process.pk]), form())
    assert sent.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.location.srid == STORAGE_SRID
    assert meeting.starts_at.isoformat() == "2027-03-09T17:00:00+00:00"  # 18:00 in Oslo, winter
    assert meeting.history.get().history_user == case_officer
    listed = officer_client.get(sent["Location"]).content.decode()
    assert "Folkemøte om sentrumsplanen" in listed and "Moss rådhus" in listed
    public = client.get(f"/processes/{process.slug}/").content.decode()
    assert "Folkemøte om sentrumsplanen" in public


def test_an_officer_changes_and_deletes_a_meeting(officer_client):
    process = make_process("sentrum")
    evening = timezone.make_aware(dt.datetime(2027, 3, 9, 18, 0))
    meeting = meeting_add(
        process=process,
        data=MeetingData(title="Folkemøte", starts_at=evening, place="Moss rådhus"),
        added_by=None,
    )
    edit = officer_client.get(reverse("staff:meeting_edit", args=[meeting.pk]))
    assert 'value="Moss rådhus"' in edit.content.decode()
    officer_client.post(
        reverse("staff:meeting_edit", args=[meeting.pk]), form(place="Verket", location="")
    )
    meeting.refresh_from_db()
    assert (meeting.place, meeting.location) == ("Verket", None)
    ask = officer_client.get(reverse("staff:meeting_delete", args=[meeting.pk]))
    assert ask.status_code == 200 and Meeting.objects.exists()
    officer_client.post(reverse("staff:meeting_delete", args=[meeting.pk]))
    assert not Meeting.objects.exists()


def test_wrong_times_are_named_in_the_officers_language(officer_client):
    process = make_process("sentrum")
    answer = officer_client.post(
        reverse("staff:meeting_add", args=[process.pk]), form(ends="17:00")
    )
    assert answer.status_code == 200
    assert "The meeting must end after it starts." in answer.content.decode()
    assert not Meeting.objects.exists()


def test_only_staff_who_register_processes_may_change_meetings(client):
    process = make_process("sentrum")
    client.force_login(make_user("reader", roles.MODERATORS))
    answer = client.post(reverse("staff:meeting_add", args=[process.pk]), form())
    assert answer.status_code == 403
    assert not Meeting.objects.exists()


def test_the_admin_inline_goes_through_the_same_service(admin_client):
    from tests.inputbank.test_admin import _change

    process = make_process("sentrum")
    evening = timezone.make_aware(dt.datetime(2027, 3, 9, 18, 0))
    meeting = meeting_add(
        process=process,
        data=MeetingData(title="Folkemøte", starts_at=evening, place="Moss rådhus"),
        added_by=None,
    )
    url = f"/admin/inputbank/process/{process.pk}/change/"
    assert _change(admin_client, url, **{"meetings-0-place": "Verket"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Verket"
    assert meeting.history.first().history_user.is_superuser  # the admin who saved it
    _change(admin_client, url, **{"meetings-0-DELETE": "on"})
    assert not Meeting.objects.exists()
    assert Meeting.history.filter(id=meeting.pk).first().history_type == "-"
