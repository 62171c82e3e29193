"""The statements the matcher compares a new input with: the nearest inputs' (submission) and
the columns the batch regrouping reads (``reads.argument_blocks``), one definition for both.

Stored tokens (``Input.match_tokens``, migration 0025) are used when their key still matches
the wording and the lexicon; otherwise the wording is tokenised here (docs/arguments.md).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence

from django.db import connection
from django.db.models.signals import post_delete, post_save

from inputbank.geometry import to_storage
from inputbank.matching import Candidate, Statement, tokens
from inputbank.matching.text import FINGERPRINT
from inputbank.models import Input, ModerationStatus, Theme
from inputbank.models.tables import quoted_table
from inputbank.reads.arguments import street_of

# Compared with at submission: the arguments of inputs this close, the nearest first.
NEAR_M = 1_000
MAX_CANDIDATES = 300
THEMES_FRESH_S = 60.0
_CURRENT: ThemeKeys | None = None


class ThemeKeys:
    """An input's theme keys as the matcher compares them: its theme ids with their parents'
    (a sub-theme is also its parent's). Read the theme tree once per match or sweep (a few
    dozen rows); a few hundred combinations are shared by a million statements (batch memory).
    """

    def __init__(self) -> None:
        self.parents = dict(Theme.objects.values_list("id", "parent_id"))
        self._seen: dict[tuple[int, ...], frozenset[object]] = {}
        self.read_at = time.monotonic()

    @classmethod
    def current(cls) -> ThemeKeys:
        """The theme tree as this process read it at most THEMES_FRESH_S ago: a submission
        saves the round trip (an officer's change of a theme's parent counts within a minute;
        meanwhile a match may miss or gain the 0.08 of a shared theme; in this process a
        saved or deleted theme is seen at once)."""
        global _CURRENT  # noqa: PLW0603 - the process's copy, as documented above
        if _CURRENT is None or time.monotonic() - _CURRENT.read_at > THEMES_FRESH_S:
            _CURRENT = cls()
        return _CURRENT

    def __call__(self, theme_ids) -> frozenset[object]:
        ids = tuple(sorted(theme_ids or ()))
        found = self._seen.get(ids)
        if found is None:
            parents = (self.parents.get(t) for t in ids)
            found = self._seen[ids] = frozenset([*ids, *(p for p in parents if p)])
        return found


def _forget_themes(**_kwargs) -> None:
    global _CURRENT  # noqa: PLW0603
    _CURRENT = None


post_save.connect(_forget_themes, sender=Theme, dispatch_uid="argument_theme_keys_save")
post_delete.connect(_forget_themes, sender=Theme, dispatch_uid="argument_theme_keys_delete")


def statement_of(input: Input, themes: frozenset[object] = frozenset()) -> Statement:  # noqa: A002
    """A Statement of an input in memory (a new one: its tokens are made here)."""
    point = None
    if input.geom is not None:
        # A freshly submitted input still holds the geometry as given (lon/lat): compare in
        # the storage CRS's metres.
        # (to_storage keeps the thread's GDAL transformation: building one took ~5 ms).
        point = to_storage(input.geom).centroid
    return Statement(
        key=input.pk,
        tokens=tokens(input.public_text or input.text),
        x=point.x if point else None,
        y=point.y if point else None,
        themes=themes,
        street=street_of(input.location_description),
    )


def theme_ids_of(input_ids: Sequence[int]) -> dict[int, list[int]]:
    """Each input's theme ids (their parents are added by ThemeKeys)."""
    out: dict[int, list[int]] = defaultdict(list)
    rows = Input.themes.through.objects.filter(input_id__in=list(input_ids)).values_list(
        "input_id", "theme_id"
    )
    for input_id, theme_id in rows:
        out[input_id].append(theme_id)
    return out


def _wording(alias: str) -> str:
    return f"COALESCE(NULLIF({alias}.public_text, ''), {alias}.text)"


def statement_sql(alias: str = "i") -> str:
    """The columns a Statement is made from, for the input row ``alias``: id, argument id,
    wording, place description, centroid x and y (storage CRS metres), theme ids, and the
    stored tokens when their key still matches the wording and lexicon (else NULL: tokenise).
    One definition for submission (``nearest_statements``) and the batch regrouping
    (``reads.argument_blocks``), so both compare the very same statements.

    The theme ids come from one index-only lookup per row: the first version joined the theme
    table twice per row for slugs and parents' slugs, ~75 % of the candidate query (EXPLAIN at
    S, docs/arguments.md); parents are added in Python (ThemeKeys). FINGERPRINT is our own hex
    constant, not input."""
    link = quoted_table(Input.themes.through)
    return f"""{alias}.id, {alias}.argument_id, {_wording(alias)}, {alias}.location_description,
        ST_X(ST_Centroid({alias}.geom)), ST_Y(ST_Centroid({alias}.geom)),
        ARRAY(SELECT it.theme_id FROM {link} it WHERE it.input_id = {alias}.id
              ORDER BY it.theme_id),
        CASE WHEN {alias}.match_key = md5('{FINGERPRINT}' || {_wording(alias)})::uuid
             THEN {alias}.match_tokens END"""


