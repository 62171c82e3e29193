"""Group similar statements: 40 people saying the same thing read as one point with 40 voices.

Two passes, both in PostgreSQL:
1. Exact repeats after normalisation (case, punctuation, whitespace) collapse into one text.
2. The distinct texts are compared pairwise with pg_trgm ``similarity`` (0..1); pairs at or
   above the threshold are joined into groups (union-find).

Pass 2 is quadratic in the number of *distinct* texts, so it runs on at most
``MAX_DISTINCT`` of them (the most repeated first); beyond that only exact repeats are grouped
and the result says so. Runs on the public (redacted) text only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection

from inputbank.models import Input

DEFAULT_THRESHOLD = 0.5
MAX_DISTINCT = 800


@dataclass
class StatementGroup:
    """Inputs that say (nearly) the same; ``text`` is the most common wording."""

    text: str
    input_ids: list[int] = field(default_factory=list)

    @property
    def voices(self) -> int:
        return len(self.input_ids)


@dataclass
class Grouping:
    groups: list[StatementGroup]
    partial: bool = False  # True when only exact repeats were grouped (too many texts)


def _find(parent: dict[int, int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def similar_statements(
    input_ids: Sequence[int], *, threshold: float = DEFAULT_THRESHOLD, min_voices: int = 2
) -> Grouping:
    """Return groups of at least ``min_voices`` similar inputs among these ids, largest first."""
    if not input_ids:
        return Grouping(groups=[])
    table = connection.ops.quote_name(Input._meta.db_table)
    with connection.cursor() as cursor:
        # Pass 1: normalised text -> ids, most repeated first.
        cursor.execute(
            f"""
            SELECT norm, array_agg(id ORDER BY received_at, id), mode() WITHIN GROUP
                   (ORDER BY public_text)
            FROM (SELECT i.id, i.received_at, i.public_text,
                         btrim(regexp_replace(lower(i.public_text), '[^[:alnum:]]+', ' ', 'g'))
                           AS norm
                  FROM {table} i WHERE i.id = ANY(%s)) t
            WHERE norm <> ''
            GROUP BY norm ORDER BY count(*) DESC, norm
            """,
            [list(input_ids)],
        )
        distinct = cursor.fetchall()
        partial = len(distinct) > MAX_DISTINCT
        compared = distinct[:MAX_DISTINCT]
        pairs: list[tuple[int, int]] = []
        if len(compared) > 1:
            # Pass 2: pairwise similarity of the distinct wordings (indices into `compared`).
            cursor.execute(
                """
                WITH t AS MATERIALIZED (
                    SELECT ord::int AS k, norm
                    FROM unnest(%s::text[]) WITH ORDINALITY AS u(norm, ord)
                )
                SELECT a.k, b.k FROM t a JOIN t b ON a.k < b.k
                WHERE similarity(a.norm, b.norm) >= %s
                """,
                [[row[0] for row in compared], threshold],
            )
            pairs = cursor.fetchall()
    parent = {k: k for k in range(1, len(distinct) + 1)}
    for a, b in pairs:
        ra, rb = _find(parent, a), _find(parent, b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the more repeated wording leads
    members: dict[int, list[int]] = {}
    for k in parent:
        members.setdefault(_find(parent, k), []).append(k)
    groups = []
    for root, ks in members.items():
        ids = [i for k in sorted(ks) for i in distinct[k - 1][1]]
        if len(ids) >= min_voices:
            groups.append(StatementGroup(text=distinct[root - 1][2], input_ids=ids))
    groups.sort(key=lambda g: (-g.voices, g.text))
    return Grouping(groups=groups, partial=partial)
