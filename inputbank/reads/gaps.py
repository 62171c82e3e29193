"""Gaps in what we know about an area ("hull i kunnskapen"): who and what we have not heard.

Themes, channels, and children and young people with no input in the area since a given year
(default: five years back). A gap is a fact worth as much as a count: "nobody has said
anything about the coastal path here since 2019", "no Barnetråkk here".

Children and young people are recognised by what the bank records: input through the
children's channel (Barnetråkk); a resident's own submission in the age group "under 16"
(stored only as ``location_restricted`` on input nobody registered for them: the service
``input_submit`` sets it from the age group and nothing else); or input given by a youth
group (the youth council, a pupils' council; ``YOUTH_GROUP``). Input an officer registered as
location-restricted may be a sensitive place rather than a child, so it does not count. The
theme "barn og unge" is input *about* children, not *from* them, and does not count either.

Each caller sees gaps in what they may see: the public does not see location-restricted input
(Barnetråkk routes), so for them the children's line is marked incomplete rather than a gap
that would tell, by drawing smaller and smaller areas, where a child's route runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from inputbank.models import Channel, Input, Theme
from inputbank.models.tables import quoted_table

DEFAULT_YEARS_BACK = 5
YOUTH_CHANNELS = (Channel.BARNETRAKK.value,)
# A group name that says the input came from children or young people (case-insensitive).
YOUTH_GROUP = r"ungdomsr[åa]d|elevr[åa]d|barnetr[åa]kk|barn og unge|ungdom"


def default_since_year(today: dt.date | None = None) -> int:
    """The year gaps are counted from when none is asked for: five years back."""
    return (today or timezone.localdate()).year - DEFAULT_YEARS_BACK


def _counts(inputs, since: dt.datetime) -> list[tuple[str, str, dt.datetime, int]]:
    """(kind, key, last received, count since) per theme (a sub-theme counts for its parent
    too), per channel, and for children and young people; only what has any input at all.
    ``inputs``: the ids already found, or a queryset that finds them (asked in the same
    statement, no round trip of ids)."""
    if isinstance(inputs, QuerySet):
        hits_sql, params = inputs.order_by().values("id").query.sql_with_params()
    else:
        hits_sql, params = "SELECT unnest(%s::bigint[])", (list(inputs),)
    table, link, theme = (
        quoted_table(Input),
        quoted_table(Input.themes.through),
        quoted_table(Theme),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH hits AS MATERIALIZED (
                SELECT i.id, i.channel, i.received_at, i.source_group,
                       i.location_restricted AND i.registered_by_id IS NULL AS under_16
                FROM {table} i WHERE i.id IN ({hits_sql}))
            SELECT 'theme', s.slug, max(h.received_at),
                   count(DISTINCT h.id) FILTER (WHERE h.received_at >= %s)
            FROM hits h JOIN {link} it ON it.input_id = h.id
            JOIN {theme} t ON t.id = it.theme_id LEFT JOIN {theme} p ON p.id = t.parent_id
            CROSS JOIN LATERAL unnest(ARRAY[t.slug, p.slug]) s(slug)
            WHERE s.slug IS NOT NULL GROUP BY s.slug
            UNION ALL
            SELECT 'channel', h.channel, max(h.received_at),
                   count(*) FILTER (WHERE h.received_at >= %s)
            FROM hits h GROUP BY h.channel
            UNION ALL
            SELECT 'children', '', max(h.received_at),
                   count(*) FILTER (WHERE h.received_at >= %s)
            FROM hits h WHERE h.channel = ANY(%s) OR h.under_16 OR h.source_group ~* %s
            HAVING count(*) > 0
            """,
            [*params, since, since, since, list(YOUTH_CHANNELS), YOUTH_GROUP],
        )
        return cursor.fetchall()


def _last(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).date().isoformat() if value else None


def gaps(inputs: Sequence[int] | QuerySet, *, since_year: int, sees_restricted: bool) -> dict:
    """What has no input among these (visible, area-limited) inputs since 1 January of a year;
    ``inputs`` are their ids or a queryset.

    ``{"since_year", "themes": [{"slug", "last_received"}], "channels": [{"channel",
    "last_received"}], "children_and_young": {"gap", "count", "last_received", "complete"}}``;
    ``last_received`` is the local date of the last input ever (null: never). The themes are
    the active ones in their order, the channels those of the participation plan.
    """
    since = timezone.make_aware(dt.datetime(since_year, 1, 1))
    found: dict[tuple[str, str], tuple[dt.datetime, int]] = {
        (kind, key): (last, n) for kind, key, last, n in _counts(inputs, since)
    }
    themes = Theme.objects.filter(active=True).order_by("sort_order", "slug")
    theme_gaps = [
        {"slug": slug, "last_received": _last(found.get(("theme", slug), (None, 0))[0])}
        for slug in themes.values_list("slug", flat=True)
        if not found.get(("theme", slug), (None, 0))[1]
    ]
    channel_gaps = [
        {"channel": code, "last_received": _last(found.get(("channel", code), (None, 0))[0])}
        for code in Channel.values
        if not found.get(("channel", code), (None, 0))[1]
    ]
    last, count = found.get(("children", ""), (None, 0))
    return {
        "since_year": since_year,
        "themes": theme_gaps,
        "channels": channel_gaps,
        "children_and_young": {
            "gap": count == 0,
            "count": count,
            "last_received": _last(last),
            # The public does not see Barnetråkk (location-restricted) input: unknown to them.
            "complete": sees_restricted,
        },
    }
