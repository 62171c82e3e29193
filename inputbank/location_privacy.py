"""Where the public may see an input: a home is shown only generalised (docs/privacy.md).

A pin on a resident's own home points at a person. Such input (``Input.location_is_home``) is
published at the centre of the HOME_GRID_M metre cell of the storage grid that holds a point
on its geometry: deterministic per input (the same answer on every request, so averaging many
answers reveals nothing), never nearer than half a cell's width to the real place in either
direction, and the exact geometry stays for staff. Children's input (Barnetråkk,
``location_restricted``) is never a point in public at all, only counted in aggregates whose
cells under AGGREGATE_MIN_COUNT are left out.

The SQL here and ``home_cell_centre`` say the same thing; tests hold them together.
"""

from __future__ import annotations

import math
import re

HOME_GRID_M = 50


def public_geom_sql(alias: str = "i") -> str:
    """SQL for the geometry the public sees of input row ``alias`` (storage CRS)."""
    point = f"ST_PointOnSurface({alias}.geom)"
    return (
        f"CASE WHEN {alias}.location_is_home AND {alias}.geom IS NOT NULL THEN ST_SetSRID("
        f"ST_MakePoint(floor(ST_X({point}) / {HOME_GRID_M}) * {HOME_GRID_M} + {HOME_GRID_M / 2}, "
        f"floor(ST_Y({point}) / {HOME_GRID_M}) * {HOME_GRID_M} + {HOME_GRID_M / 2}), "
        f"ST_SRID({alias}.geom)) ELSE {alias}.geom END"
    )


def home_cell_centre(x: float, y: float) -> tuple[float, float]:
    """The published position of a home at storage coordinates (x, y)."""
    half = HOME_GRID_M / 2
    return (
        math.floor(x / HOME_GRID_M) * HOME_GRID_M + half,
        math.floor(y / HOME_GRID_M) * HOME_GRID_M + half,
    )


def _street_and_number(text: str) -> str:
    first = re.split(r"[,\n]", text or "")[0]
    return re.sub(r"\s+", " ", first).strip().lower()


def looks_like_home(*, location_description: str, postal_address: str) -> bool:
    """Whether the place given is the contributor's own address ("Fjordveien 3B" twice)."""
    place, home = _street_and_number(location_description), _street_and_number(postal_address)
    return bool(place and home and re.search(r"\d", home) and place == home)
