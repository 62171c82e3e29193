"""Turn raw rows into checked ``NewInput`` rows, reporting every problem by row and field.

The rules are the API's: text required and not longer than MAX_TEXT_LENGTH, themes and
process must exist, channel one of the plan's channels, dates not in the future, geometry
through ``inputbank.geometry.admit_geometries`` (the one admission policy). Lookups (themes,
processes, channels) are loaded once per import, not per row. Messages are in the active
language (the officer's on the staff page, Accept-Language in the API).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from geo.io import RawBatch
from geo.messages import GeoMessage
from inputbank.casenumbers import parse_case
from inputbank.geomessages import geo_message
from inputbank.imports.cells import cell_text, cell_when
from inputbank.imports.columns import build_columns
from inputbank.imports.mapping import Mapping, MappingError
from inputbank.imports.report import ImportReport
from inputbank.models import Channel, Input, LocationSource, Process, SenderCategory, Theme
from inputbank.models.contributors import parse_sender_category
from inputbank.services.imports_rows import NewInput, StagedColumns

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_SPLIT = re.compile(r"[,;|]")


class RowBuilder:
    """Check rows against the mapping and the database's vocabularies."""

    def __init__(self, mapping: Mapping, report: ImportReport):
        self.mapping = mapping
        self.report = report
        self.now = timezone.now()
        self.max_text = settings.INPUTBANK["MAX_TEXT_LENGTH"]
        self.themes: dict[str, int] = {}
        for pk, slug, name in Theme.objects.values_list("id", "slug", "name"):
            self.themes.setdefault(name.strip().lower(), pk)
            self.themes[slug.lower()] = pk
        self.processes = {
            slug.lower(): pk for pk, slug in Process.objects.values_list("id", "slug")
        }
        self.channels = {c.value: c.value for c in Channel}
        self.channels.update({str(c.label).lower(): c.value for c in Channel})
        self.seen_ids: set[str] = set()  # lokalIds accepted so far, as str(UUID)
        self._memo: dict[tuple[str, Any], tuple[Any, tuple[str, ...]]] = {}
        self.geocoder: Callable | None = None
        if settings.INPUTBANK.get("IMPORT_GEOCODER"):
            self.geocoder = import_string(settings.INPUTBANK["IMPORT_GEOCODER"])
        if "text" not in mapping.columns:
            raise MappingError(
                gettext_noop(
                    "no column holds the text: name it in the mapping (columns.text) or call "
                    "it 'tekst', 'innspill' or 'text'"
                )
            )
        self._check_defaults()

    def _check_defaults(self) -> None:
        d = self.mapping.defaults
        problems: list[str] = []
        self.default_themes = tuple(self._theme_ids(d.get("themes", []), problems))
        self.default_channel = self._channel(d.get("channel"), problems) if "channel" in d else None
        self.default_process = self._process(d.get("process"), problems) if "process" in d else None
        self.default_received = (
            self._when(d["received_at"], problems) if "received_at" in d else None
        )
        self.default_language = self._language(d.get("language", "nb"), problems)
        self.default_group = cell_text(d.get("source_group"))[:200]
        self.default_category = (
            self._category(d["sender_category"], problems) if "sender_category" in d else ""
        )
        if problems:
            # Each problem is worded already (in the active language): the template is only
            # the list, so there is nothing for the catalogues to translate.
            raise MappingError("%(problems)s", where="defaults", problems="; ".join(problems))

    # --- one value each; append a message to ``problems`` and return None when wrong ------

    def _translate(self, kind: str, value: str) -> str:
        return self.mapping.values.get(kind, {}).get(value.lower(), value)

    def _theme_ids(self, values: list[str], problems: list[str]) -> list[int]:
        ids = []
        for raw in values:
            name = self._translate("themes", raw.strip())
            pk = self.themes.get(name.lower())
            if pk is None:
                problems.append(_("unknown theme %(name)s") % {"name": repr(raw.strip()[:60])})
            elif pk not in ids:
                ids.append(pk)
        return ids

    def _channel(self, value: Any, problems: list[str]) -> str | None:
        text = self._translate("channel", cell_text(value))
        channel = self.channels.get(text) or self.channels.get(text.lower())
        if channel is None:
            problems.append(
                _("unknown channel %(name)s; use one of %(known)s")
                % {"name": repr(text[:40]), "known": ", ".join(Channel.values)}
            )
        return channel

    def _category(self, value: Any, problems: list[str]) -> str:
        category = parse_sender_category(cell_text(value))
        if category is None:
            problems.append(
                _("unknown sender category %(name)s; use one of %(known)s")
                % {"name": repr(cell_text(value)[:40]), "known": ", ".join(SenderCategory.values)}
            )
        return category or ""

    def _process(self, value: Any, problems: list[str]) -> int | None:
        text = cell_text(value)
        pk = self.processes.get(text.lower())
        if pk is None:
            problems.append(_("unknown process %(name)s") % {"name": repr(text[:60])})
        return pk

    def _language(self, value: Any, problems: list[str]) -> str | None:
        text = self._translate("language", cell_text(value)).lower()
        if len(text) > 35 or not _LANGUAGE.match(text):
            problems.append(
                _("%(value)s is not a language code such as nb, nn, en or ar")
                % {"value": repr(text[:20])}
            )
            return None
        return text

    def _when(self, value: Any, problems: list[str]) -> dt.datetime | None:
        when = cell_when(value)
        if when is None:
            problems.append(
                _("%(value)s is not a date (use 2024-05-31 or 31.05.2024)")
                % {"value": repr(cell_text(value)[:40])}
            )
        elif when > self.now + dt.timedelta(days=1):
            problems.append(_("the date is in the future"))
            return None
        elif when.year < 1900:
            problems.append(_("the date is before 1900"))
            return None
        return when

    # --- rows --------------------------------------------------------------------------------

    def build(
        self,
        batch: RawBatch,
        geoms: np.ndarray,
        geom_errors: dict[int, GeoMessage | str],
        repaired: set[int],
    ) -> list[NewInput] | StagedColumns:
        """Return the valid rows of a batch; report the others (and warnings) by row number.

        A GIS batch (Arrow columns) is checked column-wise (``imports.columns``), only its
        doubtful rows one by one; a CSV/XLSX batch row by row.
        """
        if batch.arrow:
            return build_columns(self, batch, geoms, geom_errors, repaired)
        return self.build_rows(batch, geoms, geom_errors, repaired)

    def build_rows(
        self,
        batch: RawBatch,
        geoms: np.ndarray,
        geom_errors: dict[int, GeoMessage | str],
        repaired: set[int],
    ) -> list[NewInput]:
        """``build`` with one ``check_row`` per row."""
        cols = {
            target: batch.columns[name]
            for target, name in self.mapping.columns.items()
            if name in batch.columns
        }
        wkbs = shapely.to_wkb(geoms, flavor="iso") if len(geoms) else []
        out: list[NewInput] = []
        out_numbers: list[int] = []
        for i, number in enumerate(batch.numbers):
            wkb = wkbs[i] if len(wkbs) else None
            row = self.check_row(cols, i, number, wkb, batch.errors, geom_errors, repaired)
            if row is not None:
                out.append(row)
                out_numbers.append(number)
        return self._refuse_known_ids(out, out_numbers)

    def check_row(
        self,
        cols: dict,
        i: int,
        number: int,
        wkb: bytes | None,
        row_errors: dict[int, GeoMessage | str],
        geom_errors: dict[int, GeoMessage | str],
        repaired: set[int],
    ) -> NewInput | None:
        """Check row ``i`` (``number`` in the file): the row, or None with its errors reported."""
        errors: list[tuple[str, str]] = []
        if i in row_errors:
            errors.append(("row", geo_message(row_errors[i])))
        if i in geom_errors:
            errors.append(("geometry", geo_message(geom_errors[i], where=False)))
        row = self._row(cols, i, errors, wkb)
        if errors or row is None:
            self.report.rows_with_errors += 1
            for field, message in errors:
                self.report.error(number, field, message)
            return None
        if i in repaired:
            self.report.warning(number, "geometry", _("the polygon was invalid and was repaired"))
        if row.geom_wkb is None and row.location_description:
            self.report.warning(
                number,
                "location_description",
                _("not placed on the map: stored without a location"),
            )
        return row

    def _lookup(self, field: str, fn, raw: Any, errors: list) -> Any:
        """Check a vocabulary value once per distinct value (files repeat a handful of them)."""
        key = (field, raw)
        hit = self._memo.get(key)
        if hit is None:
            problems: list[str] = []
            hit = (fn(raw, problems), tuple(problems))
            if len(self._memo) < 50_000:
                self._memo[key] = hit
        if hit[1]:
            errors.extend((field, p) for p in hit[1])
        return hit[0]

    def _split_themes(self, raw: str, problems: list[str]) -> tuple[int, ...]:
        return tuple(self._theme_ids([t for t in _SPLIT.split(raw) if t.strip()], problems))

    def _row(self, cols: dict, i: int, errors: list, wkb: bytes | None) -> NewInput | None:
        # Each mapped cell once, as trimmed text (dates keep their type for _when).
        raw = {target: column[i] for target, column in cols.items()}
        cell = {target: cell_text(value) for target, value in raw.items()}
        for target, value in cell.items():
            if "\x00" in value:  # PostgreSQL text cannot hold it
                errors.append((target, _("contains a NUL character")))
                cell[target] = value.replace("\x00", "")
        text = cell.get("text", "")
        if not text:
            errors.append(("text", _("the text is empty")))
        elif len(text) > self.max_text:
            errors.append(("text", _("longer than %(n)s characters") % {"n": self.max_text}))
        themes = list(self.default_themes)
        if cell.get("themes"):
            for pk in self._lookup("themes", self._split_themes, cell["themes"], errors):
                if pk not in themes:
                    themes.append(pk)
        channel = self.default_channel
        if cell.get("channel"):
            channel = self._lookup("channel", self._channel, cell["channel"], errors)
        elif channel is None:
            errors.append(("channel", _("no channel: add a channel column or a default")))
        received = self.default_received or self.now
        if cell.get("received_at"):
            problems: list[str] = []
            received = self._when(raw["received_at"], problems)
            errors.extend(("received_at", p) for p in problems)
        language = self.default_language
        if cell.get("language"):
            language = self._lookup("language", self._language, cell["language"], errors)
        process = self.default_process
        if cell.get("process"):
            process = self._lookup("process", self._process, cell["process"], errors)
        case_ref = None
        if cell.get("case"):
            try:
                case_ref = parse_case(cell["case"])
            except ValueError as exc:
                errors.append(("case", geo_message(exc)))
        public_id = None
        if cell.get("lokal_id"):
            public_id = self._lokal_id(cell["lokal_id"], errors)
        description = cell.get("location_description", "")[:200]
        source = LocationSource.DIGITISED
        if wkb is None and description and self.geocoder and self.mapping.location_kind:
            found = self.geocoder(self.mapping.location_kind, description)
            if found is not None:
                wkb, source = bytes(found.wkb), self.mapping.location_kind
        category = self.default_category
        if cell.get("sender_category"):
            category = self._lookup(
                "sender_category", self._category, cell["sender_category"], errors
            )
        if errors:
            return None
        return NewInput(
            text=text,
            channel=channel,
            received_at=received,
            geom_wkb=wkb,
            location_source=source,
            location_description=description,
            language=language,
            process_id=process,
            source_group=cell.get("source_group", "")[:200] or self.default_group,
            sender_category=category,
            case_year=case_ref.year if case_ref else None,
            case_sequence=case_ref.sequence if case_ref else None,
            case_document=case_ref.document if case_ref else None,
            theme_ids=tuple(themes),
            public_id=public_id or uuid.uuid4(),
        )

    def _lokal_id(self, text: str, errors: list) -> uuid.UUID | None:
        try:
            key = uuid.UUID(text)
        except ValueError:
            errors.append(("lokal_id", _("%(value)s is not a UUID") % {"value": repr(text[:40])}))
            return None
        if str(key) in self.seen_ids:
            errors.append(("lokal_id", _("the same lokalId appears twice in the file")))
            return None
        self.seen_ids.add(str(key))
        return key

    def _refuse_known_ids(self, rows: list[NewInput], numbers: list[int]) -> list[NewInput]:
        """Drop rows whose lokalId is already stored: importing twice must not duplicate."""
        if "lokal_id" not in self.mapping.columns or not rows:
            return rows
        known = self.stored_ids([str(r.public_id) for r in rows])
        keep = []
        for row, number in zip(rows, numbers, strict=True):
            if str(row.public_id) in known:
                self.refuse_known(number)
            else:
                keep.append(row)
        return keep

    def stored_ids(self, public_ids: list[str]) -> set[str]:
        """Which of these lokalIds (canonical UUID text) the input bank already holds."""
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT public_id::text FROM "{Input._meta.db_table}" '
                "WHERE public_id = ANY(string_to_array(%s, ',')::uuid[])",
                [",".join(public_ids)],  # one text: cheaper to send than a list of 20 000
            )
            return {row[0] for row in cursor.fetchall()}

    def refuse_known(self, number: int) -> None:
        self.report.rows_with_errors += 1
        self.report.error(number, "lokal_id", _("already in the input bank"))
