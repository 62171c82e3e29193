"""The merknadsbehandling of a process as a page (printable), a CSV file and a Word document.

The grouped rows come from the read model ``inputbank.reads.merknad``; ``?alle=1`` includes
input still awaiting moderation (marked), otherwise only moderated input is listed.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.text import slugify

from inputbank import roles
from inputbank.models import Process
from inputbank.reads.merknad import flat_header, header, merknadsbehandling
from maps.staff.access import staff_view
from maps.staff.documents import word
from maps.staff.documents.merknad import merknad_document
from maps.staff.views.common import csv_response

INCLUDE_ALL = "alle"


def _merknad(request, pk: int):
    process = get_object_or_404(Process, pk=pk)
    return merknadsbehandling(process, include_unmoderated=request.GET.get(INCLUDE_ALL) == "1")


def _filename(merknad, extension: str) -> str:
    return f"merknadsbehandling-{slugify(merknad.process.slug)}{extension}"


@staff_view(roles.can_register)
def merknad_table(request, pk: int):
    merknad = _merknad(request, pk)
    return render(
        request,
        "staff/merknad.html",
        {
            "process": merknad.process,
            "merknad": merknad,
            "header": header(),
            "include_all": merknad.include_unmoderated,
            "query": f"{INCLUDE_ALL}=1" if merknad.include_unmoderated else "",
        },
    )


@staff_view(roles.can_register)
def merknad_csv(request, pk: int):
    with translation.override(word.case_language(translation.get_language())):
        merknad = _merknad(request, pk)
        return csv_response(_filename(merknad, ".csv"), flat_header(), merknad.flat_rows())


@staff_view(roles.can_register)
def merknad_docx(request, pk: int):
    """Return the merknadsbehandling as a Word document, landscape, ready to paste."""
    with translation.override(word.case_language(translation.get_language())):
        merknad = _merknad(request, pk)
        content = merknad_document(merknad)
    response = HttpResponse(content, content_type=word.DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(merknad, ".docx")}"'
    return response
