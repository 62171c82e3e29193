"""What several pages share: theme and process data for the scripts, interface strings."""

from __future__ import annotations

import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inputbank.models import Outcome, Process, Theme


def theme_data() -> list[dict]:
    """Active themes in the current language, for filters, legends and marker colours."""
    return [
        {"slug": t.slug, "name": t.name, "colour": t.colour, "parent": t.parent_id, "id": t.id}
        for t in Theme.objects.active().order_by("sort_order", "slug")
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


def interface_strings() -> dict[str, str]:
    """Strings the scripts show, translated here so the scripts need no catalogue of their own."""
    return {
        "loading": _("Loading input …"),
        "loaded": _("%(count)s published inputs are shown on the map."),
        "loadedNewest": _(
            "The newest %(count)s published inputs in this part of the map are shown, but there "
            "are more. Zoom in to see all of them."
        ),
        "loadedCounts": _(
            "There are %(count)s published inputs in this part of the map. The map shows how "
            "many there are in each place. Zoom in to see each input."
        ),
        "countsHidden": _(
            "%(hidden)s of them are in places with fewer than %(min)s inputs. To protect "
            "privacy, they are shown only when you zoom in further."
        ),
        "inputLoadFailed": _("This input could not be loaded. Try again later."),
        "loadFailed": _("Published input could not be loaded. Try again later."),
        "tilesFailed": _("The background map could not be loaded. The map still works."),
        "cluster": _("%(count)s inputs here. Select to zoom in."),
        "readMore": _("Read the input and the answer"),
        "noText": _("(no text)"),
        "noAnswer": _("Not answered yet"),
        "supports": _("Supported by %(count)s"),
        "support": _("I agree – support this"),
        "supported": _("Thank you – your support is counted."),
        "supportFailed": _("Your support could not be saved. Try again."),
        "pinPlaced": _("Pin placed. Nearest address: %(address)s."),
        "pinPlacedNoAddress": _("Pin placed."),
        "pinMoved": _("Pin moved."),
        "lineStarted": _("Drawing a line: add points, then choose “Finish drawing”."),
        "areaStarted": _(
            "Drawing an area: add at least three corners, then choose “Finish drawing”."
        ),
        "pointAdded": _("Point %(count)s added."),
        "pointRemoved": _("Last point removed."),
        "lineDone": _("Line drawn with %(count)s points."),
        "areaDone": _("Area drawn with %(count)s corners."),
        "tooFewPoints": _("Add more points before you finish."),
        "cleared": _("The place was removed. Choose a place again."),
        "noPlace": _("Your input will be saved without a place."),
        "addressChosen": _("Place set to %(address)s."),
        "searching": _("Searching …"),
        "searchResults": _("%(count)s places found."),
        "searchNone": _("No places found. Try a street name and number, or gnr/bnr like 1/234."),
        "searchFailed": _("The search failed. Try again."),
        "priorLoading": _("Looking for what others have said here …"),
        "priorNone": _("Nobody has said anything here yet that is published. You are the first!"),
        "priorFound": _("%(count)s published inputs near the place you chose."),
        "priorFailed": _("Earlier input could not be loaded."),
        "processChosen": _("The place is in the consultation “%(title)s”. It is chosen below."),
        "needPlace": _("Choose a place on the map, an address, or “No specific place”."),
        "needText": _("Write what you want to say."),
        "textTooLong": _("The text is too long."),
        "needContact": _("Give an e-mail address or a phone number if you want an answer."),
        "badEmail": _("Write the e-mail address like name@example.no."),
        "photoTooBig": _("The photo is too large (at most 10 MB)."),
        "photoType": _("The photo must be a JPEG or PNG image."),
        "photoFailed": _("Your input was received, but the photo could not be saved."),
        "sending": _("Sending your input …"),
        "sendFailed": _("Your input could not be sent. Check your connection and try again."),
        "tooFast": _("That was quick! Wait a few seconds and send again."),
        "charactersLeft": _("%(count)s characters left"),
        "commentSent": _("Thank you. Your comment will be shown after a moderator has checked it."),
        "commentFailed": _("Your comment could not be sent. Try again."),
        "copied": _("The code is copied."),
        "input": _("Input"),
        "pin": _("Your pin"),
    }


def common_context() -> dict:
    return {
        "themes": theme_data(),
        "js_strings": interface_strings(),
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
