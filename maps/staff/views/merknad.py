"""The merknadsbehandling table for a process as a page, a CSV file and a Word document.

The rows (public data only) come from the read model ``inputbank.reads.merknad``.
"""

from __future__ import annotations

import io
import re

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from inputbank import roles
from inputbank.models import Process
from inputbank.reads.merknad import HEADER, header, merknad_rows
from maps.staff.access import staff_view
from maps.staff.views.common import csv_response

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Word's XML cannot hold control characters (a pasted letter sometimes has them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _process(pk: int) -> Process:
    return get_object_or_404(Process, pk=pk)


@staff_view(roles.can_register)
def merknad_table(request, pk: int):
    process = _process(pk)
    rows = merknad_rows(process)
    return render(
        request,
        "staff/merknad.html",
        {
            "process": process,
            "rows": rows,
            "unanswered": sum(1 for r in rows if not r.answered),
        },
    )


@staff_view(roles.can_register)
def merknad_csv(request, pk: int):
    process = _process(pk)
    rows = merknad_rows(process)
    return csv_response(
        f"merknadsbehandling-{slugify(process.slug)}.csv",
        header(),
        [r.cells() for r in rows],
    )


@staff_view(roles.can_register)
def merknad_docx(request, pk: int):
    """Return the table as a Word document (python-docx), landscape, ready to paste."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    process = _process(pk)
    rows = merknad_rows(process)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    document.styles["Normal"].font.size = Pt(9)
    document.add_heading(_("Summary of input and the municipality's comments"), level=1)
    meta = process.title
    if process.case_number:
        meta += f" – {_('case')} {process.case_number}"
    document.add_paragraph(meta)
    table = document.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header(), strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for r in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, r.cells(), strict=True):
            cell.text = _CONTROL.sub("", value)
    out = io.BytesIO()
    document.save(out)
    response = HttpResponse(out.getvalue(), content_type=DOCX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="merknadsbehandling-{slugify(process.slug)}.docx"'
    )
    return response
