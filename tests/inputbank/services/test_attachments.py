"""Attachments: letters and photos checked and cleaned; a resident's photo and its rules."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.utils import timezone, translation
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from inputbank import services
from inputbank.models import Attachment, Channel, Input
from inputbank.services import (
    AttachmentRefused,
    NoInputForPhoto,
    attachment_add_resident_photo,
    attachment_prepare,
    attachment_read,
    attachment_store,
)
from inputbank.services.attachments import PHOTO_WINDOW
from tests.factories import make_input, photo_with_location

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _png() -> bytes:
    """A PNG with a text chunk naming who made it and where they live."""
    text = PngInfo()
    text.add_text("Comment", "Kari Nordmann, Storgata 1")
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "#1f6f8b").save(out, format="PNG", pnginfo=text)
    return out.getvalue()


def _just_sent(**extra) -> Input:
    return make_input("Se bildet av hullet i veien.", published=False, **extra)


def test_a_scanned_letter_is_kept_byte_for_byte():
    prepared = attachment_prepare(name="brev fra Kari.pdf", data=PDF)
    assert (prepared.content_type, prepared.content) == ("application/pdf", PDF)


def test_a_photo_loses_its_gps_position_and_camera():
    prepared = attachment_prepare(name="IMG_0001.jpg", data=photo_with_location())
    image = Image.open(io.BytesIO(prepared.content))
    assert prepared.content_type == "image/jpeg"
    assert not image.getexif()


def test_a_png_loses_its_text_chunks():
    prepared = attachment_prepare(name="kart.png", data=_png())
    image = Image.open(io.BytesIO(prepared.content))
    assert prepared.content_type == "image/png"
    assert "Comment" not in image.info


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "Filen er tom"), (b"MZ\x90\x00 not a document", "skadet eller er ikke et bilde")],
)
def test_what_is_neither_pdf_nor_image_is_refused_with_the_reason(data, reason):
    # In bokmål, the site's language when no other is chosen.
    with pytest.raises(AttachmentRefused, match=reason):
        attachment_prepare(name="vedlegg.exe", data=data)


def test_a_file_over_the_limit_is_refused(settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "ATTACHMENT_MAX_BYTES": 100}
    with pytest.raises(AttachmentRefused, match="^stor.pdf: Filen er større enn 0 MB"):
        attachment_prepare(name="stor.pdf", data=PDF + b" " * 100)


def test_reading_an_upload_stops_one_byte_past_the_limit(settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "ATTACHMENT_MAX_BYTES": 10}
    assert len(attachment_read(io.BytesIO(b"x" * 1000))) == 11


def test_the_stored_name_is_random_and_the_original_name_kept_as_data():
    item = make_input("Brev.", no_location=True, channel=Channel.LETTER)
    stored = attachment_store(
        input=item, prepared=attachment_prepare(name="../../etc/passwd.pdf", data=PDF)
    )
    assert "passwd" not in stored.file.name
    assert stored.original_name == "passwd.pdf"


def test_a_letter_is_never_public_even_when_asked():
    item = make_input("Brev.", no_location=True, channel=Channel.LETTER)
    stored = attachment_store(
        input=item, prepared=attachment_prepare(name="brev.pdf", data=PDF), public=True
    )
    assert stored.public is False


def test_a_resident_photo_is_attached_public_to_the_input_just_sent():
    item = _just_sent()
    attachment = attachment_add_resident_photo(
        input_public_id=item.public_id, name="hull.jpg", data=photo_with_location()
    )
    assert (attachment.input, attachment.public) == (item, True)


def test_only_one_photo_per_input():
    item = _just_sent()
    attachment_add_resident_photo(
        input_public_id=item.public_id, name="a.jpg", data=photo_with_location()
    )
    with pytest.raises(NoInputForPhoto):
        attachment_add_resident_photo(
            input_public_id=item.public_id, name="b.jpg", data=photo_with_location()
        )
    assert Attachment.objects.count() == 1


def test_a_published_input_takes_no_photo():
    with pytest.raises(NoInputForPhoto):
        attachment_add_resident_photo(
            input_public_id=make_input().public_id, name="a.jpg", data=photo_with_location()
        )


def test_a_registered_letter_takes_no_resident_photo():
    letter = services.input_register(
        text="Brev om hull i veien.",
        geom=None,
        themes=[],
        channel=Channel.LETTER,
        registered_by=None,
    )
    with pytest.raises(NoInputForPhoto):
        attachment_add_resident_photo(
            input_public_id=letter.public_id, name="a.jpg", data=photo_with_location()
        )


def test_an_input_sent_longer_ago_than_the_window_takes_no_photo():
    item = _just_sent()
    Input.objects.filter(pk=item.pk).update(
        created_at=timezone.now() - PHOTO_WINDOW - dt.timedelta(minutes=1)
    )
    with pytest.raises(NoInputForPhoto):
        attachment_add_resident_photo(
            input_public_id=item.public_id, name="a.jpg", data=photo_with_location()
        )


def test_an_unknown_id_takes_no_photo():
    with pytest.raises(NoInputForPhoto):
        attachment_add_resident_photo(
            input_public_id=uuid.uuid4(), name="a.jpg", data=photo_with_location()
        )


def test_a_pdf_is_not_a_resident_photo():
    item = _just_sent()
    with pytest.raises(AttachmentRefused, match="Bare JPEG- og PNG-bilder"):
        attachment_add_resident_photo(input_public_id=item.public_id, name="a.pdf", data=PDF)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("language", "empty", "no_photo"),
    [
        ("nb", "tom.jpg: Filen er tom.", "Bildet kan ikke legges ved dette innspillet."),
        ("nn", "tom.jpg: Fila er tom.", "Biletet kan ikkje leggjast ved dette innspelet."),
        ("en", "tom.jpg: the file is empty.", "The photo cannot be added to this input."),
        ("pl", "tom.jpg: plik jest pusty.", "Nie można dodać zdjęcia do tej uwagi."),
        ("uk", "tom.jpg: файл порожній.", "Фото не можна додати до цієї пропозиції."),
        ("ar", "tom.jpg: الملف فارغ.", "لا يمكن إضافة الصورة إلى هذه الملاحظة."),
    ],
)
def test_the_refusals_are_worded_in_the_language_of_the_request(language, empty, no_photo):
    # Worded when raised, not when the module was imported: the reader's language, and the
    # file's name kept in front.
    with translation.override(language):
        with pytest.raises(AttachmentRefused) as refused:
            attachment_prepare(name="tom.jpg", data=b"")
        with pytest.raises(NoInputForPhoto) as no_input:
            attachment_add_resident_photo(
                input_public_id=uuid.uuid4(), name="a.jpg", data=photo_with_location()
            )
    assert str(refused.value) == empty
    assert str(no_input.value) == no_photo
