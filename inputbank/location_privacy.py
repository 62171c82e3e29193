"""Where the public may see an input: a home is shown only generalised (docs/privacy.md).

A pin on a resident's own home points at a person. Such input (``Input.location_is_home``) is
published at the centre of the HOME_GRID_M metre cell of the storage grid that holds a point
on its geometry: deterministic per input (the same answer on every request, so averaging many
answers reveals nothing), never nearer than half a cell's width to the real place in either
direction, and the exact geometry stays for staff. Children's input (Barnetråkk,
``location_restricted``) is never a point in public at all, only counted in aggregates whose
cells under AGGREGATE_MIN_COUNT are left out.

The SQL here and ``home_cell_centre`` say the same thing; tests hold them together.

A public question about a place (a box, an area, a tile) finds a home where the public sees
it, never by where it is: otherwise narrowing boxes around the published point would tell
whether the real place is inside them, and so find it (``InputQuerySet.within_pieces``, the
OGC API's provider).
"""

from __future__ import annotations

import math
import re

HOME_GRID_M = 50
# How far a home's published point can lie from its geometry's box: half a cell's diagonal
# (35.4 m), rounded up. A search for homes drawn in an area looks this much around it.
HOME_DRAWN_MARGIN_M = float(HOME_GRID_M)


def public_geom_sql(alias: str = "i") -> str:
    """SQL for the geometry the public sees of input row ``alias`` (storage CRS)."""
    point = f"ST_PointOnSurface({alias}.geom)"
    return (
        f"CASE WHEN {alias}.location_is_home AND {alias}.geom IS NOT NULL THEN ST_SetSRID("
        f"ST_MakePoint(floor(ST_X({point}) / {HOME_GRID_M}) * {HOME_GRID_M} + {HOME_GRID_M / 2}, "
        f"floor(ST_Y({point}) / {HOME_GRID_M}) * {HOME_GRID_M} + {HOME_GRID_M / 2}), "
        f"ST_SRID({alias}.geom)) ELSE {alias}.geom END"
    )


def home_drawn_in_sql(alias: str, piece: str) -> str:
    """SQL: row ``alias`` is a home whose published point lies in ``piece`` (an SQL geometry).

    The box test on the real place, widened by HOME_DRAWN_MARGIN_M, lets an index of homes
    find the candidates; the published point decides.
    """
    return (
        f"{alias}.location_is_home AND {alias}.geom && ST_Expand({piece}, {HOME_DRAWN_MARGIN_M})"
        f" AND ST_Intersects({public_geom_sql(alias)}, {piece})"
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
