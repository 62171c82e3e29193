"""Participants' evaluations per process, for the participation adviser (indicators page).

A process's results are shown only when at least MIN_ANSWERS people answered: with fewer, a
free-text answer or a lone low score could point at the person (they are anonymous, but a
small hearing has few participants).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q

from inputbank.models import EvaluationAnswer, EvaluationInvitation, Process
from inputbank.models.evaluations import Understood

MIN_ANSWERS = 5


@dataclass
class ProcessEvaluation:
    process: Process
    answers: int
    invited: int
    mean_experience: float
    experience: list[int]  # how many answered 1, 2, 3, 4, 5
    understood_use: dict[str, int] = field(default_factory=dict)
    accessible: dict[str, int] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)


@dataclass
class Evaluations:
    shown: list[ProcessEvaluation]
    # Processes with some answers, but fewer than MIN_ANSWERS: counted, never shown.
    too_few: int


def _choices(rows, name: str) -> dict[str, int]:
    counts = dict.fromkeys(Understood.values, 0)
    for row in rows:
        counts[row[name]] = counts.get(row[name], 0) + 1
    return counts


def evaluation_results(*, year: int | None = None, department: str = "") -> Evaluations:
    """Per process (of the year it opened, of a department): the answers, if n >= 5."""
    processes = Process.objects.annotate(
        n=Count("evaluation_answers", distinct=True),
    ).filter(n__gt=0)
    if year:
        processes = processes.filter(
            Q(opens_on__year=year) | Q(opens_on__isnull=True, created_at__year=year)
        )
    if department:
        processes = processes.filter(owner_department=department)
    shown, too_few = [], 0
    for process in processes.order_by("-closes_on", "title"):
        if process.n < MIN_ANSWERS:
            too_few += 1
            continue
        answers = EvaluationAnswer.objects.filter(process=process)
        rows = list(answers.values("experience", "understood_use", "accessible", "comment"))
        mean = answers.aggregate(m=Avg("experience"))["m"] or 0
        shown.append(
            ProcessEvaluation(
                process=process,
                answers=len(rows),
                invited=EvaluationInvitation.objects.filter(process=process).count(),
                mean_experience=round(float(mean), 1),
                experience=[sum(1 for r in rows if r["experience"] == k) for k in range(1, 6)],
                understood_use=_choices(rows, "understood_use"),
                accessible=_choices(rows, "accessible"),
                comments=sorted(r["comment"] for r in rows if r["comment"]),
            )
        )
    return Evaluations(shown=shown, too_few=too_few)
