"""Attachments to input: scanned letters (PDF) and photos, checked and cleaned before storage.

Only PDF, JPEG and PNG are accepted, recognised by their content (the browser's content type
and the file name are not trusted), each below ``INPUTBANK["ATTACHMENT_MAX_BYTES"]``. Images are
decoded and re-encoded without metadata, so GPS coordinates and camera serials in EXIF, XMP or
PNG text chunks never reach storage; the orientation is applied to the pixels first so the photo
still stands the right way up.

A resident's photo (``attachment_add_resident_photo``) follows the input in a second request, so
it has rules of its own: see that function.

The refusals reach people as they are (the resident's photo upload, the officer's registration
form), so they are worded with gettext when raised, in the request's language.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from PIL import Image, ImageOps, UnidentifiedImageError

from inputbank.models import Attachment, Channel, Input, ModerationStatus

ALLOWED_IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
PDF_TYPE = "application/pdf"
# Decompression bombs: a tiny file that expands to gigabytes of pixels.
MAX_IMAGE_PIXELS = 60_000_000
# A resident may add a photo this long after sending the input (the page sends it right away).
PHOTO_WINDOW = dt.timedelta(minutes=30)
PHOTO_TYPES = ("image/jpeg", "image/png")


class AttachmentRefused(ValueError):
    """An upload was refused; the message names the file and the problem (in the reader's
    language: the photo upload and the registration form show it as it is)."""


class NoInputForPhoto(LookupError):
    """No input with this id may take a resident's photo (the reason is not told: see below)."""

    def __init__(self):
        super().__init__(gettext("The photo cannot be added to this input."))


@dataclass(frozen=True)
class PreparedAttachment:
    """A checked, cleaned attachment, not yet stored."""

    name: str
    content_type: str
    content: bytes


def _display_name(name: str) -> str:
    # Kept only as data (the stored path is random); still trimmed to something printable.
    cleaned = get_valid_filename(name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]) or "vedlegg"
    return cleaned[:200]


def _refused(message: str, name: str) -> AttachmentRefused:
    """The refusal of file ``name``: ``message`` is already translated, "%(name)s: ..."."""
    return AttachmentRefused(message % {"name": name})


def _strip_image(data: bytes, name: str) -> tuple[bytes, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image: Image.Image = Image.open(io.BytesIO(data))
            fmt = image.format
            if fmt not in ALLOWED_IMAGE_FORMATS:
                raise _refused(
                    gettext("%(name)s: only PDF, JPEG and PNG files can be attached."), name
                )
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise _refused(gettext("%(name)s: the image has too many pixels."), name)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _refused(gettext("%(name)s: the image has too many pixels."), name) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            if isinstance(exc, AttachmentRefused):
                raise
            raise _refused(
                gettext("%(name)s: the file is damaged or is not an image."), name
            ) from exc
    image = ImageOps.exif_transpose(image)
    # A fresh image holds pixels only: no EXIF, XMP, ICC comments or PNG text chunks.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P" and (palette := image.getpalette()):
        clean.putpalette(palette)
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG", optimize=True)
    return out.getvalue(), ALLOWED_IMAGE_FORMATS[fmt]


def attachment_prepare(*, name: str, data: bytes) -> PreparedAttachment:
    """Check type and size and strip image metadata; raise AttachmentRefused naming the problem."""
    display = _display_name(name)
    limit = settings.INPUTBANK["ATTACHMENT_MAX_BYTES"]
    if len(data) > limit:
        raise AttachmentRefused(
            gettext("%(name)s: the file is larger than %(mb)s MB.")
            % {"name": display, "mb": limit // (1024 * 1024)}
        )
    if not data:
        raise _refused(gettext("%(name)s: the file is empty."), display)
    if data.startswith(b"%PDF-"):
        return PreparedAttachment(display, PDF_TYPE, data)
    content, content_type = _strip_image(data, display)
    return PreparedAttachment(display, content_type, content)


def attachment_store(
    *,
    input: Input,  # noqa: A002
    prepared: PreparedAttachment,
    public: bool = False,
) -> Attachment:
    """Store a prepared attachment under a random name (the caller holds the transaction)."""
    attachment = Attachment(
        input=input,
        original_name=prepared.name,
        content_type=prepared.content_type,
        size_bytes=len(prepared.content),
        public=public and prepared.content_type != PDF_TYPE,
    )
    attachment.file.save("upload", ContentFile(prepared.content), save=False)
    attachment.save()
    return attachment


def attachment_read(upload: BinaryIO) -> bytes:
    """Read an upload, at most one byte past the size limit (enough to refuse it as too large)."""
    return upload.read(settings.INPUTBANK["ATTACHMENT_MAX_BYTES"] + 1)


@transaction.atomic
def attachment_add_resident_photo(
    *, input_public_id: uuid.UUID, name: str, data: bytes
) -> Attachment:
    """Attach a resident's photo to the input they have just sent; it is public once published.

    Only an input that is still pending, came from the web map, is less than ``PHOTO_WINDOW``
    old and has no attachment yet takes a photo. A pending input's id is not public, so in
    practice that is the person who just sent it. Any other id raises ``NoInputForPhoto``
    without saying which rule failed (an outsider learns nothing about other input). The file
    must be a JPEG or PNG photo, checked and cleaned by ``attachment_prepare``; otherwise
    ``AttachmentRefused`` names the problem.
    """
    item = (
        Input.objects.select_for_update()
        .filter(
            public_id=input_public_id,
            status=ModerationStatus.PENDING,
            channel=Channel.WEB_MAP,
            created_at__gte=timezone.now() - PHOTO_WINDOW,
        )
        # A subquery, not a join: the row lock (two uploads at once) needs a plain row.
        .exclude(Exists(Attachment.objects.filter(input=OuterRef("pk"))))
        .first()
    )
    if item is None:
        raise NoInputForPhoto
    prepared = attachment_prepare(name=name, data=data)
    if prepared.content_type not in PHOTO_TYPES:
        raise _refused(gettext("%(name)s: only JPEG and PNG photos can be added."), prepared.name)
    return attachment_store(input=item, prepared=prepared, public=True)
