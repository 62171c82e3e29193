"""Strict JSON in: a size limit, no NaN/Infinity, bounded nesting, plain-language errors."""

from __future__ import annotations

import orjson
from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser


def max_body_bytes() -> int:
    return int(settings.INPUTBANK["MAX_BODY_BYTES"])


class StrictJSONParser(BaseParser):
    """Parse JSON with orjson: it refuses NaN and Infinity, invalid UTF-8 and lone surrogates,
    and nesting deeper than 1024 levels, so none of them reaches a serializer or GEOS.

    The body is read with a limit, whatever Content-Length claims (it can lie or be absent).
    """

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = max_body_bytes()
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise ParseError(too_big_message(limit))
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise ParseError(too_big_message(limit))
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"the body is not valid JSON ({_reason(exc)})") from exc


def too_big_message(limit: int) -> str:
    return f"the body is larger than the limit of {limit} bytes"


def _reason(exc: orjson.JSONDecodeError) -> str:
    text = exc.msg or "syntax error"
    if "recursion" in text:
        return "nested too deeply"
    return f"{text} at character {exc.pos}"
