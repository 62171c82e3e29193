"""Writes for participation processes: create and edit, with the area in the storage CRS."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify

from inputbank.casenumbers import CaseRef
from inputbank.geometry import to_storage
from inputbank.models import LadderStep, Process, ProcessStatus


@dataclass
class ProcessData:
    """Everything a case officer fills in for a process; the area is any polygonal GEOS geometry."""

    title: str
    ladder_step: str = LadderStep.INFORMATION
    description: str = ""
    purpose: str = ""
    area: GEOSGeometry | None = None
    owner_department: str = ""
    owner: User | None = None
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None
    channels: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    case: CaseRef | None = None
    plan_kommunenummer: str = ""
    plan_identifier: str = ""
    status: str = ProcessStatus.PLANNED
    hours_used: Decimal | None = None
    cost_nok: Decimal | None = None
    evaluation: str = ""


def _as_multipolygon(area: GEOSGeometry | None) -> MultiPolygon | None:
    if area is None:
        return None
    area = to_storage(area)
    if area.geom_type == "Polygon":
        return MultiPolygon(area, srid=area.srid)
    if area.geom_type != "MultiPolygon":
        # Shown on the staff process form (``maps/staff/views/processes.py``).
        raise ValueError(
            translation.gettext("A process area must be an area (polygon), not a %(kind)s.")
            % {"kind": area.geom_type}
        )
    return cast(MultiPolygon, area)


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:70] or "prosess"
    slug, n = base, 2
    taken = Process.objects.exclude(pk=exclude_pk) if exclude_pk else Process.objects.all()
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply(process: Process, data: ProcessData) -> None:
    # Title, description and purpose are translated fields (modeltranslation): the form holds
    # the bokmål text, so assign in the default language whatever language the officer's
    # interface is in. Other languages are filled in through the admin.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        _apply_fields(process, data)


def _apply_fields(process: Process, data: ProcessData) -> None:
    process.title = data.title
    process.description = data.description
    process.purpose = data.purpose
    process.area = _as_multipolygon(data.area)  # the field takes a multipolygon only
    process.owner_department = data.owner_department
    process.owner = data.owner
    process.opens_on = data.opens_on
    process.closes_on = data.closes_on
    process.ladder_step = data.ladder_step
    process.channels = list(data.channels)
    process.target_groups = [g for g in (t.strip() for t in data.target_groups) if g]
    process.case_year = data.case.year if data.case else None
    process.case_sequence = data.case.sequence if data.case else None
    process.plan_kommunenummer = data.plan_kommunenummer if data.plan_identifier else ""
    process.plan_identifier = data.plan_identifier
    process.status = data.status
    process.hours_used = data.hours_used
    process.cost_nok = data.cost_nok
    process.evaluation = data.evaluation


def _store(process: Process, user) -> Process:
    # The one way a process row is written, whatever filled in its fields (the admin's map
    # widget may hand over its area in another CRS).
    process.area = _as_multipolygon(process.area)
    process._history_user = user
    process.full_clean(exclude=["area", "slug"])
    process.save()
    return process


@transaction.atomic
def process_create(*, data: ProcessData, created_by) -> Process:
    """Register a new participation process; its slug is derived from the title."""
    process = Process(slug=_unique_slug(data.title))
    _apply(process, data)
    return _store(process, created_by)


@transaction.atomic
def process_update(*, process: Process, data: ProcessData, changed_by) -> Process:
    """Change a process; the history table keeps every earlier version."""
    _apply(process, data)
    return _store(process, changed_by)


@transaction.atomic
def process_save(*, process: Process, changed_by) -> Process:
    """Store a process whose fields were set one by one (the admin, with every translation).

    Same rules as ``process_update``: the area as a multipolygon in the storage CRS, the model's
    checks, the author in the history table; a missing slug is derived from the title.
    """
    if not process.slug:
        process.slug = _unique_slug(process.title, exclude_pk=process.pk)
    return _store(process, changed_by)
