"""OGC API – Features at /ogc/, served by pygeoapi's core with our providers.

Only the read-only Features endpoints are mounted (landing page, conformance, OpenAPI,
collections, queryables, items, item); pygeoapi's processes, jobs, admin and EDR routes are
not. Responses are always JSON: pygeoapi's HTML pages load scripts and styles from CDNs, which
we never serve, so ``f=html`` (or a browser's Accept header) gets the JSON document and links
to HTML renderings are dropped from it.

pygeoapi builds absolute links from its configured URL; the API object is made per site root
(scheme + host, which ALLOWED_HOSTS bounds) and cached, so links always point where the
client came from (GDAL follows the ``next`` links).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import orjson
import pygeoapi.api as core_api
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from pygeoapi.api import API, APIRequest
from pygeoapi.api import itemtypes as itemtypes_api
from pygeoapi.openapi import get_oas

from geo.crs import (
    MOSS_BBOX_LONLAT,
    OGC_API_CRS_URIS,
    STORAGE_SRID,
    WEB_SRID,
    UnknownCRS,
    canonical_crs_uri,
    crs_uri,
)
from inputbank.dbrouter import read_only_view
from inputbank.geomessages import geo_message
from inputbank.publishing import cql, ogc_documents, ogc_provider

# pygeoapi logs routine warnings (missing locale support, no offset given) on every request.
logging.getLogger("pygeoapi").setLevel(logging.ERROR)

_LOCK = threading.Lock()
_APIS: dict[str, API] = {}
_JSON_FORMATS = {"json", "jsonld"}
# Collection id -> provider class (the config below names the same classes).
PROVIDERS = {"inputs": ogc_provider.InputProvider, "processes": ogc_provider.ProcessProvider}


def _provider(cls: type, time_field: str) -> dict:
    return {
        "type": "feature",
        "name": f"{cls.__module__}.{cls.__name__}",
        "data": "inputbank",
        "id_field": "lokalId",
        "time_field": time_field,
        "storage_crs": crs_uri(STORAGE_SRID),
        # CRS84 first (Part 2), then EPSG:25832/25833/4258/3857 and EPSG:4326 (lat/lon).
        "crs": list(OGC_API_CRS_URIS),
    }


def build_config(base_url: str) -> dict:
    """Return the pygeoapi configuration (a dict; no YAML file) for one site root."""
    ogc = settings.OGC
    extent = {"spatial": {"bbox": list(MOSS_BBOX_LONLAT), "crs": crs_uri(WEB_SRID)}}
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 8000},
            "url": f"{base_url}/ogc",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["nb-NO", "en-US"],
            "cors": True,
            "pretty_print": False,
            "limits": {
                "default_items": ogc["DEFAULT_ITEMS"],
                "max_items": ogc["MAX_ITEMS"],
                "on_exceed": "throttle",
            },
            "map": {"url": "", "attribution": ""},
            "admin": False,
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": ogc["TITLE"],
                "description": ogc["DESCRIPTION"],
                "keywords": ["medvirkning", "innspill", "Moss kommune"],
                "keywords_type": "theme",
                "terms_of_service": ogc["LICENSE_URL"],
                "url": base_url,
            },
            "license": {"name": ogc["LICENSE"], "url": ogc["LICENSE_URL"]},
            "provider": {"name": ogc["PROVIDER"], "url": ogc["PROVIDER_URL"]},
            "contact": {
                "name": ogc["PROVIDER"],
                "url": ogc["PROVIDER_URL"],
                "role": "pointOfContact",
            },
        },
        "resources": {
            "inputs": {
                "type": "collection",
                "title": "Innspill",
                "description": "Published participation input (public text, themes, response).",
                "keywords": ["innspill"],
                "extents": extent,
                "providers": [_provider(PROVIDERS["inputs"], "mottatt")],
            },
            "processes": {
                "type": "collection",
                "title": "Medvirkningsprosesser",
                "description": "Participation processes with their areas.",
                "keywords": ["medvirkning"],
                "extents": extent,
                "providers": [_provider(PROVIDERS["processes"], "aapner")],
            },
        },
    }


def _api(request: HttpRequest) -> API:
    root = f"{request.scheme}://{request.get_host()}"
    api = _APIS.get(root)
    if api is None:
        with _LOCK:
            api = _APIS.get(root)
            if api is None:
                config = build_config(root)
                api = API(config, ogc_documents.tidy_openapi(get_oas(config), PROVIDERS))
                _APIS[root] = api
    return api


def reset() -> None:
    """Forget the cached API objects (after settings change, e.g. in tests)."""
    with _LOCK:
        _APIS.clear()


def _without_html_links(node):
    if isinstance(node, dict):
        return {k: _without_html_links(v) for k, v in node.items()}
    if isinstance(node, list):
        return [
            _without_html_links(v)
            for v in node
            if not (isinstance(v, dict) and v.get("type") == "text/html" and "href" in v)
        ]
    return node


_PAGE_RELS = frozenset({"self", "alternate", "next", "prev"})


def _with_query(links: list, extra: dict[str, str]) -> list:
    """Add the filter parameters to the links of this page and its neighbours.

    The view takes ``filter`` away from pygeoapi (``ogc_provider.filtering``), which builds
    the links from the parameters it saw; a ``next`` link without the filter would page
    through everything.
    """
    if not extra:
        return links
    for link in links:
        href = link.get("href") if isinstance(link, dict) else None
        if link.get("rel") in _PAGE_RELS and isinstance(href, str) and "/items" in href:
            parts = urlsplit(href)
            query = [*parse_qsl(parts.query, keep_blank_values=True), *extra.items()]
            link["href"] = urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))
    return links


def _drop_html_links(
    content: bytes, extra: dict[str, str] | None = None, hits: bool = False
) -> bytes:
    try:
        doc = orjson.loads(content)
    except orjson.JSONDecodeError:
        return content
    if isinstance(doc, dict) and "features" in doc:
        links = _with_query(_without_html_links(doc.get("links", [])), extra or {})
        if hits:
            # A count has no pages: pygeoapi adds "next" whenever numberMatched > limit.
            links = [link for link in links if link.get("rel") not in ("next", "prev")]
        doc["links"] = links
    else:
        doc = _without_html_links(doc)
    return orjson.dumps(doc)


def _error(status: int, message: str, code: str = "InvalidParameterValue") -> HttpResponse:
    body = orjson.dumps({"code": code, "description": message})
    return HttpResponse(body, status=status, content_type="application/json")


def _with_features(content: bytes, features: str, extra: dict[str, str]) -> bytes:
    """Put the SQL-built features into pygeoapi's document, which holds a null per feature.

    Only the small rest of the document is parsed (to drop HTML links); the features go into
    the response as PostgreSQL wrote them.
    """
    doc = orjson.loads(content)
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        return _drop_html_links(content, extra)
    if any(f is not None for f in doc["features"]):
        raise ValueError("expected one null per feature from the pass-through provider")
    del doc["features"]
    kind = doc.pop("type", "FeatureCollection")
    doc = _without_html_links(doc)
    doc["links"] = _with_query(doc.get("links", []), extra)
    rest = orjson.dumps(doc)
    head = b'{"type":' + orjson.dumps(kind) + b',"features":' + features.encode()
    return head + (b"}" if rest == b"{}" else b"," + rest[1:])


def _json(doc: dict, content_type: str = "application/json") -> HttpResponse:
    response = HttpResponse(orjson.dumps(doc), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@read_only_view
def _run(
    request: HttpRequest,
    function,
    *args,
    pass_features: bool = False,
    allowed: frozenset[str] | None = None,
    provider: Any = None,
) -> HttpResponse:
    """Run one pygeoapi API function for a Django request; JSON only.

    With ``pass_features`` (the items list as GeoJSON) the features PostgreSQL built are never
    parsed: see ``ogc_provider.FeatureText``. With ``allowed``, any other query parameter is
    answered 400 (a misspelt filter must not silently return everything).
    """
    params = request.GET.copy()
    if allowed is not None:
        unknown = ogc_documents.unknown_parameters(params.keys(), allowed)
        if unknown:
            names = ", ".join(repr(n[:40]) for n in unknown[:5])
            return _error(
                400, f"unknown query parameter {names}; known: {', '.join(sorted(allowed))}"
            )
    for key, values in list(params.lists()):
        if "\x00" in key or any("\x00" in v for v in values):
            return _error(400, f"{key[:40]!r}: contains a NUL character")
        kept = [v for v in values if v.strip()]
        if kept:
            params.setlist(key, kept)
        else:
            del params[key]  # an empty parameter is an absent one (pygeoapi trips on some)
    if "resultType" in params:
        # The WFS 3 draft's spelling, which GDAL (to 3.6 at least) sends to count a layer in
        # one request (ogrinfo -so) when the OpenAPI description offers it.
        params.setlist("resulttype", params.getlist("resultType"))
        del params["resultType"]
    if params.get("f", "") not in _JSON_FORMATS:
        params["f"] = "json"
    for key in ("crs", "bbox-crs"):
        # pygeoapi compares CRS names as strings: 'EPSG:25832' and URNs become the URI.
        if key in params:
            try:
                params[key] = canonical_crs_uri(params[key])
            except UnknownCRS as exc:
                return _error(400, f"{key}: {geo_message(exc)}")
    sql_filter, extra = None, {}
    if provider is not None:
        try:
            sql_filter, extra = _cql_filter(params, provider)
        except cql.CqlError as exc:
            return _error(400, str(exc) if str(exc).startswith("filter") else f"filter: {exc}")
    request.GET = params
    api = _api(request)
    api_request = APIRequest.from_django(request, api.locales)
    with contextlib.ExitStack() as stack:
        stack.enter_context(ogc_provider.filtering(sql_filter))
        holder = None
        if pass_features and params["f"] == "json":
            holder = stack.enter_context(ogc_provider.passing_features_through())
        headers, status, content = function(api, api_request, *args)
    if isinstance(content, str):
        content = content.encode()
    if status == HTTPStatus.OK and holder is not None and holder.text is not None:
        content = _with_features(content, holder.text, extra)
    elif status == HTTPStatus.OK:
        content = _drop_html_links(content, extra, hits=params.get("resulttype") == "hits")
    response = HttpResponse(content, status=status)
    for key, value in headers.items():
        if key.lower() != "content-length":
            response[key] = value
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _cql_filter(params, provider) -> tuple[cql.SqlFilter | None, dict[str, str]]:
    """Compile ``filter`` (Part 3) and take the filter parameters out of ``params``.

    Returns the SQL filter and the parameters as the client sent them (for the paging links).
    """
    extra = {k: params[k] for k in ("filter", "filter-lang", "filter-crs") if k in params}
    for key in extra:
        del params[key]
    if "filter" not in extra:
        # filter-lang or filter-crs alone filter nothing, but must still be values we know.
        if extra.get("filter-lang", "cql2-text") not in cql.ACCEPTED:
            raise cql.CqlError(f"filter-lang must be one of {', '.join(cql.ACCEPTED)}")
        cql.filter_crs(extra.get("filter-crs"))
        return None, extra
    sql_filter = cql.compile_filter(
        extra["filter"],
        lang=extra.get("filter-lang"),
        crs=extra.get("filter-crs"),
        target=provider.cql_target(),
    )
    return sql_filter, extra


@require_safe
def landing_page(request):
    return _run(request, core_api.landing_page)


@require_safe
def openapi(request):
    return _run(request, core_api.openapi_)


@require_safe
def conformance(request):
    return _json({"conformsTo": list(ogc_documents.CONFORMANCE)})


@require_safe
def collections(request, collection_id: str | None = None):
    return _run(request, core_api.describe_collections, collection_id)


@require_safe
def queryables(request, collection_id: str):
    provider = PROVIDERS.get(collection_id)
    if provider is None:
        return _error(404, "no such collection", code="NotFound")
    url = request.build_absolute_uri(request.path)
    title = _api(request).config["resources"][collection_id]["title"]
    doc = ogc_documents.queryables(provider, url, title)
    return _json(doc, "application/schema+json")


@require_safe
def items(request, collection_id: str):
    provider = PROVIDERS.get(collection_id)
    allowed = None if provider is None else ogc_documents.items_parameters(provider)
    return _run(
        request,
        itemtypes_api.get_collection_items,
        collection_id,
        pass_features=True,
        allowed=allowed,
        provider=provider,
    )


@require_safe
def item(request, collection_id: str, item_id: str):
    return _run(
        request,
        itemtypes_api.get_collection_item,
        collection_id,
        item_id,
        allowed=ogc_documents.ITEM_PARAMETERS,
    )
