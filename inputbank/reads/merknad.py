"""The merknadsbehandling of a process, as Norwegian planning cases print it (PBL § 5-2, § 12-10).

Input is grouped by sender category (statlige og regionale myndigheter, kommunale organ,
organisasjoner/lag og foreninger, næringsliv, private), then by theme, and numbered within its
category (1.1, 1.2, ... 2.1). Each row holds the sender (from the contributor record, never from
the text), the date received, the officer's summary (sammendrag; the public text's first
sentences until one is written), the municipality's comment and the outcome in the words of a
saksframlegg ("tatt til følge", ...).

Only moderated (published) input is listed unless ``include_unmoderated`` asks for the input
still awaiting moderation too; those rows are marked. Rejected input is never listed. A private
person is named only with their consent to publish the name: the table goes into a public case
presentation. The staff page, its CSV and its Word document all print this structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from inputbank.models import Input, ModerationStatus, Outcome, Process, SenderCategory
from inputbank.models.contributors import guess_sender_category
from inputbank.redaction import redact

# The table's columns, in the order of ``MerknadRow.cells()`` (translated by ``header()``).
HEADER = (
    gettext_noop("No."),
    gettext_noop("Sender"),
    gettext_noop("Date"),
    gettext_noop("Summary"),
    gettext_noop("The chief municipal executive's comment"),
    gettext_noop("Outcome"),
)
# The flat (CSV) form adds the groups as columns and whether the input was moderated.
FLAT_HEADER = (
    gettext_noop("No."),
    gettext_noop("Sender category"),
    gettext_noop("Theme"),
    gettext_noop("Sender"),
    gettext_noop("Date"),
    gettext_noop("Summary"),
    gettext_noop("The chief municipal executive's comment"),
    gettext_noop("Outcome"),
    gettext_noop("Moderated"),
)
NOT_ANSWERED = "none"
# A response "not relevant / outside the mandate" is printed as planning cases do: noted.
_OUTCOME_WORDS = {
    Outcome.ADOPTED: Outcome.ADOPTED,
    Outcome.PARTLY_ADOPTED: Outcome.PARTLY_ADOPTED,
    Outcome.NOT_ADOPTED: Outcome.NOT_ADOPTED,
    Outcome.NOTED: Outcome.NOTED,
    Outcome.NOT_RELEVANT: Outcome.NOTED,
}
CATEGORY_ORDER = [c.value for c in SenderCategory]


@dataclass(frozen=True)
class MerknadRow:
    number: str
    category: str
    theme: str
    sender: str
    received: str
    summary: str
    comment: str
    outcome: str
    outcome_code: str
    moderated: bool

    def cells(self) -> list[str]:
        """The row as printed in the table, one text per column of ``HEADER``."""
        return [
            self.number,
            self.sender,
            self.received,
            self.summary_marked,
            self.comment,
            self.outcome,
        ]

    def flat_cells(self, category_label: str) -> list[str]:
        """The row with its groups, one text per column of ``FLAT_HEADER``."""
        return [
            self.number,
            category_label,
            self.theme,
            self.sender,
            self.received,
            self.summary,
            self.comment,
            self.outcome,
            _("yes") if self.moderated else _("no, awaiting moderation"),
        ]

    @property
    def summary_marked(self) -> str:
        if self.moderated:
            return self.summary
        return f"[{_('Not moderated')}] {self.summary}"

    @property
    def answered(self) -> bool:
        return self.outcome_code != NOT_ANSWERED


@dataclass(frozen=True)
class ThemeGroup:
    theme: str
    rows: list[MerknadRow]


@dataclass(frozen=True)
class CategoryGroup:
    number: int
    category: str
    label: str
    themes: list[ThemeGroup]

    @property
    def rows(self) -> list[MerknadRow]:
        return [row for group in self.themes for row in group.rows]


@dataclass(frozen=True)
class Merknadsbehandling:
    process: Process
    groups: list[CategoryGroup]
    include_unmoderated: bool = False
    left_out_unmoderated: int = 0
    rows: list[MerknadRow] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", [r for g in self.groups for r in g.rows])

    @property
    def unanswered(self) -> int:
        return sum(1 for r in self.rows if not r.answered)

    @property
    def unmoderated(self) -> int:
        return sum(1 for r in self.rows if not r.moderated)

    def flat_rows(self) -> list[list[str]]:
        return [row.flat_cells(g.label) for g in self.groups for row in g.rows]


def header() -> list[str]:
    """The table's column titles in the active language."""
    return [_(h) for h in HEADER]


