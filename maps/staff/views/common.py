"""Small helpers the staff views share: CSV downloads, paging, safe redirects."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import numberformat
from django.utils.formats import get_format

from inputbank import roles

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if isinstance(value, Decimal):
        # Hours and kroner as a Norwegian spreadsheet reads them: "2270" or "12,5" (decimal
        # comma in nb/nn; no thousands separator, which spreadsheets take for text).
        integral = value == value.to_integral_value()
        text = numberformat.format(
            value, get_format("DECIMAL_SEPARATOR"), decimal_pos=0 if integral else None
        )
    else:
        text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """Return a CSV download for spreadsheets used in Norway: UTF-8 with BOM, ';'-separated.

    Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return response


def paginate(request, queryset, per_page: int = 50, param: str = "page"):
    """Return the page asked for in ``?page=`` (out-of-range or junk gives the nearest page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get(param))


def sees_contributors(user) -> bool:
    return roles.can_see_contributors(user)


def next_url(request, default: str) -> str:
    """Return the ``next`` field if it is a path inside the workspace, else ``default``.

    Only same-site /staff/ paths: a crafted form must not turn the workspace into an open
    redirect.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/staff/") and "//" not in target and "\\" not in target:
        return target
    return default
