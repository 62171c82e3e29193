"""Messages from ``geo`` (plain Python, no gettext) in the reader's language.

``geo`` raises ``geo.messages.GeoMessage``s: an English template marked with
``gettext_noop`` (the catalogues in ``inputbank/locale`` hold it) and its values apart.
``geo_message`` words one in the active language; everything that shows a ``geo`` message to
a person (staff forms, the import report, the API's field errors) goes through it.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext, gettext_noop

from geo.messages import GeoMessage

# What ``where`` names in the messages people read (the API names the field itself instead).
_WHERE = {
    "geometry": gettext_noop("geometry"),
    "area": gettext_noop("area"),
    "filter geometry": gettext_noop("filter geometry"),
}
_FEATURE = re.compile(r"^feature (\d+)$")


def _where(where: str) -> str:
    if where in _WHERE:
        return gettext(_WHERE[where])
    feature = _FEATURE.match(where)
    if feature:
        return gettext("feature %(n)s") % {"n": feature.group(1)}
    return where


def geo_message(message: GeoMessage | str | Exception, *, where: bool = True) -> str:
    """The message in the active language; ``where=False`` leaves out what was checked.

    Plain strings (messages already worded by ``inputbank``) and other exceptions pass as
    they are.
    """
    if not isinstance(message, GeoMessage):
        return str(message)
    text = gettext(message.template) % message.values
    if where and message.where:
        return f"{_where(message.where)}: {text}"
    return text
