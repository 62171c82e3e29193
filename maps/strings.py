"""The strings the map scripts show, translated on the server.

The scripts have no message catalogue of their own: the page hands them these strings in the
``strings-data`` JSON element (``{% interface_strings_data %}``), and common.js's ``t()`` reads
them. Public and staff pages share one dictionary, so a string is translated once.

Counted strings ("Fant 1 sted" / "Fant 2 steder") go as their plural forms plus the language's
plural rule as a table (``_plural``), so ``tn()`` picks the right form without evaluating the
catalogue's formula (the CSP forbids eval). The map tools' own words (Leaflet's zoom buttons,
Leaflet-Geoman's buttons, tooltips and actions) go as ``mapTools``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import get_language, ngettext, trans_real
from django.utils.translation import gettext as _

# Every plural rule we ship (nb, nn, en, ar, pl, uk) repeats with n % 100 from 200 on, so
# the form index for 0..199 decides every count (common.js: n >= 200 -> 100 + n % 100).
_PLURAL_TABLE_SIZE = 200


def _plural_rule() -> list[int]:
    """The active language's plural form index for counts 0..199."""
    catalogue = trans_real.translation(get_language() or "nb")
    rule = getattr(catalogue, "plural", lambda n: int(n != 1))
    return [int(rule(n)) for n in range(_PLURAL_TABLE_SIZE)]


def _plural(table: list[int], message: Callable[[int], str]) -> list[str]:
    """Each plural form of ``message`` (an ngettext call for a count), in form-index order."""
    forms: dict[int, str] = {}
    for n, index in enumerate(table):
        if index not in forms:
            forms[index] = message(n)
    return [forms[i] for i in sorted(forms)]


def map_tool_strings() -> dict[str, dict[str, str]]:
    """Leaflet-Geoman's texts (its language object) and Leaflet's zoom button titles."""
    return {
        "zoom": {"zoomInTitle": _("Zoom in"), "zoomOutTitle": _("Zoom out")},
        "tooltips": {
            "placeMarker": _("Click to place the point"),
            "firstVertex": _("Click to place the first corner"),
            "continueLine": _("Click to continue drawing"),
            "finishLine": _("Click the last point again to finish"),
            "finishPoly": _("Click the first corner to finish"),
            "finishRect": _("Click to finish"),
        },
        "actions": {
            "finish": _("Finish"),
            "cancel": _("Cancel"),
            "removeLastVertex": _("Remove last corner"),
        },
        "buttonTitles": {
            "drawMarkerButton": _("Place a point"),
            "drawPolyButton": _("Draw an area (polygon)"),
            "drawLineButton": _("Draw a line"),
            "drawRectButton": _("Draw a rectangle"),
            "editButton": _("Edit shapes"),
            "dragButton": _("Move shapes"),
            "deleteButton": _("Remove shapes"),
        },
    }


def interface_strings() -> dict[str, Any]:
    """Strings the scripts show, translated here so the scripts need no catalogue of their own."""
    table = _plural_rule()
    return {
        "_plural": table,
        "mapTools": map_tool_strings(),
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
        "backgroundMissing": _(
            "No background map: a simple map of Moss is shown (coast, main roads, border)."
        ),
        "cluster": _("%(count)s inputs here. Select to zoom in."),
        "readMore": _("Read the input and the answer"),
        # Where there is no answer yet, the link says only what it opens.
        "readInput": _("Read the input"),
        # A consultation's area on the map links to its page (not to an input or an answer).
        "readProcess": _("Read about the consultation"),
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
        "searchResults": _plural(
            table, lambda n: ngettext("%(count)s place found.", "%(count)s places found.", n)
        ),
        "searchNone": _("No places found. Try a street name and number, or gnr/bnr like 1/234."),
        "searchFailed": _("The search failed. Try again."),
        "priorLoading": _("Looking for what others have said here …"),
        "priorNone": _("Nobody has said anything here yet that is published. You are the first!"),
        "priorFound": _("%(count)s published inputs near the place you chose."),
        "priorShowAll": _("Show all %(count)s"),
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
        # "We have heard this before – is it still true?" (maps/static/maps/js/still-true.js)
        "stillTrueSending": _("Sending your answer …"),
        "stillTrueConfirmed": _("Thank you – your “still true” is counted."),
        "stillTrueDisagreed": _("Thank you – we have noted that it is no longer true."),
        "stillTrueAdded": _(
            "Thank you. Your addition will be shown after a moderator has checked it."
        ),
        "stillTrueFailed": _("Your answer could not be sent. Try again."),
        "stillTrueCounts": _("Still true: %(yes)s · No longer true: %(no)s"),
        "input": _("Input"),
        "pin": _("Your pin"),
        # The staff workspace's maps (maps/static/staff/js).
        "gridCell": _(
            "%(processes)s consultations, the last on %(last)s, %(inputs)s inputs in this cell"
        ),
        "gridCellNever": _("No consultation yet, %(inputs)s inputs in this cell"),
        "gridLoaded": _("%(count)s cells on the map."),
        "gridFailed": _("The map layer could not be loaded. Try again later."),
    }
