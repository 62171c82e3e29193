"""Arguments (standpunkter) read back: candidates for the matcher, the report's argument list.

``statements_near`` gives the matcher what it compares a new input with; ``arguments_for``
turns a set of visible input ids into the report's arguments (docs/arguments.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence

import orjson
from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext

from inputbank.matching import Match
from inputbank.models import (
    Argument,
    ArgumentCheck,
    ArgumentVoice,
    Input,
    ModerationStatus,
    Process,
    Response,
    Theme,
)
from inputbank.models.tables import quoted_table

TITLE_CHARS = 80
_STREET = re.compile(r"^\s*([^\d,]+?)\s*\d")


def street_of(location_description: str) -> str:
    """The street of an address-like place description ("Kongens gate 12" → "kongens gate")."""
    found = _STREET.match(location_description or "")
    return found.group(1).strip().lower() if found else ""


def title_of(text: str) -> str:
    """A short title made from a wording: its first line, cut at TITLE_CHARS."""
    first = (text or "").strip().split("\n", 1)[0]
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1].rstrip() + "…"


def reason_text(match: Match) -> str:
    """The match's reason in a planner's words: "same theme, 35 m apart, shares 'x', 'y'"."""
    parts = []
    if match.same_theme:
        parts.append(gettext("same theme"))
    if match.same_street:
        parts.append(gettext("same street"))
    if match.distance_m is not None:
        parts.append(gettext("%(metres)d m apart") % {"metres": round(match.distance_m)})
    if match.shared:
        words = ", ".join(f"'{w}'" for w in match.shared[:5])
        parts.append(gettext("shares %(words)s") % {"words": words})
    return ", ".join(parts)[:300]


def _answer_dict(outcome, justification, decision_reference, decided_at) -> dict:
    return {
        "outcome": outcome,
        "justification": justification,
        "decision_reference": decision_reference,
        "decided_at": decided_at.isoformat(),
    }


def latest_answer(argument_ids: Sequence[int]) -> dict[int, dict]:
    """The answer shown for each argument: the latest response naming it or given to one of
    its published inputs, kept on the argument by triggers (migration 0027: reading it from
    the members took 6–12 s per report at size M)."""
    ids = list(argument_ids)
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT a.id, r.outcome, r.justification, r.decision_reference, r.decided_at
                FROM {quoted_table(Argument)} a JOIN {quoted_table(Response)} r
                  ON r.id = a.answer_id
                WHERE a.id = ANY(%s)""",
            [ids],
        )
        return {row[0]: _answer_dict(*row[1:]) for row in cursor.fetchall()}


# The columns ``arguments_json_sql`` reads from its relation of hits: (name, SQL type, SQL
# over an input row ``i``), and the input fields they need (a caller materialising its hits
# selects these).
ARGUMENT_FIELDS = (
    ("public_id", "uuid", "i.public_id"),
    ("argument_id", "bigint", "i.argument_id"),
    ("has_reason", "boolean", "i.argument_reason <> ''"),
)
ARGUMENT_INPUT_FIELDS = ("public_id", "argument_id", "argument_reason")
ARGUMENT_COLUMNS = ", ".join(f"{sql} AS {name}" for name, _type, sql in ARGUMENT_FIELDS)


