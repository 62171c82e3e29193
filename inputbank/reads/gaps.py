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

import orjson
from django.utils import timezone

from inputbank.models import Channel, Theme
from inputbank.models.tables import quoted_table

DEFAULT_YEARS_BACK = 5
YOUTH_CHANNELS = (Channel.BARNETRAKK.value,)
# A group name that says the input came from children or young people (case-insensitive).
YOUTH_GROUP = r"ungdomsr[åa]d|elevr[åa]d|barnetr[åa]kk|barn og unge|ungdom"


def default_since_year(today: dt.date | None = None) -> int:
    """The year gaps are counted from when none is asked for: five years back."""
    return (today or timezone.localdate()).year - DEFAULT_YEARS_BACK


# The column ``counts_json_sql`` reads from its relation of inputs besides id, channel and
# received_at: (name, SQL type, SQL over an input row ``i``; two parameters: YOUTH_PARAMS),
# and the input fields it needs.
GAP_FIELDS = (
    (
        "youth",
        "boolean",
        "(i.channel = ANY(%s) OR (i.location_restricted AND i.registered_by_id IS NULL) "
        "OR i.source_group ~* %s)",
    ),
)
GAP_INPUT_FIELDS = ("location_restricted", "registered_by_id", "source_group")
GAP_COLUMNS = ", ".join(f"{sql} AS {name}" for name, _type, sql in GAP_FIELDS)
YOUTH_PARAMS = (list(YOUTH_CHANNELS), YOUTH_GROUP)


def counts_json_sql(inputs: str, themes: str) -> str:
    """SQL for the gaps' counts as one JSON object (a scalar subquery; one parameter: the
    start of the period, three times: ``since_params``): ``themes``, the active themes'
    slugs in their order, and ``counts``, each (kind, key, last received, count since) per
    theme (a sub-theme counts for its parent too), per channel, and for children and young
    people; only what has any input at all.

    ``inputs`` has the columns id, channel, received_at and GAP_COLUMNS; ``themes`` their
    theme links as (id, theme_id, received_at): prior input has both from its hits already.
    Grouped by theme id, the slugs joined after (sorting text by collation took most of it).
    Each (theme, input) pair once: the links and, for sub-themes, their parents, made unique
    by UNION (hashed), so the count needs no DISTINCT (which sorted every link: 90 ms of a
    40 000-hit area at M, now ~40; docs/benchmarks.md, B1 session 8).
    """
    theme = quoted_table(Theme)
    return f"""(SELECT json_build_object(
            'themes', (SELECT COALESCE(json_agg(slug ORDER BY sort_order, slug), '[]')
                       FROM {theme} WHERE active),
            'counts', COALESCE(json_agg(json_build_array(kind, key, last, n)), '[]'))::text
        FROM (
            SELECT 'theme' AS kind, t.slug AS key, s.last, s.n
            FROM (SELECT u.theme_id, max(u.received_at) AS last,
                         count(*) FILTER (WHERE u.received_at >= %s) AS n
                  FROM (SELECT h.theme_id, h.id, h.received_at FROM {themes} h
                        UNION
                        SELECT t.parent_id, h.id, h.received_at
                        FROM {themes} h JOIN {theme} t ON t.id = h.theme_id
                        WHERE t.parent_id IS NOT NULL) u
                  GROUP BY u.theme_id) s
            JOIN {theme} t ON t.id = s.theme_id
            UNION ALL
            SELECT 'channel', h.channel, max(h.received_at),
                   count(*) FILTER (WHERE h.received_at >= %s)
            FROM {inputs} h GROUP BY h.channel
            UNION ALL
            SELECT 'children', '', max(h.received_at),
                   count(*) FILTER (WHERE h.received_at >= %s)
            FROM {inputs} h WHERE h.youth
            HAVING count(*) > 0) c)"""


def since_params(since_year: int) -> tuple[dt.datetime, ...]:
    """``counts_json_sql``'s parameters: 1 January of the year, local time (three times)."""
    return (timezone.make_aware(dt.datetime(since_year, 1, 1)),) * 3


def _last(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).date().isoformat() if value else None


def gaps_from_json(text: str | bytes, *, since_year: int, sees_restricted: bool) -> dict:
    """What has no input among the counted (visible, area-limited) inputs since 1 January of
    a year, from ``counts_json_sql``'s array.

    ``{"since_year", "themes": [{"slug", "last_received"}], "channels": [{"channel",
    "last_received"}], "children_and_young": {"gap", "count", "last_received", "complete"}}``;
    ``last_received`` is the local date of the last input ever (null: never). The themes are
    the active ones in their order, the channels those of the participation plan.
    """
    answer = orjson.loads(text)
    found: dict[tuple[str, str], tuple[dt.datetime, int]] = {
        (kind, key): (dt.datetime.fromisoformat(last), n) for kind, key, last, n in answer["counts"]
    }
    theme_gaps = [
        {"slug": slug, "last_received": _last(found.get(("theme", slug), (None, 0))[0])}
        for slug in answer["themes"]
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
