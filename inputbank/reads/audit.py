"""The change log (endringslogg): what changed, by whom, when, field by field.

Built from django-simple-history's records: each record is compared with the one before it for
the same object (``diff_against``). Who is the acting staff user's username; the log never
holds a resident's personal data: fields that may (the original text, the place description,
the officer's summary of it, the contributor link, geometry) show only that they changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.contrib.gis.db import models as gis_models
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inputbank.casenumbers import format_case
from inputbank.models import Argument, Comment, Input, Process, Response, Theme
from inputbank.references import format_reference

# The models whose history the log shows, by the key used in filters and CSV.
MODELS = {
    "input": (Input, gettext_lazy("Input")),
    "response": (Response, gettext_lazy("Response")),
    "comment": (Comment, gettext_lazy("Comment")),
    "process": (Process, gettext_lazy("Process")),
    "theme": (Theme, gettext_lazy("Theme")),
    "argument": (Argument, gettext_lazy("Argument")),
}

# Fields that may hold a resident's personal data: the log says they changed, never the value.
PERSONAL_FIELDS = frozenset({"text", "location_description", "contributor", "summary"})
# An argument's title is first taken from an input's (possibly unpublished) text.
_PERSONAL_BY_MODEL = {Argument: frozenset({"title"})}
# Text that is public only once published: before that it is the machine-redacted original,
# which may still hold what the moderator took out, so an unpublished version never shows.
_PUBLIC_ONCE_PUBLISHED = frozenset({"public_text"})
# Bookkeeping the database keeps itself: a change to it alone is no news.
SKIPPED_FIELDS = frozenset({"updated_at", "created_at", "search_vector", "idempotency_key"})


@dataclass(frozen=True)
class Change:
    """One row of the log: one field of one object changed (or the object made or deleted)."""

    when: datetime
    who: str
    model: str
    model_label: str
    object_label: str
    object_id: int
    field: str
    before: str
    after: str
    link_key: str = ""  # the public_id of an input, the pk of a process: for the staff pages


def redacted() -> str:
    return _("[changed]")


def _history_model(key: str):
    return MODELS[key][0].history.model


def _username(record) -> str:
    user = record.history_user
    return user.get_username() if user is not None else "–"


class _Values:
    """Turns stored values into words: choice labels, usernames, titles; ids for the rest."""

    def __init__(self) -> None:
        self._cache: dict[tuple[type, object], str] = {}

    def show(self, model, name: str, value, record=None) -> str:
        if name in PERSONAL_FIELDS or name in _PERSONAL_BY_MODEL.get(model, ()):
            return redacted()
        if name in _PUBLIC_ONCE_PUBLISHED and getattr(record, "status", "published") != "published":
            return redacted()
        field = model._meta.get_field(name)
        if field.many_to_many:
            return self._many(field, value)
        if value is None or value == "":
            return "–"
        if isinstance(field, gis_models.GeometryField):
            return redacted()  # unreadable as text, and may be a home
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
        if isinstance(value, date):
            return value.strftime("%d.%m.%Y")
        if field.is_relation and field.related_model is not None:
            return self._related(field.related_model, value)
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value) or "–"
        return str(value)

    def _many(self, field, rows) -> str:
        """A many-to-many value as simple-history diffs it (through rows): the names, sorted."""
        target = field.m2m_reverse_field_name()
        names = sorted(self._related(field.related_model, row[target]) for row in rows)
        return ", ".join(names) or "–"

    def _related(self, related, pk) -> str:
        key = (related, pk)
        if key not in self._cache:
            label = f"#{pk}"
            if related is get_user_model():
                user = related._default_manager.filter(pk=pk).first()
                label = user.get_username() if user else label
            elif related in (Process, Theme):
                name = "title" if related is Process else "name"
                found = related._default_manager.filter(pk=pk).values_list(name, flat=True)
                label = found.first() or label
            self._cache[key] = label
        return self._cache[key]


def _field_label(model, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


def _object_label(key: str, record) -> tuple[str, str]:
    """Return (label, link key) for a record: an input by its short reference, never its text."""
    if key == "input":
        ref = format_reference(record.reference_year, record.reference_number)
        return ref or f"#{record.id}", str(record.public_id)
    if key == "process":
        case = format_case(record.case_year, record.case_sequence) if record.case_year else ""
        return record.title + (f" ({case})" if case else ""), str(record.id)
    if key == "theme":
        return record.name, ""
    return f"#{record.id}", ""


def _previous(model, records: list) -> dict[int, object]:
    """Map each record's history_id to the record before it for the same object (batched)."""
    ids = {r.id for r in records}
    newest = max((r.history_date for r in records), default=None)
    earlier: dict[int, list] = defaultdict(list)
    if ids:
        rows = model.objects.filter(id__in=ids, history_date__lte=newest)
        for row in rows.order_by("history_date", "history_id"):
            earlier[row.id].append(row)
    result = {}
    for record in records:
        chain = earlier[record.id]
        for i, row in enumerate(chain):
            if row.history_id == record.history_id:
                result[record.history_id] = chain[i - 1] if i else None
                break
    return result


