"""Each generated input placed in its argument as it is written, as in a bank where every
input was matched at submission: for a bank too large to group after the load.

Grouping a bank from scratch runs the matcher once per input (``manage.py match_arguments``:
about an hour at a million inputs, docs/benchmarks.md), which the benchmark's size L (ten
million) cannot wait for. The generator already knows what each statement says: a voice of a
recurring concern restates that labelled argument (one argument each), and a statement of its
own says its theme's kind of thing about its nearest place in its language (one argument per
theme, place and language: the statements the matcher would find alike). So the argument rows
are made first for every possible key (a few thousand), each input is written with its
argument, and afterwards each argument takes its title and wording from its first member,
its theme from its key, and those nobody joined are deleted. No reasons are written (the
matcher's "same theme, 35 m apart" needs a comparison that was never made), no history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils import timezone

from inputbank.demo.bulk import copy_rows, reserve_ids
from inputbank.demo.rows import LANGUAGES
from inputbank.models import Argument
from inputbank.models.tables import quoted_table
from inputbank.reads.arguments import title_of

if TYPE_CHECKING:
    from inputbank.demo.inputs import Plan


def key_count(plan: Plan) -> int:
    return len(plan.arguments) + len(plan.theme_order) * plan.places * len(LANGUAGES)


def theme_of_key(plan: Plan, key: int) -> str:
    if key < len(plan.arguments):
        return plan.arguments[key].theme
    slugs = list(plan.theme_order)
    return slugs[(key - len(plan.arguments)) // len(LANGUAGES) // plan.places]


def reserve_arguments(cursor, plan: Plan) -> int:
    """Write one placeholder argument per key; return the id of key 0."""
    count = key_count(plan)
    first = reserve_ids(cursor, Argument, count)
    now = timezone.now()
    copy_rows(
        cursor,
        Argument,
        ["id", "title", "text", "created_at", "updated_at"],
        ((first + k, "", "", now, now) for k in range(count)),
    )
    return first


def finish_arguments(
    cursor, plan: Plan, openers: dict[int, tuple[float, int, str]], log: Callable[[str], None]
) -> None:
    """Title each argument from its first member, give it its theme, drop the empty ones."""
    import datetime as dt

    assert plan.first_argument is not None
    first = plan.first_argument
    table = quoted_table(Argument)
    cursor.execute(
        "CREATE TEMP TABLE demo_argument_opener (id int, title text, text text, "
        "created_at timestamptz)"
    )
    copy_rows_raw = (
        (first + key, title_of(text), text, dt.datetime.fromtimestamp(stamp, dt.UTC))
        for key, (stamp, _input, text) in openers.items()
    )
    with cursor.copy("COPY demo_argument_opener FROM STDIN") as copy:
        for row in copy_rows_raw:
            copy.write_row(row)
    cursor.execute(
        f"UPDATE {table} a SET title = o.title, text = o.text, created_at = o.created_at "
        "FROM demo_argument_opener o WHERE a.id = o.id"
    )
    cursor.execute(
        f"DELETE FROM {table} a WHERE a.id BETWEEN %s AND %s "
        "AND NOT EXISTS (SELECT 1 FROM demo_argument_opener o WHERE o.id = a.id)",
        [first, first + key_count(plan) - 1],
    )
    cursor.execute("DROP TABLE demo_argument_opener")
    copy_rows(
        cursor,
        Argument.themes.through,
        ["argument_id", "theme_id"],
        ((first + key, plan.theme_ids[theme_of_key(plan, key)]) for key in sorted(openers)),
    )
    # The answers were written with their inputs, before the arguments had their rows (and
    # with the row triggers off): each argument's answer shown, set-based (migration 0027).
    cursor.execute("SELECT inputbank_argument_answers(NULL)")
    log(f"  inputs placed in {len(openers)} arguments as written (no regrouping)")
