"""The merknadsbehandling table for a process: summary, the municipality's comment, outcome.

Rows are the process's input that was not rejected, in the order received (anonymous input and
registered letters alike). The summary is the public (redacted) text and the sender is shown
only as a group or organisation, never as a private person's name: the table goes into a public
case presentation. The staff page, its CSV and its Word document all print these rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from inputbank.models import ModerationStatus, Outcome, Process

# The columns, in the order of ``MerknadRow.cells()`` (translated when printed: ``header()``).
HEADER = (
    gettext_noop("No."),
    gettext_noop("Received"),
    gettext_noop("From"),
    gettext_noop("Summary of the input"),
    gettext_noop("Themes"),
    gettext_noop("The municipality's comment"),
    gettext_noop("Outcome"),
)
NOT_ANSWERED = "none"


@dataclass(frozen=True)
class MerknadRow:
    number: int
    received: str
    sender: str
    summary: str
    themes: str
    comment: str
    outcome: str
    outcome_code: str

    def cells(self) -> list[str]:
        """The row as printed, one text per column of ``HEADER``."""
        return [
            str(self.number),
            self.received,
            self.sender,
            self.summary,
            self.themes,
            self.comment,
            self.outcome,
        ]

    @property
    def answered(self) -> bool:
        return self.outcome_code != NOT_ANSWERED


def header() -> list[str]:
    """The column titles in the active language."""
    return [_(h) for h in HEADER]


def merknad_rows(process: Process) -> list[MerknadRow]:
    """Return the table's rows (public data only), numbered in the order received."""
    inputs = (
        process.inputs.exclude(status=ModerationStatus.REJECTED)
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
            MerknadRow(
                number=n,
                received=timezone.localtime(item.received_at).strftime("%d.%m.%Y"),
                sender=item.source_group or organisation or _("Private person"),
                summary=item.public_text,
                themes=", ".join(t.name for t in item.themes.all()),
                comment=response.justification if response else "",
                outcome=str(outcomes.get(response.outcome, "")) if response else _("Not answered"),
                outcome_code=response.outcome if response else NOT_ANSWERED,
            )
        )
    return rows
