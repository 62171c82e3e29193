"""A resident's photo: attached right after the input is sent, shown once it is published.

The input API takes JSON only, so the photo follows in a second request to
``POST /give/photo/`` (multipart, CSRF-protected like every page form). Who may attach it: whoever
knows the id of an input that is still pending, came from the web map, is less than
PHOTO_WINDOW old and has no attachment yet. A pending input's id is not public (pending input
answers 404 everywhere), so in practice that is the person who just sent it. The file goes
through the attachments service: type recognised from its bytes, size limited, and image
metadata (GPS, camera serials) removed before anything is stored.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from inputbank.models import Attachment, Channel, Input, ModerationStatus
from inputbank.services import AttachmentRefused, attachment_prepare, attachment_store

PHOTO_WINDOW = dt.timedelta(minutes=30)
PHOTO_TYPES = ("image/jpeg", "image/png")


def _error(field: str, message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": [{"field": field, "message": message}]}, status=status)


@require_POST
def photo_attach(request):
    """POST /give/photo/ (multipart: input=<uuid>, photo=<file>) -> 201 {"id"} or 400/404."""
    upload = request.FILES.get("photo")
    if upload is None:
        return _error("photo", "no photo was sent")
    try:
        public_id = uuid.UUID(request.POST.get("input", ""))
    except ValueError:
        return _error("input", "no input here can take a photo", status=404)
    try:
        with transaction.atomic():
            item = (
                Input.objects.select_for_update()
                .filter(
                    public_id=public_id,
                    status=ModerationStatus.PENDING,
                    channel=Channel.WEB_MAP,
                    created_at__gte=timezone.now() - PHOTO_WINDOW,
                )
                # A subquery, not a join: the row lock (two uploads at once) needs a plain row.
                .exclude(Exists(Attachment.objects.filter(input=OuterRef("pk"))))
                .first()
            )
            if item is None:
                return _error("input", "no input here can take a photo", status=404)
            limit = settings.INPUTBANK["ATTACHMENT_MAX_BYTES"]
            prepared = attachment_prepare(name=upload.name, data=upload.read(limit + 1))
            if prepared.content_type not in PHOTO_TYPES:
                raise AttachmentRefused(f"{prepared.name}: only JPEG and PNG photos")
            attachment = attachment_store(input=item, prepared=prepared, public=True)
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
