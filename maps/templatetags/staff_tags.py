"""Template helpers for the staff workspace: the menu, redaction highlights, simple bars."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from inputbank.redaction import find_personal_data
from maps.staff.access import nav_links

register = template.Library()

FINDING_LABELS = {
    "email": _("e-mail address"),
    "national_id": _("national identity number"),
    "phone": _("phone number"),
    "name": _("name"),
    "address": _("address"),
    "organisation": _("organisation"),
}


@register.inclusion_tag("staff/_nav.html", takes_context=True)
def staff_nav(context):
    request = context["request"]
    return {
        "links": nav_links(request.user),
        "current": request.path,
        "user": request.user,
        "language_url": reverse("staff:language"),
    }


@register.filter
def highlight_personal_data(text: str) -> str:
    """Return the text escaped, with each suggested redaction wrapped in <mark>.

    Built from escaped segments only, so the text can never inject markup.
    """
    text = text or ""
    out, pos = [], 0
    for finding in find_personal_data(text):
        out.append(escape(text[pos : finding.start]))
        out.append(
            format_html(
                '<mark class="redact" title="{}">{}</mark>',
                FINDING_LABELS.get(finding.kind, finding.kind),
                finding.text,
            )
        )
        pos = finding.end
    out.append(escape(text[pos:]))
    return mark_safe("".join(str(part) for part in out))  # noqa: S308 - every part is escaped


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def amount(value) -> str:
    """A quantity the way the active language writes it: 2270 -> "2 270" in nb/nn.

    Whole numbers without decimals (not "2270,0"), others with one; "–" for none.
    """
    number = _decimal(value)
    if number is None:
        return "–"
    places = 0 if number == number.to_integral_value() else 1
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def hours(value) -> str:
    """ "2 270 timer", "1 time" (nb); "–" for none."""
    number = _decimal(value)
    if number is None:
        return "–"
    count = int(number) if number == number.to_integral_value() else 2
    return ngettext("%(n)s hour", "%(n)s hours", count) % {"n": amount(number)}


@register.filter
def kroner(value) -> str:
    """ "96 000 kr": whole kroner, grouped the way the active language groups; "–" for none."""
    number = _decimal(value)
    if number is None:
        return "–"
    return _("%(amount)s kr") % {"amount": amount(number.quantize(Decimal(1)))}


@register.filter
def percent_of(value, total) -> int:
    """Return value as a whole percentage of total (0 when total is 0), for CSS bar widths."""
    try:
        return round(100 * float(value) / float(total)) if float(total) else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


SHAPE_SIZE = 64  # px: the small map beside an item in the moderation queue


@register.filter
def shape_svg(geom):
    """A tiny inline SVG of a stored (metric, north-up) geometry: where it is, without a basemap.

    Enough to tell a point from a line or an area and its rough form, at no map-tile cost.
    """
    if geom is None or geom.empty:
        return ""
    xmin, ymin, xmax, ymax = geom.extent
    span = max(xmax - xmin, ymax - ymin) or 1.0
    if geom.num_coords > 400:
        geom = geom.simplify(span / SHAPE_SIZE, preserve_topology=True)
    inner = SHAPE_SIZE - 8
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2

    def xy(x: float, y: float) -> str:
        # North up: SVG's y axis points down.
        half = SHAPE_SIZE / 2
        return f"{half + (x - cx) / span * inner:.1f},{half - (y - cy) / span * inner:.1f}"

    paths, dots = [], []
    for part in _parts(geom):
        if part.geom_type == "Point":
            dots.append(xy(*part.coords[:2]).split(","))
        elif part.geom_type == "LineString":
            paths.append(("M" + " L".join(xy(*c[:2]) for c in part.coords), "none"))
        elif part.geom_type == "Polygon":
            rings = ["M" + " L".join(xy(*c[:2]) for c in ring.coords) + " Z" for ring in part]
            paths.append((" ".join(rings), "currentColor"))
    shapes = [
        format_html(
            '<path d="{}" fill="{}" fill-opacity="0.25" stroke="currentColor" stroke-width="2"/>',
            d,
            fill,
        )
        for d, fill in paths
    ] + [format_html('<circle cx="{}" cy="{}" r="4" fill="currentColor"/>', x, y) for x, y in dots]
    return format_html(
        '<svg class="shape" width="{s}" height="{s}" viewBox="0 0 {s} {s}" role="img"'
        ' aria-label="{label}"><rect width="{s}" height="{s}" fill="none" stroke="#ccc"/>'
        "{body}</svg>",
        s=SHAPE_SIZE,
        label=_("Shape of the place the input is about"),
        body=mark_safe("".join(shapes)),  # noqa: S308 - each piece built with format_html
    )


def _parts(geom):
    """The points, lines and areas of a (multi-part) geometry."""
    if geom.geom_type in ("Point", "LineString", "Polygon"):
        yield geom
        return
    for part in geom:
        yield from _parts(part)
