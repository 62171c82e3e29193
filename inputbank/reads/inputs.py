"""One input as a caller may see it: the lookup the API and the staff pages share."""

from __future__ import annotations

from django.http import Http404

from inputbank.models import Input


def visible_input(user, public_id) -> Input:
    """Return the input with this public id if ``user`` may see it; Http404 otherwise.

    Pending and rejected input exists only for moderating roles; anyone else gets the same
    404 as for an id that was never used, so its existence is not revealed.
    """
    item = Input.objects.visible_to(user).filter(public_id=public_id).first()
    if item is None:
        raise Http404("no such input")
    return item
