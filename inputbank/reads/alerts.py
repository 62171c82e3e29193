"""What an area alert's digest holds: new processes over the area, new answers in it.

Only what the public may already see: processes (all of them are public) and answers to input
that is public one by one (``inputbank.public``). Children's restricted input is never named
by place, so it never reaches a digest either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from inputbank.models import Input, Process, Response

# A digest lists at most this many of each kind and says how many more there are.
DIGEST_MAX_ITEMS = 20


@dataclass
class DigestItems:
    processes: list[Process] = field(default_factory=list)
    process_total: int = 0
    answers: list[Response] = field(default_factory=list)
    answer_total: int = 0

    def __bool__(self) -> bool:
        return bool(self.process_total or self.answer_total)


def digest_items(area: GEOSGeometry, since: dt.datetime, until: dt.datetime) -> DigestItems:
    """New processes and newly public answers over ``area`` in (since, until].

    A process is new when it was registered in the period or opened in it (so a planned
    process is told twice: when it is announced and when it opens). An answer is new when it
    became public in the period: recorded then, or its input was published then.
    """
    first_day, last_day = timezone.localdate(since), timezone.localdate(until)
    processes = Process.objects.filter(area__intersects=area).filter(
        Q(created_at__gt=since, created_at__lte=until)
        | Q(opens_on__gt=first_day, opens_on__lte=last_day)
    )
    answers = (
        # The inputs the public may see in the area, a home by its published point
        # (``published().within``): an alert area is drawn by anyone, as small as they like.
        Response.objects.filter(input__in=Input.objects.published().within(area).values("id"))
        .annotate(shown_at=Greatest("created_at", Coalesce("input__published_at", "created_at")))
        .filter(shown_at__gt=since, shown_at__lte=until)
        .select_related("input", "input__process")
        .prefetch_related("input__themes")
    )
    return DigestItems(
        processes=list(processes.order_by("opens_on", "title")[:DIGEST_MAX_ITEMS]),
        process_total=processes.count(),
        answers=list(answers.order_by("-shown_at", "-id")[:DIGEST_MAX_ITEMS]),
        answer_total=answers.count(),
    )