def flat_header() -> list[str]:
    return [_(h) for h in FLAT_HEADER]


def category_label(category: str) -> str:
    return str(SenderCategory(category).label)


def outcome_words(code: str | None) -> str:
    """The outcome in the words a saksframlegg uses ("tatt til følge", ...)."""
    if code is None or code not in _OUTCOME_WORDS:
        return _("Not answered")
    return str(dict(Outcome.choices)[_OUTCOME_WORDS[code]])


def sender_name(item: Input) -> str:
    """Who sent it, from the contributor record (or the group named on registration).

    An organisation or authority by its name; a private person by name only with consent.
    """
    contributor = item.contributor
    if contributor and contributor.organisation:
        return contributor.organisation
    if item.source_group:
        return item.source_group
    if contributor and contributor.name and contributor.consent_publish_name:
        return redact(contributor.name)
    return _("Private person")


def sender_category(item: Input) -> str:
    if item.contributor is not None:
        return item.contributor.category
    return guess_sender_category(item.source_group)


def _primary_theme(item: Input) -> str:
    """The theme the input is listed under: its first in the themes' own order."""
    themes = sorted(item.themes.all(), key=lambda t: (t.sort_order, t.name))
    return themes[0].name if themes else ""


def merknadsbehandling(
    process: Process, *, include_unmoderated: bool = False
) -> Merknadsbehandling:
    """Return the process's input grouped by sender category and theme, numbered."""
    statuses = [ModerationStatus.PUBLISHED]
    if include_unmoderated:
        statuses.append(ModerationStatus.PENDING)
    inputs = (
        process.inputs.filter(status__in=statuses)
        .select_related("response", "contributor")
        .prefetch_related("themes")
        .order_by("received_at", "id")
    )
    left_out = (
        0 if include_unmoderated else process.inputs.filter(status=ModerationStatus.PENDING).count()
    )
    other = _("Other matters")
    buckets: dict[str, dict[str, list[Input]]] = {}
    for item in inputs:
        theme = _primary_theme(item) or other
        buckets.setdefault(sender_category(item), {}).setdefault(theme, []).append(item)
    groups = []
    for category in CATEGORY_ORDER:
        if category not in buckets:
            continue
        number = len(groups) + 1
        by_theme = buckets[category]
        # Themes alphabetically, "other matters" last, as a saksframlegg reads.
        names = sorted(by_theme, key=lambda name: (name == other, name.lower()))
        running = 0
        theme_groups = []
        for name in names:
            rows = []
            for item in by_theme[name]:
                running += 1
                rows.append(_row(item, f"{number}.{running}", category, name))
            theme_groups.append(ThemeGroup(theme=name, rows=rows))
        groups.append(CategoryGroup(number, category, category_label(category), theme_groups))
    return Merknadsbehandling(
        process=process,
        groups=groups,
        include_unmoderated=include_unmoderated,
        left_out_unmoderated=left_out,
    )


def _row(item: Input, number: str, category: str, theme: str) -> MerknadRow:
    response = getattr(item, "response", None)
    return MerknadRow(
        number=number,
        category=category,
        theme=theme,
        sender=sender_name(item),
        received=timezone.localtime(item.received_at).strftime("%d.%m.%Y"),
        summary=item.summary_or_prefill,
        comment=response.justification if response else "",
        outcome=outcome_words(response.outcome if response else None),
        outcome_code=response.outcome if response else NOT_ANSWERED,
        moderated=item.status == ModerationStatus.PUBLISHED,
    )
