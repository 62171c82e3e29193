"""Put the demo's freshly loaded input into arguments, as submission would have, in seconds.

``manage.py match_arguments`` runs the submission service once per input (a candidate query,
an Argument row with its history, an update): right for an upgrade, some minutes for the
demo's 5 000 inputs. The demo was written in one COPY and is grouped the same way in one go:
oldest first, each input (published or pending; rejected ones never) joins the best argument
by the product's own rule (``inputbank.matching.best_match``, the threshold and weights of
docs/arguments.md) or opens a new one, and its reason is written in the product's words
(``reads.arguments.reason_text``). What differs is only where the candidates come from: the
arguments with a member within one 300 m cell (3 × 3 cells around the input) instead of
the nearest 600 inputs, and of each argument its newest MEMBERS_COMPARED members. Without a
place, the newest arguments sharing a theme. An argument none of whose members shares a word
with the input is not scored at all: place, street and theme alone add at most 0.33, below
the threshold, so skipping it changes nothing. The arguments are written with COPY (no
history rows, like the demo input itself).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.db import connection
from django.utils import timezone

from inputbank.demo.bulk import copy_rows, reserve_ids
from inputbank.matching import Candidate, Statement, best_match, tokens
from inputbank.models import Argument, Input, Theme
from inputbank.models.tables import quoted_table
from inputbank.reads.arguments import reason_text, street_of, title_of

CELL_M = 300.0
MEMBERS_COMPARED = 12
NO_PLACE_CANDIDATES = 50


def _rows() -> list[tuple]:
    table, link, theme = (
        quoted_table(Input),
        quoted_table(Input.themes.through),
        quoted_table(Theme),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT i.id, i.public_text, i.location_description,
                   ST_X(ST_Centroid(i.geom)), ST_Y(ST_Centroid(i.geom)),
                   ARRAY(SELECT t.slug FROM {link} it JOIN {theme} t ON t.id = it.theme_id
                         WHERE it.input_id = i.id
                         UNION SELECT p.slug FROM {link} it JOIN {theme} t ON t.id = it.theme_id
                         JOIN {theme} p ON p.id = t.parent_id WHERE it.input_id = i.id),
                   ARRAY(SELECT it.theme_id FROM {link} it WHERE it.input_id = i.id)
            FROM {table} i
            WHERE i.status <> 'rejected' AND i.argument_id IS NULL
            ORDER BY i.received_at, i.id
            """
        )
        return cursor.fetchall()


def group_demo_inputs(log: Callable[[str], None]) -> int:
    """Group every input that has no argument yet (the demo just loaded, oldest first) into
    new arguments; return how many were made. For a bank that has arguments already, use
    ``manage.py match_arguments``: this pass compares new input with new arguments only."""
    rows = _rows()
    arguments: list[Candidate] = []
    opened_by: list[tuple] = []  # the row that opened each argument: its title and themes
    cells: dict[tuple[int, int], set[int]] = defaultdict(set)
    by_theme: dict[str, list[int]] = defaultdict(list)
    by_token: dict[str, set[int]] = defaultdict(set)  # the arguments whose members say it
    placed: list[tuple[int, int, str]] = []  # (input id, argument index, reason)
    for row in rows:
        pk, text, description, x, y, slugs, _theme_ids = row
        statement = Statement(
            key=pk,
            tokens=tokens(text),
            x=x,
            y=y,
            themes=frozenset(slugs),
            street=street_of(description),
        )
        if x is not None:
            cx, cy = int(x // CELL_M), int(y // CELL_M)
            near = set().union(*(cells[(cx + i, cy + j)] for i in (-1, 0, 1) for j in (-1, 0, 1)))
        else:
            near = {k for slug in slugs for k in by_theme[slug][-NO_PLACE_CANDIDATES:]}
        near &= set().union(*(by_token.get(t, ()) for t in statement.tokens))
        candidates = [
            Candidate(key=k, members=arguments[k].members[-MEMBERS_COMPARED:]) for k in sorted(near)
        ]
        found, match = best_match(statement, candidates)
        if found is None or match is None:
            index, reason = len(arguments), ""
            arguments.append(Candidate(key=index, members=[statement]))
            opened_by.append(row)
        else:
            index, reason = int(found.key), reason_text(match)  # type: ignore[call-overload]
            arguments[index].members.append(statement)
        placed.append((pk, index, reason))
        for token in statement.tokens:
            by_token[token].add(index)
        if x is not None:
            cells[(cx, cy)].add(index)
        for slug in slugs:
            if not by_theme[slug] or by_theme[slug][-1] != index:
                by_theme[slug].append(index)
    _write(arguments, opened_by, placed)
    log(f"  {len(placed)} inputs grouped into {len(arguments)} arguments")
    return len(arguments)


def _write(arguments: list[Candidate], opened_by: list[tuple], placed: list[tuple]) -> None:
    now = timezone.now()
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg 3 cursor: COPY support
        first = reserve_ids(cursor, Argument, len(arguments))
        # Titled like argument_match: from the wording that opened the argument.
        copy_rows(
            cursor,
            Argument,
            ["id", "title", "text", "created_at", "updated_at"],
            ((first + k, title_of(row[1]), row[1], now, now) for k, row in enumerate(opened_by)),
        )
        copy_rows(
            cursor,
            Argument.themes.through,
            ["argument_id", "theme_id"],
            ((first + k, t) for k, row in enumerate(opened_by) for t in row[6]),
        )
        cursor.execute(
            "CREATE TEMP TABLE demo_argument_of (input_id int, argument_id int, reason text) "
            "ON COMMIT DROP"
        )
        with cursor.copy("COPY demo_argument_of FROM STDIN") as copy:
            for pk, index, reason in placed:
                copy.write_row((pk, first + index, reason))
        cursor.execute(
            f"UPDATE {quoted_table(Input)} i SET argument_id = d.argument_id, "
            "argument_reason = d.reason FROM demo_argument_of d WHERE i.id = d.input_id"
        )
        cursor.execute("DROP TABLE demo_argument_of")
