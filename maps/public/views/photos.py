"""A resident's photo: attached right after the input is sent, shown once it is published.

The input API takes JSON only, so the photo follows in a second request to
``POST /give/photo/`` (multipart, CSRF-protected like every page form). Which input may take a
photo, and what a photo may be, is the attachments service's rule
(``attachment_add_resident_photo``): this view only turns the request into its arguments and
its answer into JSON. The messages reach the resident as they are (the page shows them after
"the photo could not be saved"), so they are in the request's language.
"""

from __future__ import annotations

import uuid

from django.http import FileResponse, Http404, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from inputbank.models import Attachment, Input
from inputbank.services import (
    AttachmentRefused,
    NoInputForPhoto,
    attachment_add_resident_photo,
    attachment_read,
)
from inputbank.services.attachments import PHOTO_TYPES


def _error(field: str, message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": [{"field": field, "message": message}]}, status=status)


@require_POST
def photo_attach(request):
    """POST /give/photo/ (multipart: input=<uuid>, photo=<file>) -> 201 {"id"} or 400/404."""
    upload = request.FILES.get("photo")
    if upload is None:
        return _error("photo", gettext("No photo was sent."))
    try:
        public_id = uuid.UUID(request.POST.get("input", ""))
    except ValueError:
        return _error("input", str(NoInputForPhoto()), status=404)
    try:
        attachment = attachment_add_resident_photo(
            input_public_id=public_id, name=upload.name, data=attachment_read(upload)
        )
    except NoInputForPhoto as exc:
        return _error("input", str(exc), status=404)
    except AttachmentRefused as exc:
        return _error("photo", str(exc))
    return JsonResponse({"id": attachment.pk}, status=201)


@require_safe
def photo_show(request, public_id, pk):
    """A published input's photo (never one of pending, rejected or restricted input)."""
    attachment = (
        Attachment.objects.filter(
            pk=pk,
            public=True,
            content_type__in=PHOTO_TYPES,
            input__in=Input.objects.published().filter(public_id=public_id),
        )
        .only("file", "content_type")
        .first()
    )
    if attachment is None:
        raise Http404("no such photo")
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=3600"
    return response
