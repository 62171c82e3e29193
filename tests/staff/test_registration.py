"""Registering input from letters, hearings, workshops and phone calls through the workspace."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from geo.crs import STORAGE_SRID
from inputbank import roles
from inputbank.models import Attachment, Input
from tests.factories import make_process, make_theme, make_user

pytestmark = pytest.mark.django_db

POINT = {"type": "Point", "coordinates": [10.6575, 59.4339]}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer_client(client, case_officer):
    client.force_login(case_officer)
    return client


def form_data(**overrides):
    data = {
        "text": "Jeg ønsker fortau langs Fjordveien. Ring 912 34 567.",
        "channel": "letter",
        "received_on": "2024-03-05",
        "language": "nb",
        "contributor_kind": "person",
        "name": "Kari Nordmann",
        "email": "kari@example.no",
        "wants_feedback": "on",
        "preferred_language": "nb",
        "location_source": "address",
        "location_description": "Fjordveien 12",
        "geometry": json.dumps(POINT),
        "case_document": "2024/1234-5",
    }
    data.update(overrides)
    return data


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = image.getexif()
    exif[ExifTags.Base.Make] = "SpyCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (59.0, 26.0, 2.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (10.0, 39.0, 27.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_letter_is_registered_with_case_reference_and_place(officer_client, case_officer):
    process = make_process("fjordveien")
    theme = make_theme("transport")
    response = officer_client.post(
        reverse("staff:input_register"),
        form_data(process=process.pk, themes=[theme.pk]),
    )
    item = Input.objects.get()
    assert response.status_code == 302
    assert (item.case_year, item.case_sequence, item.case_document) == (2024, 1234, 5)
    assert item.channel == "letter"
    assert item.location_source == "address"
    assert item.location_description == "Fjordveien 12"
    assert item.registered_by == case_officer
    assert item.process == process
    assert list(item.themes.all()) == [theme]
    assert item.geom.srid == STORAGE_SRID


def test_registered_text_is_redacted_for_the_public(officer_client):
    officer_client.post(reverse("staff:input_register"), form_data())
    item = Input.objects.get()
    assert "912 34 567" in item.text
    assert "912 34 567" not in item.public_text


def test_the_contributor_is_stored_apart_with_feedback_wish(officer_client):
    officer_client.post(reverse("staff:input_register"), form_data(preferred_language="en"))
    contributor = Input.objects.get().contributor
    assert (contributor.name, contributor.email) == ("Kari Nordmann", "kari@example.no")
    assert contributor.wants_feedback
    assert contributor.preferred_language == "en"


def test_anonymous_input_stores_no_contributor(officer_client):
    officer_client.post(
        reverse("staff:input_register"), form_data(contributor_kind="anonymous", wants_feedback="")
    )
    assert Input.objects.get().contributor is None


def test_an_organisation_is_stored_without_a_personal_name(officer_client):
    officer_client.post(
        reverse("staff:input_register"),
        form_data(contributor_kind="organisation", organisation="Moss Velforening"),
    )
    contributor = Input.objects.get().contributor
    assert contributor.organisation == "Moss Velforening"
    assert contributor.name == ""


def test_feedback_without_an_email_address_is_refused(officer_client):
    response = officer_client.post(reverse("staff:input_register"), form_data(email=""))
    assert "Feedback is sent by e-mail" in response.content.decode()
    assert not Input.objects.exists()


def test_a_property_must_be_written_as_gnr_bnr(officer_client):
    response = officer_client.post(
        reverse("staff:input_register"),
        form_data(location_source="property", location_description="gården til Ola"),
    )
    assert "gnr/bnr" in response.content.decode()
    assert not Input.objects.exists()


def test_a_property_reference_is_kept(officer_client):
    officer_client.post(
        reverse("staff:input_register"),
        form_data(location_source="property", location_description="1/234"),
    )
    assert Input.objects.get().location_description == "1/234"


def test_no_specific_place_stores_no_geometry(officer_client):
    officer_client.post(
        reverse("staff:input_register"),
        form_data(location_source="none", location_description="", geometry=""),
    )
    item = Input.objects.get()
    assert item.geom is None
    assert item.location_source == "none"


def test_a_place_is_required_unless_none_is_chosen(officer_client):
    response = officer_client.post(reverse("staff:input_register"), form_data(geometry=""))
    assert "Mark the place on the map" in response.content.decode()
    assert not Input.objects.exists()


def test_a_line_drawn_on_the_map_is_stored(officer_client):
    line = {"type": "LineString", "coordinates": [[10.65, 59.43], [10.66, 59.432]]}
    officer_client.post(
        reverse("staff:input_register"),
        form_data(location_source="drawn", geometry=json.dumps(line)),
    )
    assert Input.objects.get().geom.geom_type == "LineString"


def test_a_malformed_document_reference_names_the_problem(officer_client):
    response = officer_client.post(
        reverse("staff:input_register"), form_data(case_document="2024-1234/5")
    )
    assert "is not a case number like 2024/1234-5" in response.content.decode()


def test_a_date_in_the_future_is_refused(officer_client):
    response = officer_client.post(
        reverse("staff:input_register"), form_data(received_on="2999-01-01")
    )
    assert "in the future" in response.content.decode()


def test_registered_input_waits_for_moderation_unless_published(officer_client):
    officer_client.post(reverse("staff:input_register"), form_data())
    officer_client.post(reverse("staff:input_register"), form_data(publish="on"))
    assert sorted(Input.objects.values_list("status", flat=True)) == ["pending", "published"]


def test_photo_gps_and_camera_metadata_are_removed(officer_client):
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    officer_client.post(reverse("staff:input_register"), form_data(attachments=[photo]))
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        exif = stored.getexif()
    assert attachment.content_type == "image/jpeg"
    assert attachment.original_name == "IMG_0001.jpg"
    assert ExifTags.Base.Make not in exif
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert stored.size == (40, 30)


def test_a_pdf_letter_is_attached_unchanged(officer_client):
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    officer_client.post(
        reverse("staff:input_register"),
        form_data(
            attachments=[SimpleUploadedFile("brev.pdf", pdf, content_type="application/pdf")]
        ),
    )
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as handle:
        assert handle.read() == pdf


def test_a_file_that_is_neither_pdf_nor_image_stores_nothing(officer_client):
    evil = SimpleUploadedFile("brev.pdf", b"MZ\x90\x00 program", content_type="application/pdf")
    response = officer_client.post(reverse("staff:input_register"), form_data(attachments=[evil]))
    assert "brev.pdf: the file is damaged or is not an image." in response.content.decode()
    assert not Input.objects.exists()
    assert not Attachment.objects.exists()


def test_a_too_large_attachment_is_refused(officer_client, settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "ATTACHMENT_MAX_BYTES": 1024 * 1024}
    photo = SimpleUploadedFile("big.jpg", jpeg_with_gps() + b"\0" * 1024 * 1024)
    response = officer_client.post(reverse("staff:input_register"), form_data(attachments=[photo]))
    assert "big.jpg: the file is larger than 1 MB." in response.content.decode()
    assert not Input.objects.exists()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, format="GIF")
    return out.getvalue()


@pytest.mark.parametrize(
    ("language", "too_large", "wrong_type"),
    [
        (
            "nb",
            "stort.jpg: Filen er større enn 1 MB.",
            "kart.gif: Bare PDF, JPEG og PNG kan legges ved.",
        ),
        (
            "nn",
            "stort.jpg: Fila er større enn 1 MB.",
            "kart.gif: Berre PDF, JPEG og PNG kan leggjast ved.",
        ),
    ],
)
def test_a_refused_attachment_is_explained_in_the_officers_language(
    client, settings, language, too_large, wrong_type
):
    # The workspace speaks the officer's own language (their profile), whatever the browser
    # asks for; the refusal comes from the attachments service, worded when the form checks.
    client.force_login(make_user("saksbehandler", roles.CASE_OFFICERS, language=language))
    settings.INPUTBANK = {**settings.INPUTBANK, "ATTACHMENT_MAX_BYTES": 1024 * 1024}
    files = [
        SimpleUploadedFile("stort.jpg", jpeg_with_gps() + b"\0" * 1024 * 1024),
        SimpleUploadedFile("kart.gif", gif(), content_type="image/gif"),
    ]
    response = client.post(
        reverse("staff:input_register"),
        form_data(attachments=files),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert too_large in html
    assert wrong_type in html
    assert "larger than" not in html and "can be attached" not in html
    assert not Input.objects.exists()
    assert not Attachment.objects.exists()


def test_attachments_download_only_for_staff_who_see_unpublished(client, officer_client, gis_user):
    pdf = b"%PDF-1.4\n%%EOF\n"
    officer_client.post(
        reverse("staff:input_register"),
        form_data(attachments=[SimpleUploadedFile("brev.pdf", pdf)]),
    )
    url = reverse("staff:attachment", kwargs={"pk": Attachment.objects.get().pk})
    assert officer_client.get(url).status_code == 200
    client.force_login(gis_user)
    assert client.get(url).status_code == 404


def test_register_another_keeps_the_process(officer_client):
    process = make_process("workshop")
    response = officer_client.post(
        reverse("staff:input_register"), form_data(process=process.pk, then="another")
    )
    assert response["Location"] == f"{reverse('staff:input_register')}?process={process.pk}"


def test_a_childrens_walk_is_never_shown_publicly(officer_client):
    officer_client.post(
        reverse("staff:input_register"), form_data(channel="barnetrakk", publish="on")
    )
    item = Input.objects.get()
    assert item.location_restricted
    assert not Input.objects.published().exists()


def test_an_officer_can_restrict_any_place(officer_client):
    officer_client.post(reverse("staff:input_register"), form_data(location_restricted="on"))
    assert Input.objects.get().location_restricted


def test_the_sender_category_is_kept_on_the_contributor(officer_client):
    officer_client.post(
        reverse("staff:input_register"),
        form_data(
            contributor_kind="organisation",
            name="",
            organisation="Statens vegvesen",
            sender_category="state_regional",
            wants_feedback="",
        ),
    )
    contributor = Input.objects.get().contributor
    assert (contributor.organisation, contributor.sender_category) == (
        "Statens vegvesen",
        "state_regional",
    )


def test_the_officer_writes_the_summary_on_the_input_page(officer_client):
    officer_client.post(reverse("staff:input_register"), form_data())
    item = Input.objects.get()
    page = officer_client.get(reverse("staff:input_detail", args=[item.public_id]))
    # Prefilled with the public text's first sentences until the officer writes one.
    assert "Jeg ønsker fortau langs Fjordveien." in page.content.decode()
    response = officer_client.post(
        reverse("staff:input_merknad", args=[item.public_id]),
        {"summary": "Ønsker fortau i Fjordveien.", "sender_category": "private"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.summary == "Ønsker fortau i Fjordveien."
    assert item.contributor.sender_category == "private"
