"""The prior-input report as PDF for the archive, beside the DOCX (the same parts, in print).

Drawn by WeasyPrint from an HTML template (``staff/prior_input_pdf.html``) with the server-drawn
map picture embedded as data, so it needs no browser and no network: the URL fetcher allows
``data:`` URIs only, so a report never makes a request or opens a file of its own. The headings
become the PDF's bookmarks; pages are A4 landscape with "Side n av m" at the foot.
"""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from maps.staff.documents.prior import (
    argument_sections,
    count_tables,
    gap_rows,
    list_row,
    map_picture,
    question_rows,
)

PDF_TYPE = "application/pdf"


def prior_report_pdf(report: dict, *, area_label: str, uncompressed: bool = False) -> bytes:
    """Return the PDF bytes of a prior-input report built with ``everything=True``.

    ``uncompressed`` leaves the PDF's streams readable (tests read the outline without a PDF
    library).
    """
    # Imported on the first PDF, not when a worker starts (it loads Pango through cffi).
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    picture = base64.b64encode(map_picture(report)).decode("ascii")
    html = render_to_string(
        "staff/prior_input_pdf.html",
        {
            **report,
            "made": timezone.localdate(),
            "question": question_rows(report, area_label),
            "counts": count_tables(report),
            "gaps": gap_rows(report),
            "argument_sections": argument_sections(report),
            "rows": [list_row(report, f) for f in report["features"]],
            "map_png": f"data:image/png;base64,{picture}",
            "page_word": _("Page"),
            "of_word": _("of"),
        },
    )
    # Only data: URIs (the map picture): a report fetches nothing, from no network or file.
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"}))
    return document.write_pdf(uncompressed_pdf=uncompressed)
