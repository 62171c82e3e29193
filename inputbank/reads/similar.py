"""Group similar statements: 40 people saying the same thing read as one point with 40 voices.

1. Exact repeats after normalisation (case, punctuation, whitespace) collapse into one wording,
   in PostgreSQL, which also returns each wording's trigrams (pg_trgm ``show_trgm``).
2. Wordings are grouped by *leader* clustering on pg_trgm similarity (shared trigrams / all
   trigrams, the same number ``similarity()`` gives): the most repeated wording leads a group,
   and each further wording joins the leader it is most similar to, if at least ``threshold``.
   Comparing with leaders only (not chaining through members) keeps a group about one thing.
   Candidate leaders come from an inverted index over each wording's rarest trigrams only
   (prefix filtering: two sets with Jaccard similarity >= t must share one of the first
   ``len - ceil(t * len) + 1`` trigrams in a common rarest-first order), then the exact
   similarity decides.

At most ``MAX_DISTINCT`` wordings (the most repeated first) are compared; beyond that the
result says it is partial. Runs on the public (redacted) text only.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from inputbank.dbrouter import read_connection
from inputbank.models import Input
from inputbank.models.tables import quoted_table

DEFAULT_THRESHOLD = 0.5
# Comparing is about quadratic in the worst case (demo texts: 4 600 wordings ~2.5 s on 2 busy
# cores, 2 000 ~0.5 s); the most repeated wordings come first, so the big groups are found.
MAX_DISTINCT = 2_000


@dataclass
class StatementGroup:
    """Inputs that say (nearly) the same; ``text`` is the most repeated wording."""

    text: str
    input_ids: list[int] = field(default_factory=list)

    @property
    def voices(self) -> int:
        return len(self.input_ids)


@dataclass
class Grouping:
    groups: list[StatementGroup]
    partial: bool = False  # True when some wordings were left out (too many to compare)


def _wordings(input_ids: Sequence[int]) -> list[tuple[str, list[int], str, list[str]]]:
    """Return (normalised text, input ids, a public text, trigrams), most repeated first."""
    table = quoted_table(Input)
    with read_connection().cursor() as cursor:
        cursor.execute(
            f"""
            SELECT norm, array_agg(id ORDER BY received_at, id),
                   mode() WITHIN GROUP (ORDER BY public_text), show_trgm(norm)
            FROM (SELECT i.id, i.received_at, i.public_text,
                         btrim(regexp_replace(lower(i.public_text), '[^[:alnum:]]+', ' ', 'g'))
                           AS norm
                  FROM {table} i WHERE i.id = ANY(%s)) t
            WHERE norm <> ''
            GROUP BY norm ORDER BY count(*) DESC, norm
            LIMIT %s
            """,
            [list(input_ids), MAX_DISTINCT + 1],
        )
        return cursor.fetchall()


def _prefix(trigrams: set[str], frequency: Counter, threshold: float) -> list[str]:
    """Return the rarest trigrams, as many as prefix filtering needs for this threshold."""
    ordered = sorted(trigrams, key=lambda t: (frequency[t], t))
    return ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]


def similar_statements(
    input_ids: Sequence[int], *, threshold: float = DEFAULT_THRESHOLD, min_voices: int = 2
) -> Grouping:
    """Return groups of at least ``min_voices`` similar inputs among these ids, largest first."""
    if not input_ids:
        return Grouping(groups=[])
    wordings = _wordings(input_ids)
    partial = len(wordings) > MAX_DISTINCT
    wordings = wordings[:MAX_DISTINCT]
    frequency = Counter(t for *_rest, trigrams in wordings for t in set(trigrams))
    leader_trigrams: list[set[str]] = []
    postings: dict[str, list[int]] = defaultdict(list)
    groups: list[StatementGroup] = []
    for _norm, ids, text, trigrams in wordings:
        mine = set(trigrams)
        prefix = _prefix(mine, frequency, threshold)
        candidates = {leader for t in prefix for leader in postings.get(t, ())}
        best, best_similarity = None, threshold
        for leader in candidates:
            theirs = leader_trigrams[leader]
            shared = len(mine & theirs)
            similarity = shared / (len(mine) + len(theirs) - shared)
            if similarity >= best_similarity:
                best, best_similarity = leader, similarity
        if best is None:
            for t in prefix:
                postings[t].append(len(groups))
            leader_trigrams.append(mine)
            groups.append(StatementGroup(text=text, input_ids=list(ids)))
        else:
            groups[best].input_ids.extend(ids)
    kept = [g for g in groups if g.voices >= min_voices]
    kept.sort(key=lambda g: (-g.voices, g.text))
    return Grouping(groups=kept, partial=partial)
