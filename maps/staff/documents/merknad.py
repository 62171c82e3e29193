"""The merknadsbehandling as a Word document for the saksframlegg.

One heading per sender category ("1 Statlige og regionale myndigheter"), then a table whose
header repeats on every page; each theme starts with a row across the table.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from inputbank.reads.merknad import Merknadsbehandling, header
from maps.staff.documents import word

# Nr., avsender, dato, sammendrag, kommentar, oppfølging: 26.7 cm of landscape A4.
WIDTHS_CM = (1.3, 3.6, 2.0, 8.0, 8.8, 3.0)


def merknad_document(merknad: Merknadsbehandling) -> bytes:
    """Return the DOCX file's bytes."""
    process = merknad.process
    document = word.landscape_document(_("Merknadsbehandling"))
    facts = [process.title]
    if process.case_number:
        facts.append(f"{_('case')} {process.case_number}")
    if process.plan_id:
        facts.append(f"{_('plan')} {process.plan_id}")
    document.add_paragraph(" – ".join(facts))
    document.add_paragraph(
        _("Input received, summarised and commented by the chief municipal executive.")
    )
    if merknad.include_unmoderated and merknad.unmoderated:
        document.add_paragraph(_("Input not yet moderated is included and marked [Not moderated]."))
    if not merknad.groups:
        document.add_paragraph(_("No moderated input for this process."))
    for group in merknad.groups:
        document.add_heading(f"{group.number} {group.label}", level=2)
        grid = word.table(document, header(), WIDTHS_CM)
        for theme in group.themes:
            word.add_group_row(grid, theme.theme)
            for row in theme.rows:
                word.add_row(grid, row.cells())
    return word.as_bytes(document)
