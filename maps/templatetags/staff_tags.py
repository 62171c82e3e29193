"""Template helpers for the staff workspace: the menu, redaction highlights, simple bars."""

from __future__ import annotations

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from inputbank.redaction import find_personal_data
from maps.staff.access import nav_links

register = template.Library()

FINDING_LABELS = {
    "email": "e-post",
    "national_id": "fødselsnummer",
    "phone": "telefonnummer",
    "name": "navn",
    "address": "adresse",
    "organisation": "organisasjon",
}


@register.inclusion_tag("staff/_nav.html", takes_context=True)
def staff_nav(context):
    request = context["request"]
    return {"links": nav_links(request.user), "current": request.path, "user": request.user}


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
