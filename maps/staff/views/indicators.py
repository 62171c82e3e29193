"""Indicators for the annual report: tables, CSS bar charts and CSV."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from inputbank import roles
from inputbank.models import Channel, LadderStep, ProcessStatus, Theme
from inputbank.models.evaluations import Understood
from inputbank.reads.evaluations import MIN_ANSWERS, evaluation_results
from inputbank.reads.indicators import departments, indicator_years, indicators, yearly_trend
from maps.staff.access import staff_view
from maps.staff.forms import IndicatorForm
from maps.staff.views.common import csv_response


def _selection(request) -> tuple[IndicatorForm, int | None, str]:
    form = IndicatorForm(request.GET or None, years=indicator_years(), departments=departments())
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data.get("year"), form.cleaned_data.get("department") or ""
    return form, None, ""


def _rows(counts: dict, labels: dict) -> list[tuple[str, int]]:
    return [(str(labels.get(key, key or "–")), n) for key, n in counts.items()]


def _tables(ind) -> dict:
    themes = dict(Theme.objects.values_list("slug", "name"))
    return {
        "ladder": _rows(ind.processes_by_ladder, dict(LadderStep.choices)),
        "status": _rows(ind.processes_by_status, dict(ProcessStatus.choices)),
        "channels": _rows(ind.inputs_by_channel, dict(Channel.choices)),
        "themes": _rows(ind.inputs_by_theme, themes),
    }


@staff_view(roles.can_see_indicators)
def indicators_page(request):
    form, year, department = _selection(request)
    ind = indicators(year=year, department=department)
    tables = _tables(ind)
    return render(
        request,
        "staff/indicators.html",
        {
            "form": form,
            "ind": ind,
            "tables": tables,
            "max": {k: max((n for _l, n in rows), default=0) for k, rows in tables.items()},
            "trend": yearly_trend(department=department),
            "query": request.GET.urlencode(),
            # The participants' own evaluations, per process, only from MIN_ANSWERS answers.
            "evaluations": evaluation_results(year=year, department=department)
            if roles.can_see_evaluations(request.user)
            else None,
            "min_answers": MIN_ANSWERS,
            "understood_choices": Understood.choices,
        },
    )


@staff_view(roles.can_see_indicators)
def indicators_csv(request):
    """Return every figure on the page as rows: section; item; value (for the annual report)."""
    _form, year, department = _selection(request)
    ind = indicators(year=year, department=department)
    scope = [str(year or _("all years")), department or _("all departments")]
    rows = [
        [*scope, _("Processes"), "", ind.processes],
        [*scope, _("Inputs"), "", ind.inputs],
        [*scope, _("Inputs with a response"), "", ind.responded],
        [
            *scope,
            _("Share with a response (%)"),
            "",
            round(100 * ind.share_responded, 1) if ind.share_responded is not None else "",
        ],
        [*scope, _("Median days to response"), "", ind.median_days_to_response or ""],
        [*scope, _("Hours used"), "", ind.hours_used],
        [*scope, _("Cost (NOK)"), "", ind.cost_nok],
        [*scope, _("Processes evaluated"), "", ind.evaluated],
    ]
    sections = {
        "ladder": _("Processes by ladder step"),
        "status": _("Processes by status"),
        "channels": _("Inputs by channel"),
        "themes": _("Inputs by theme"),
    }
    for key, rows_ in _tables(ind).items():
        rows += [[*scope, sections[key], label, n] for label, n in rows_]
    header = [_("Year"), _("Department"), _("Indicator"), _("Item"), _("Value")]
    return csv_response(f"indikatorer-{year or 'alle'}.csv", header, rows)