def _rows(key: str, records: list, values: _Values) -> Iterator[tuple[int, Change]]:
    """(history_id, row) for these history records of one model, in their order."""
    model = MODELS[key][0]
    label = str(MODELS[key][1])
    previous = _previous(_history_model(key), records)
    for record in records:
        object_label, link = _object_label(key, record)
        base = {
            "when": record.history_date,
            "who": _username(record),
            "model": key,
            "model_label": label,
            "object_label": object_label,
            "object_id": record.id,
            "link_key": link,
        }
        before = previous.get(record.history_id)
        if record.history_type == "-" or before is None:
            what = _("Deleted") if record.history_type == "-" else _("Created")
            yield record.history_id, Change(**base, field="–", before="", after=what)
            continue
        delta = record.diff_against(before, excluded_fields=list(SKIPPED_FIELDS))
        for change in delta.changes:
            yield (
                record.history_id,
                Change(
                    **base,
                    field=_field_label(model, change.field),
                    before=values.show(model, change.field, change.old, before),
                    after=values.show(model, change.field, change.new, record),
                ),
            )


def _changes_of(key: str, records: QuerySet) -> list[Change]:
    return [row for _id, row in _rows(key, list(records.select_related("history_user")), _Values())]


def input_changes(item: Input) -> list[Change]:
    """The log of one input and the municipality's response to it, newest first."""
    rows = _changes_of("input", _history_model("input").objects.filter(id=item.pk))
    rows += _changes_of("response", _history_model("response").objects.filter(input_id=item.pk))
    return sorted(rows, key=lambda c: c.when, reverse=True)


def process_changes(process: Process) -> list[Change]:
    """The log of one process, newest first."""
    records = _history_model("process").objects.filter(id=process.pk)
    return sorted(_changes_of("process", records), key=lambda c: c.when, reverse=True)


@dataclass(frozen=True)
class AuditFilter:
    """The bank-wide log's filters: model key, username, dates from and to (both included)."""

    model: str = ""
    user: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def model_keys(self) -> list[str]:
        return [self.model] if self.model in MODELS else list(MODELS)

    def where(self) -> tuple[str, list]:
        """The SQL condition on history rows ``h`` and their users ``u``, with its parameters."""
        clauses, params = ["TRUE"], []
        if self.user:
            clauses.append("upper(u.username) = upper(%s)")
            params.append(self.user)
        zone = timezone.get_current_timezone()
        if self.date_from:
            clauses.append("h.history_date >= %s")
            params.append(datetime.combine(self.date_from, time.min, tzinfo=zone))
        if self.date_to:
            clauses.append("h.history_date <= %s")
            params.append(datetime.combine(self.date_to, time.max, tzinfo=zone))
        return " AND ".join(clauses), params


class LogEntries:
    """The history records a filter admits, as (history_id, date, model key), newest first.

    One ordered UNION ALL over the history tables, counted and sliced in the database, so the
    paginator pages it there. Each part is compiled alone: Django's own ``union()`` puts the
    columns of some history models in another order than the first's.
    """

    def __init__(self, audit_filter: AuditFilter) -> None:
        quote = connection.ops.quote_name
        users = get_user_model()
        where, params = audit_filter.where()
        self._sql = " UNION ALL ".join(
            f"SELECT h.history_id, h.history_date, %s AS kind FROM {quote(table)} h"
            f" LEFT JOIN {quote(users._meta.db_table)} u ON u.{quote(users._meta.pk.column)}"
            f" = h.history_user_id WHERE {where}"
            for table in (_history_model(k)._meta.db_table for k in audit_filter.model_keys())
        )
        self._params = [p for key in audit_filter.model_keys() for p in (key, *params)]

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({self._sql}) AS entries", self._params)
            return cursor.fetchone()[0]

    def __len__(self) -> int:
        return self.count()

    def _fetch(self, limit: int | None, offset: int) -> list[tuple[int, datetime, str]]:
        sql = f"SELECT * FROM ({self._sql}) AS entries ORDER BY 2 DESC, 1 DESC"
        params = list(self._params)
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        sql += " OFFSET %s"
        params.append(offset)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [tuple(row) for row in cursor.fetchall()]

    def __getitem__(self, index: slice) -> list[tuple[int, datetime, str]]:
        start = index.start or 0
        limit = None if index.stop is None else max(index.stop - start, 0)
        return self._fetch(limit, start)

    def __iter__(self) -> Iterator[tuple[int, datetime, str]]:
        for batch in self.batches():
            yield from batch

    def batches(self, size: int = 500) -> Iterator[list[tuple[int, datetime, str]]]:
        offset = 0
        while batch := self._fetch(size, offset):
            yield batch
            offset += size


def log_records(audit_filter: AuditFilter) -> LogEntries:
    """Every history record the filter admits, newest first (see LogEntries)."""
    return LogEntries(audit_filter)


def log_changes(entries: Iterable[tuple[int, datetime, str]]) -> list[Change]:
    """The rows of these (history_id, date, model key) entries, in the order given."""
    entries = list(entries)
    by_model: dict[str, list[int]] = defaultdict(list)
    for history_id, _when, key in entries:
        by_model[key].append(history_id)
    values = _Values()
    grouped: dict[tuple[str, int], list[Change]] = defaultdict(list)
    for key, ids in by_model.items():
        records = _history_model(key).objects.filter(history_id__in=ids)
        for history_id, row in _rows(key, list(records.select_related("history_user")), values):
            grouped[(key, history_id)].append(row)
    return [row for hid, _when, key in entries for row in grouped[(key, hid)]]
