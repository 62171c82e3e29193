"""What each demo input says besides its place and text: status, channel facts, answers.

Small seeded choices per row, apart from ``inputs`` (which writes the rows), so both stay
short.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from inputbank.demo.arguments import DemoArgument
from inputbank.demo.texts import TextMaker
from inputbank.models import Comment, Input, Support

if TYPE_CHECKING:
    from inputbank.demo.inputs import DemoProcess

OUTCOMES = {"adopted": 20, "partly_adopted": 20, "not_adopted": 20, "not_relevant": 10, "noted": 30}
# Share of the recurring concerns answered once, the same answer for each of their voices.
ANSWERED_ARGUMENTS = 1 / 3


def voice_theme(prng: random.Random, said: DemoArgument, theme_ids: dict) -> str:
    """The argument's theme, or now and then one residents also pick for it."""
    also = [t for t in said.themes_also if t in theme_ids]
    return prng.choice(also) if also and prng.random() > 0.8 else said.theme


def argument_answers(
    prng: random.Random, texts: TextMaker, arguments: list[DemoArgument], processes
) -> list[tuple[str, str, str, dt.datetime] | None]:
    """Per argument: None, or the one answer it got: outcome, justification, the decision
    reference in a process that has closed ("2022/1874-14") and when, after that closing."""
    closed = [
        p.process
        for p in processes
        if p.spec["status"] in ("closed", "evaluated") and p.process.case_year is not None
    ]
    out: list[tuple[str, str, str, dt.datetime] | None] = []
    for _argument in arguments:
        if not closed or prng.random() >= ANSWERED_ARGUMENTS:
            out.append(None)
            continue
        outcome = prng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
        case = prng.choice(closed)
        reference = f"{case.case_year}/{case.case_sequence}-{prng.randint(3, 40)}"
        decided = dt.datetime.combine(case.closes_on, dt.time(12), tzinfo=dt.UTC)
        decided += dt.timedelta(days=prng.randint(30, 120))
        out.append((outcome, texts.justification(outcome), reference, decided))
    return out


def org_or_blank(prng: random.Random, texts: TextMaker, channel: str) -> str:
    if channel == "hearing" and prng.random() < 0.3:
        return texts.authority()
    if channel in ("council", "hearing", "workshop") and prng.random() < 0.5:
        return texts.organisation()
    return ""


def status(prng: random.Random, process_status: str | None) -> str:
    r = prng.random()
    if process_status in ("closed", "evaluated"):
        return "published" if r < 0.96 else "rejected"
    if process_status == "open":
        return "published" if r < 0.70 else ("pending" if r < 0.98 else "rejected")
    return "published" if r < 0.85 else ("pending" if r < 0.97 else "rejected")


def answered(prng: random.Random, spec: dict | None, received: dt.datetime, today: dt.date) -> bool:
    if spec is None:
        return received.date() < today - dt.timedelta(days=60) and prng.random() < 0.3
    return spec["status"] in ("closed", "evaluated") and prng.random() < 0.7


def location_source(prng: random.Random, channel: str) -> str:
    if channel in ("web_map", "qr_code", "barnetrakk", "sms", "whatsapp"):
        return "drawn"
    if channel in ("letter", "email", "hearing", "phone", "si_fra"):
        return prng.choices(["address", "property", "place_name"], weights=[6, 2, 2])[0]
    return "digitised"


def decision_ref(dp: DemoProcess | None) -> str:
    if dp is None or dp.process.case_year is None:
        return ""
    return f"{dp.process.case_year}/{dp.process.case_sequence}-{12 + dp.process.id % 7}"


def supports_and_comments(prng: random.Random, first_input: int, n: int) -> None:
    """A few supports and comments for the demo's published input (small demos only)."""

    published = list(
        Input.objects.filter(
            id__gte=first_input, id__lt=first_input + n, status="published"
        ).values_list("id", flat=True)[:2000]
    )
    supports, comments = [], []
    for input_id in prng.sample(published, k=min(len(published), 400)):
        for k in range(prng.randint(1, 12)):
            supports.append(Support(input_id=input_id, supporter_key=f"demo-{input_id}-{k}"))
    for input_id in prng.sample(published, k=min(len(published), 60)):
        comments.append(
            Comment(
                input_id=input_id,
                text="Enig, dette gjelder oss også.",
                public_text="Enig, dette gjelder oss også.",
                status=prng.choice(["published", "published", "pending"]),
            )
        )
    Support.objects.bulk_create(supports, ignore_conflicts=True)
    Comment.objects.bulk_create(comments)
