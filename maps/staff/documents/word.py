"""What every Word document of the workspace shares: A4 landscape, page numbers, table rules.

A planner pastes these tables into a saksframlegg: the header row repeats on every page, rows
never split across a page break, and the footer numbers the pages ("Side 3 av 12").
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Word's XML cannot hold control characters (a pasted or scanned letter sometimes has them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
A4_LONG, A4_SHORT = Cm(29.7), Cm(21.0)
MARGIN = Cm(1.5)
GROUP_SHADE = "E7EEF3"


def clean(text: object) -> str:
    return _CONTROL.sub("", "" if text is None else str(text))


def landscape_document(title: str):
    """Return a new A4 landscape document with page numbers and ``title`` as its heading."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = A4_LONG, A4_SHORT
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, MARGIN)
    document.styles["Normal"].font.size = Pt(9)
    document.core_properties.title = title
    _page_numbers(section.footer.paragraphs[0])
    document.add_heading(clean(title), level=1)
    return document


def text_width():
    return A4_LONG - 2 * MARGIN


def _field(paragraph, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        if kind == "separate":
            placeholder = OxmlElement("w:t")
            placeholder.text = "1"
            run._r.append(placeholder)


def _page_numbers(paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(_("Page") + " ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" " + _("of") + " ")
    _field(paragraph, "NUMPAGES")


def _row_property(row, name: str) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement(f"w:{name}")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def table(document, header: Sequence[str], widths_cm: Sequence[float]):
    """Add a grid table whose header row repeats on every page; return it."""
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.autofit = False
    head = grid.rows[0]
    _row_property(head, "tblHeader")
    _row_property(head, "cantSplit")
    for cell, text, width in zip(head.cells, header, widths_cm, strict=True):
        cell.width = Cm(width)
        cell.text = clean(text)
        _shade(cell, GROUP_SHADE)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    grid._widths = widths_cm  # for add_row
    return grid


def add_row(grid, values: Sequence[object]) -> None:
    row = grid.add_row()
    _row_property(row, "cantSplit")
    for cell, value, width in zip(row.cells, values, grid._widths, strict=True):
        cell.width = Cm(width)
        cell.text = clean(value)


def add_group_row(grid, text: str) -> None:
    """A row across the whole table naming the group (a theme) of the rows below it."""
    row = grid.add_row()
    _row_property(row, "cantSplit")
    merged = row.cells[0].merge(row.cells[-1])
    merged.text = clean(text)
    _shade(merged, GROUP_SHADE)
    for run in merged.paragraphs[0].runs:
        run.bold = True
        run.italic = True


def as_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def case_language(active: str | None) -> str:
    """The language a case document is written in: the officer's bokmål or nynorsk, else bokmål.

    A saksframlegg is Norwegian whatever language the workspace is shown in.
    """
    return active if active in ("nb", "nn") else "nb"
