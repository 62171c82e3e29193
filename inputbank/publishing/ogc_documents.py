"""The OGC API – Features documents we write ourselves rather than take from pygeoapi.

pygeoapi describes what pygeoapi can do; these say what this service does, exactly:

* the conformance classes we pass (no HTML, no transactions, no ``/schema`` resources; of
  CQL2 the classes ``inputbank.publishing.cql`` implements);
* the queryables: the properties a query parameter or a CQL2 filter really filters on
  (``filterable``), and ``geometry`` for the spatial functions;
* the OpenAPI document: only the paths mounted at /ogc/, the real property parameters, an
  inline ``sortby`` and the ``limit`` default and maximum (GDAL 3.8+ sizes its pages by them);
* which query parameters each resource takes: any other is answered 400 (Part 1,
  /req/core/query-param-unknown).
"""

from __future__ import annotations

import copy

from geo.crs import OGC_API_CRS_URIS
from inputbank.publishing.cql import ACCEPTED, GEOMETRY, LANGUAGES, MAX_FILTER_CHARS

OGC_REL = "http://www.opengis.net/def/rel/ogc/1.0"

CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    # Part 3 filtering with CQL2 (inputbank.publishing.cql): text and JSON encodings, basic
    # and advanced comparisons, all spatial functions. Not: temporal, array, arithmetic,
    # functions, property-property and case-/accent-insensitive comparisons.
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
)

# Parameters every resource takes (format, language) and those of the items and item resources.
COMMON_PARAMETERS = frozenset({"f", "lang"})
ITEM_PARAMETERS = COMMON_PARAMETERS | {"crs"}
ITEMS_PARAMETERS = COMMON_PARAMETERS | {
    "bbox", "bbox-crs", "crs", "datetime", "limit", "offset", "properties", "skipGeometry",
    "sortby", "resulttype", "resultType", "filter", "filter-lang", "filter-crs",
}  # fmt: skip
_MOUNTED_SUFFIXES = ("", "/queryables", "/items", "/items/{featureId}")


def items_parameters(provider) -> frozenset[str]:
    """The query parameters the items resource of one collection takes."""
    extra = {c.name for c in provider.filterable()}
    if provider.searchable:
        extra.add("q")
    return ITEMS_PARAMETERS | extra


def unknown_parameters(names, allowed: frozenset[str]) -> list[str]:
    return sorted(n for n in set(names) if n not in allowed)


def queryables(provider, url: str, title: str) -> dict:
    """The JSON Schema of the properties ``?name=value`` and ``filter`` filter on (Part 3).

    ``geometry`` is for CQL2's spatial functions only (``bbox`` is its query parameter).
    """
    props: dict[str, dict] = {}
    for column in provider.filterable():
        entry = {"title": column.name, "type": "string"}
        if column.name in provider.list_columns:
            entry["description"] = (
                "One value of a comma-separated list; =, <> and IN test membership."
            )
        props[column.name] = entry
    props[GEOMETRY] = {
        "title": GEOMETRY,
        "description": "The feature's geometry, for the spatial functions (S_INTERSECTS ...).",
        "format": "geometry-any",
        "x-ogc-role": "primary-geometry",
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": url,
        "type": "object",
        "title": title,
        "properties": props,
        "additionalProperties": False,
    }


def _sortby(provider) -> dict:
    names = "|".join(c.name for c in provider.sortable())
    return {
        "name": "sortby",
        "in": "query",
        "required": False,
        "description": "Comma-separated properties to sort by; '-' before a name sorts down.",
        "style": "form",
        "explode": False,
        "schema": {"type": "array", "items": {"type": "string", "pattern": f"^[+-]?({names})$"}},
    }


def _extra(provider) -> list[dict]:
    crs_names = list(OGC_API_CRS_URIS)
    params = [
        {"name": "resulttype", "in": "query", "required": False,
         "description": "'hits' answers the number of matches and no features.",
         "schema": {"type": "string", "enum": ["results", "hits"], "default": "results"}},
        {"name": "filter", "in": "query", "required": False,
         "description": "A CQL2 filter over the queryables (Part 3), in filter-lang.",
         "schema": {"type": "string", "maxLength": MAX_FILTER_CHARS}},
        {"name": "resultType", "in": "query", "required": False,
         "description": "The WFS 3 draft's name of resulttype (GDAL counts with it).",
         "schema": {"type": "string", "enum": ["results", "hits"], "default": "results"}},
        {"name": "filter-lang", "in": "query", "required": False,
         "description": "The encoding of filter; cql-text is the draft name of cql2-text "
                        "(GDAL 3.6 sends it).",
         "schema": {"type": "string", "enum": list(ACCEPTED), "default": LANGUAGES[0]}},
        {"name": "filter-crs", "in": "query", "required": False,
         "description": "The CRS of geometry literals in filter (CRS84 by default).",
         "schema": {"type": "string", "format": "uri", "enum": crs_names,
                    "default": crs_names[0]}},
    ]  # fmt: skip
    if provider.searchable:
        params.append(
            {"name": "q", "in": "query", "required": False,
             "description": "Full-text search in the public text (Norwegian stemming).",
             "schema": {"type": "string", "maxLength": 200}}
        )  # fmt: skip
    return params


def tidy_openapi(oas: dict, providers: dict) -> dict:
    """Return pygeoapi's OpenAPI document cut to what /ogc/ serves, per collection."""
    oas = copy.deepcopy(oas)
    mounted = {"/", "/openapi", "/conformance", "/collections"}
    for cid in providers:
        mounted |= {f"/collections/{cid}{suffix}" for suffix in _MOUNTED_SUFFIXES}
    oas["paths"] = {p: v for p, v in oas["paths"].items() if p in mounted}
    for cid, provider in providers.items():
        filterable = {c.name for c in provider.filterable()}
        fields = {c.name for c in provider.columns}
        get = oas["paths"][f"/collections/{cid}/items"]["get"]
        kept = []
        for param in get["parameters"]:
            ref = param.get("$ref", "")
            name = param.get("name")
            if ref.endswith("vendorSpecificParameters") or "sortby" in ref:
                continue  # no free-form parameters; sortby is written inline below
            if name in fields and name not in filterable:
                continue
            kept.append(param)
        get["parameters"] = [*kept, _sortby(provider), *_extra(provider)]
        queryables_get = oas["paths"][f"/collections/{cid}/queryables"]["get"]
        queryables_get["parameters"] = [
            p
            for p in queryables_get["parameters"]
            if p.get("name") not in ("properties", "profile")
        ]
    return oas