def row_statement(pk, text, description, x, y, theme_ids, stored, keys: ThemeKeys) -> Statement:
    """A Statement from the columns of ``statement_sql`` (after the argument id)."""
    return Statement(
        key=pk,
        tokens=tokens(text) if stored is None else frozenset(stored),
        x=x,
        y=y,
        themes=keys(theme_ids),
        street=street_of(description) if description else "",
    )


def nearest_statements(
    geom, *, with_argument: bool = True, keys: ThemeKeys | None = None
) -> list[tuple[int | None, Statement]]:
    """(argument id, statement) of the published and of the pending inputs whose centroids
    are nearest to ``geom``'s (within NEAR_M, at most MAX_CANDIDATES each), in one statement.

    Nearest, not newest: in the town centre at size M a kilometre holds some 100 000 inputs,
    and sorting them by date would cost far more than the 50 ms a submission may spend.
    Published and pending are asked apart, each through its own partial GiST index on the
    centroid (``input_published_centroid``, ``input_pending_centroid``) in nearest-neighbour
    order, so the search stays a few hundred index entries however large the bank grows
    (docs/arguments.md, EXPLAIN). Centroids, as the scoring measures distance and the
    regrouping's grid finds neighbours: nearest by the geometry itself, the scan rechecked
    the exact distance of every route and area whose box held the point (~10 of the ~11 ms
    the query took at M in the town centre; docs/benchmarks.md, X2). The point, tokens and
    theme ids come with the rows: no model objects, no GEOS per row, no tokenising of stored
    wordings (measured: the ORM and GEOS way cost ~100 ms for 600 candidates; tokenising them
    ~10-25 ms; joining theme slugs ~15 ms).
    """
    table = quoted_table(Input)
    # Written so that the nearest-neighbour index scan is the only cheap plan (EXPLAIN at S,
    # docs/arguments.md): the box (not ST_DWithin) bounds the walk, the distance is checked
    # on the 300 found (the nearest within the box, then those within NEAR_M, are the nearest
    # within NEAR_M), and "has an argument" is no condition an index answers. With
    # ST_DWithin and ``argument_id IS NOT NULL`` PostgreSQL chose bitmap scans of every input
    # within a kilometre (or of the argument index) and a sort: 50-135 ms at S.
    where = "AND COALESCE(i.argument_id, 0) > 0" if with_argument else ""
    # ST_Centroid(i.geom) is the indexes' expression, written as they are so they are used.
    part = f"""(SELECT * FROM (
                  SELECT {statement_sql("i")},
                         ST_Centroid(i.geom) <-> ST_GeomFromEWKB(%s) AS distance
                  FROM {table} i
                  WHERE i.status = %s {where}
                    AND ST_Centroid(i.geom) && ST_Expand(ST_GeomFromEWKB(%s), %s)
                  ORDER BY ST_Centroid(i.geom) <-> ST_GeomFromEWKB(%s) LIMIT %s) nearest
                WHERE distance <= %s)"""
    point = bytes(geom.centroid.ewkb)
    params = []
    for status in (ModerationStatus.PUBLISHED, ModerationStatus.PENDING):
        params += [point, status, point, NEAR_M, point, MAX_CANDIDATES, NEAR_M]
    with connection.cursor() as cursor:
        cursor.execute(f"{part} UNION ALL {part}", params)
        rows = cursor.fetchall()
    keys = keys or ThemeKeys()
    return [
        (argument_id, row_statement(pk, *rest, keys=keys))
        for pk, argument_id, *rest, _distance in rows
    ]


def candidates_for(
    input: Input,  # noqa: A002
    keys: ThemeKeys | None = None,
    theme_ids: Sequence[int] | None = None,
) -> list[Candidate]:
    """Arguments a new input may belong to: those of published or pending inputs nearby
    (or, without a place, under the same themes: ``theme_ids``, or the saved input's), each
    with its members' statements. The input need not be saved yet."""
    keys = keys or ThemeKeys()
    by_argument: dict[int, Candidate] = {}
    if input.geom is not None:
        geom = to_storage(input.geom)
        own = input.pk  # a property: asked once, not for each of ~600 rows
        for argument_id, statement in nearest_statements(geom, keys=keys):
            if statement.key == own or argument_id is None:
                continue
            candidate = by_argument.get(argument_id)
            if candidate is None:
                candidate = by_argument[argument_id] = Candidate(key=argument_id)
            candidate.members.append(statement)
        return list(by_argument.values())
    live = (ModerationStatus.PUBLISHED, ModerationStatus.PENDING)
    members = list(
        Input.objects.filter(argument__isnull=False, status__in=live)
        .exclude(pk=input.pk)
        .filter(themes__in=input.themes.all() if theme_ids is None else theme_ids)
        .distinct()
        .only("id", "public_text", "text", "geom", "argument_id", "location_description")
        .order_by("-received_at")[:MAX_CANDIDATES]
    )
    themes = theme_ids_of([m.pk for m in members])
    for member in members:
        candidate = by_argument.setdefault(member.argument_id, Candidate(key=member.argument_id))
        candidate.members.append(statement_of(member, keys(themes.get(member.pk))))
    return list(by_argument.values())
