"""Thin HTTP adapters for GIS exchange: exports and vector tiles.

Exports: ``GET /api/v1/exports/{inputs|processes}.{fmt}``. Anyone may export published input
(the same data the public OGC API serves, so a login would protect nothing); the GIS team and
case officers may add ``status=all`` (or a status list) for unpublished input. No export ever
holds contributor data (``inputbank.publishing.layers``).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from geo.crs import OUTPUT_SRIDS, parse_srid
from geo.io import FORMATS
from inputbank import roles
from inputbank.api import docs
from inputbank.api.filters import filter_parameters
from inputbank.dbrouter import read_only_view
from inputbank.filters import FilterError
from inputbank.geomessages import geo_message
from inputbank.publishing import exports, mapserver, tile_documents, tiles


class ExportThrottle(AnonRateThrottle):
    """Exports are heavy: anonymous callers get a small budget (THROTTLE_EXPORTS)."""

    scope = "exports"
    rate = settings.INPUTBANK["THROTTLE_EXPORTS"]


def _errors(errors: list[dict[str, str]], status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


# Each format's media type, as the 200 answer's content types (parameters such as charset off).
_EXPORT_MEDIA_TYPES = sorted({f.media_type.split(";")[0] for f in FORMATS.values()})


class ExportView(APIView):
    """Stream a GIS file of inputs or processes, written to a temporary file first."""

    throttle_classes = [ExportThrottle]
    LAYERS = ("inputs", "processes")

    @extend_schema(
        operation_id="export_layer",
        summary="Download inputs or processes as a GIS file",
        description=(
            "layer is inputs or processes; fmt is gpkg, shp (a zip), geojson, fgb, csv or kml. "
            "Inputs take the list filters; processes only crs. No personal data, ever."
        ),
        parameters=[
            OpenApiParameter("layer", str, OpenApiParameter.PATH, enum=list(LAYERS)),
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(FORMATS)),
            *filter_parameters(any_status=True),
            OpenApiParameter(
                "crs",
                str,
                OpenApiParameter.QUERY,
                description="Output CRS, e.g. EPSG:25832 (the default; GeoJSON and KML: CRS84).",
            ),
        ],
        responses={
            **{
                (200, media): OpenApiTypes.OBJECT if media.endswith("json") else OpenApiTypes.BINARY
                for media in _EXPORT_MEDIA_TYPES
            },
            400: docs.ERRORS,
            404: docs.ERRORS,
        },
    )
    @read_only_view
    def get(self, request, layer: str, fmt: str):
        if layer not in self.LAYERS or fmt not in FORMATS:
            message = f"use /api/v1/exports/{{inputs|processes}}.{{{','.join(FORMATS)}}}"
            return _errors([{"field": "", "message": message}], status=404)
        export_format = FORMATS[fmt]
        try:
            if layer == "inputs":
                selection = exports.input_selection(
                    request.GET, may_see_unpublished=roles.can_export(request.user)
                )
                exports.output_srid(export_format, selection.srid)
            else:
                srid = _process_params(request.GET)
                exports.output_srid(export_format, srid)
        except FilterError as exc:
            return _errors(exc.errors)
        except exports.ExportError as exc:
            return _errors([{"field": "crs", "message": str(exc)}])
        folder = Path(tempfile.mkdtemp(prefix="innspill-export-", dir=settings.GIS_TMP_DIR))
        try:
            if layer == "inputs":
                result = exports.export_inputs(
                    fmt=export_format, selection=selection, folder=folder
                )
            else:
                result = exports.export_processes(fmt=export_format, srid=srid, folder=folder)
            # Open, then remove the folder: the open handle keeps the data readable until the
            # response is sent, and nothing is left behind even if the client disconnects.
            handle = result.path.open("rb")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        name = "innspill" if layer == "inputs" else "prosesser"
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=exports.download_name(name, export_format),
            content_type=export_format.media_type,
        )
        response["X-Row-Count"] = str(result.rows)
        public = layer == "processes" or selection.published_only
        response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
        return response


def _process_params(params) -> int | None:
    unknown = sorted(set(params) - {"crs"})
    if unknown:
        raise FilterError(
            [{"field": name[:40], "message": "unknown parameter"} for name in unknown[:5]]
        )
    if not params.get("crs"):
        return None
    try:
        return parse_srid(params["crs"][:80], OUTPUT_SRIDS)
    except ValueError as exc:
        raise FilterError([{"field": "crs", "message": geo_message(exc)}]) from exc


@read_only_view
def tile(request, z: int, x: int, y: int) -> HttpResponse:
    """One Mapbox vector tile of published inputs (cached; see inputbank.publishing.tiles)."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    return tiles.tile_response(request, z, x, y)


def _document(request, build, content_type: str = "application/json") -> HttpResponse:
    """A tile document built on the root the client asked for; cacheable, open to any site."""
    root = f"{request.scheme}://{request.get_host()}"
    response = JsonResponse(build(root), content_type=content_type)
    response["Cache-Control"] = f"public, max-age={settings.TILES['MAX_AGE']}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def tilejson(request) -> HttpResponse:
    """TileJSON 3.0 of the input tiles (MapLibre sources, QGIS vector tile connections)."""
    return _document(request, tile_documents.tilejson)


@require_safe
def tile_style(request) -> HttpResponse:
    """A MapLibre style over the input tiles, coloured by theme like the exports' styles."""
    return _document(request, tile_documents.maplibre_style)


@require_safe
def tileset(request) -> HttpResponse:
    """OGC API – Tiles tileset description of the input tiles (WebMercatorQuad)."""
    return _document(request, tile_documents.tileset)


@require_safe
def ows(request) -> HttpResponse:
    """WMS 1.3.0 / WFS 2.0 by MapServer over the public view (inputbank.publishing.mapserver)."""
    if not mapserver.available():
        return JsonResponse(
            {"errors": [{"field": "", "message": "WMS/WFS are not installed here"}]}, status=503
        )
    root = f"{request.scheme}://{request.get_host()}"
    status, headers, body = mapserver.run(root, request.META.get("QUERY_STRING", ""))
    response = HttpResponse(body, status=status,
                            content_type=headers.get("Content-Type", "text/xml"))  # fmt: skip
    response["Access-Control-Allow-Origin"] = "*"
    return response
