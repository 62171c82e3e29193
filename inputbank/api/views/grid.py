"""The map's zoomed-out layer: counts of published input per grid cell of a view."""

from __future__ import annotations

from dataclasses import replace

from drf_spectacular.utils import extend_schema

from inputbank.api import docs
from inputbank.api.filters import GRID_FILTERS, GridOptions, filter_parameters, parse_query
from inputbank.api.views.base import ApiView, cached_response
from inputbank.cache import public_answer_key
from inputbank.dbrouter import read_only_view
from inputbank.models import Input
from inputbank.reads import grid


class InputGridView(ApiView):
    @extend_schema(
        operation_id="inputs_grid",
        parameters=[*filter_parameters(GRID_FILTERS, required=("bbox",)), GridOptions],
        responses={200: docs.GRID, 400: docs.ERRORS},
        description=docs.GRID_DESCRIPTION,
    )
    @read_only_view
    def get(self, request):
        selection, data = parse_query(
            request.query_params, GridOptions, filters=GRID_FILTERS, required=("bbox",)
        )
        zoom = data["zoom"]
        # Public input only, whoever asks: the same answer for everyone, so it can be shared.
        selection = replace(selection, bbox=grid.snapped_bbox(selection.bbox, zoom))
        key = public_answer_key(
            "grid", {**selection.as_key(), "zoom": zoom, "min_count": grid.min_count()}
        )
        return cached_response(
            key,
            lambda: grid.cell_counts(
                selection.narrow(Input.objects.published()),
                cell_m=grid.cell_size_m(zoom),
                min_count=grid.min_count(),
            ),
        )
