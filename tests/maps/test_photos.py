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


def attach(client, item, data=None, name="bilde.jpg", **headers):
    photo = SimpleUploadedFile(name, data if data is not None else photo_with_location())
    public_id = getattr(item, "public_id", item)
    return client.post(
        reverse("maps:photo_attach"), {"input": str(public_id), "photo": photo}, **headers
    )


def message(response) -> str:
    return response.json()["errors"][0]["message"]


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
    # No language asked for: bokmål, the site's own.
    assert message(response) == "bilde.jpg: Filen er skadet eller er ikke et bilde."


def test_no_file_is_a_clear_error(client):
    response = client.post(reverse("maps:photo_attach"), {"input": str(fresh_input().public_id)})
    assert message(response) == "Det ble ikke sendt noe bilde."


# The page shows the message as it is ("the photo could not be saved (...)"): it is in the
# resident's language, and names the file.
REFUSALS = {
    "nb": (
        "brev.pdf: Bare JPEG- og PNG-bilder kan legges ved.",
        "Bildet kan ikke legges ved dette innspillet.",
        "Det ble ikke sendt noe bilde.",
    ),
    "nn": (
        "brev.pdf: Berre JPEG- og PNG-bilete kan leggjast ved.",
        "Biletet kan ikkje leggjast ved dette innspelet.",
        "Det vart ikkje sendt noko bilete.",
    ),
    "en": (
        "brev.pdf: only JPEG and PNG photos can be added.",
        "The photo cannot be added to this input.",
        "No photo was sent.",
    ),
    "pl": (
        "brev.pdf: można dodać tylko zdjęcia JPEG i PNG.",
        "Nie można dodać zdjęcia do tej uwagi.",
        "Nie wysłano zdjęcia.",
    ),
    "uk": (
        "brev.pdf: можна додати лише фото у форматі JPEG або PNG.",
        "Фото не можна додати до цієї пропозиції.",
        "Фото не надіслано.",
    ),
    "ar": (
        "brev.pdf: يمكن إضافة صور JPEG وPNG فقط.",
        "لا يمكن إضافة الصورة إلى هذه الملاحظة.",
        "لم تُرسَل أي صورة.",
    ),
}


@pytest.mark.parametrize("language", list(REFUSALS))
def test_a_refused_photo_is_explained_in_the_residents_language(client, language):
    not_a_photo, no_input, no_file = REFUSALS[language]
    header = {"HTTP_ACCEPT_LANGUAGE": language}
    refused = attach(client, fresh_input(), b"%PDF-1.4 brev", name="brev.pdf", **header)
    assert (refused.status_code, message(refused)) == (400, not_a_photo)
    for unknown in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        missing = attach(client, unknown, **header)
        assert (missing.status_code, message(missing)) == (404, no_input)
    nothing = client.post(
        reverse("maps:photo_attach"), {"input": str(fresh_input().public_id)}, **header
    )
    assert message(nothing) == no_file
    assert not Attachment.objects.exists()


def test_a_too_large_photo_is_refused_in_nynorsk(client, settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "ATTACHMENT_MAX_BYTES": 2 * 1024 * 1024}
    big = photo_with_location() + b"\0" * (2 * 1024 * 1024)
    response = attach(client, fresh_input(), big, name="stort.jpg", HTTP_ACCEPT_LANGUAGE="nn")
    assert message(response) == "stort.jpg: Fila er større enn 2 MB."


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