def arguments_json_sql(hits: str, *, newest: bool = False, quote_members: int = 0) -> str:
    """SQL for the arguments the inputs of relation ``hits`` make, as one JSON array (a
    scalar subquery; one parameter: the limit). ``hits`` has the columns id, received_at,
    process_id and ARGUMENT_COLUMNS. Each element is one argument's row, read by
    ``arguments_from_json``.

    Per argument only ids are aggregated over all its hits (the oldest members, the newest
    with a reason); the wording and the reason are read by key for the listed ones.

    ``quote_members``: the answer is ``[arguments, texts]`` instead, ``texts`` the public
    texts (by public id) of the oldest ``quote_members`` inputs of each listed argument: what
    ``reads.summaries.theme_summaries`` quotes from (it picks the arguments per theme),
    read in this statement instead of one more.
    """
    inputs, args = quoted_table(Input), quoted_table(Argument)
    link = quoted_table(Argument.themes.through)
    theme, process = quoted_table(Theme), quoted_table(Process)
    voice, check = quoted_table(ArgumentVoice), quoted_table(ArgumentCheck)
    response = quoted_table(Response)
    # Two fixed orders (no request text reaches the SQL).
    if newest:
        order_g, order = "max(received_at) DESC, count(*) DESC", "g.last DESC, g.voices DESC"
    else:
        order_g, order = "count(*) DESC, max(received_at) DESC", "g.voices DESC, g.last DESC"

    members, head, tail = 1, "", "::text"
    if quote_members:
        members = int(quote_members)  # a number only reaches the SQL
        head = "json_build_array("
        tail = f""", (SELECT COALESCE(json_object_agg(m.public_id, m.public_text), '{{}}')
                    FROM g JOIN {inputs} m ON m.id = ANY(g.members)))::text"""
    return f"""(WITH g AS (
                SELECT argument_id, array_agg(public_id::text ORDER BY received_at, id) AS ids,
                       count(*) AS voices, min(received_at) AS first, max(received_at) AS last,
                       array_remove(array_agg(DISTINCT process_id), NULL) AS processes,
                       (array_agg(id ORDER BY received_at DESC, id DESC)
                          FILTER (WHERE has_reason))[1] AS reason_id,
                       (array_agg(id ORDER BY received_at, id))[1:{members}] AS members
                FROM {hits} WHERE argument_id IS NOT NULL GROUP BY argument_id
                ORDER BY {order_g} LIMIT %s)
            SELECT {head}COALESCE(json_agg(json_build_array(
                a.id, a.title, a.titled_by_officer, a.confirmed, g.ids, g.voices, g.first,
                g.last,
                COALESCE((SELECT json_agg(json_build_object('id', p.id, 'slug', p.slug,
                              'title', p.title) ORDER BY p.id)
                          FROM {process} p WHERE p.id = ANY(g.processes)), '[]'),
                COALESCE((SELECT json_agg(t.slug ORDER BY t.slug) FROM {link} l
                          JOIN {theme} t ON t.id = l.theme_id WHERE l.argument_id = a.id),
                         '[]'),
                (SELECT ri.argument_reason FROM {inputs} ri WHERE ri.id = g.reason_id),
                (SELECT si.public_text FROM {inputs} si WHERE si.id = g.members[1]),
                (SELECT count(*) FROM {voice} v JOIN {check} c ON c.id = v.argument_check_id
                 WHERE c.argument_id = a.id AND v.stance = 'confirm'),
                (SELECT max(v.created_at) FROM {voice} v
                 JOIN {check} c ON c.id = v.argument_check_id
                 WHERE c.argument_id = a.id AND v.stance = 'confirm'),
                (SELECT json_build_array(r.outcome, r.justification, r.decision_reference,
                                         r.decided_at)
                 FROM {response} r WHERE r.id = a.answer_id))
                ORDER BY {order}, a.id), '[]'){tail}
            FROM g JOIN {args} a ON a.id = g.argument_id)"""


def _time(value: str | None) -> dt.datetime | None:
    """A timestamp as JSON gives it (ISO 8601, the connection's UTC offset)."""
    return dt.datetime.fromisoformat(value) if value else None


def arguments_from_json(text: str) -> list[dict]:
    """The arguments as the answer lists them, from ``arguments_json_sql``'s array.

    The wording shown is one of the caller's own visible inputs: an argument opened by a
    pending input must not show that text to the public. An officer's title is theirs to show.
    """
    return arguments_from_rows(orjson.loads(text))


def arguments_from_rows(rows: list) -> list[dict]:
    """``arguments_from_json`` for the array already parsed."""
    out = []
    for r in rows:
        last_confirmed, answer = _time(r[13]), r[14]
        out.append(
            {
                "id": r[0],
                "title": r[1] if r[2] else title_of(r[11]),
                "text": r[11],
                "input_ids": r[4],
                # A resident's "still true" is a dated voice on the argument.
                "voices": r[5] + r[12],
                "confirmations": r[12],
                "last_confirmed": last_confirmed.isoformat() if last_confirmed else None,
                "first_received": _time(r[6]).isoformat(),  # type: ignore[union-attr]
                "last_received": _time(r[7]).isoformat(),  # type: ignore[union-attr]
                "processes": r[8],
                "themes": r[9],
                "response": None if answer is None else _answer_dict(*answer[:3], _time(answer[3])),
                "reason": gettext("confirmed by a case officer") if r[3] else (r[10] or ""),
            }
        )
    return out


