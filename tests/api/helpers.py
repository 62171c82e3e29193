"""Small helpers shared by the API tests."""

from __future__ import annotations

import orjson

LIST_URL = "/api/v1/inputs/"
PRIOR_URL = "/api/v1/prior-input/"


def body(response) -> dict:
    return orjson.loads(response.content)


def post_json(client, url: str, data, **extra):
    """POST JSON; messages in English (the framework's own follow Accept-Language)."""
    payload = data if isinstance(data, bytes | str) else orjson.dumps(data)
    extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    return client.post(url, payload, content_type="application/json", **extra)


def feature_ids(response) -> list[str]:
    return [f["id"] for f in body(response)["features"]]


def submission(form_token: str, **props) -> dict:
    """A valid resident submission (a GeoJSON Feature); keyword arguments override properties."""
    properties = {"text": "Fartsdumper i Storgata, takk.", "form_token": form_token}
    properties.update(props)
    geometry = properties.pop("geometry", {"type": "Point", "coordinates": [10.658, 59.434]})
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def errors(response) -> list[dict]:
    return body(response)["errors"]


def error_fields(response) -> list[str]:
    return [e["field"] for e in errors(response)]
