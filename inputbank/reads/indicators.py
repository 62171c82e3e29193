"""Indicators for the annual report (docs/domain.md): processes, input, responses, resources.

Per year and, optionally, per department (the process owner's department). A process belongs
to the year it opened (or was registered, when it has no opening date); an input to the year it
was received, and to a department through its process. Every figure is an aggregate in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear

from inputbank.dbrouter import read_connection
from inputbank.models import Input, Process, Response
from inputbank.models.tables import quoted_table


@dataclass
class Indicators:
    year: int | None
    department: str
    processes: int = 0
    processes_by_ladder: dict[str, int] = field(default_factory=dict)
    processes_by_status: dict[str, int] = field(default_factory=dict)
    inputs: int = 0
    inputs_by_channel: dict[str, int] = field(default_factory=dict)
    inputs_by_theme: dict[str, int] = field(default_factory=dict)
    responded: int = 0
    median_days_to_response: float | None = None
    hours_used: Decimal = Decimal(0)
    cost_nok: Decimal = Decimal(0)
    evaluated: int = 0

    @property
    def share_responded(self) -> float | None:
        return self.responded / self.inputs if self.inputs else None


def _processes(year: int | None, department: str):
    qs = Process.objects.annotate(year=ExtractYear(Coalesce("opens_on", "created_at__date")))
    if year:
        qs = qs.filter(year=year)
    if department:
        qs = qs.filter(owner_department=department)
    return qs


def _inputs(year: int | None, department: str):
    qs = Input.objects.exclude(status="rejected")
    if year:
        qs = qs.filter(received_at__year=year)
    if department:
        qs = qs.filter(process__owner_department=department)
    return qs


def _counts(qs, field_name: str) -> dict[str, int]:
    rows = qs.values(field_name).annotate(n=Count("id", distinct=True)).order_by("-n", field_name)
    return {row[field_name] or "": row["n"] for row in rows}


def _median_days(inputs) -> float | None:
    ids_sql, params = inputs.values("id").query.sql_with_params()
    table = quoted_table(Response)
    inputs_table = quoted_table(Input)
    with read_connection().cursor() as cursor:
        cursor.execute(
            f"""SELECT percentile_cont(0.5) WITHIN GROUP (
                    ORDER BY extract(epoch FROM r.decided_at - i.received_at) / 86400.0)
                FROM {table} r JOIN {inputs_table} i ON i.id = r.input_id
                WHERE r.input_id IN ({ids_sql})""",
            params,
        )
        value = cursor.fetchone()[0]
    return round(float(value), 1) if value is not None else None


def indicators(*, year: int | None = None, department: str = "") -> Indicators:
    """Return the indicators for a year (None = all years) and a department ("" = all)."""
    processes = _processes(year, department)
    inputs = _inputs(year, department)
    resources = processes.aggregate(
        hours=Coalesce(Sum("hours_used"), Decimal(0)),
        cost=Coalesce(Sum("cost_nok"), Decimal(0)),
        evaluated=Count("id", filter=~Q(evaluation="")),
    )
    return Indicators(
        year=year,
        department=department,
        processes=processes.count(),
        processes_by_ladder=_counts(processes, "ladder_step"),
        processes_by_status=_counts(processes, "status"),
        inputs=inputs.count(),
        inputs_by_channel=_counts(inputs, "channel"),
        inputs_by_theme=_counts(inputs.filter(themes__isnull=False), "themes__slug"),
        responded=inputs.filter(response__isnull=False).count(),
        median_days_to_response=_median_days(inputs),
        hours_used=resources["hours"],
        cost_nok=resources["cost"],
        evaluated=resources["evaluated"],
    )


def indicator_years() -> list[int]:
    """Years that have any process or input, newest first (the year picker's choices)."""
    years = set(
        Input.objects.exclude(status="rejected")
        .annotate(y=ExtractYear("received_at"))
        .values_list("y", flat=True)
        .distinct()
    )
    years |= set(
        Process.objects.annotate(y=ExtractYear(Coalesce("opens_on", "created_at__date")))
        .values_list("y", flat=True)
        .distinct()
    )
    return sorted((y for y in years if y), reverse=True)


def departments() -> list[str]:
    return list(
        Process.objects.exclude(owner_department="")
        .order_by("owner_department")
        .values_list("owner_department", flat=True)
        .distinct()
    )


def yearly_trend(*, department: str = "") -> list[Indicators]:
    """Return the headline indicators for each year, oldest first (the trend table)."""
    return [indicators(year=y, department=department) for y in sorted(indicator_years())]
