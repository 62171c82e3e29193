"""A resident's photo: attached right after sending, cleaned, and shown only once published."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from inputbank import services
from inputbank.models import Attachment, Input
from tests.factories import make_input, photo_with_location

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def fresh_input(**extra):
    return make_input("Se bildet", published=False, **extra)


def attach(client, item, data=None, name="bilde.jpg"):
    photo = SimpleUploadedFile(name, data if data is not None else photo_with_location())
    public_id = getattr(item, "public_id", item)
    return client.post(reverse("maps:photo_attach"), {"input": str(public_id), "photo": photo})


def test_a_photo_is_attached_to_the_input_just_sent(client):
    item = fresh_input()
    response = attach(client, item)
    assert response.status_code == 201
    attachment = Attachment.objects.get(input=item)
    assert attachment.public and attachment.content_type == "image/jpeg"


def test_location_and_camera_details_are_removed(client):
    item = fresh_input()
    attach(client, item)
    stored = Image.open(Attachment.objects.get(input=item).file)
    assert not stored.getexif()
    assert stored.size == (40, 30)


def test_only_one_photo_per_input(client):
    item = fresh_input()
    attach(client, item)
    assert attach(client, item).status_code == 404
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize("state", ["published", "old", "letter"])
def test_only_fresh_pending_web_input_takes_a_photo(client, state):
    item = make_input(
        "Se bildet",
        published=state == "published",
        channel="letter" if state == "letter" else "web_map",
    )
    if state == "old":
        Input.objects.filter(pk=item.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    assert attach(client, item).status_code == 404
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("value", ["", "not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_input_is_not_found(client, value):
    assert attach(client, value).status_code == 404


def test_a_pdf_is_not_a_photo(client):
    response = attach(client, fresh_input(), b"%PDF-1.4 brev", name="brev.pdf")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "photo"
    assert not Attachment.objects.exists()


def test_garbage_is_refused_with_a_reason(client):
    response = attach(client, fresh_input(), b"\x00\x01 not an image")
    assert response.status_code == 400
    assert "not an image" in response.json()["errors"][0]["message"]


def test_no_file_is_a_clear_error(client):
    response = client.post(reverse("maps:photo_attach"), {"input": str(fresh_input().public_id)})
    assert response.json()["errors"][0]["message"] == "no photo was sent"


def test_a_request_without_the_csrf_token_is_refused(db):
    response = attach(Client(enforce_csrf_checks=True), fresh_input())
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_the_photo_is_shown_with_the_published_input_only(client):
    item = fresh_input()
    attach(client, item)
    attachment = Attachment.objects.get()
    url = reverse("maps:photo_show", args=[item.public_id, attachment.pk])
    assert client.get(url).status_code == 404
    services.input_publish(input=item, moderator=None)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    detail = client.get(reverse("maps:input_detail", args=[item.public_id])).content.decode()
    assert f'src="{url}"' in detail


def test_a_photo_the_moderator_made_private_is_not_shown(client):
    item = fresh_input()
    attach(client, item)
    services.input_publish(input=item, moderator=None)
    attachment = Attachment.objects.get()
    Attachment.objects.filter(pk=attachment.pk).update(public=False)
    url = reverse("maps:photo_show", args=[item.public_id, attachment.pk])
    assert client.get(url).status_code == 404
