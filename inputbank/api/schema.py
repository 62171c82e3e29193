"""Make the OpenAPI description say exactly what the API does (checked by schemathesis).

drf-spectacular describes what it can see in views and serializers; what it cannot see is
added here once, for every operation, instead of in each view:

* **Who may call.** Operations anyone may call (``AllowAny``, or the safe methods of a
  permission marked ``anonymous_reads``) list the empty security requirement ``{}`` beside
  the log-in schemes, so a client knows ``GET /api/v1/inputs/`` is public.
* **Errors.** Every error answer is ``application/json`` ``{"errors": [...]}`` (views, DRF's
  handler, the JSON 404 and 500 handlers under /api/). Each operation documents 400 (it takes
  parameters or a body), 404 (its path has a key), 403 (it needs a role or refuses cross-site
  writes), 405 and 429 (throttles), each with that body.
* **Parameters.** ``crs`` lists the CRSs offered; ``bbox`` says its shape (four numbers).
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.permissions import SAFE_METHODS, AllowAny

from geo.crs import OUTPUT_SRIDS

_ERRORS_SCHEMA = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        }
    },
}
_ERROR_TEXT = {
    "400": "The request is malformed or a value is refused; nothing is stored.",
    "403": "Not allowed: needs a role, or a cross-site write was refused.",
    "404": "No such object (or not visible to the caller).",
    "405": "Method not allowed.",
    "429": "Too many requests; try again later.",
}
_NUMBER = r"-?[0-9]+(\.[0-9]+)?"
# Empty is allowed: an empty parameter counts as absent (HTML forms send every field, and the
# filter reads them the same way, inputbank/filters/parameters.py).
BBOX_PATTERN = rf"^({_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER})?$"
CRS_NAMES = [f"EPSG:{srid}" for srid in OUTPUT_SRIDS]


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, knowing which of our permissions let anyone read."""

    def get_auth(self):
        auth = super().get_auth()
        permissions = self.view.get_permissions()
        anonymous = all(
            isinstance(p, AllowAny)
            or (getattr(p, "anonymous_reads", False) and self.method in SAFE_METHODS)
            for p in permissions
        )
        if anonymous and {} not in auth:
            auth.append({})
        return auth


def _json_error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiErrors"}}},
    }


def exact(result, generator, request, public):
    """Post-processing hook (SPECTACULAR_SETTINGS['POSTPROCESSING_HOOKS'])."""
    result.setdefault("components", {}).setdefault("schemas", {})["ApiErrors"] = _ERRORS_SCHEMA
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _exact_operation(path, method, operation)
    return result


def _exact_operation(path: str, method: str, operation: dict) -> None:
    responses = operation["responses"]
    params = operation.get("parameters", [])
    wanted = {"405", "429"}
    if params or "requestBody" in operation:
        wanted.add("400")
    if "{" in path:
        wanted.add("404")
    public = {} in operation.get("security", [{}])
    if method.upper() not in SAFE_METHODS or not public:
        wanted.add("403")
    for code in wanted:
        responses.setdefault(code, _json_error(_ERROR_TEXT[code]))
    for code, response in responses.items():
        if code.startswith(("4", "5")) and not response.get("content"):
            response.update(_json_error(response.get("description") or _ERROR_TEXT.get(code, "")))
    for param in params:
        if param.get("in") != "query":
            continue
        schema = param.setdefault("schema", {})
        if param.get("name") == "crs":
            param["schema"] = schema = {"type": "string", "enum": CRS_NAMES}
        elif param.get("name") == "bbox" and schema.get("type") == "string":
            schema["pattern"] = BBOX_PATTERN
        if not param.get("required"):
            _empty_is_absent(schema)


def _empty_is_absent(schema: dict) -> None:
    """Name the empty choice in an optional parameter's enum: "status=" is "no status filter".

    The pages' forms send every field, and a query string pasted from a page into the API must
    select the same inputs (docs/api.md), so the API reads an empty value as an absent one; an
    enum without "" would call that request invalid (schemathesis found "crs=" and "outcome=").
    """
    for target in (schema, schema.get("items") or {}):
        if "enum" in target and "" not in target["enum"]:
            target["enum"] = [*target["enum"], ""]
