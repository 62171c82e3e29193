"""The map's zoomed-out layer: counts of published input per grid cell of a view."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema

from inputbank.api import docs
from inputbank.api.filters import GridParams, filter_inputs
from inputbank.api.views.base import ApiView, json_bytes_response
from inputbank.cache import cached, public_answer_key
from inputbank.models import Input
from inputbank.reads import grid


class InputGridView(ApiView):
    @extend_schema(
        operation_id="inputs_grid",
        parameters=[GridParams],
        responses={200: docs.GRID, 400: docs.ERRORS},
        description=docs.GRID_DESCRIPTION,
    )
    def get(self, request):
        params = GridParams.from_query(request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        zoom = data["zoom"]
        # Public input only, whoever asks: the same answer for everyone, so it can be shared.
        filters = {**data, "bbox": grid.snapped_bbox(data["bbox"], zoom)}
        key = public_answer_key(
            "grid",
            {
                "bbox": [round(v, 7) for v in filters["bbox"]],
                "zoom": zoom,
                "theme": sorted(t.slug for t in data.get("theme", [])),
                "process": sorted(p.pk for p in data.get("process", [])),
                **{k: data.get(k) for k in ("channel", "outcome", "since", "until")},
                "min_count": grid.min_count(),
            },
        )
        body = cached(
            key,
            lambda: grid.cell_counts(
                filter_inputs(Input.objects.published(), filters),
                cell_m=grid.cell_size_m(zoom),
                min_count=grid.min_count(),
            ),
        )
        return json_bytes_response(body)
