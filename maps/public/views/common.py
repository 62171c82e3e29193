"""What several pages share: theme, outcome and process data for the scripts.

The scripts' interface strings are in maps/strings.py (staff pages use them too)."""

from __future__ import annotations

import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from inputbank import antibot
from inputbank.models import Outcome, Process, Theme
from inputbank.reads.arguments import still_true_for

# Marker shapes, one per top-level theme in order (repeating): colour alone does not tell
# themes apart for people with a colour-vision deficiency, so each theme family also has a
# shape. A sub-theme draws like its family. The palette and why: docs/resident-map.md.
THEME_SYMBOLS = ("circle", "triangle", "square", "diamond", "triangle-down")


def theme_symbols(themes) -> dict[int, str]:
    """Return {theme id: shape}: the n-th top-level theme gets THEME_SYMBOLS[n % 5]."""
    tops = [t for t in themes if t.parent_id is None]
    symbol = {t.id: THEME_SYMBOLS[n % len(THEME_SYMBOLS)] for n, t in enumerate(tops)}
    return {t.id: symbol.get(t.parent_id or t.id, THEME_SYMBOLS[0]) for t in themes}


def theme_data() -> list[dict]:
    """Active themes in the current language, for filters, legends and marker colours/shapes."""
    themes = list(Theme.objects.active().order_by("sort_order", "slug"))
    symbols = theme_symbols(themes)
    return [
        {
            "slug": t.slug,
            "name": t.name,
            "colour": t.colour,
            "symbol": symbols[t.id],
            "parent": t.parent_id,
            "id": t.id,
        }
        for t in themes
    ]


def open_process_data() -> list[dict]:
    """Open processes with their areas as GeoJSON (lon/lat), for the maps."""
    today = timezone.localdate()
    processes = Process.objects.open_on(today).with_area_geojson().order_by("closes_on", "slug")
    return [
        {
            "slug": p.slug,
            "title": p.title,
            "url": reverse("maps:process_detail", args=[p.slug]),
            "closes_on": p.closes_on.isoformat() if p.closes_on else None,
            "geometry": json.loads(p.area_geojson) if p.area_geojson else None,
        }
        for p in processes
    ]


def outcome_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Outcome.choices}


def common_context() -> dict:
    return {
        "themes": theme_data(),
        "outcome_labels": outcome_labels(),
        "current_language": get_language(),
        "max_text_length": settings.INPUTBANK["MAX_TEXT_LENGTH"],
    }


def public_inputs():
    """Published input with what the public pages show, in one query per page."""
    from inputbank.models import Input

    return (
        Input.objects.published()
        .with_public_counts()
        .select_related("process", "response")
        .prefetch_related("themes")
    )


def still_true_context(process) -> dict:
    """ "Vi har hørt dette før — stemmer det fortsatt?": the earlier arguments staff put before
    this open process's residents, with a form token for the answers (same bot checks as
    any submission: inputbank.antibot)."""
    questions = still_true_for(process)
    labels = dict(Outcome.choices)
    for question in questions:
        if question["response"]:
            question["response"]["label"] = labels.get(question["response"]["outcome"], "")
    return {
        "still_true": questions,
        "still_true_token": antibot.issue_form_token() if questions else "",
        "min_fill_seconds": antibot.min_fill_seconds(),
    }
