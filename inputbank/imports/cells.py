"""Values from spreadsheet and CSV cells, read as Norwegian offices write them.

Dates as ISO, ``31.05.2024`` (with or without a time) or Excel's own date values; times without
a zone are Norwegian local time. Numbers with a decimal comma and spaces (also non-breaking) as
thousand separators. Whole floats ("12.0" from Excel) read as integers in text.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

_NORWEGIAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2})[:.](\d{2}))?$")


def cell_text(value: Any) -> str:
    if type(value) is str:  # most cells: the fast path of an archive import's ~10 per row
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_when(value: Any) -> dt.datetime | None:
    """A date or date-time from a cell: ISO, Norwegian 31.05.2024 (+ time), or Excel's value.

    Times without a zone are Norwegian local time.
    """
    if isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, dt.date):
        when = dt.datetime.combine(value, dt.time(12))
    else:
        text = cell_text(value)
        when = None
        match = _NORWEGIAN_DATE.match(text)
        try:
            if match:
                day, month, year, hour, minute = match.groups()
                when = dt.datetime(
                    int(year), int(month), int(day), int(hour or 12), int(minute or 0)
                )
            else:
                when = parse_datetime(text.replace(" ", "T", 1)) if len(text) > 10 else None
                if when is None:
                    day_only = parse_date(text)
                    when = dt.datetime.combine(day_only, dt.time(12)) if day_only else None
        except ValueError:
            return None
    if when is None:
        return None
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


def cell_number(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = cell_text(value).replace("\u00a0", "").replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # Norwegian decimal comma
        number = float(text)
    if not np.isfinite(number):
        raise ValueError("not finite")
    return number