def arguments_for(inputs_qs, *, limit: int = 100, newest: bool = False) -> list[dict]:
    """The arguments the inputs of this (already visible, filtered) queryset make, most voices
    first (``newest``: the latest input first), at most ``limit``. (Prior input asks the
    same SQL over its own hits, in its main statement: reads.prior_input.)

    Only those inputs count and are listed: the caller's role decided which they are, so
    anonymous callers see only published inputs' ids. No personal data.
    """
    hits_sql, params = inputs_qs.order_by().values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH hits AS (SELECT i.id, i.received_at, i.process_id, {ARGUMENT_COLUMNS} "
            f"FROM {quoted_table(Input)} i WHERE i.id IN ({hits_sql}) "
            "AND i.argument_id IS NOT NULL) "
            f"SELECT {arguments_json_sql('hits', newest=newest)}",
            [*params, limit],
        )
        (text,) = cursor.fetchone()
    return arguments_from_json(text)


def arguments_by_theme(arguments: Sequence[dict]) -> dict[str, list[dict]]:
    """The report's view: per theme, its arguments ranked by voices (an argument under each
    of its themes), each with a quote (its representative wording)."""
    out: dict[str, list[dict]] = defaultdict(list)
    for argument in arguments:
        for slug in argument["themes"] or ["-"]:
            out[slug].append(argument)
    for items in out.values():
        items.sort(key=lambda a: (-a["voices"], a["id"]))
    return dict(sorted(out.items(), key=lambda kv: -sum(a["voices"] for a in kv[1])))


def heard_before(input: Input) -> dict | None:  # noqa: A002
    """What the resident is told at submission when the argument was answered before
    ("sagt her før — kommunen svarte: ..."): only answers given to published input."""
    if input.argument_id is None:
        return None
    if not input.argument_pinned and not input.argument_reason:
        # The machine opened a new argument for it just now (a join always has a reason): no
        # earlier answer to find, and the submission saves the round trip.
        return None
    answer = latest_answer([input.argument_id]).get(input.argument_id)
    if answer is None:
        return None
    published = Input.objects.filter(
        argument_id=input.argument_id, status=ModerationStatus.PUBLISHED
    )
    return {"argument": input.argument_id, "voices": published.count(), "response": answer}


def still_true_for(process: Process) -> list[dict]:
    """The earlier arguments staff put before this process's residents, as residents see them:
    a wording from published input only (or the officer's title), the earlier answer, and the
    confirmations and disagreements so far. Arguments with no published input are left out."""
    checks = list(
        ArgumentCheck.objects.filter(process=process).select_related("argument").order_by("id")
    )
    answers = latest_answer([c.argument_id for c in checks])
    out = []
    for check in checks:
        # What the public may see (``published()``): a child's location-restricted input is
        # published for staff and counts only, never quoted on the process page.
        published = (
            Input.objects.published()
            .filter(argument_id=check.argument_id)
            .order_by("received_at", "id")
        )
        first = published.only("public_text", "received_at").first()
        if first is None:
            continue
        stances = dict(
            ArgumentVoice.objects.filter(argument_check=check)
            .values_list("stance")
            .annotate(n=Count("id"))
            .values_list("stance", "n")
        )
        argument = check.argument
        answer = answers.get(check.argument_id)
        out.append(
            {
                "check": check.pk,
                "argument": argument.pk,
                "title": argument.title
                if argument.titled_by_officer
                else title_of(first.public_text),
                "text": first.public_text,
                "voices": published.count(),
                "first_received": first.received_at.isoformat(),
                "response": answer,
                "confirmations": stances.get(ArgumentVoice.Stance.CONFIRM, 0),
                "disagreements": stances.get(ArgumentVoice.Stance.DISAGREE, 0),
            }
        )
    return out
