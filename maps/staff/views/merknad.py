"""The merknadsbehandling table for a process: summary, the municipality's comment, outcome.

Rows are the process's input that was not rejected, in the order received. The summary is the
public (redacted) text and the sender is shown only as an organisation or group, never as a
private person's name: the table goes into a public case presentation.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from inputbank import roles
from inputbank.models import Outcome, Process
from maps.staff.access import staff_view
from maps.staff.views.common import csv_response

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Row:
    number: int
    received: str
    sender: str
    summary: str
    themes: str
    comment: str
    outcome: str
    outcome_code: str


def merknad_rows(process: Process) -> list[Row]:
    """Return the table's rows (public data only)."""
    inputs = (
        process.inputs.exclude(status="rejected")
        .select_related("response", "contributor")
        .prefetch_related("themes")
        .order_by("received_at", "id")
    )
    outcomes = dict(Outcome.choices)
    rows = []
    for n, item in enumerate(inputs, start=1):
        response = getattr(item, "response", None)
        organisation = item.contributor.organisation if item.contributor else ""
        rows.append(
            Row(
                number=n,
                received=timezone.localtime(item.received_at).strftime("%d.%m.%Y"),
                sender=item.source_group or organisation or _("Private person"),
                summary=item.public_text,
                themes=", ".join(t.name for t in item.themes.all()),
                comment=response.justification if response else "",
                outcome=str(outcomes.get(response.outcome, "")) if response else _("Not answered"),
                outcome_code=response.outcome if response else "none",
            )
        )
    return rows


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
            "unanswered": sum(1 for r in rows if r.outcome_code == "none"),
        },
    )


HEADER = (
    gettext_noop("No."),
    gettext_noop("Received"),
    gettext_noop("From"),
    gettext_noop("Summary of the input"),
    gettext_noop("Themes"),
    gettext_noop("The municipality's comment"),
    gettext_noop("Outcome"),
)
# Word's XML cannot hold control characters (a pasted letter sometimes has them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _header() -> list[str]:
    return [_(h) for h in HEADER]


@staff_view(roles.can_register)
def merknad_csv(request, pk: int):
    process = _process(pk)
    rows = merknad_rows(process)
    return csv_response(
        f"merknadsbehandling-{slugify(process.slug)}.csv",
        _header(),
        [[r.number, r.received, r.sender, r.summary, r.themes, r.comment, r.outcome] for r in rows],
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
    for cell, text in zip(table.rows[0].cells, _header(), strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for r in rows:
        cells = table.add_row().cells
        values = [str(r.number), r.received, r.sender, r.summary, r.themes, r.comment, r.outcome]
        for cell, value in zip(cells, values, strict=True):
            cell.text = _CONTROL.sub("", value)
    out = io.BytesIO()
    document.save(out)
    response = HttpResponse(out.getvalue(), content_type=DOCX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="merknadsbehandling-{slugify(process.slug)}.docx"'
    )
    return response
