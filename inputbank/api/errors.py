"""One error shape for the whole API: {"errors": [{"field": ..., "message": ...}]}.

Messages name the field and the problem in plain words, and never echo personal data back.
"""

from __future__ import annotations

import logging

from django.db import DataError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


def flatten_errors(detail, prefix: str = "") -> list[dict[str, str]]:
    """Return DRF error details as [{"field": ..., "message": ...}] (nested names dotted)."""
    if isinstance(detail, dict):
        out: list[dict[str, str]] = []
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            out.extend(
                flatten_errors(value, f"{prefix}.{name}" if prefix and name else prefix or name)
            )
        return out
    if isinstance(detail, list):
        out = []
        for item in detail:
            out.extend(flatten_errors(item, prefix))
        return out
    return [{"field": prefix, "message": str(detail)}]


def exception_handler(exc, context):
    if isinstance(exc, DataError):
        # A value the checks let through but PostgreSQL cannot hold is still the client's
        # input, not a server fault: answer 400, and log it so the missing check gets added.
        logger.warning("DataError reached the API: %s", exc)
        exc = exceptions.ValidationError(
            {"": "a value is out of the range that can be stored; check numbers and dates"}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": flatten_errors(exc.detail)}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"errors": [{"field": "", "message": str(response.data["detail"])}]}
    if response.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        response.data = {"errors": [{"field": "", "message": "method not allowed here"}]}
    return Response(response.data, status=response.status_code, headers=dict(response.items()))
